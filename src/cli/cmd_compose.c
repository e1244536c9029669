/*
 * cmd_compose.c - `benjamin compose`: one music cue from a composer model, as
 * a MIDI file and (with --wav) audio rendered with FluidSynth; or, with
 * --check N, how many of N drawn tunes parse and fit their meter.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"
#include "base/progress.h"
#include "base/rng.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "media/wav.h"
#include "nn/parallel.h"
#include "score/cue.h"
#include "score/midi.h"
#include "score/synth.h"

const char *const cmd_compose_usage[] = {
	"benjamin compose --model MODEL --seconds S --mood MOOD -o CUE.mid [options]",
	"benjamin compose --model MODEL --check N [--mood MOOD] [--abc FILE]",
	"",
	"Composes a music cue with a model from 'benjamin train composer': draws folk",
	"tunes in the mood's key and meter, keeps those that parse and fit their",
	"meter, and arranges them for melody, chords and bass, cut at a bar line to",
	"last exactly S seconds (the last phrase's tempo nudged to land on the cut,",
	"ending on the tonic).  Writes a standard MIDI file, and with --wav the audio",
	"(48 kHz stereo, FluidSynth).  The same model, options and seed give the same",
	"bytes.  --check N draws N tunes instead (in every mood in turn, or in MOOD)",
	"and tells how many parse and fit their meter.",
	"",
	"  --model FILE       the composer (safetensors)",
	"  --seconds S        the cue's length in seconds",
	"  --mood MOOD        calm, tense, sad, joyful, eerie or triumphant",
	"  --key K            the key as ABC writes it (\"Am\", \"D\", \"Edor\"; default:",
	"                     the mood's)",
	"  --tempo BPM        quarter notes per minute (default: the mood's)",
	"  --seed S           the composer's draws (default 1)",
	"  --temperature T    of the draws: lower is safer (default: the mood's, 0.8 to 1)",
	"  --redraw-bars N    draw a bar that does not fit the meter again, up to N",
	"                     times in a row (default 8; 0: keep what comes)",
	"  -o, --output FILE  the MIDI file to write",
	"  --wav FILE         also render the cue to this WAV file",
	"  --abc FILE         also write the tunes drawn, as ABC",
	"  --soundfont FILE   General MIDI SoundFont (default " SCORE_SOUNDFONT ")",
	"  --check N          draw N tunes and count those that parse and fit",
	"  --threads N        threads to use (default 2)",
	"  -h, --help         show this help",
	NULL,
};

/* --check: draws n tunes, in each mood in turn unless one is given. */
static int check(score_composer *c, const score_cue_opts *base, int n, const char *abc_path)
{
	bj_rng rng;
	bj_rng_init(&rng, base->seed);
	score_sbuf text = { 0 };
	int parsed = 0, fits = 0, ret = 0;
	bj_progress *bar = bj_progress_new("compose --check", (uint64_t)n, "tunes");
	for (int i = 0; i < n && ret == 0; i++) {
		score_cue_opts o = *base;
		if (!o.mood) {
			int k = 0;
			while (score_mood_at(k))
				k++;
			o.mood = score_mood_at(i % k);
		}
		int p, f;
		if (abc_path)
			score_sbuf_addf(&text, "X:%d\n", i + 1);
		ret = score_cue_check(c, &o, &rng, &p, &f, abc_path ? &text : NULL);
		if (abc_path)
			score_sbuf_putc(&text, '\n');
		parsed += p, fits += f;
		bj_progress_set(bar, (uint64_t)i + 1, o.mood->name);
	}
	bj_progress_finish(bar);
	if (ret == 0 && abc_path)
		ret = bj_file_write(abc_path, text.s, text.len);
	score_sbuf_release(&text);
	if (ret < 0)
		return cli_error_bj();
	printf("%d tunes drawn: %d parse (%.1f %%), %d parse and fit their meter (%.1f %%)\n", n,
	       parsed, 100.0 * parsed / n, fits, 100.0 * fits / n);
	return CLI_EXIT_OK;
}

