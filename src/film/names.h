/*
 * names.h - short unique names for source files (EDL reel names): the file's
 * name without folder and extension, in capitals, letters and digits only, cut
 * to a width; a second file with the same short name gets a number in place of
 * its last characters ("NOSFERAT", "NOSFERA2").  The same path always gets the
 * same name.
 *
 *     film_names n;
 *     film_names_init(&n, 8);
 *     const char *reel = film_names_get(&n, "reels/nosferatu.mp4");   // "NOSFERAT"
 *     film_names_release(&n);
 */
#pragma once

#include <stddef.h>

typedef struct film_names {
	size_t width;
	char **paths;   /* (n) */
	char **names;   /* (n) */
	size_t n, cap;
} film_names;

void film_names_init(film_names *n, size_t width);

/* The name of path (owned by n, valid until release). */
const char *film_names_get(film_names *n, const char *path);

void film_names_release(film_names *n);
