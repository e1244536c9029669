/*
 * crops_build.h - filling a face-crop set (perform/swap_crops.h) from a star's
 * folder of photos or from a footage identity of a library, with a progress
 * bar; both return a CLI exit status with the error already printed.
 */
#pragma once

#include <getopt.h>

#include "perform/swap_crops.h"

/* Where the faces come from and at what size, as --star DIR, or --identity
 * ID with --library LIB, and --size 64|128 say (shared by crops and train swap). */
struct cli_crops_source {
	const char *star, *library;
	long identity, size;
};

enum { CLI_O_STAR = 256, CLI_O_IDENTITY, CLI_O_LIBRARY, CLI_O_SIZE, CLI_O_CROPS_END };

#define CLI_CROPS_SOURCE_OPTIONS                                    \
	{ "star", required_argument, NULL, CLI_O_STAR },            \
	{ "identity", required_argument, NULL, CLI_O_IDENTITY },    \
	{ "library", required_argument, NULL, CLI_O_LIBRARY },      \
	{ "size", required_argument, NULL, CLI_O_SIZE }

/* Takes the getopt option opt (value arg) into src if it is one of the
 * above: 1 with *status set (CLI_EXIT_OK or a usage error), 0 if not. */
int cli_crops_source_option(int opt, const char *arg, const char *const *usage, struct cli_crops_source *src,
                            int *status);

/* The largest face of every photo in dir, detected on `threads` threads. */
int cli_crops_from_star(perform_crops *set, const char *dir, int threads);

/* Every detected face of the identity's tracks in the library at
 * library_path, decoded from its films ("'<lib>': identity N has no faces"). */
int cli_crops_from_identity(perform_crops *set, const char *library_path, long identity);
