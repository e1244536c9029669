/*
 * crops_build.h - filling a face-crop set (perform/swap_crops.h) from a star's
 * folder of photos or from a footage identity of a library, with a progress
 * bar; both return a CLI exit status with the error already printed.
 */
#pragma once

#include "perform/swap_crops.h"

/* The largest face of every photo in dir, detected on `threads` threads. */
int cli_crops_from_star(perform_crops *set, const char *dir, int threads);

/* Every detected face of the identity's tracks in the library at
 * library_path, decoded from its films ("'<lib>': identity N has no faces"). */
int cli_crops_from_identity(perform_crops *set, const char *library_path, long identity);
