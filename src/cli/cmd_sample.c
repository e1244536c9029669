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
	const char *const *usage = cmd_sample_usage;
	writer_sample_opts o = { .length = 2000, .seed = 1, .sample = { .temperature = 0.8f } };
	long v, threads = 2;
	double d;
	int opt, status = CLI_EXIT_OK;
	optind = 0;
	opterr = 0;
	while (status == CLI_EXIT_OK && (opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case O_MODEL:
			o.model_path = optarg;
			break;
		case O_PRIME:
			o.prime = optarg;
			break;
		case O_TEMPERATURE:
			if (cli_parse_real(optarg, 0.0, 100.0, &d) < 0)
				status = cli_usage_error(usage, "--temperature must be a number from 0 to 100, "
				                         "not '%s'", optarg);
			o.sample.temperature = (float)d;
			break;
		case O_TOP_P:
			if (cli_parse_real(optarg, 0.0, 1.0, &d) < 0 || d == 0.0)
				status = cli_usage_error(usage, "--top-p must be a number above 0, up to 1, "
				                         "not '%s'", optarg);
			o.sample.top_p = (float)d;
			break;
		case O_TOP_K:
			status = cli_int_arg(usage, "--top-k", optarg, 1, 2000000, &v);
			o.sample.top_k = (int)v;
			break;
		case O_LENGTH:
			status = cli_int_arg(usage, "--length", optarg, 0, 1000000000L, &v);
			o.length = v;
			break;
		case O_SEED:
			status = cli_int_arg(usage, "--seed", optarg, 0, 2147483647L, &v);
			o.seed = (uint64_t)v;
			break;
		case O_THREADS:
			status = cli_int_arg(usage, "--threads", optarg, 1, 256, &threads);
			break;
		default:
			status = cli_usage_error(usage, "unknown option or missing value in '%s'",
			                         argv[optind - 1]);
		}
	}
	if (status == CLI_EXIT_OK && optind < argc)
		status = cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (status == CLI_EXIT_OK && !o.model_path)
		status = cli_usage_error(usage, "no model given (--model)");
	if (status != CLI_EXIT_OK)
		return status;
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
