/*
 * cmd_strip.c - `benjamin strip CHECKPOINT -o MODEL`: a trained model without
 * its training state, to ship or to sample from.
 */
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "nn/charlm.h"

const char *const cmd_strip_usage[] = {
	"benjamin strip CHECKPOINT -o MODEL [--half]",
	"",
	"Writes the model that 'benjamin train' saved in CHECKPOINT without what only",
	"training needs (the optimizer's moments and the carried state): its weights,",
	"vocabulary, shape and settings, about a third of the size.  'benjamin",
	"sample', 'write' and 'compose' read MODEL as they read CHECKPOINT; 'train",
	"--resume' cannot continue from it.",
	"",
	"  -o, --output FILE  the model to write (safetensors)",
	"  --half             store the weights as float16: half the size again, read",
	"                     back as float32 (a 2 x 256 writer's bits/char moved by",
	"                     0.00001)",
	"  -h, --help         show this help",
	"",
	"  benjamin strip writer.safetensors -o models/writer.safetensors --half",
	NULL,
};

int cmd_strip(int argc, char **argv)
{
	enum { O_HALF = 256 };
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "half", no_argument, NULL, O_HALF },
		{ 0 },
	};
	const char *output = NULL;
	int half = 0, opt;
	cli_args a;
	cli_args_init(&a, argc, argv, "o:", options, cmd_strip_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case O_HALF:
			half = 1;
			break;
		}
	}
	if (optind >= argc)
		cli_args_error(&a, "no checkpoint given");
	if (optind + 1 < argc)
		cli_args_error(&a, "unexpected argument '%s'", argv[optind + 1]);
	cli_args_require(&a, output, "no output file given (-o)");
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if (nn_charlm_strip(argv[optind], output, half) < 0)
		return cli_error_bj();
	struct stat in, out;
	if (stat(argv[optind], &in) == 0 && stat(output, &out) == 0)
		printf("wrote '%s': %.1f MB (the checkpoint: %.1f MB)\n", output,
		       (double)out.st_size / 1e6, (double)in.st_size / 1e6);
	return CLI_EXIT_OK;
}
