/*
 * cmd_cut.c - `benjamin cut --screenplay S --library L -o timeline.json`: the
 * director chooses footage for every element of a screenplay.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "film/cut.h"
#include "library/library.h"
#include "text/fountain.h"

const char *const cmd_cut_usage[] = {
	"benjamin cut --screenplay FILE.fountain --library LIB.db -o TIMELINE.json",
	"             [--voices voices/lines.json] [--score score.wav] [--cast cast.json]",
	"             [--cues cues.json] [--seed S]",
	"",
	"Directs a screenplay: walks it element by element and chooses a shot of the",
	"footage library for each scene heading (establishing, day/night and inside/",
	"outside matched to the shots' looks), action paragraph (motion for action",
	"verbs, wide and faceless for descriptions) and spoken line (long enough for",
	"its voice; the speaker's face on screen, close, frontal and speaking),",
	"keeping a scene in one film and look, never reusing a shot while another is",
	"left.  Within the shot it cuts in and out on still frames, off blinks, and",
	"where the face is (or, for descriptions, is not).  Writes the cut as a",
	"timeline.json for `benjamin render`, each clip with why it was chosen: its",
	"features, their weights, the total, the runner-up and the cut points.",
	"",
	"  --screenplay FILE   the screenplay (Fountain)",
	"  --library LIB.db    the footage library (`benjamin index`)",
	"  -o, --output FILE   the timeline to write",
	"  --voices FILE       lines.json of `benjamin voice`: lines placed on their",
	"                      shots (without it, lines are timed from their words and",
	"                      not heard)",
	"  --score FILE        a score WAV to lay under the film",
	"  --cast FILE         cast.json of `benjamin cast` (or { \"cast\": [ {",
	"                      \"character\": \"EVE\", \"identity\": 3 } ] }): the",
	"                      library identities of the characters",
	"  --cues FILE         also write the score's cue sheet (a mood per scene) for",
	"                      `benjamin score --cues`",
	"  --seed S            breaks near ties between shots (default 0)",
	"  -h, --help          show this help",
	NULL,
};

static int readable(const char *path)
{
	if (access(path, R_OK) == 0)
		return 0;
	return bj_error_set_errno(errno, "'%s'", path);
}

static void summary(const film_timeline *t, const film_cues *cues, const char *out)
{
	double clips = 0;
	for (size_t i = 0; i < t->n_clips; i++)
		clips += t->clips[i].out - t->clips[i].in;
	int scenes = t->n_clips ? t->clips[t->n_clips - 1].scene : 0;
	printf("%s: %zu clips, %zu lines, %d scenes, %zu cues, %.2f s (title %.2f + clips %.2f + "
	       "credits %.2f)\n", out, t->n_clips, t->n_lines, scenes, cues->n,
	       film_timeline_duration(t), t->title_card.duration, clips, t->credits.duration);
}

int cmd_cut(int argc, char **argv)
{
	enum { O_SCREENPLAY = 256, O_LIBRARY, O_VOICES, O_SCORE, O_CAST, O_CUES, O_SEED };
	static const struct option options[] = {
		{ "screenplay", required_argument, NULL, O_SCREENPLAY },
		{ "library", required_argument, NULL, O_LIBRARY },
		{ "output", required_argument, NULL, 'o' },
		{ "voices", required_argument, NULL, O_VOICES },
		{ "score", required_argument, NULL, O_SCORE },
		{ "cast", required_argument, NULL, O_CAST },
		{ "cues", required_argument, NULL, O_CUES },
		{ "seed", required_argument, NULL, O_SEED },
		{ 0 },
	};
	const char *script = NULL, *libpath = NULL, *output = NULL, *voices_path = NULL;
	const char *cast_path = NULL, *cues_path = NULL;
	film_cut_opts o = { 0 };
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "o:", options, cmd_cut_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_SCREENPLAY: script = optarg; break;
		case O_LIBRARY: libpath = optarg; break;
		case 'o': output = optarg; break;
		case O_VOICES: voices_path = optarg; break;
		case O_SCORE: o.score = optarg; break;
		case O_CAST: cast_path = optarg; break;
		case O_CUES: cues_path = optarg; break;
		case O_SEED: cli_args_seed(&a, &o.seed); break;
		}
	}
	cli_args_no_operands(&a);
	cli_args_require(&a, script, "no screenplay given (--screenplay)");
	cli_args_require(&a, libpath, "no library given (--library)");
	cli_args_require(&a, output, "no output given (-o)");
	if (a.status != CLI_EXIT_OK)
		return a.status;

	int status = CLI_EXIT_OK;
	text_screenplay *sp = NULL;
	library *lib = NULL;
	film_voices voices = { 0 };
	film_cast cast = { 0 };
	film_timeline t = { 0 };
	film_cues cues = { 0 };
	if (text_fountain_load(script, &sp) < 0 || (o.score && readable(o.score) < 0) ||
	    (voices_path && film_voices_load(voices_path, &voices) < 0) ||
	    (cast_path && film_cast_load(cast_path, &cast) < 0) ||
	    library_open_readonly(libpath, &lib) < 0 ||
	    film_cut(sp, script, lib, voices_path ? &voices : NULL, cast_path ? &cast : NULL, &o, &t,
	             &cues) < 0 ||
	    (cues_path && film_cues_save(&cues, cues_path) < 0) || film_timeline_save(&t, output) < 0)
		status = cli_error_bj();
	else
		summary(&t, &cues, output);
	film_timeline_release(&t);
	film_cues_release(&cues);
	film_cast_release(&cast);
	film_voices_release(&voices);
	library_close(lib);
	text_screenplay_free(sp);
	return status;
}
