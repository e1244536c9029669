#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_median_ms(void (*fn)(void *ctx), void *ctx, int n)
{
	double times[64];
	if (n > 64)
		n = 64;
	fn(ctx);
	for (int i = 0; i < n; i++) {
		double t = now_ms();
		fn(ctx);
		times[i] = now_ms() - t;
	}
	qsort(times, (size_t)n, sizeof(double), cmp_double);
	return times[n / 2];
}

double bench_reference_check(const char *script, const char *args, double *check)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
	         "OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/ref/%s %s 2>/dev/null",
	         script, args);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char line[256];
	double ms = -1;
	while (fgets(line, sizeof(line), p)) {
		double v;
		if (check && sscanf(line, "check %lf", &v) == 1)
			*check = v;
		else if (sscanf(line, "%lf", &ms) != 1)
			ms = -1;
	}
	int status = pclose(p);
	return status == 0 ? ms : -1;
}

double bench_reference(const char *script, const char *args)
{
	return bench_reference_check(script, args, NULL);
}

void bench_report(const char *what, const char *ref_name, double ours_ms, double ref_ms)
{
	if (ref_ms > 0)
		printf("%-48s ours %8.2f ms  %s %8.2f ms  ratio %.2f  threads=2\n", what, ours_ms,
		       ref_name, ref_ms, ref_ms / ours_ms);
	else
		printf("%-48s ours %8.2f ms  %s: not installed  threads=2\n", what, ours_ms, ref_name);
}
