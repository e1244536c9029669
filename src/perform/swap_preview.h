/*
 * swap_preview.h - a contact sheet of faces to look at while a swap trains:
 * one row per face, one column per image of it (input | reconstruction |
 * swap), from NCHW float batches in [0, 1].
 *
 *     const float *cols[] = { batch.input, recon, swapped };   // each (n, 3, S, S)
 *     perform_preview_save("preview.jpg", cols, 3, n, S);       // atomic JPEG
 *
 * Columns are separated by a 2-pixel gap and rows by the same, on dark grey.
 * A column may hold one channel instead of three (a mask, a weight map): give
 * its channel count in channels[] (NULL: all RGB); one channel is shown grey,
 * its values divided by its largest (so weights above 1 show too).
 */
#pragma once

#include "media/image.h"

/* The sheet as a new RGB image (free with media_image_free), n rows of
 * n_cols faces of side size; cols[j] is (n, channels[j], size, size), values
 * clamped to [0, 1].  NULL with the error set (BJ_EINVAL for n or n_cols below
 * 1 or too large a sheet). */
media_image *perform_preview_sheet(const float *const *cols, const int *channels, int n_cols, int n, int size);

/* perform_preview_sheet saved to path (.jpg or .png, atomically).  Returns 0 or
 * a negative code with the error set. */
int perform_preview_save(const char *path, const float *const *cols, const int *channels, int n_cols, int n,
                         int size);
