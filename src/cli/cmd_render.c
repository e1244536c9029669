/*
 * cmd_render.c - `benjamin render --timeline T -o film.mp4`: a timeline made
 * into a film, with its subtitles and the cut for editors beside it.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "film/render.h"
#include "film/timeline.h"

const char *const cmd_render_usage[] = {
	"benjamin render --timeline FILE -o FILM.mp4 [--size WxH] [--fps F]",
	"                [--burn-subtitles] [--seed S] [--preset P] [--crf N]",
	"",
	"Renders the cut in a timeline.json (see docs/timeline.md) as an MP4 film",
	"(H.264 + AAC, sound at -16 LUFS, true peak -1 dBTP, an \"AI-generated\" label",
	"and metadata tag), and writes beside it FILM.srt (the subtitles), FILM.edl",
	"(CMX 3600) and FILM.otio (OpenTimelineIO) for editing systems.  Every file",
	"is complete or absent: a killed render leaves none half-written.  The same",
	"timeline, options and seed give the same bytes.",
	"",
	"  --timeline FILE     the cut to render",
	"  -o, --output FILM   the film to write (.mp4)",
	"  --size WxH          frame size, even (default: the timeline's, else the",
	"                      most common footage size, at most 1280x720)",
	"  --fps F             frame rate: 25, 24000/1001, ... (default: the",
	"                      timeline's, else the most common footage rate)",
	"  --burn-subtitles    draw the subtitles into the picture too",
	"  --seed S            chooses the pan and zoom of stills that have no effect",
	"                      (default 0)",
	"  --preset P          x264 preset, ultrafast .. placebo (default medium)",
	"  --crf N             x264 quality, 0 (lossless) .. 51 (default 18)",
	"  -h, --help          show this help",
	NULL,
};

static int parse_fps(const char *text, int *num, int *den)
{
	char *end;
	long a = strtol(text, &end, 10), b = 1;
	if (end == text)
		return -1;
	if (*end == '/') {
		const char *rest = end + 1;
		b = strtol(rest, &end, 10);
		if (end == rest)
			return -1;
	}
	if (*end || a < 1 || b < 1 || a > 1000000 || b > 1000000 || (double)a / b > 240 ||
	    (double)a / b < 1)
		return -1;
	*num = (int)a;
	*den = (int)b;
	return 0;
}

int cmd_render(int argc, char **argv)
{
	enum { O_TIMELINE = 256, O_SIZE, O_FPS, O_BURN, O_SEED, O_PRESET, O_CRF };
	static const struct option options[] = {
		{ "timeline", required_argument, NULL, O_TIMELINE },
		{ "output", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, O_SIZE },
		{ "fps", required_argument, NULL, O_FPS },
		{ "burn-subtitles", no_argument, NULL, O_BURN },
		{ "seed", required_argument, NULL, O_SEED },
		{ "preset", required_argument, NULL, O_PRESET },
		{ "crf", required_argument, NULL, O_CRF },
		{ 0 },
	};
	film_render_opts o = film_render_defaults(NULL);
	const char *timeline = NULL;
	long v;
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "o:", options, cmd_render_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_TIMELINE:
			timeline = optarg;
			break;
		case 'o':
			o.output = optarg;
			break;
		case O_SIZE:
			cli_args_size(&a, &o.width, &o.height);
			break;
		case O_FPS:
			if (parse_fps(optarg, &o.fps_num, &o.fps_den) < 0)
				cli_args_error(&a, "--fps must be a rate from 1 to 240 such as 25 or "
				               "30000/1001, not '%s'", optarg);
			break;
		case O_BURN:
			o.burn_subtitles = 1;
			break;
		case O_SEED:
			cli_args_seed(&a, &o.seed);
			break;
		case O_PRESET:
			o.preset = optarg;
			break;
		case O_CRF:
			if (cli_args_int(&a, "--crf", 0, 51, &v) == 0)
				o.crf = (int)v;
			break;
		}
	}
	cli_args_no_operands(&a);
	cli_args_require(&a, timeline, "no timeline given (--timeline)");
	cli_args_require(&a, o.output, "no output given (-o)");
	if (a.status != CLI_EXIT_OK)
		return a.status;

	int status = CLI_EXIT_OK;
	film_timeline t;
	if (film_timeline_load(timeline, &t) < 0)
		return cli_error_bj();
	film_render_report r;
	if (film_render(&t, &o, &r) < 0) {
		status = cli_error_bj();
	} else {
		char *srt = film_render_sibling(o.output, ".srt");
		char sound[64] = "silent";
		if (isfinite(r.loudness.lufs))
			snprintf(sound, sizeof sound, "%.1f LUFS, %.1f dBTP", r.loudness.lufs,
			         r.loudness.true_peak_db);
		printf("%s: %dx%d at %.5g fps, %.2f s, %lld frames (%.1f frames/s), %zu subtitles, "
		       "%s; %s and .edl, .otio beside it\n",
		       o.output, r.width, r.height, (double)r.fps_num / r.fps_den, r.seconds,
		       (long long)r.frames, r.render_seconds > 0 ? r.frames / r.render_seconds : 0.0,
		       r.cues, sound, srt);
		free(srt);
	}
	film_timeline_release(&t);
	return status;
}
