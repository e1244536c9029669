/*
 * cli.h - what every `benjamin` subcommand shares: the command table entry,
 * usage text, error messages in one format, and checked number parsing.
 *
 * A subcommand is one file, src/cli/cmd_<name>.c, exporting
 *     int cmd_<name>(int argc, char **argv);     // argv[0] is the command name
 *     extern const char *const cmd_<name>_usage[];
 * and one row in the table in main.c.  It parses its options with getopt_long,
 * answers --help by printing its usage to stdout (exit 0), calls the layers below,
 * and reports failures with cli_error_bj() (exit 1) or cli_usage_error() (exit 2):
 *     benjamin: error: 'reel3.mkv': no video stream
 */
#pragma once

#include <stdio.h>

#define CLI_EXIT_OK 0
#define CLI_EXIT_ERROR 1
#define CLI_EXIT_USAGE 2

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *const *usage;  /* NULL-terminated lines; the first is the synopsis */
};

/* The table in main.c, ended by a zeroed entry. */
extern const struct cli_command cli_commands[];

/* Prints usage lines to f. */
void cli_print_usage(FILE *f, const char *const *usage);

/* Prints "benjamin: error: <message>" and returns CLI_EXIT_ERROR. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the error recorded by the layers below (bj_error_message) as above. */
int cli_error_bj(void);

/* Prints "benjamin: error: <message>", a blank line and the usage to stderr;
 * returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *const *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parses a time: seconds ("12.5") or [[H:]M:]S ("1:02.5").  Returns 0, or -1
 * when text is not a non-negative finite time. */
int cli_parse_time(const char *text, double *seconds);

/* Parses a whole decimal number in [min, max].  Returns 0 or -1. */
int cli_parse_int(const char *text, long min, long max, long *value);

/* Parses text, the value of option name ("--seed"), as a whole number in
 * [min, max] into *value; otherwise reports "NAME must be a whole number from
 * MIN to MAX, not 'TEXT'" as a usage error.  Returns CLI_EXIT_OK or its status. */
int cli_int_arg(const char *const *usage, const char *name, const char *text, long min, long max,
                long *value);

/* Parses a finite decimal number in [min, max].  Returns 0 or -1. */
int cli_parse_real(const char *text, double min, double max, double *value);

/* Parses a frame size "WxH", each even and from 16 to 4096.  Returns 0 or -1. */
int cli_parse_size(const char *text, int *width, int *height);

/* Common handling of --help (-h): 1 if argv asks for help (usage printed). */
int cli_wants_help(int argc, char **argv, const char *const *usage);

/* The writer model shipped with benjamin, found beside the executable: in
 * ../models/ of a build (build/benjamin) or ../share/benjamin/ of an install
 * (PREFIX/bin/benjamin).  Stores its path in buf (size n) and returns buf, or
 * returns NULL with the error set: "no default writer model (...); give one
 * with --model or run scripts/make-default-writer". */
const char *cli_default_writer(char *buf, size_t n);

/* Splits an option's "NAME=PATH" (--star, --voice-like): returns NAME as a new
 * string (free()) and points *path after the '='; a text with no '=' before
 * its first '/' is a path alone: returns NULL, *path = text. */
char *cli_binding(const char *text, const char **path);
