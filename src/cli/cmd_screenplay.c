/*
 * cmd_screenplay.c - `benjamin screenplay pdf|stats FILE.fountain`: print a
 * screenplay, or count what it holds.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "text/fountain.h"
#include "text/layout.h"
#include "text/pdf.h"
#include "text/stats.h"

const char *const cmd_screenplay_usage[] = {
	"benjamin screenplay pdf FILE.fountain -o FILE.pdf [--paper letter|a4]",
	"or: benjamin screenplay stats FILE.fountain [--json] [--paper letter|a4]",
	"",
	"pdf lays the screenplay out as it is printed (Courier Prime 12 pt, standard",
	"indents, ~55 lines a page, a title page, (MORE) and (CONT'D) where a speech",
	"runs on to the next page) and writes it as a PDF.",
	"",
	"stats counts scenes, characters, each character's lines (speeches), words",
	"and scenes, and the pages of that layout; one page is about one minute.",
	"",
	"  -o, --output FILE  the PDF to write (pdf)",
	"  --paper SIZE       letter (default) or a4",
	"  --json             one JSON object (stats)",
	"  -h, --help         show this help",
	NULL,
};

struct options {
	const char *output;
	text_paper paper;
	int json;
};

static int parse(int argc, char **argv, struct options *o, int want_output)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "paper", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ 0 },
	};
	int opt;
	cli_args a;
	cli_args_init(&a, argc, argv, "o:", options, cmd_screenplay_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case 'o':
			if (!want_output)
				return cli_usage_error(cmd_screenplay_usage, "stats takes no output file");
			o->output = optarg;
			break;
		case 'p':
			if (strcmp(optarg, "letter") == 0)
				o->paper = TEXT_PAPER_LETTER;
			else if (strcmp(optarg, "a4") == 0)
				o->paper = TEXT_PAPER_A4;
			else
				return cli_usage_error(cmd_screenplay_usage,
				                       "--paper must be letter or a4, not '%s'", optarg);
			break;
		case 'j':
			if (want_output)
				return cli_usage_error(cmd_screenplay_usage, "--json goes with stats");
			o->json = 1;
			break;
		}
	}
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if (optind + 1 != argc)
		return cli_usage_error(cmd_screenplay_usage,
		                       optind == argc ? "no screenplay given" : "give one screenplay");
	if (want_output && !o->output)
		return cli_usage_error(cmd_screenplay_usage, "no output file given (-o)");
	return CLI_EXIT_OK;
}

static int run_pdf(int argc, char **argv)
{
	struct options o = { 0 };
	int status = parse(argc, argv, &o, 1);
	if (status != CLI_EXIT_OK)
		return status;
	text_screenplay *sp;
	if (text_fountain_load(argv[optind], &sp) < 0)
		return cli_error_bj();
	text_layout l;
	text_layout_init(&l, sp, &(text_layout_options){ .paper = o.paper });
	text_screenplay_free(sp);
	if (text_pdf_save(&l, o.output) < 0)
		status = cli_error_bj();
	text_layout_release(&l);
	return status;
}

static void print_stats(const char *path, const text_stats *st)
{
	printf("%s\n", path);
	printf("  scenes       %zu\n", st->scenes);
	printf("  pages        %d (%.1f pages of text: about %.0f minutes)\n", st->pages, st->length,
	       st->minutes);
	printf("  characters   %zu\n", st->n_characters);
	printf("  speeches     %zu\n", st->speeches);
	printf("  words        %zu of dialogue, %zu of action\n", st->dialogue_words,
	       st->action_words);
	if (!st->n_characters)
		return;
	size_t w = strlen("character");
	for (size_t i = 0; i < st->n_characters; i++)
		if (strlen(st->characters[i].name) > w)
			w = strlen(st->characters[i].name);
	printf("\n  %-*s  %6s  %6s  %6s\n", (int)w, "character", "lines", "words", "scenes");
	for (size_t i = 0; i < st->n_characters; i++) {
		const text_character_stats *c = &st->characters[i];
		printf("  %-*s  %6zu  %6zu  %6zu\n", (int)w, c->name, c->lines, c->words, c->scenes);
	}
}

static void print_json(const char *path, const text_stats *st)
{
	json_t *chars = json_array();
	for (size_t i = 0; i < st->n_characters; i++) {
		const text_character_stats *c = &st->characters[i];
		json_array_append_new(chars, json_pack("{s:s, s:I, s:I, s:I}", "name", c->name, "lines",
		                                       (json_int_t)c->lines, "words", (json_int_t)c->words,
		                                       "scenes", (json_int_t)c->scenes));
	}
	json_t *j = json_pack("{s:s, s:I, s:i, s:f, s:f, s:I, s:I, s:I, s:o}", "file", path, "scenes",
	                      (json_int_t)st->scenes, "pages", st->pages, "length_pages", st->length,
	                      "minutes", st->minutes, "speeches", (json_int_t)st->speeches,
	                      "dialogue_words", (json_int_t)st->dialogue_words, "action_words",
	                      (json_int_t)st->action_words, "characters", chars);
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
	if (s)
		printf("%s\n", s);
	free(s);
	json_decref(j);
}

static int run_stats(int argc, char **argv)
{
	struct options o = { 0 };
	int status = parse(argc, argv, &o, 0);
	if (status != CLI_EXIT_OK)
		return status;
	const char *path = argv[optind];
	text_screenplay *sp;
	if (text_fountain_load(path, &sp) < 0)
		return cli_error_bj();
	text_layout l;
	text_layout_init(&l, sp, &(text_layout_options){ .paper = o.paper });
	text_stats st;
	text_stats_init(&st, sp, &l);
	if (o.json)
		print_json(path, &st);
	else
		print_stats(path, &st);
	text_stats_release(&st);
	text_layout_release(&l);
	text_screenplay_free(sp);
	return CLI_EXIT_OK;
}

int cmd_screenplay(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cmd_screenplay_usage, "no subcommand given (pdf or stats)");
	if (strcmp(argv[1], "pdf") == 0)
		return run_pdf(argc - 1, argv + 1);
	if (strcmp(argv[1], "stats") == 0)
		return run_stats(argc - 1, argv + 1);
	return cli_usage_error(cmd_screenplay_usage, "'%s' is not a screenplay subcommand (pdf or stats)",
	                       argv[1]);
}
