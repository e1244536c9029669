#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"

void cli_print_usage(FILE *f, const char *const *usage)
{
	fprintf(f, "usage: %s\n", usage[0]);
	for (size_t i = 1; usage[i]; i++)
		fprintf(f, "%s%s\n", usage[i][0] ? "   " : "", usage[i]);
}

int cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("benjamin: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_ERROR;
}

int cli_error_bj(void)
{
	const char *m = bj_error_message();
	return cli_error("%s", *m ? m : "unknown error");
}

int cli_usage_error(const char *const *usage, const char *fmt, ...)
{
	va_list ap;
	fputs("benjamin: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n\n", stderr);
	cli_print_usage(stderr, usage);
	return CLI_EXIT_USAGE;
}

int cli_parse_time(const char *text, double *seconds)
{
	double total = 0;
	const char *p = text;
	for (int part = 0; part < 3; part++) {
		char *end;
		errno = 0;
		double v = strtod(p, &end);
		if (end == p || errno || !isfinite(v) || v < 0 || *p == '-' || *p == '+')
			return -1;
		total = total * 60 + v;
		if (*end == '\0') {
			*seconds = total;
			return 0;
		}
		if (*end != ':')
			return -1;
		p = end + 1;
	}
	return -1;
}

int cli_parse_int(const char *text, long min, long max, long *value)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (end == text || *end || errno || v < min || v > max)
		return -1;
	*value = v;
	return 0;
}

int cli_parse_real(const char *text, double min, double max, double *value)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(v) || v < min || v > max)
		return -1;
	*value = v;
	return 0;
}

int cli_parse_size(const char *text, int *w, int *h)
{
	char *end;
	long a = strtol(text, &end, 10);
	if (*end != 'x' || end == text)
		return -1;
	const char *rest = end + 1;
	long b = strtol(rest, &end, 10);
	if (*end || end == rest || a < 16 || b < 16 || a > 4096 || b > 4096 || (a & 1) || (b & 1))
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

int cli_int_arg(const char *const *usage, const char *name, const char *text, long min, long max,
                long *value)
{
	if (cli_parse_int(text, min, max, value) == 0)
		return CLI_EXIT_OK;
	return cli_usage_error(usage, "%s must be a whole number from %ld to %ld, not '%s'", name, min,
	                       max, text);
}

int cli_wants_help(int argc, char **argv, const char *const *usage)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_usage(stdout, usage);
			return 1;
		}
	}
	return 0;
}

const char *cli_default_writer(char *buf, size_t n)
{
	static const char *const beside[] = { "../models/writer.safetensors",
	                                      "../share/benjamin/writer.safetensors" };
	char exe[4096];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0 || (size_t)len >= sizeof(exe) - 1) {
		bj_error_set(BJ_ENOENT, "cannot find the default writer model: the executable's "
		             "path is unknown; give one with --model");
		return NULL;
	}
	exe[len] = '\0';
	char *slash = strrchr(exe, '/');
	slash[1] = '\0';
	for (size_t i = 0; i < sizeof(beside) / sizeof(beside[0]); i++) {
		if ((size_t)snprintf(buf, n, "%s%s", exe, beside[i]) < n && access(buf, R_OK) == 0)
			return buf;
	}
	bj_error_set(BJ_ENOENT, "no default writer model in '%s../models/' or '%s../share/"
	             "benjamin/'; give one with --model, or make it with "
	             "scripts/make-default-writer", exe, exe);
	return NULL;
}

char *cli_binding(const char *text, const char **path)
{
	const char *eq = strchr(text, '='), *slash = strchr(text, '/');
	if (!eq || eq == text || (slash && slash < eq)) {
		*path = text;
		return NULL;
	}
	*path = eq + 1;
	return bj_xasprintf("%.*s", (int)(eq - text), text);
}
