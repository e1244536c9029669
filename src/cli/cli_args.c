#include "cli/cli_args.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/threads.h"

void cli_args_init(cli_args *a, int argc, char **argv, const char *shortopts,
                   const struct option *options, const char *const *usage)
{
	*a = (cli_args){ argc, argv, shortopts, options, usage, CLI_EXIT_OK };
	optind = 0;   /* glibc: 0 starts afresh, as a previous command may have parsed */
	opterr = 0;
}

int cli_args_next(cli_args *a)
{
	if (a->status != CLI_EXIT_OK)
		return -1;
	int opt = getopt_long(a->argc, a->argv, a->shortopts, a->options, NULL);
	if (opt == '?' || opt == ':') {
		cli_args_error(a, "unknown option or missing value in '%s'", a->argv[optind - 1]);
		return -1;
	}
	return opt;
}

void cli_args_error(cli_args *a, const char *fmt, ...)
{
	if (a->status != CLI_EXIT_OK)
		return;
	char message[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	a->status = cli_usage_error(a->usage, "%s", message);
}

void cli_args_no_operands(cli_args *a)
{
	if (optind < a->argc)
		cli_args_error(a, "unexpected argument '%s'", a->argv[optind]);
}

void cli_args_require(cli_args *a, const void *given, const char *message)
{
	if (!given)
		cli_args_error(a, "%s", message);
}

int cli_args_int(cli_args *a, const char *name, long min, long max, long *value)
{
	if (a->status == CLI_EXIT_OK)
		a->status = cli_int_arg(a->usage, name, optarg, min, max, value);
	return a->status == CLI_EXIT_OK ? 0 : -1;
}

int cli_args_real(cli_args *a, const char *name, double min, double max, double *value)
{
	if (cli_parse_real(optarg, min, max, value) == 0)
		return 0;
	cli_args_error(a, "%s must be a number from %g to %g, not '%s'", name, min, max, optarg);
	return -1;
}

int cli_args_seed(cli_args *a, uint64_t *seed)
{
	long v;
	if (cli_args_int(a, "--seed", 0, CLI_SEED_MAX, &v) < 0)
		return -1;
	*seed = (uint64_t)v;
	return 0;
}

int cli_args_threads(cli_args *a, long *threads)
{
	return cli_args_int(a, "--threads", 1, BJ_POOL_MAX_THREADS, threads);
}

int cli_args_size(cli_args *a, int *width, int *height)
{
	if (cli_parse_size(optarg, width, height) == 0)
		return 0;
	cli_args_error(a, "--size must be WxH, even, each from 16 to 4096, not '%s'", optarg);
	return -1;
}
