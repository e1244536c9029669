/*
 * cmd_sample.c - `benjamin sample --model M`: text from a trained writer, to
 * standard output as it is written.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "nn/parallel.h"
#include "writer/writer.h"

const char *const cmd_sample_usage[] = {
	"benjamin sample --model MODEL [--prime TEXT] [--temperature T] [--top-k K]",
	"                [--top-p P] [--length N] [--seed S] [--threads N]",
	"",
	"Writes text with a model from 'benjamin train writer': the prime, then N",
	"characters the model draws one at a time, to standard output as they come.",
	"The same model, options and seed give the same text.",
	"",
	"  --model FILE       the model (safetensors)",
	"  --prime TEXT       text to start from (default: a new line)",
	"  --temperature T    below 1 is safer, above 1 wilder; 0 picks the likeliest",
	"                     character every time (default 0.8)",
	"  --top-k K          draw from the K likeliest characters only (default: all)",
	"  --top-p P          draw from the likeliest characters that make up P of the",
	"                     probability (default 1: all)",
	"  --length N         characters to write (default 2000)",
	"  --seed S           the random draws (default 1)",
	"  --threads N        threads to use (default 2)",
	"  -h, --help         show this help",
	NULL,
};

/* Where the text goes, and whether it ended a line. */
struct out {
	FILE *f;
	int at_line_start;
};

/* Writes to stdout, flushing at each line so that the text streams. */
static int emit(void *ctx, const char *text, size_t len)
{
	struct out *o = ctx;
	if (fwrite(text, 1, len, o->f) != len)
		return BJ_EIO;
	if (len)
		o->at_line_start = text[len - 1] == '\n';
	if (memchr(text, '\n', len) && fflush(o->f) != 0)
		return BJ_EIO;
	return 0;
}

int cmd_sample(int argc, char **argv)
{
	enum { O_MODEL = 256, O_PRIME, O_TEMPERATURE, O_TOP_K, O_TOP_P, O_LENGTH, O_SEED, O_THREADS };
	static const struct option options[] = {
		{ "model", required_argument, NULL, O_MODEL },
		{ "prime", required_argument, NULL, O_PRIME },
		{ "temperature", required_argument, NULL, O_TEMPERATURE },
		{ "top-k", required_argument, NULL, O_TOP_K },
		{ "top-p", required_argument, NULL, O_TOP_P },
		{ "length", required_argument, NULL, O_LENGTH },
		{ "seed", required_argument, NULL, O_SEED },
		{ "threads", required_argument, NULL, O_THREADS },
		{ 0 },
	};
	writer_sample_opts o = { .length = 2000, .seed = 1, .sample = { .temperature = 0.8f } };
	long v, threads = 2;
	double d;
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "", options, cmd_sample_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_MODEL:
			o.model_path = optarg;
			break;
		case O_PRIME:
			o.prime = optarg;
			break;
		case O_TEMPERATURE:
			if (cli_args_real(&a, "--temperature", 0.0, 100.0, &d) == 0)
				o.sample.temperature = (float)d;
			break;
		case O_TOP_P:
			if (cli_parse_real(optarg, 0.0, 1.0, &d) < 0 || d == 0.0)
				cli_args_error(&a, "--top-p must be a number above 0, up to 1, not '%s'", optarg);
			else
				o.sample.top_p = (float)d;
			break;
		case O_TOP_K:
			if (cli_args_int(&a, "--top-k", 1, 2000000, &v) == 0)
				o.sample.top_k = (int)v;
			break;
		case O_LENGTH:
			if (cli_args_int(&a, "--length", 0, 1000000000L, &v) == 0)
				o.length = v;
			break;
		case O_SEED:
			cli_args_seed(&a, &o.seed);
			break;
		case O_THREADS:
			cli_args_threads(&a, &threads);
			break;
		}
	}
	cli_args_no_operands(&a);
	cli_args_require(&a, o.model_path, "no model given (--model)");
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if (nn_set_threads((int)threads) < 0)
		return cli_error_bj();
	struct out out = { stdout, 1 };
	int ret = writer_sample(&o, emit, &out);
	if (ret == BJ_EIO && ferror(stdout))
		return CLI_EXIT_ERROR;   /* main reports the failed write */
	if (ret < 0)
		return cli_error_bj();
	/* The text ends a line, so that a shell prompt starts on its own. */
	if (!out.at_line_start && fputc('\n', stdout) == EOF)
		return CLI_EXIT_ERROR;
	return CLI_EXIT_OK;
}
