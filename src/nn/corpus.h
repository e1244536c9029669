/*
 * corpus.h - the text a character model learns from: files and folders of
 * UTF-8 text, mapped read-only, checked once, then read as code points.
 *
 *     nn_corpus *c;
 *     if (nn_corpus_open(paths, n_paths, &c) < 0)      // "'a.txt': binary file, not text"
 *         return bj_error_code();
 *     nn_corpus_vocab(c, 5, &cps, &V);                 // code points seen 5 times or more
 *     uint64_t split = nn_corpus_split(c, 0.1);         // the last 10 % is held out
 *     uint64_t pos = 0;
 *     size_t n = nn_corpus_decode(c, &pos, split, cps_out, 101);   // 101 code points on
 *     nn_corpus_close(c);
 *
 * A corpus is the concatenation of its files in the order given, a folder
 * standing for its regular files (not hidden ones, not sub-folders) sorted by
 * name.  Positions are byte offsets into that concatenation, always at the
 * start of a code point.  Files are mapped, not copied, and stay open until
 * nn_corpus_close; every file must be non-empty, free of NUL bytes and valid
 * UTF-8.  Nothing is kept of what was decoded; the caller owns its buffers.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* An open corpus (opaque). */
typedef struct nn_corpus nn_corpus;

/* Opens, maps and checks every file named by paths (files or folders).
 * Stores a new corpus in *out (free with nn_corpus_close) and returns 0, or
 * stores NULL and returns with the error set: BJ_ENOENT ("'<path>': No such
 * file or directory"), BJ_EFORMAT ("'<file>': empty file", "'<file>': binary
 * file, not text", "'<file>': not UTF-8: invalid byte 0xE9 at line 3, column
 * 14", "'<folder>': no files in folder"), BJ_EIO or BJ_ENOMEM. */
int nn_corpus_open(const char *const *paths, int n_paths, nn_corpus **out);

/* A corpus of one text held in memory (copied), named name in messages: for
 * text a caller has prepared, such as a training split.  The same checks and
 * errors as nn_corpus_open ("'<name>': empty text" for len 0). */
int nn_corpus_from_text(const char *name, const char *text, size_t len, nn_corpus **out);

/* Unmaps and frees c.  NULL-safe. */
void nn_corpus_close(nn_corpus *c);

/* Sizes: bytes and code points of the whole corpus, and its files. */
uint64_t nn_corpus_bytes(const nn_corpus *c);
uint64_t nn_corpus_chars(const nn_corpus *c);
int nn_corpus_files(const nn_corpus *c);

/* The path of file i (0 <= i < nn_corpus_files), as found. */
const char *nn_corpus_file(const nn_corpus *c, int i);

/* A 64-bit FNV-1a hash of every byte, in order: tells a resumed training that
 * its corpus is the one it began with. */
uint64_t nn_corpus_hash(const nn_corpus *c);

/* The vocabulary: U+FFFD (the unknown symbol) first, then every code point
 * that occurs at least min_count times (min_count >= 1), in increasing order.
 * Stores a new array in *codepoints (free()) and its length in *V; the rarer
 * code points are left to the unknown symbol. */
void nn_corpus_vocab(const nn_corpus *c, uint64_t min_count, uint32_t **codepoints, int *V);

/* The position where the last fraction (0 <= fraction < 1) of the code points
 * begins: the held-out tail.  0 gives nn_corpus_bytes. */
uint64_t nn_corpus_split(const nn_corpus *c, double fraction);

/* The first code point boundary at or after byte pos (at most end). */
uint64_t nn_corpus_align(const nn_corpus *c, uint64_t pos, uint64_t end);

/* Decodes up to n code points from *pos, stopping at byte end, into cps and
 * moves *pos past them; returns how many were decoded (fewer than n only at
 * end). */
size_t nn_corpus_decode(const nn_corpus *c, uint64_t *pos, uint64_t end,
                        uint32_t *cps,   // (n)
                        size_t n);
