/*
 * demo.h - the demo footage `benjamin make` uses when it is given none:
 * public-domain pictures and a short video that Debian packages install
 * (scripts/setup installs them), so that a film can be made out of the box.
 *
 *     char **files; size_t n;
 *     if (film_demo_footage(NULL, &files, &n) < 0)
 *         return bj_error_code();    // none of them is installed
 *     ... index files[0..n) ...
 *     library_files_free(files, n);
 *
 * The files, and why each may be used (README.md, "Demo footage"):
 *   python3-skimage         astronaut.png (NASA, public domain), camera.png
 *                           (CC0), hubble_deep_field.jpg (NASA, public domain),
 *                           rocket.jpg (SpaceX, public domain), coffee.png and
 *                           chelsea.png (CC0)
 *   python-matplotlib-data  grace_hopper.jpg (U.S. Navy photograph, public domain)
 *   opencv-doc              vtest.avi (OpenCV's sample video, Apache-2.0/BSD-3)
 * Stills are indexed as shots of LIBRARY_STILL_SECONDS and animated with pans
 * and zooms by the renderer.
 */
#pragma once

#include <stddef.h>

/* The demo files that exist on this machine (under root, a path prefixed to
 * each: NULL or "" for the machine's own), in a fixed order, as new strings in
 * a new array (free with library_files_free).  Returns 0, or BJ_ENOENT when
 * none does: "no footage given (--footage) and no demo footage installed
 * (scripts/setup installs it: python3-skimage, python-matplotlib-data,
 * opencv-doc)". */
int film_demo_footage(const char *root, char ***files, size_t *n);
