/*
 * hash.h - a content hash that names a film in the library, so a renamed file is
 * still the same film and a changed one is new.
 *
 *     char hash[LIBRARY_HASH_LEN + 1];
 *     if (library_hash_file("reel.mp4", hash) < 0)
 *         return bj_error_code();
 *
 * Hashing a two-hour film whole would cost as much as reading it; the hash covers
 * the size, the first and last MiB and 64 blocks of 64 KiB spread evenly between
 * (files up to 8 MiB whole), about 6 MiB read whatever the size.  Any change of
 * length, of the container's header or index (at either end) or of the data in a
 * sampled block changes it; an edit of a few bytes elsewhere in a long file may
 * not.  The digest is 128 bits from two independent 64-bit lanes of a
 * multiply-xorshift mix (not cryptographic; collisions between different films
 * are what it must avoid, not an attacker).  The file is opened read-only.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define LIBRARY_HASH_LEN 32  /* hex digits */

/* Hashes path into hex (LIBRARY_HASH_LEN digits and a NUL).  Returns 0, or
 * BJ_ENOENT/BJ_EIO with the error set ("'<path>': No such file or directory"). */
int library_hash_file(const char *path, char hex[LIBRARY_HASH_LEN + 1]);

/* The same digest of a buffer (the whole buffer is the "file"). */
void library_hash_buffer(const void *data, size_t size, char hex[LIBRARY_HASH_LEN + 1]);
