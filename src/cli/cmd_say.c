/*
 * cmd_say.c - `benjamin say TEXT -o line.wav`: speak one line.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "media/wav.h"
#include "perform/voice_line.h"
#include "perform/voice_match.h"
#include "perform/voice_script.h"

const char *const cmd_say_usage[] = {
	"benjamin say TEXT -o FILE.wav [--voice NAME] [--pitch SEMITONES] [--rate R]",
	"                 [--formant F] [--range R] [--like SAMPLE] [--as \"(whispering)\"]",
	"                 [--filter phone|radio|distance] [--timings FILE.json]",
	"",
	"Speaks TEXT in one voice and writes it as a 48 kHz mono WAV, normalised to",
	"-16 LUFS with true peak at most -1 dBTP.  Numbers, times and common",
	"abbreviations are read out (\"Dr. Smith at 3:45\"); accented letters are read",
	"as plain ones; other scripts are refused.",
	"",
	"  -o, --output FILE   the WAV to write",
	"  --voice NAME        a base voice from `benjamin voices` (default slt)",
	"  --pitch SEMITONES   shift the pitch, -24..24 (formants stay unless --formant)",
	"  --rate R            speak R times as fast, 0.25..4",
	"  --formant F         scale the formants (vocal tract), 0.5..2: 1.1 smaller, 0.9 larger",
	"  --range R           widen (>1) or flatten (<1) the intonation, 0..10",
	"  --like SAMPLE       match a recording of a speaker (any audio file): picks the",
	"                      voice, pitch, formants and range; not with --voice/--pitch/--formant",
	"  --as TEXT           a parenthetical for the delivery: \"(whispering)\", \"(angry)\", ...",
	"  --filter NAME       phone, radio or distance (default none)",
	"  --timings FILE      also write word and phoneme timings as JSON",
	"  -h, --help          show this help",
	"",
	"example:",
	"  benjamin say \"Is anybody there?\" --voice awb --pitch -2 -o line.wav",
	NULL,
};

int cmd_say(int argc, char **argv)
{
	enum { O_VOICE = 256, O_PITCH, O_RATE, O_FORMANT, O_RANGE, O_LIKE, O_AS, O_FILTER, O_TIMINGS };
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "voice", required_argument, NULL, O_VOICE },
		{ "pitch", required_argument, NULL, O_PITCH },
		{ "rate", required_argument, NULL, O_RATE },
		{ "formant", required_argument, NULL, O_FORMANT },
		{ "range", required_argument, NULL, O_RANGE },
		{ "like", required_argument, NULL, O_LIKE },
		{ "as", required_argument, NULL, O_AS },
		{ "filter", required_argument, NULL, O_FILTER },
		{ "timings", required_argument, NULL, O_TIMINGS },
		{ 0 },
	};
	const char *const *usage = cmd_say_usage;
	if (cli_wants_help(argc, argv, usage))
		return CLI_EXIT_OK;
	const char *output = NULL, *like = NULL, *timings = NULL;
	perform_voice_setting v = PERFORM_VOICE_SETTING("slt");
	perform_line_options lo = PERFORM_LINE_DEFAULTS;
	int set_voice = 0, opt, f;
	cli_args a;
	cli_args_init(&a, argc, argv, "o:", options, usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case O_VOICE:
			if (!perform_voice_find(optarg))
				cli_args_error(&a, "no voice '%s'; see 'benjamin voices'", optarg);
			snprintf(v.voice, sizeof v.voice, "%s", optarg);
			set_voice = 1;
			break;
		case O_PITCH:
			cli_args_real(&a, "--pitch", -24, 24, &v.shift.semitones);
			set_voice = 1;
			break;
		case O_RATE:
			cli_args_real(&a, "--rate", 0.25, 4, &v.shift.rate);
			break;
		case O_FORMANT:
			cli_args_real(&a, "--formant", 0.5, 2, &v.shift.formant);
			set_voice = 1;
			break;
		case O_RANGE:
			cli_args_real(&a, "--range", 0, 10, &v.range);
			break;
		case O_LIKE:
			like = optarg;
			break;
		case O_AS:
			perform_delivery_parenthetical(&lo.delivery, optarg);
			break;
		case O_FILTER:
			if ((f = perform_filter_parse(optarg)) < 0)
				cli_args_error(&a, "--filter must be phone, radio, distance or none, not '%s'",
				               optarg);
			lo.filter = (perform_filter)f;
			break;
		case O_TIMINGS:
			timings = optarg;
			break;
		}
	}
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if (optind == argc)
		return cli_usage_error(usage, "nothing to say: give the text");
	if (optind + 1 < argc)
		return cli_usage_error(usage, "give the text as one argument (quote it)");
	if (!output)
		return cli_usage_error(usage, "no output file given (-o)");
	if (like && set_voice)
		return cli_usage_error(usage, "--like chooses the voice: not with --voice, --pitch or --formant");
	const char *text = argv[optind];
	if (like) {
		double rate = v.shift.rate;
		perform_match_report r;
		if (perform_voice_match_file(like, &v, &r) < 0)
			return cli_error_bj();
		v.shift.rate = rate;
		char buf[512];
		perform_match_describe(&v, &r, buf, sizeof buf);
		fprintf(stderr, "%s\n", buf);
	}
	perform_delivery_punctuation(&lo.delivery, text);
	perform_speech sp;
	if (perform_line_render(&v, text, &lo, &sp) < 0)
		return cli_error_bj();
	int ret = media_wav_write(output, &sp.audio, MEDIA_WAV_PCM16);
	if (ret == 0 && timings)
		ret = perform_speech_save_json(timings, &sp);
	perform_speech_release(&sp);
	return ret < 0 ? cli_error_bj() : CLI_EXIT_OK;
}
