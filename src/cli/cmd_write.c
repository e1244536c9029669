/*
 * cmd_write.c - `benjamin write --model M -o film.fountain`: a screenplay to a
 * brief (title, line, prop, action, pages), as Fountain and optionally PDF.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/log.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "nn/parallel.h"
#include "text/fountain.h"
#include "text/layout.h"
#include "text/pdf.h"
#include "writer/brief.h"
#include "writer/write.h"

const char *const cmd_write_usage[] = {
	"benjamin write [--model MODEL] -o FILM.fountain [--title T] [--line TEXT]",
	"               [--prop P] [--action TEXT] [--pages N] [--cast N] [--seed S]",
	"               [--temperature T] [--pdf FILM.pdf] [--paper letter|a4]",
	"or: benjamin write --check FILM.fountain [--title T] [--line TEXT] [--prop P]",
	"               [--action TEXT] [--pages N] [--cast N] [--paper letter|a4]",
	"",
	"Writes a screenplay with a model from 'benjamin train writer' (trained on",
	"Fountain) and saves it as Fountain: a title page, scenes that open with a",
	"heading, speeches from a small cast whose names the model makes up, each",
	"with dialogue.  The brief of a 48-hour challenge is always met: the title is",
	"on the title page, the line is spoken verbatim, the prop is named in an",
	"action line and the action is a line of action, each placed where the",
	"model's own text leads into it, and the script runs N pages (within one),",
	"laid out as the PDF is.  The same model, options and seed give the same",
	"screenplay.",
	"",
	"--check reads a screenplay (written, or edited since) and says whether it",
	"still meets the brief: title, line, prop, action, a title page, a heading",
	"first, dialogue under every cue, at most N speakers, N pages within one.",
	"It exits 1 when it does not.",
	"",
	"  --model FILE       the writer model (safetensors; default: the one shipped,",
	"                     trained on Shakespeare's plays, in models/ beside the",
	"                     build or share/benjamin/ of the install)",
	"  -o, --output FILE  the screenplay to write (Fountain)",
	"  --title T          the title (default: the model writes one)",
	"  --line TEXT        a line of dialogue to include",
	"  --prop P           a prop to name in the action",
	"  --action TEXT      a line of action to include",
	"  --pages N          length in pages, one a minute (default 1, up to 200)",
	"  --cast N           speaking characters (default 3, up to 26)",
	"  --seed S           the random draws (default 1)",
	"  --temperature T    below 1 is safer, above 1 wilder (default 0.8)",
	"  --pdf FILE         also print the screenplay to this PDF",
	"  --paper SIZE       letter (default) or a4, for the pages and the PDF",
	"  --threads N        threads to use (default 2)",
	"  --check FILE       check FILE against the brief instead of writing",
	"  -h, --help         show this help",
	NULL,
};

static void report(const char *what, bool ok, const char *detail)
{
	if (ok)
		printf("ok   %s\n", what);
	else
		printf("FAIL %s: %s\n", what, detail);
}

/* --check: the brief in o (pages and cast only if given) against path. */
static int check_brief(const char *path, const writer_write_opts *o, int pages, int cast)
{
	text_screenplay *sp;
	if (text_fountain_load(path, &sp) < 0)
		return cli_error_bj();
	writer_brief b = { .title = o->title, .line = o->line, .prop = o->prop, .action = o->action,
	                   .pages = pages ? o->pages : 0, .cast = cast ? o->cast : 0,
	                   .paper = o->paper };
	writer_brief_result r;
	writer_brief_check(sp, &b, &r);
	text_screenplay_free(sp);
	char detail[128];
	report("title page", r.title_page, "there is none");
	report("opens with a scene heading", r.opens_with_heading, "the first element is not one");
	report("dialogue under every cue", r.cues_have_dialogue, "a cue has none");
	snprintf(detail, sizeof(detail), "%d speakers", r.speakers);
	report("cast", r.cast, detail);
	snprintf(detail, sizeof(detail), "%d pages", r.n_pages);
	report("pages", r.pages, detail);
	if (o->title)
		report("title", r.title, "not the title page's Title");
	if (o->line)
		report("line", r.line, "not a line of dialogue");
	if (o->prop)
		report("prop", r.prop, "not in any action");
	if (o->action)
		report("action", r.action, "not a line of action");
	return r.ok ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}

