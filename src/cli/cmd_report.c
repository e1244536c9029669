/*
 * cmd_report.c - `benjamin report --film DIR`: (re)builds DIR/report.html,
 * the director's account of a film made by `benjamin make`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "film/report.h"

const char *const cmd_report_usage[] = {
	"benjamin report --film DIR [-o FILE] [--model MODEL]... [--seed S]",
	"",
	"Writes DIR/report.html, one self-contained page that opens offline: the",
	"film at a glance with a frame of every shot, the screenplay beside the",
	"shots cut for it and why each was chosen (features times weights, the",
	"runner-up), the cast with faces, the learning curves of the models used",
	"and how long each stage took.  It reads what `benjamin make` leaves in DIR",
	"(timeline.json; film.fountain, make.json, cast.json when there); `make`",
	"writes it as its last stage.",
	"",
	"  --film DIR         the film's folder",
	"  -o, --output FILE  where to write it (default: DIR/report.html)",
	"  --model MODEL      a model to show besides those make.json names",
	"                     (several allowed)",
	"  --seed S           the render's seed, which moves the stills that have no",
	"                     effect (default: make.json's, else 0 as `render`)",
	"  -h, --help         show this help",
	NULL,
};

int cmd_report(int argc, char **argv)
{
	enum { O_FILM = 256, O_MODEL, O_SEED };
	static const struct option options[] = {
		{ "film", required_argument, NULL, O_FILM },
		{ "output", required_argument, NULL, 'o' },
		{ "model", required_argument, NULL, O_MODEL },
		{ "seed", required_argument, NULL, O_SEED },
		{ 0 },
	};
	film_report_opts o = { .progress = 1, .seed = -1 };
	long v;
	const char **models = bj_xcalloc((size_t)argc + 1, sizeof(*models));
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "o:", options, cmd_report_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_FILM: o.film_dir = optarg; break;
		case 'o': o.out = optarg; break;
		case O_MODEL: models[o.n_models++] = optarg; break;
		case O_SEED:
			if (cli_args_int(&a, "--seed", 0, CLI_SEED_MAX, &v) == 0)
				o.seed = v;
			break;
		}
	}
	cli_args_no_operands(&a);
	cli_args_require(&a, o.film_dir, "no film folder given (--film)");
	int status = a.status;
	o.models = models;
	if (status == CLI_EXIT_OK && film_report_save(&o) < 0)
		status = cli_error_bj();
	if (status == CLI_EXIT_OK)
		printf("%s%s\n", o.out ? o.out : o.film_dir, o.out ? "" : "/report.html");
	free(models);
	return status;
}
