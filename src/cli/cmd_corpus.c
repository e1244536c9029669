/*
 * cmd_corpus.c - `benjamin corpus normalize RAW... -o corpus.fountain`: plain-
 * text screenplays into one Fountain corpus for training the writer.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomic.h"
#include "base/error.h"
#include "base/log.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "text/fountain.h"
#include "text/normalize.h"

const char *const cmd_corpus_usage[] = {
	"benjamin corpus normalize RAW... -o CORPUS.fountain",
	"",
	"Reads screenplays in the usual plain-text layout (IMSDb pages, PDF-to-text",
	"conversions), learns each file's indents, drops page numbers, CONTINUED,",
	"(MORE) and repeated page headers, joins wrapped lines and speeches cut by",
	"page breaks, and writes them all as Fountain, one after another, each ending",
	"in a page break (===).  Prints what each file's lines were read as.  A file",
	"that does not read as a screenplay is skipped with a warning.",
	"",
	"  -o, --output FILE  the Fountain corpus to write",
	"  -h, --help         show this help",
	NULL,
};

static void print_header(void)
{
	printf("%-32s %6s %5s %6s %5s %6s %5s %5s %5s %5s %7s  %s\n", "file", "lines", "scene",
	       "action", "cue", "dialog", "paren", "trans", "centr", "title", "dropped", "layout");
}

static void print_row(const char *name, const text_normalize_report *r, const char *layout)
{
	const size_t *c = r->count;
	size_t dropped = c[TEXT_NORM_PAGE_NUMBER] + c[TEXT_NORM_CONTINUED] + c[TEXT_NORM_HEADER];
	printf("%-32s %6zu %5zu %6zu %5zu %6zu %5zu %5zu %5zu %5zu %7zu  %s\n", name, r->lines,
	       c[TEXT_NORM_HEADING], c[TEXT_NORM_ACTION], c[TEXT_NORM_CHARACTER],
	       c[TEXT_NORM_DIALOGUE], c[TEXT_NORM_PARENTHETICAL], c[TEXT_NORM_TRANSITION],
	       c[TEXT_NORM_CENTERED], c[TEXT_NORM_TITLE], dropped, layout);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int normalize(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ 0 },
	};
	const char *output = NULL;
	int opt;
	cli_args args;
	cli_args_init(&args, argc, argv, "o:", options, cmd_corpus_usage);
	while ((opt = cli_args_next(&args)) != -1)
		output = optarg;   /* -o, the only option */
	if (optind == argc)
		cli_args_error(&args, "no screenplay given");
	cli_args_require(&args, output, "no output file given (-o)");
	if (args.status != CLI_EXIT_OK)
		return args.status;

	bj_atomic *a;
	if (bj_atomic_open(output, &a) < 0)
		return cli_error_bj();
	FILE *f = bj_atomic_stream(a);
	text_normalize_report total = { 0 };
	size_t done = 0, skipped = 0;
	print_header();
	for (int i = optind; i < argc; i++) {
		text_screenplay *sp;
		text_normalize_report r;
		int ret = text_normalize_load(argv[i], &sp, &r);
		if (ret == BJ_EUNSUPPORTED) {
			bj_log(BJ_LOG_WARN, "skipped %s", bj_error_message());
			print_row(base_name(argv[i]), &r, "skipped");
			skipped++;
			continue;
		}
		if (ret < 0) {
			bj_atomic_abort(a);
			return cli_error_bj();
		}
		char *text = text_fountain_emit(sp);
		fputs(text, f);
		fputs("\n===\n\n", f);
		free(text);
		text_screenplay_free(sp);
		print_row(base_name(argv[i]), &r, r.flat ? "flat" : "indented");
		total.lines += r.lines;
		for (int c = 0; c < TEXT_NORM_CLASSES; c++)
			total.count[c] += r.count[c];
		done++;
	}
	char name[64];
	snprintf(name, sizeof(name), "total: %zu read, %zu skipped", done, skipped);
	print_row(name, &total, "");
	if (!done) {
		bj_atomic_abort(a);
		return cli_error("no screenplay to write: every file was skipped");
	}
	if (bj_atomic_commit(a) < 0)
		return cli_error_bj();
	return CLI_EXIT_OK;
}

int cmd_corpus(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cmd_corpus_usage, "no subcommand given (normalize)");
	if (strcmp(argv[1], "normalize") == 0)
		return normalize(argc - 1, argv + 1);
	return cli_usage_error(cmd_corpus_usage, "'%s' is not a corpus subcommand (normalize)",
	                       argv[1]);
}