int cmd_write(int argc, char **argv)
{
	enum { O_MODEL = 256, O_TITLE, O_LINE, O_PROP, O_ACTION, O_PAGES, O_CAST, O_SEED,
	       O_TEMPERATURE, O_PDF, O_PAPER, O_THREADS, O_CHECK };
	static const struct option options[] = {
		{ "model", required_argument, NULL, O_MODEL },
		{ "output", required_argument, NULL, 'o' },
		{ "title", required_argument, NULL, O_TITLE },
		{ "line", required_argument, NULL, O_LINE },
		{ "prop", required_argument, NULL, O_PROP },
		{ "action", required_argument, NULL, O_ACTION },
		{ "pages", required_argument, NULL, O_PAGES },
		{ "cast", required_argument, NULL, O_CAST },
		{ "seed", required_argument, NULL, O_SEED },
		{ "temperature", required_argument, NULL, O_TEMPERATURE },
		{ "pdf", required_argument, NULL, O_PDF },
		{ "paper", required_argument, NULL, O_PAPER },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "check", required_argument, NULL, O_CHECK },
		{ 0 },
	};
	writer_write_opts o;
	writer_write_opts_init(&o);
	o.progress = 1;
	const char *output = NULL, *pdf = NULL, *check = NULL;
	int pages_set = 0, cast_set = 0;
	long v, threads = 2;
	double d;
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "o:", options, cmd_write_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_MODEL:
			o.model_path = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case O_TITLE:
			o.title = optarg;
			break;
		case O_LINE:
			o.line = optarg;
			break;
		case O_PROP:
			o.prop = optarg;
			break;
		case O_ACTION:
			o.action = optarg;
			break;
		case O_PDF:
			pdf = optarg;
			break;
		case O_CHECK:
			check = optarg;
			break;
		case O_PAGES:
			if (cli_args_int(&a, "--pages", 1, WRITER_MAX_PAGES, &v) == 0)
				o.pages = pages_set = (int)v;
			break;
		case O_CAST:
			if (cli_args_int(&a, "--cast", 1, WRITER_MAX_CAST, &v) == 0)
				o.cast = cast_set = (int)v;
			break;
		case O_SEED:
			cli_args_seed(&a, &o.seed);
			break;
		case O_THREADS:
			cli_args_threads(&a, &threads);
			break;
		case O_TEMPERATURE:
			if (cli_args_real(&a, "--temperature", 0.0, 100.0, &d) == 0)
				o.sample.temperature = (float)d;
			break;
		case O_PAPER:
			if (strcmp(optarg, "letter") == 0)
				o.paper = TEXT_PAPER_LETTER;
			else if (strcmp(optarg, "a4") == 0)
				o.paper = TEXT_PAPER_A4;
			else
				cli_args_error(&a, "--paper must be letter or a4, not '%s'", optarg);
			break;
		}
	}
	cli_args_no_operands(&a);
	if (a.status == CLI_EXIT_OK && check) {
		if (o.model_path || output || pdf)
			return cli_usage_error(cmd_write_usage, "--check takes a brief, not --model, -o or --pdf");
		return check_brief(check, &o, pages_set, cast_set);
	}
	char shipped[4200];
	if (a.status == CLI_EXIT_OK && !o.model_path &&
	    !(o.model_path = cli_default_writer(shipped, sizeof(shipped))))
		return cli_error_bj();
	cli_args_require(&a, output, "no output file given (-o)");
	if (a.status == CLI_EXIT_OK && writer_write_check(&o) < 0)
		cli_args_error(&a, "%s", bj_error_message());
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if (nn_set_threads((int)threads) < 0)
		return cli_error_bj();

	text_screenplay *sp;
	writer_write_report rep;
	if (writer_write(&o, &sp, &rep) < 0)
		return cli_error_bj();
	bj_log(BJ_LOG_INFO, "drew %ld characters for %d paragraphs: %d drawn again, %d repaired, "
	       "%d by the fallback; %.2f pages", rep.drawn, rep.paragraphs, rep.redrawn, rep.repaired,
	       rep.fallbacks, rep.length);
	text_layout l;
	text_layout_init(&l, sp, &(text_layout_options){ .paper = o.paper });
	int ret = text_fountain_save(sp, output);
	if (ret == 0 && pdf)
		ret = text_pdf_save(&l, pdf);
	if (ret == 0) {
		printf("wrote '%s'", output);
		if (pdf)
			printf(" and '%s'", pdf);
		printf(": %d page%s, %zu scene%s, cast", rep.pages, rep.pages == 1 ? "" : "s",
		       sp->n_scenes, sp->n_scenes == 1 ? "" : "s");
		for (int i = 0; i < rep.n_cast; i++)
			printf("%s%s", i ? ", " : " ", rep.cast[i]);
		printf("%s\n", rep.n_cast ? "" : " none");
	}
	text_layout_release(&l);
	text_screenplay_free(sp);
	return ret < 0 ? cli_error_bj() : CLI_EXIT_OK;
}
