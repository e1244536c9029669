/*
 * cmd_voice.c - `benjamin voice --script film.fountain -o voices/`: every line
 * of dialogue spoken, one WAV each, and lines.json with the timings.
 *
 * The lines and the voices come from film/dialogue.h and film/casting.h, as
 * in `benjamin make`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "film/casting.h"
#include "film/dialogue.h"
#include "perform/voice_cast.h"
#include "perform/voice_script.h"
#include "text/fountain.h"

const char *const cmd_voice_usage[] = {
	"benjamin voice --script FILE.fountain -o FOLDER [--cast cast.json] [--seed S]",
	"               [--extension-filter phone|radio|distance|none] [--threads N]",
	"",
	"Speaks every line of dialogue of a screenplay: one 48 kHz WAV per line in",
	"FOLDER (created if missing), normalised to -16 LUFS, and FOLDER/lines.json",
	"with each line's character, text, file, duration and word and phoneme",
	"timings.  Every character gets a voice of their own, kept for the whole",
	"film: base voices first, then voices derived by pitch and formant shifts,",
	"so that no two sound alike; --seed changes who gets which.  Parentheticals",
	"((whispering), (shouting), (quietly), (angry), (sad), (beat), ...) and",
	"punctuation (? ! ...) shape the delivery; other parentheticals are ignored.",
	"The same screenplay, cast and seed give the same files, byte for byte.",
	"",
	"  --script FILE          the screenplay (Fountain)",
	"  -o, --output FOLDER    where the WAVs and lines.json go",
	"  --cast FILE            cast.json: pin characters to voices or samples",
	"                         (format in the README, section \"Voices\")",
	"  --seed S               which character gets which voice (default 1)",
	"  --extension-filter F   colour (V.O.), (O.S.) and (O.C.) lines: phone, radio,",
	"                         distance or none (default none)",
	"  --threads N            lines spoken at once (default 2)",
	"  -h, --help             show this help",
	"",
	"example:",
	"  benjamin voice --script film.fountain --cast cast.json -o voices/",
	NULL,
};

static void on_match(void *ctx, const char *character, const char *description)
{
	(void)ctx;
	fprintf(stderr, "%s: %s\n", character, description);
}

static int make_folder(const char *path)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST) {
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		return bj_error_set(BJ_EIO, "'%s': not a folder", path);
	}
	return bj_error_set_errno(errno, "'%s': cannot create folder", path);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static int run(const char *script_path, const char *cast_path, const char *folder, uint64_t seed,
               const perform_script_options *o)
{
	text_screenplay *sp;
	if (text_fountain_load(script_path, &sp) < 0)
		return cli_error_bj();
	film_dialogue d;
	film_dialogue_extract(sp, &d);
	perform_cast cast;
	perform_cast_init(&cast);
	int status = CLI_EXIT_OK;
	double t0 = now();
	if (d.n == 0) {
		status = cli_error("'%s': no dialogue to voice", script_path);
		goto out;
	}
	if ((cast_path && perform_cast_load(&cast, cast_path) < 0) ||
	    film_cast_voices(&cast, &d, seed, on_match, NULL) < 0) {
		status = cli_error_bj();
		goto out;
	}
	for (size_t i = 0; i < d.n_names; i++) {
		char buf[128];
		perform_voice_setting_describe(perform_cast_find(&cast, d.names[i]), buf, sizeof buf);
		printf("%-20s %s\n", d.names[i], buf);
	}
	if (make_folder(folder) < 0 ||
	    perform_script_voice(script_path, d.lines, d.n, &cast, o, folder) < 0) {
		status = cli_error_bj();
		goto out;
	}
	printf("voiced %zu lines of %zu characters in %.1f s\n", d.n, d.n_names, now() - t0);
out:
	perform_cast_release(&cast);
	film_dialogue_release(&d);
	text_screenplay_free(sp);
	return status;
}

int cmd_voice(int argc, char **argv)
{
	enum { O_SCRIPT = 256, O_CAST, O_SEED, O_FILTER, O_THREADS };
	static const struct option options[] = {
		{ "script", required_argument, NULL, O_SCRIPT },
		{ "output", required_argument, NULL, 'o' },
		{ "cast", required_argument, NULL, O_CAST },
		{ "seed", required_argument, NULL, O_SEED },
		{ "extension-filter", required_argument, NULL, O_FILTER },
		{ "threads", required_argument, NULL, O_THREADS },
		{ 0 },
	};
	if (cli_wants_help(argc, argv, cmd_voice_usage))
		return CLI_EXIT_OK;
	const char *script = NULL, *cast = NULL, *folder = NULL;
	perform_script_options o = PERFORM_SCRIPT_DEFAULTS;
	o.threads = 2;
	uint64_t seed = 1;
	long v;
	cli_args a;
	int opt, f;
	cli_args_init(&a, argc, argv, "o:", options, cmd_voice_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_SCRIPT:
			script = optarg;
			break;
		case 'o':
			folder = optarg;
			break;
		case O_CAST:
			cast = optarg;
			break;
		case O_SEED:
			cli_args_seed(&a, &seed);
			break;
		case O_FILTER:
			if ((f = perform_filter_parse(optarg)) < 0)
				cli_args_error(&a, "--extension-filter must be phone, radio, distance or none, "
				               "not '%s'", optarg);
			o.extension_filter = (perform_filter)f;
			break;
		case O_THREADS:
			if (cli_args_threads(&a, &v) == 0)
				o.threads = (int)v;
			break;
		}
	}
	cli_args_no_operands(&a);
	cli_args_require(&a, script, "no screenplay given (--script)");
	cli_args_require(&a, folder, "no output folder given (-o)");
	if (a.status != CLI_EXIT_OK)
		return a.status;
	return run(script, cast, folder, seed, &o);
}
