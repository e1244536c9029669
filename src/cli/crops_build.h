/*
 * crops_build.h - filling a face-crop set (perform/swap_crops.h) from a star's
 * folder of photos or from a footage identity of a library, with a progress
 * bar; both return a CLI exit status with the error already printed.
 */
#pragma once

#include <getopt.h>

#include "cli/cli_args.h"
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

/* Takes the option opt, one of the above, with its value optarg into src;
 * a bad value is a usage error in a. */
void cli_crops_source_option(cli_args *a, int opt, struct cli_crops_source *src);

/* The largest face of every photo in dir, detected on `threads` threads. */
int cli_crops_from_star(perform_crops *set, const char *dir, int threads);

/* Every detected face of the identity's tracks in the library at
 * library_path, decoded from its films ("'<lib>': identity N has no faces"). */
int cli_crops_from_identity(perform_crops *set, const char *library_path, long identity);
