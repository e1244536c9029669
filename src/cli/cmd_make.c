/*
 * cmd_make.c - `benjamin make --footage DIR -o film/`: the whole film in one
 * command, each stage cached so that a second run does nothing.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/log.h"
#include "base/progress.h"
#include "cli/cli.h"
#include "cli/cli_bindings.h"
#include "cli/commands.h"
#include "film/make.h"
#include "writer/write.h"

const char *const cmd_make_usage[] = {
	"benjamin make [--footage DIR] -o FILM/ [--title T] [--line TEXT] [--prop P]",
	"              [--action TEXT] [--pages N] [--seed S] [--writer MODEL]",
	"              [--composer MODEL] [--size WxH] [--star [NAME=]DIR]...",
	"              [--model NAME=SWAP]... [--voice-like NAME=WAV]... [--cast cast.json]",
	"",
	"Makes a film from the footage in DIR and a brief: writes the screenplay,",
	"indexes the footage (with its faces), casts the characters (footage",
	"identities, stars' faces, voices: see `benjamin cast`), speaks the lines,",
	"cuts the screenplay from the footage to the voices' timings, scores it",
	"(with a composer model; without one the film has no music), swaps the",
	"stars' faces onto their characters' clips, renders it and writes its",
	"report.  Each stage works in FILM/.stages/<stage>-<key>/, the key a hash",
	"of its inputs and settings, so a second run does nothing, a changed setting",
	"redoes only the stages after it, and a killed run resumes where it stopped.",
	"The film is placed at the top of FILM/: film.mp4, film.srt, film.fountain,",
	"film.pdf, film.edl, film.otio, timeline.json, cast.json, report.html (the",
	"screenplay beside its shots and why each was chosen; `benjamin report`),",
	"and make.json with each stage's key and time.  The same inputs and seed",
	"give the same bytes.  To recast, edit FILM/cast.json and run again with",
	"--cast FILM/cast.json: the stages from the cast on are made again with it.",
	"",
	"  --footage DIR      the footage (videos and stills, walked recursively;",
	"                     default: the public-domain demo pictures and video",
	"                     of python3-skimage, python-matplotlib-data, opencv-doc)",
	"  -o, --output DIR   the film's folder (created if missing)",
	"  --title T          the title (default: the writer writes one)",
	"  --line TEXT        a line of dialogue to include",
	"  --prop P           a prop to name in the action",
	"  --action TEXT      a line of action to include",
	"  --pages N          length in pages, one a minute (default 1)",
	"  --seed S           the random draws of every stage (default 1)",
	"  --writer MODEL     the writer model (default: the one shipped, models/ of",
	"                     the build or share/benjamin/ of the install)",
	"  --composer MODEL   a composer model for the score (default: no music)",
	"  --size WxH         frame size, even (default: from the footage)",
	"  --star [NAME=]DIR  NAME wears the face of the photos in DIR; without",
	"                     NAME, the lead still without one (repeatable)",
	"  --model NAME=SWAP  NAME's face redrawn by a trained swap (benjamin train",
	"                     swap) where it was trained on NAME's identity; else",
	"                     the one-shot swap from --star, and a note says why",
	"  --voice-like NAME=WAV  NAME's voice matched to a recording (repeatable)",
	"  --cast FILE        a cast.json to use instead of casting (edited from",
	"                     FILM/cast.json); --star, --model and --voice-like then",
	"                     unused",
	"  -h, --help         show this help",
	NULL,
};

static void on_note(void *ctx, const char *stage, const char *note)
{
	(void)ctx;
	bj_log(BJ_LOG_WARN, "%s: %s", stage, note);
}

static void on_stage(void *ctx, int k, int n, const char *name, int skipped, double eta)
{
	(void)ctx;
	if (!bj_log_enabled(BJ_LOG_WARN))
		return;
	char left[32];
	bj_progress_format_duration(left, sizeof(left), eta);
	if (skipped)
		fprintf(stderr, "make: stage %d/%d %s: up to date\n", k, n, name);
	else
		fprintf(stderr, "make: stage %d/%d %s (ETA %s for the rest)\n", k, n, name, left);
}

static void summary(const film_make_opts *o, const film_make_report *r)
{
	for (int i = 0; i < r->n; i++)
		printf("  %-7s %8.2f s  %s  %.16s\n", r->stages[i].name, r->stages[i].seconds,
		       r->stages[i].skipped ? "up to date" : "made      ", r->stages[i].key);
	if (r->ran == 0)
		printf("every stage is up to date (%.2f s): nothing to do\n", r->seconds);
	else
		printf("%d of %d stages made in %.2f s\n", r->ran, r->n, r->seconds);
	printf("%s/film.mp4%s\n", o->out_dir,
	       o->composer ? "" : " (no music: no composer model given, --composer)");
}

int cmd_make(int argc, char **argv)
{
	enum { O_FOOTAGE = 256, O_TITLE, O_LINE, O_PROP, O_ACTION, O_PAGES, O_SEED, O_WRITER,
	       O_COMPOSER, O_SIZE, O_STAR, O_LIKE, O_CAST, O_MODEL };
	static const struct option options[] = {
		{ "footage", required_argument, NULL, O_FOOTAGE },
		{ "output", required_argument, NULL, 'o' },
		{ "title", required_argument, NULL, O_TITLE },
		{ "line", required_argument, NULL, O_LINE },
		{ "prop", required_argument, NULL, O_PROP },
		{ "action", required_argument, NULL, O_ACTION },
		{ "pages", required_argument, NULL, O_PAGES },
		{ "seed", required_argument, NULL, O_SEED },
		{ "writer", required_argument, NULL, O_WRITER },
		{ "composer", required_argument, NULL, O_COMPOSER },
		{ "size", required_argument, NULL, O_SIZE },
		{ "star", required_argument, NULL, O_STAR },
		{ "voice-like", required_argument, NULL, O_LIKE },
		{ "cast", required_argument, NULL, O_CAST },
		{ "model", required_argument, NULL, O_MODEL },
		{ 0 },
	};
	film_make_opts o;
	film_make_opts_init(&o);
	o.progress = 1;
	o.on_stage = on_stage;
	o.on_note = on_note;
	cli_bindings stars = { 0 }, likes = { 0 }, models = { 0 };
	long v;
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "o:", options, cmd_make_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_FOOTAGE: o.footage = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case O_TITLE: o.title = optarg; break;
		case O_LINE: o.line = optarg; break;
		case O_PROP: o.prop = optarg; break;
		case O_ACTION: o.action = optarg; break;
		case O_WRITER: o.writer = optarg; break;
		case O_COMPOSER: o.composer = optarg; break;
		case O_CAST: o.cast = optarg; break;
		case O_STAR: cli_args_binding(&a, "--star", NULL, &stars); break;
		case O_LIKE: cli_args_binding(&a, "--voice-like", "WAV", &likes); break;
		case O_MODEL: cli_args_binding(&a, "--model", "SWAP", &models); break;
		case O_PAGES:
			if (cli_args_int(&a, "--pages", 1, WRITER_MAX_PAGES, &v) == 0)
				o.pages = (int)v;
			break;
		case O_SEED: cli_args_seed(&a, &o.seed); break;
		case O_SIZE: cli_args_size(&a, &o.width, &o.height); break;
		}
	}
	cli_args_no_operands(&a);
	cli_args_require(&a, o.out_dir, "no output folder given (-o)");
	o.stars = stars.v;
	o.n_stars = stars.n;
	o.likes = likes.v;
	o.n_likes = likes.n;
	o.models = models.v;
	o.n_models = models.n;
	int status = a.status;
	char writer[4200];
	film_make_report r;
	if (status == CLI_EXIT_OK && !o.writer && !(o.writer = cli_default_writer(writer, sizeof(writer))))
		status = cli_error_bj();
	if (status == CLI_EXIT_OK && film_make(&o, &r) < 0)
		status = cli_error_bj();
	if (status == CLI_EXIT_OK)
		summary(&o, &r);
	cli_bindings_release(&stars);
	cli_bindings_release(&likes);
	cli_bindings_release(&models);
	return status;
}