static int compose(score_composer *c, const score_cue_opts *o, const char *mid, const char *wav,
                   const char *abc_path, const char *sf2)
{
	score_arrangement a;
	score_sbuf abc = { 0 };
	score_cue_stats st;
	score_synth *synth = NULL;
	media_audio audio = { 0 };
	int ret = score_cue_compose(c, o, &a, abc_path ? &abc : NULL, &st);
	if (ret == 0 && wav)
		ret = score_synth_open(sf2, 48000, &synth);
	if (ret == 0 && abc_path)
		ret = bj_file_write(abc_path, abc.s, abc.len);
	if (ret == 0)
		ret = score_midi_save(mid, &a);
	if (ret == 0 && wav) {
		ret = score_synth_render(synth, &a, 0, &audio);
		/* The cut: a fade over the last 1.5 s (at most a quarter of the cue). */
		double fade = o->seconds / 4 < 1.5 ? o->seconds / 4 : 1.5;
		score_fade_out(&audio, (size_t)(fade * 48000));
		if (ret == 0)
			ret = media_wav_write(wav, &audio, MEDIA_WAV_PCM16);
	}
	if (ret == 0)
		printf("composed %.3f s in %s (%d tunes drawn, %d kept, %zu notes); wrote '%s'%s%s%s\n",
		       o->seconds, o->mood->name, st.draws, st.kept, a.n, mid, wav ? " and '" : "",
		       wav ? wav : "", wav ? "'" : "");
	media_audio_release(&audio);
	score_synth_close(synth);
	score_sbuf_release(&abc);
	score_arrangement_release(&a);
	return ret < 0 ? cli_error_bj() : CLI_EXIT_OK;
}

int cmd_compose(int argc, char **argv)
{
	enum { O_MODEL = 256, O_SECONDS, O_MOOD, O_KEY, O_TEMPO, O_SEED, O_WAV, O_ABC, O_SF2,
	       O_CHECK, O_THREADS, O_TEMPERATURE, O_REDRAW };
	static const struct option options[] = {
		{ "model", required_argument, NULL, O_MODEL },
		{ "seconds", required_argument, NULL, O_SECONDS },
		{ "mood", required_argument, NULL, O_MOOD },
		{ "key", required_argument, NULL, O_KEY },
		{ "tempo", required_argument, NULL, O_TEMPO },
		{ "seed", required_argument, NULL, O_SEED },
		{ "output", required_argument, NULL, 'o' },
		{ "wav", required_argument, NULL, O_WAV },
		{ "abc", required_argument, NULL, O_ABC },
		{ "soundfont", required_argument, NULL, O_SF2 },
		{ "check", required_argument, NULL, O_CHECK },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "temperature", required_argument, NULL, O_TEMPERATURE },
		{ "redraw-bars", required_argument, NULL, O_REDRAW },
		{ 0 },
	};
	const char *model = NULL, *mood = NULL, *mid = NULL, *wav = NULL, *abc = NULL;
	const char *sf2 = SCORE_SOUNDFONT;
	score_cue_opts o;
	score_cue_opts_init(&o, NULL, 0.0);
	long v, threads = 2, n_check = 0;
	double d;
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "o:", options, cmd_compose_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_MODEL: model = optarg; break;
		case O_MOOD: mood = optarg; break;
		case O_KEY: o.key = optarg; break;
		case 'o': mid = optarg; break;
		case O_WAV: wav = optarg; break;
		case O_ABC: abc = optarg; break;
		case O_SF2: sf2 = optarg; break;
		case O_SECONDS: cli_args_real(&a, "--seconds", 0.5, 3600.0, &o.seconds); break;
		case O_TEMPO: cli_args_real(&a, "--tempo", 20.0, 400.0, &o.qpm); break;
		case O_REDRAW:
			if (cli_args_int(&a, "--redraw-bars", 0, 1000, &v) == 0)
				o.redraws = (int)v;
			break;
		case O_TEMPERATURE:
			if (cli_args_real(&a, "--temperature", 0.01, 10.0, &d) == 0)
				o.temperature = (float)d;
			break;
		case O_SEED: cli_args_seed(&a, &o.seed); break;
		case O_CHECK: cli_args_int(&a, "--check", 1, 1000000L, &n_check); break;
		case O_THREADS: cli_args_threads(&a, &threads); break;
		}
	}
	cli_args_no_operands(&a);
	cli_args_require(&a, model, "no model given (--model)");
	if (mood && !(o.mood = score_mood_find(mood)))
		cli_args_error(&a, "unknown mood '%s' (%s)", mood, score_mood_names());
	if (!n_check) {
		cli_args_require(&a, o.mood, "no mood given (--mood)");
		if (o.seconds == 0.0)
			cli_args_error(&a, "no length given (--seconds)");
		cli_args_require(&a, mid, "no MIDI file given (-o)");
	}
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if (nn_set_threads((int)threads) < 0)
		return cli_error_bj();
	score_composer *c;
	if (score_composer_open(model, &c) < 0)
		return cli_error_bj();
	int status = n_check ? check(c, &o, (int)n_check, abc) : compose(c, &o, mid, wav, abc, sf2);
	score_composer_close(c);
	return status;
}
