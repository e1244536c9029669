/*
 * file.h - read a whole file into memory, with errors a person can act on.
 *
 *     uint8_t *data;
 *     size_t size;
 *     if (bj_file_read(path, 64 << 20, &data, &size) < 0)
 *         return bj_error_code();        // "'x.png': No such file or directory", ...
 *     ...
 *     free(data);
 *
 * The file is opened read-only.  The buffer gets one extra NUL byte after the
 * data (not counted in size), so text can be used as a C string.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Reads path into a new buffer (free()).  Fails with BJ_ENOENT for a missing
 * file, BJ_EIO for a directory ("'<path>': is a directory") or a read error, and
 * BJ_EFORMAT for an empty file ("'<path>': empty file") or one larger than
 * max_size bytes ("'<path>': file is N bytes, limit M"). */
int bj_file_read(const char *path, size_t max_size, uint8_t **data, size_t *size);

/* Writes size bytes to path atomically (see atomic.h). */
int bj_file_write(const char *path, const void *data, size_t size);

/* Creates the folder path and any missing parents (mkdir -p); one that exists
 * already is fine.  Fails with "'<path>': cannot create folder: <reason>" naming
 * the folder that could not be made, or "'<path>': not a folder". */
int bj_make_dirs(const char *path);

/* The regular files of folder path (hidden ones left out), as "path/name",
 * sorted by name, into a new array of n new strings (free each and the array;
 * bj_free_strings).  An empty folder gives n = 0.  Fails with "'<path>': <reason>". */
int bj_dir_files(const char *path, char ***names, size_t *n);

/* Frees the n strings of names and the array. */
void bj_free_strings(char **names, size_t n);
