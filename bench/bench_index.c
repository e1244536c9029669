/*
 * bench_index.c - indexing throughput (decode + shot detection + look + sound +
 * thumbnails + SQLite) against a bare decode of the same file: our media_decoder
 * at the film's own size (RGB), and `ffmpeg -f null` when installed.  Ratio =
 * decode time / index time (>= 0.8 is the target; > 1 means indexing is faster
 * than decoding every frame to RGB at full size).  Also prints minutes of footage
 * indexed per minute.  Uses the constructed edit of ../shared/data/eval/shots, or
 * the file named as the first argument.
 *
 * Files with sound: ours decodes and analyses the soundtrack too, so a second
 * reference decodes both streams (`ffmpeg -f null` without -an: a bare decode
 * of the whole file); the first (-an) decodes the pictures only.
 *
 * The machine is shared: the wall-clock ratio moves with the load (a process
 * with more threads than another gets more of a busy machine), so the CPU time
 * (user + system, all threads) of both is printed too, and its ratio, which the
 * load changes much less.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "bench.h"
#include "library/ingest.h"
#include "library/library.h"
#include "media/decoder.h"

struct job {
	const char *path;
	char db[256];
	long frames;
	int shots;
	double duration;
	int failed;
};

static void decode_all(void *ctx)
{
	struct job *j = ctx;
	media_decoder *d;
	j->frames = 0;
	if (media_decoder_open(j->path, &d) < 0)
		return;
	const media_frame *f;
	while (media_decoder_read(d, &f) > 0)
		j->frames++;
	media_decoder_close(d);
}

static void index_once(void *ctx)
{
	struct job *j = ctx;
	unlink(j->db);
	char wal[300];
	snprintf(wal, sizeof(wal), "%s-wal", j->db);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", j->db);
	unlink(wal);
	library *lib;
	library_index_report r;
	if (library_open(j->db, &lib) < 0 || library_index_file(lib, j->path, NULL, &r) < 0 ||
	    r.status != LIBRARY_INDEXED) {
		j->failed = 1;
		library_close(lib);
		return;
	}
	j->shots = r.shots;
	j->duration = r.duration;
	j->frames = (long)r.frames;
	library_close(lib);
}

/* User + system CPU time so far, in ms, of this process or its waited-for children. */
static double cpu_ms(int who)
{
	struct rusage u;
	getrusage(who, &u);
	return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

static double median5(double v[5])
{
	for (int i = 0; i < 5; i++)
		for (int k = i + 1; k < 5; k++)
			if (v[k] < v[i]) {
				double t = v[i];
				v[i] = v[k];
				v[k] = t;
			}
	return v[2];
}

/* Runs cmd; its wall and CPU milliseconds, or -1 if it failed. */
static int run_timed(const char *cmd, double *wall, double *cpu)
{
	struct timespec a, b;
	double c0 = cpu_ms(RUSAGE_CHILDREN);
	clock_gettime(CLOCK_MONOTONIC, &a);
	int ok = system(cmd) == 0;
	clock_gettime(CLOCK_MONOTONIC, &b);
	*cpu = cpu_ms(RUSAGE_CHILDREN) - c0;
	*wall = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
	return ok ? 0 : -1;
}

/* Wall and CPU milliseconds of one index of the file, of one `ffmpeg -f null -an`
 * of it and (with_sound) of one with its sound decoded too, run alternately 5
 * times so that the machine's load falls on all alike; medians.  ff_wall[] is
 * -1 when ffmpeg is not installed or not run. */
static void alternate(struct job *j, int with_sound, double *wall, double *cpu, double ff_wall[2],
                      double ff_cpu[2])
{
	char cmd[2][4200];
	snprintf(cmd[0], sizeof(cmd[0]), "ffmpeg -v error -nostdin -threads 2 -i '%s' -an -f null - 2>/dev/null",
	         j->path);
	snprintf(cmd[1], sizeof(cmd[1]), "ffmpeg -v error -nostdin -threads 2 -i '%s' -f null - 2>/dev/null", j->path);
	int have_ffmpeg = system("ffmpeg -version >/dev/null 2>&1") == 0;
	double w[5], c[5], fw[2][5], fc[2][5];
	for (int i = 0; i < 5; i++) {
		struct timespec a, b;
		double c0 = cpu_ms(RUSAGE_SELF);
		clock_gettime(CLOCK_MONOTONIC, &a);
		index_once(j);
		clock_gettime(CLOCK_MONOTONIC, &b);
		c[i] = cpu_ms(RUSAGE_SELF) - c0;
		w[i] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
		for (int k = 0; k < 1 + with_sound && have_ffmpeg; k++)
			if (run_timed(cmd[k], &fw[k][i], &fc[k][i]) < 0)
				have_ffmpeg = 0;
	}
	*wall = median5(w);
	*cpu = median5(c);
	for (int k = 0; k < 2; k++) {
		int ran = have_ffmpeg && k <= with_sound;
		ff_wall[k] = ran ? median5(fw[k]) : -1;
		ff_cpu[k] = ran ? median5(fc[k]) : -1;
	}
}

int main(int argc, char **argv)
{
	struct job j = { argc > 1 ? argv[1] : "../shared/data/eval/shots/constructed_edit_640x360_25fps.mp4", "", 0, 0, 0, 0 };
	snprintf(j.db, sizeof(j.db), "/tmp/bench_index.%d.db", (int)getpid());
	/* Checked before timed: the index has every frame and the shots of the edit. */
	decode_all(&j);
	long want = j.frames;
	index_once(&j);
	if (j.failed || j.frames != want) {
		fprintf(stderr, "bench_index: indexing '%s' failed or lost frames (%ld of %ld): %s\n", j.path,
		        j.frames, want, bj_error_message());
		return 1;
	}
	printf("bench_index: '%s': %ld frames, %d shots, %.1f s of footage\n", j.path, j.frames, j.shots, j.duration);
	double decode = bench_median_ms(decode_all, &j, 5);
	int with_sound = 0;
	media_decoder *d;
	if (media_decoder_open(j.path, &d) == 0) {
		with_sound = media_decoder_info(d)->audio >= 0;
		media_decoder_close(d);
	}
	double index, cpu, ff[2], ff_cpu[2];
	alternate(&j, with_sound, &index, &cpu, ff, ff_cpu);
	printf("index %ld frames  ours %.1f ms  decode (media_decoder, RGB at full size) %.1f ms  ratio %.2f\n",
	       j.frames, index, decode, decode / index);
	static const char *what[2] = { "ffmpeg -f null -an", "ffmpeg -f null (with sound)" };
	for (int k = 0; k < 2; k++)
		if (ff[k] > 0) {
			printf("index %ld frames  ours %.1f ms  %s %.1f ms  ratio %.2f\n", j.frames, index, what[k], ff[k],
			       ff[k] / index);
			printf("index %ld frames  CPU time ours %.1f ms  %s %.1f ms  ratio %.2f\n", j.frames, cpu, what[k],
			       ff_cpu[k], ff_cpu[k] / cpu);
		}
	if (ff[0] < 0)
		printf("ffmpeg -f null: not installed\n");
	printf("index: %.1f min of footage per minute  threads=2\n", j.duration / (index / 1e3));
	unlink(j.db);
	char wal[300];
	snprintf(wal, sizeof(wal), "%s-wal", j.db);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", j.db);
	unlink(wal);
	return 0;
}
