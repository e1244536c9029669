/*
 * cmd_score.c - `benjamin score --cues cues.json -o score.wav`: the film's
 * music, a cue per scene, each exactly its length, ducked under dialogue.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "media/wav.h"
#include "nn/parallel.h"
#include "score/cuesheet.h"

const char *const cmd_score_usage[] = {
	"benjamin score --model MODEL --cues CUES.json -o SCORE.wav [--duck DIALOGUE.json]",
	"",
	"Scores a film: composes every cue of CUES.json with the composer (see",
	"'benjamin compose') and renders it to exactly its length at its start, a cue",
	"ringing on into the next for --crossfade seconds while that one fades in.",
	"The whole is brought to the bed loudness (-23 LUFS, EBU R128), then lowered",
	"under the dialogue lines of DIALOGUE.json.  48 kHz stereo WAV.  The same",
	"inputs and seed give the same bytes.",
	"",
	"CUES.json:     {\"cues\": [{\"start\": 0, \"length\": 42.5, \"mood\": \"calm\"},",
	"                          {\"start\": 42.5, \"length\": 30, \"mood\": \"tense\",",
	"                           \"key\": \"Em\", \"tempo\": 140, \"seed\": 9}]}",
	"DIALOGUE.json: {\"dialogue\": [{\"start\": 3.2, \"end\": 5.9}]}",
	"",
	"  --model FILE       the composer (safetensors)",
	"  --cues FILE        the cue sheet",
	"  -o, --output FILE  the WAV file to write",
	"  --duck FILE        dialogue to duck under",
	"  --midi-dir DIR     also write each cue's MIDI file there (cue-01.mid, ...)",
	"  --duck-db DB       how far to duck, in dB (default -12)",
	"  --attack S         seconds the ducking takes to come in (default 0.2)",
	"  --release S        seconds it takes to go (default 0.6)",
	"  --crossfade S      seconds a cue rings into the next (default 1.5)",
	"  --lufs L           loudness of the bed (default -23)",
	"  --seed S           seeds cues without their own (default 1)",
	"  --soundfont FILE   General MIDI SoundFont (default " SCORE_SOUNDFONT ")",
	"  --threads N        threads to use (default 2)",
	"  -h, --help         show this help",
	NULL,
};

int cmd_score(int argc, char **argv)
{
	enum { O_MODEL = 256, O_CUES, O_DUCK, O_DUCK_DB, O_ATTACK, O_RELEASE, O_CROSSFADE, O_LUFS,
	       O_SEED, O_SF2, O_THREADS, O_MIDI };
	static const struct option options[] = {
		{ "model", required_argument, NULL, O_MODEL },
		{ "cues", required_argument, NULL, O_CUES },
		{ "output", required_argument, NULL, 'o' },
		{ "duck", required_argument, NULL, O_DUCK },
		{ "duck-db", required_argument, NULL, O_DUCK_DB },
		{ "attack", required_argument, NULL, O_ATTACK },
		{ "release", required_argument, NULL, O_RELEASE },
		{ "crossfade", required_argument, NULL, O_CROSSFADE },
		{ "lufs", required_argument, NULL, O_LUFS },
		{ "seed", required_argument, NULL, O_SEED },
		{ "soundfont", required_argument, NULL, O_SF2 },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "midi-dir", required_argument, NULL, O_MIDI },
		{ 0 },
	};
	const char *model = NULL, *cues_path = NULL, *out_path = NULL, *duck = NULL;
	const char *sf2 = SCORE_SOUNDFONT;
	score_render_opts o;
	score_render_opts_init(&o);
	long threads = 2;
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "o:", options, cmd_score_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_MODEL: model = optarg; break;
		case O_CUES: cues_path = optarg; break;
		case 'o': out_path = optarg; break;
		case O_DUCK: duck = optarg; break;
		case O_SF2: sf2 = optarg; break;
		case O_MIDI: o.midi_dir = optarg; break;
		case O_DUCK_DB: cli_args_real(&a, "--duck-db", -60.0, 0.0, &o.duck_db); break;
		case O_ATTACK: cli_args_real(&a, "--attack", 0.0, 10.0, &o.attack); break;
		case O_RELEASE: cli_args_real(&a, "--release", 0.0, 10.0, &o.release); break;
		case O_CROSSFADE: cli_args_real(&a, "--crossfade", 0.0, 10.0, &o.crossfade); break;
		case O_LUFS: cli_args_real(&a, "--lufs", -70.0, 0.0, &o.bed_lufs); break;
		case O_SEED: cli_args_seed(&a, &o.seed); break;
		case O_THREADS: cli_args_threads(&a, &threads); break;
		}
	}
	cli_args_no_operands(&a);
	cli_args_require(&a, model, "no model given (--model)");
	cli_args_require(&a, cues_path, "no cue sheet given (--cues)");
	cli_args_require(&a, out_path, "no WAV file given (-o)");
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if (nn_set_threads((int)threads) < 0)
		return cli_error_bj();
	score_cues cues = { 0 };
	score_interval *lines = NULL;
	score_composer *c = NULL;
	score_synth *s = NULL;
	media_audio audio = { 0 };
	score_render_report r;
	int ret = score_cues_load(cues_path, &cues);
	if (ret == 0 && duck)
		ret = score_dialogue_load(duck, &lines, &o.n_duck);
	o.duck = lines;
	if (ret == 0)
		ret = score_composer_open(model, &c);
	if (ret == 0)
		ret = score_synth_open(sf2, 48000, &s);
	if (ret == 0)
		ret = score_cues_render(c, s, &cues, &o, &audio, &r);
	if (ret == 0)
		ret = media_wav_write(out_path, &audio, MEDIA_WAV_PCM16);
	if (ret == 0) {
		printf("scored %zu cues, %.3f s (%d tunes drawn, %d kept); bed %.1f LUFS", cues.n,
		       r.seconds, r.draws, r.kept, o.bed_lufs);
		if (o.n_duck)
			printf(", %.1f LUFS ducked under %zu lines", r.final_lufs, o.n_duck);
		printf("; wrote '%s'\n", out_path);
	}
	media_audio_release(&audio);
	score_synth_close(s);
	score_composer_close(c);
	free(lines);
	score_cues_release(&cues);
	return ret < 0 ? cli_error_bj() : CLI_EXIT_OK;
}
