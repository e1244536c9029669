/*
 * cli_bindings.h - the repeatable options that bind a character to a file,
 * "NAME=PATH" (--star, --voice-like, --model of make and cast), gathered
 * into a list of film_binding for film/casting.h.
 */
#pragma once

#include <stddef.h>

#include "cli/cli_args.h"
#include "film/casting.h"

typedef struct cli_bindings {
	film_binding *v;   /* (n); each name a new string, or NULL for a path alone */
	size_t n;
} cli_bindings;

/* Adds the current option's value (optarg) to list.  With what (e.g. "WAV"),
 * the name is required: a value without one is the usage error "OPTION must
 * be NAME=WHAT, not 'TEXT'".  Returns 0 or -1. */
int cli_args_binding(cli_args *a, const char *option, const char *what, cli_bindings *list);

/* Frees the names and the list; a zeroed list is fine. */
void cli_bindings_release(cli_bindings *list);
