/*
 * bench.h - timing and reference runs shared by the benchmarks.
 *
 *     double ms = bench_median_ms(run_once, ctx, 7);       // 1 warm-up + 7 timed runs
 *     double ref = bench_reference("resize.py", "1920 1080 640 360");   // -1: not installed
 *     bench_report("resize 1920x1080 -> 640x360 lanczos", ms, ref);
 */
#pragma once

/* Runs fn once to warm up, then n times; returns the median in milliseconds. */
double bench_median_ms(void (*fn)(void *ctx), void *ctx, int n);

/* Runs `/usr/bin/python3 bench/ref/<script> <args>` with 2 threads; the script
 * prints its median time in milliseconds as its last line.  Returns that figure,
 * or -1 when the reference module is not installed (the script exits 3). */
double bench_reference(const char *script, const char *args);

/* bench_reference for a script that also prints a line "check V" (a value
 * computed by the reference on the same input, to compare with ours before
 * trusting the timing): V is stored in *check, left alone when absent. */
double bench_reference_check(const char *script, const char *args, double *check);

/* Prints "<what>  ours X ms  ref Y ms  ratio R  threads=2" (ref: not installed). */
void bench_report(const char *what, const char *ref_name, double ours_ms, double ref_ms);
