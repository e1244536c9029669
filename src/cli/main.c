/*
 * main.c - `benjamin`: global options, the command table, and the exit status.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/progress.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define BENJAMIN_VERSION "0.1.0"

const struct cli_command cli_commands[] = {
	{ "probe", cmd_probe, "show what a media file holds (streams, sizes, rates)", cmd_probe_usage },
	{ "frames", cmd_frames, "extract still frames at given times", cmd_frames_usage },
	{ "screenplay", cmd_screenplay, "print a screenplay as a PDF, or count its scenes and pages", cmd_screenplay_usage },
	{ "corpus", cmd_corpus, "turn plain-text screenplays into a Fountain corpus", cmd_corpus_usage },
	{ "faces", cmd_faces, "find the faces in images and videos (box per face)", cmd_faces_usage },
	{ "crops", cmd_crops, "aligned face crops of a star or a footage identity, to train a swap", cmd_crops_usage },
	{ "swap", cmd_swap, "put a star's face onto the faces of a film or picture", cmd_swap_usage },
	{ "index", cmd_index, "index films into the footage library (shots, look, sound)", cmd_index_usage },
	{ "library", cmd_library, "browse the footage library: films, shots, contact sheets, queries", cmd_library_usage },
	{ "train", cmd_train, "train a model (writer, composer, swap) on examples", cmd_train_usage },
	{ "strip", cmd_strip, "a trained model without its training state, to ship", cmd_strip_usage },
	{ "sample", cmd_sample, "write text with a trained writer model", cmd_sample_usage },
	{ "cut", cmd_cut, "choose footage for every line of a screenplay (timeline.json)", cmd_cut_usage },
	{ "render", cmd_render, "render a timeline as a film (MP4, SRT, EDL, OTIO)", cmd_render_usage },
	{ "score", cmd_score, "score a film: cues to exact lengths, ducked under dialogue", cmd_score_usage },
	{ "compose", cmd_compose, "compose a music cue (MIDI, WAV) with a trained composer", cmd_compose_usage },
	{ "make", cmd_make, "make a film: write, index, score, cut and render, each stage cached", cmd_make_usage },
	{ "report", cmd_report, "write report.html: the screenplay beside its shots, cast, models, times", cmd_report_usage },
	{ "write", cmd_write, "write a screenplay to a brief (title, line, prop, action, pages)", cmd_write_usage },
	{ "voices", cmd_voices, "list the voices characters can speak with", cmd_voices_usage },
	{ "say", cmd_say, "speak a line of text into a WAV file", cmd_say_usage },
	{ "cast", cmd_cast, "give each character a footage identity, a star's face and a voice", cmd_cast_usage },
	{ "voice", cmd_voice, "speak every line of a screenplay's dialogue, with timings", cmd_voice_usage },
	{ 0 },
};

static const char *const main_usage[] = {
	"benjamin [-v | -q] [--version] [--help] <command> [<args>]",
	"",
	"benjamin makes short films out of old footage: it writes the screenplay,",
	"picks the shots, swaps faces, speaks the lines, scores and cuts the film.",
	"",
	"  -v, --verbose   say more (repeat for debug messages)",
	"  -q, --quiet     only errors; no progress bars",
	"  --version       print the version and exit",
	"  -h, --help      print this help and exit",
	NULL,
};

static void print_main_help(FILE *f)
{
	cli_print_usage(f, main_usage);
	fputs("\ncommands:\n", f);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(f, "   %-10s %s\n", c->name, c->summary);
	fputs("\n'benjamin help <command>' or 'benjamin <command> --help' shows a command's options.\n", f);
}

static const struct cli_command *find_command(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		print_main_help(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--all") == 0) {
		print_main_help(stdout);
		for (const struct cli_command *c = cli_commands; c->name; c++) {
			printf("\n\nbenjamin %s - %s\n\n", c->name, c->summary);
			cli_print_usage(stdout, c->usage);
		}
		return CLI_EXIT_OK;
	}
	const struct cli_command *c = find_command(argv[1]);
	if (!c) {
		cli_error("'%s' is not a benjamin command; see 'benjamin --help'", argv[1]);
		return CLI_EXIT_USAGE;
	}
	cli_print_usage(stdout, c->usage);
	return CLI_EXIT_OK;
}

/* As git does: output that could not be written is an error, not a success. */
static int finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = errno;
		fprintf(stderr, "benjamin: error: cannot write standard output: %s\n", strerror(e));
		return CLI_EXIT_ERROR;
	}
	if (fclose(stdout) != 0) {
		fprintf(stderr, "benjamin: error: cannot close standard output: %s\n", strerror(errno));
		return CLI_EXIT_ERROR;
	}
	return status;
}

int main(int argc, char **argv)
{
	int verbosity = BJ_LOG_WARN, i;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			verbosity++;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			verbosity = BJ_LOG_ERROR;
		} else if (strcmp(a, "--version") == 0) {
			printf("benjamin %s\n", BENJAMIN_VERSION);
			return finish_stdout(CLI_EXIT_OK);
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_main_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		} else {
			fprintf(stderr, "benjamin: error: unknown option '%s'\n\n", a);
			print_main_help(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (i == argc) {
		print_main_help(stderr);
		return CLI_EXIT_USAGE;
	}
	bj_log_set_level(verbosity > BJ_LOG_DEBUG ? BJ_LOG_DEBUG : (enum bj_log_level)verbosity);
	if (verbosity == BJ_LOG_ERROR)
		bj_progress_set_output(stderr, BJ_PROGRESS_OFF, 0);

	const char *name = argv[i];
	if (strcmp(name, "help") == 0)
		return finish_stdout(cmd_help(argc - i, argv + i));
	const struct cli_command *c = find_command(name);
	if (!c) {
		fprintf(stderr, "benjamin: error: '%s' is not a benjamin command; see 'benjamin --help'\n",
		        name);
		return CLI_EXIT_USAGE;
	}
	if (cli_wants_help(argc - i, argv + i, c->usage))
		return finish_stdout(CLI_EXIT_OK);
	return finish_stdout(c->run(argc - i, argv + i));
}
