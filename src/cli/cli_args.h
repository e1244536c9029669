/*
 * cli_args.h - the getopt_long loop of a subcommand and the usage errors
 * every command shares: an unknown option or a missing value, a leftover
 * argument, a required option not given, an option's value out of range.
 *
 *     cli_args a;
 *     cli_args_init(&a, argc, argv, "o:", options, cmd_cut_usage);
 *     while ((opt = cli_args_next(&a)) != -1) {
 *         switch (opt) {
 *         case 'o': output = optarg; break;
 *         case O_SEED: cli_args_seed(&a, &o.seed); break;
 *         }
 *     }
 *     cli_args_no_operands(&a);
 *     cli_args_require(&a, output, "no output given (-o)");
 *     if (a.status != CLI_EXIT_OK)
 *         return a.status;
 *
 * The first usage error is printed (with the usage) and kept in a.status;
 * every check after it does nothing, and cli_args_next() ends the loop, so a
 * command looks at a.status once, after all its checks.
 */
#pragma once

#include <getopt.h>
#include <stdint.h>

#include "cli/cli.h"

/* The largest --seed of every command. */
#define CLI_SEED_MAX 2147483647L

typedef struct cli_args {
	int argc;
	char **argv;
	const char *shortopts;
	const struct option *options;   /* ended by a zeroed entry */
	const char *const *usage;
	int status;                     /* CLI_EXIT_OK, or the first usage error's status */
} cli_args;

/* Starts parsing argv (argv[0] is the command) afresh, getopt printing nothing. */
void cli_args_init(cli_args *a, int argc, char **argv, const char *shortopts,
                   const struct option *options, const char *const *usage);

/* The next option's code (its value in optarg), or -1 after the last option
 * or a usage error.  An unknown option or a missing value is the usage error
 * "unknown option or missing value in 'ARG'". */
int cli_args_next(cli_args *a);

/* Sets status to a usage error (fmt, ...) unless an error came first. */
void cli_args_error(cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After the options: "unexpected argument 'ARG'" when any argument is left. */
void cli_args_no_operands(cli_args *a);

/* A usage error with message (e.g. "no output given (-o)") when given is NULL. */
void cli_args_require(cli_args *a, const void *given, const char *message);

/* The current option's value (optarg) as a whole number in [min, max] into
 * *value, or "NAME must be a whole number from MIN to MAX, not 'TEXT'".
 * Returns 0, or -1 with *value untouched. */
int cli_args_int(cli_args *a, const char *name, long min, long max, long *value);

/* The same for a finite decimal number: "NAME must be a number from MIN to
 * MAX, not 'TEXT'" (MIN and MAX printed with %g). */
int cli_args_real(cli_args *a, const char *name, double min, double max, double *value);

/* --seed: a whole number from 0 to CLI_SEED_MAX. */
int cli_args_seed(cli_args *a, uint64_t *seed);

/* --threads: a whole number from 1 to BJ_POOL_MAX_THREADS. */
int cli_args_threads(cli_args *a, long *threads);

/* --size: a frame size WxH (cli_parse_size). */
int cli_args_size(cli_args *a, int *width, int *height);
