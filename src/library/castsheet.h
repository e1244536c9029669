/*
 * castsheet.h - a contact sheet of the library's footage actors: one row per
 * identity, the most screen time first, with its representative face, a few
 * more of its faces, and its id, screen time and counts.
 *
 *     if (library_cast_sheet_save(lib, "cast.jpg", 6) < 0)
 *         return bj_error_code();
 *
 * Faces are the 64 x 64 aligned crops stored while indexing, drawn at 96
 * pixels; the file is JPEG or PNG by its extension, written atomically.
 */
#pragma once

#include "library/library.h"

/* Draws every identity with up to faces (1..16) faces each and saves to path.
 * Errors: the library cannot be read, no identities ("no footage actors in
 * '<library>': index with faces first"), too many for one sheet, the file
 * cannot be written. */
int library_cast_sheet_save(library *lib, const char *path, int faces);
