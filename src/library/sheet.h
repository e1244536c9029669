/*
 * sheet.h - a contact sheet of a film: every shot's keyframe in a grid, each
 * labelled with its shot number, start time and length, under a title line.
 *
 *     if (library_sheet_save(lib, film_id, "sheet.jpg", 4) < 0)
 *         return bj_error_code();
 *
 * Drawn with cairo, text set with pango (DejaVu Sans or the system's sans); the
 * keyframes are the library's JPEG thumbnails (320 wide).  The file is written
 * atomically, as JPEG or PNG by its extension.
 */
#pragma once

#include <stdint.h>

#include "library/library.h"

/* Renders film_id's sheet with columns keyframes a row (1..16) and saves it to
 * path.  Errors: the film or its thumbnails cannot be read, the file cannot be
 * written ("'<path>': cannot create file: ..."). */
int library_sheet_save(library *lib, int64_t film_id, const char *path, int columns);
