/*
 * test_library.c - the footage library: schema migration from version 1, the
 * content hash, indexing (incremental: unchanged files are not decoded, new and
 * changed ones are), bad inputs skipped without stopping the rest, a run killed
 * with SIGKILL mid-film resumes cleanly, what is stored per shot, and the
 * voice-activity measure on speech, music, silence, noise and a tone.
 */
#include "library/library.h"

#include <ebur128.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/hash.h"
#include "library/ingest.h"
#include "library/internal.h"
#include "library/portrait.h"
#include "library/profile.h"
#include "library/sound.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "harness.h"

#define GRID1 "footage/talking_heads/grid/grid_bbaf2n.mp4"
#define GRID2 "footage/talking_heads/grid/grid_brbk7n.mp4"
#define GRID3 "footage/talking_heads/grid/grid_lbax4n.mp4"
#define LONG "footage/talking_heads/hdtf/sadtalker_WDA_KatieHill_000.mp4"
#define STEAMBOAT "footage/steamboat_willie_1928_excerpt.mp4"
#define TIFFANY "footage/more/breakfast_at_tiffanys_1961_trailer_excerpt.mp4"

/* Copies shared data into the case's folder (the library keeps paths). */
static char *copy_data(const char *rel, const char *name)
{
	const char *src = test_data(rel);
	if (!src)
		return NULL;
	size_t size;
	char *data = test_read_file(src, &size);
	if (!data)
		return NULL;
	char *dst = bj_xstrdup(test_path(name));
	test_write_file(dst, data, size);
	free(data);
	return dst;
}

static int64_t count(library *lib, const char *table)
{
	int64_t n = -1;
	CHECK(library_count(lib, table, &n) == 0, "%s", bj_error_message());
	return n;
}

static void test_migrate_from_v1(void)
{
	char *db = bj_xstrdup(test_path("old.db"));
	library *lib;
	CHECK(library_open_version(db, 1, &lib) == 0, "%s", bj_error_message());
	if (!lib)
		goto out;
	CHECK(library_schema_version(lib) == 1);
	CHECK(library_exec(lib, "INSERT INTO films (path, hash, size, duration, fps, width, height, frames)"
	                        " VALUES ('reel.mp4', 'abc', 10, 5.0, 25, 640, 480, 125);"
	                        "INSERT INTO shots (film_id, number, start_frame, end_frame, start_s, end_s)"
	                        " VALUES (1, 1, 0, 124, 0, 5.0)") == 0, "%s", bj_error_message());
	library_close(lib);
	/* a read-only open refuses the old version */
	CHECK(library_open_readonly(db, &lib) == BJ_EUNSUPPORTED);
	char *want = bj_xasprintf("'%s': library schema version 1, this benjamin reads %d (index into it once to migrate)", db,
	                          LIBRARY_SCHEMA_VERSION);
	CHECK_STR(bj_error_message(), want);
	free(want);
	CHECK(library_open(db, &lib) == 0, "%s", bj_error_message());
	if (!lib)
		goto out;
	CHECK(library_schema_version(lib) == LIBRARY_SCHEMA_VERSION);
	CHECK(count(lib, "films") == 1 && count(lib, "shots") == 1);
	CHECK(count(lib, "faces") == 0 && count(lib, "tracks") == 0 && count(lib, "identities") == 0);
	library_shot *shots;
	size_t n;
	CHECK(library_shots(lib, 1, &shots, &n) == 0 && n == 1);
	if (n == 1) {
		CHECK_STR(shots[0].transition_in, "cut");   /* the migration's default */
		CHECK_NEAR(shots[0].end - shots[0].start, 5.0, 1e-9);
	}
	free(shots);
	/* foreign keys are on: a film's shots go with it */
	CHECK(library_exec(lib, "DELETE FROM films") == 0);
	CHECK(count(lib, "shots") == 0);
	library_close(lib);
	/* opening again changes nothing */
	CHECK(library_open(db, &lib) == 0 && library_schema_version(lib) == LIBRARY_SCHEMA_VERSION);
	library_close(lib);
out:
	free(db);
}

/* Version 3 adds each face's pose and whether it was detected, and tracks'
 * times; faces a version 2 library holds count as detected.  Version 4 adds a
 * motion profile per shot, absent for shots indexed before. */
static void test_migrate_from_v2(void)
{
	char *db = bj_xstrdup(test_path("v2.db"));
	library *lib;
	CHECK(library_open_version(db, 2, &lib) == 0, "%s", bj_error_message());
	if (!lib)
		goto out;
	CHECK(library_exec(lib, "INSERT INTO films (path, hash, size, duration, fps, width, height, frames)"
	                        " VALUES ('reel.mp4', 'abc', 10, 5.0, 25, 640, 480, 125);"
	                        "INSERT INTO shots (film_id, number, start_frame, end_frame, start_s, end_s)"
	                        " VALUES (1, 1, 0, 124, 0, 5.0);"
	                        "INSERT INTO tracks (shot_id, start_frame, end_frame) VALUES (1, 0, 24);"
	                        "INSERT INTO faces (shot_id, track_id, frame, x, y, w, h) VALUES (1, 1, 0, 1, 2, 3, 4)") == 0,
	      "%s", bj_error_message());
	library_close(lib);
	CHECK(library_open(db, &lib) == 0, "%s", bj_error_message());
	if (!lib)
		goto out;
	CHECK(library_schema_version(lib) == LIBRARY_SCHEMA_VERSION);
	sqlite3_stmt *st;
	CHECK(library_prepare(lib, "SELECT f.detected, f.yaw IS NULL, t.start_s IS NULL FROM faces f"
	                           " JOIN tracks t ON t.id = f.track_id", &st) == 0);
	CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1 && sqlite3_column_int(st, 1) == 1 &&
	      sqlite3_column_int(st, 2) == 1);
	sqlite3_finalize(st);
	/* version 4: shots indexed before have no motion profile */
	float *m = NULL;
	size_t k = 1;
	CHECK(library_shot_profile(lib, 1, &m, &k) == 0 && m == NULL && k == 0, "%s", bj_error_message());
	CHECK(library_exec(lib, "UPDATE faces SET yaw = 10, pitch = -5, roll = 2, detected = 0;"
	                        "UPDATE tracks SET start_s = 0, end_s = 1") == 0, "%s", bj_error_message());
	/* version 5: tracks' descriptors, identities' screen time */
	CHECK(library_prepare(lib, "SELECT t.embedding IS NULL, t.face_id IS NULL, t.identity_id IS NULL FROM tracks t", &st) == 0);
	CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1 && sqlite3_column_int(st, 1) == 1 &&
	      sqlite3_column_int(st, 2) == 1);
	sqlite3_finalize(st);
	CHECK(library_exec(lib, "INSERT INTO identities (screen_time, n_tracks, n_films, n_shots, face_id)"
	                        " VALUES (1.5, 1, 1, 1, 1); UPDATE tracks SET identity_id = 1") == 0, "%s",
	      bj_error_message());
	library_close(lib);
out:
	free(db);
}

static void test_not_a_library(void)
{
	const char *path = test_path("text.db");
	test_write_file(path, "hello, this is not sqlite at all, just text of some length\n", 59);
	library *lib;
	CHECK(library_open(path, &lib) == BJ_EFORMAT);
	char *want = bj_xasprintf("'%s': not a benjamin library (file is not a database)", path);
	CHECK_STR(bj_error_message(), want);
	free(want);
	CHECK(library_open(test_tmpdir(), &lib) == BJ_EIO);
	/* newer than this code */
	const char *newer = test_path("newer.db");
	CHECK(library_open(newer, &lib) == 0);
	CHECK(library_exec(lib, "UPDATE schema_version SET version = 9") == 0);
	library_close(lib);
	CHECK(library_open(newer, &lib) == BJ_EUNSUPPORTED);
	want = bj_xasprintf("'%s': library schema version 9 is newer than this benjamin (%d)", newer,
	                    LIBRARY_SCHEMA_VERSION);
	CHECK_STR(bj_error_message(), want);
	free(want);
}

static void test_hash(void)
{
	/* a file hashed whole and the same bytes in memory agree; one byte changes it */
	size_t n = 3 << 20;
	uint8_t *buf = bj_xmalloc(n);
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);
	const char *path = test_path("blob");
	test_write_file(path, buf, n);
	char a[LIBRARY_HASH_LEN + 1], b[LIBRARY_HASH_LEN + 1], c[LIBRARY_HASH_LEN + 1];
	CHECK(library_hash_file(path, a) == 0);
	library_hash_buffer(buf, n, b);
	CHECK_STR(a, b);
	CHECK(strlen(a) == LIBRARY_HASH_LEN);
	buf[n / 2] ^= 1;
	library_hash_buffer(buf, n, c);
	CHECK(strcmp(b, c) != 0);
	library_hash_buffer(buf, n - 1, c);   /* the size counts */
	CHECK(strcmp(b, c) != 0);
	free(buf);
	/* a large sparse file: sampled, and a change in a sampled block is seen */
	const char *big = test_path("big");
	FILE *f = fopen(big, "wb");
	CHECK(f && fseek(f, (64L << 20) - 1, SEEK_SET) == 0 && fputc(1, f) == 1 && fclose(f) == 0);
	CHECK(library_hash_file(big, a) == 0);
	f = fopen(big, "r+b");
	CHECK(f && fseek(f, 1L << 20, SEEK_SET) == 0 && fputc(7, f) == 7 && fclose(f) == 0);
	CHECK(library_hash_file(big, b) == 0);
	CHECK(strcmp(a, b) != 0);
	CHECK(library_hash_file(test_path("missing"), a) == BJ_ENOENT);
}

struct counter {
	int calls;
};

static void count_progress(void *ctx, const library_index_progress *p)
{
	struct counter *c = ctx;
	(void)p;
	c->calls++;
}

static void test_incremental(void)
{
	char *f1 = copy_data(GRID1, "a.mp4"), *f2 = copy_data(GRID2, "b.mp4");
	char *db = bj_xstrdup(test_path("lib.db"));
	if (!f1 || !f2)
		goto out;
	library *lib;
	CHECK(library_open(db, &lib) == 0, "%s", bj_error_message());
	if (!lib)
		goto out;
	struct counter calls = { 0 };
	library_index_options opts = { .progress = count_progress, .progress_ctx = &calls };
	library_index_report r;
	CHECK(library_index_file(lib, f1, &opts, &r) == 0 && r.status == LIBRARY_INDEXED);
	CHECK(r.shots == 1 && r.frames == 75, "%d shots, %" PRId64 " frames", r.shots, r.frames);
	CHECK(library_index_file(lib, f2, &opts, &r) == 0 && r.status == LIBRARY_INDEXED);
	CHECK(calls.calls > 2, "%d progress calls", calls.calls);
	/* again: no decoding (no progress), nothing added */
	calls.calls = 0;
	CHECK(library_index_file(lib, f1, &opts, &r) == 0 && r.status == LIBRARY_UNCHANGED);
	CHECK(library_index_file(lib, f2, &opts, &r) == 0 && r.status == LIBRARY_UNCHANGED);
	CHECK(calls.calls == 0, "%d progress calls for unchanged files", calls.calls);
	CHECK(count(lib, "films") == 2 && count(lib, "shots") == 2);
	/* a new file is picked up */
	char *f3 = copy_data(GRID3, "c.mp4");
	if (f3) {
		CHECK(library_index_file(lib, f3, &opts, &r) == 0 && r.status == LIBRARY_INDEXED);
		CHECK(count(lib, "films") == 3);
	}
	/* a changed file at an indexed path replaces its film */
	char *changed = copy_data(GRID3, "a.mp4");
	free(changed);
	CHECK(library_index_file(lib, f1, &opts, &r) == 0 && r.status == LIBRARY_UNCHANGED,
	      "same content as c.mp4: %d", r.status);
	char *g = copy_data(STEAMBOAT, "a.mp4");
	free(g);
	CHECK(library_index_file(lib, f1, NULL, &r) == 0 && r.status == LIBRARY_INDEXED);
	CHECK(r.shots == 4, "%d shots", r.shots);
	library_film film;
	CHECK(library_film_find(lib, f1, &film) == 0);
	CHECK(film.n_shots == 4 && film.frames == 672, "%d shots %" PRId64 " frames", film.n_shots, film.frames);
	library_film_release(&film);
	CHECK(count(lib, "films") == 3, "%" PRId64 " films", count(lib, "films"));
	/* the footage is untouched: read-only opens only */
	free(f3);
	library_close(lib);
out:
	free(f1);
	free(f2);
	free(db);
}

static void test_bad_inputs(void)
{
	char *good = copy_data(GRID1, "good.mp4");
	if (!good)
		return;
	const char *dir = test_tmpdir();
	char *text = bj_xasprintf("%s/notes.txt", dir), *empty = bj_xasprintf("%s/empty.mp4", dir);
	char *cut = bj_xasprintf("%s/cut.mp4", dir);
	test_write_file(text, "shot list\n", 10);
	test_write_file(empty, "", 0);
	size_t size;
	char *data = test_read_file(good, &size);
	test_write_file(cut, data, size / 2);   /* index first (faststart): truncated */
	free(data);
	char *db = bj_xasprintf("%s/lib.db", dir);
	library *lib;
	CHECK(library_open(db, &lib) == 0);
	char *paths[] = { (char *)dir };
	char **files;
	size_t n;
	CHECK(library_collect_files(paths, 1, &files, &n) == 0);
	int indexed = 0, skipped = 0, damaged = 0;
	for (size_t i = 0; i < n; i++) {
		library_index_report r;
		if (strstr(files[i], ".db"))
			continue;
		CHECK(library_index_file(lib, files[i], NULL, &r) == 0, "%s", bj_error_message());
		indexed += r.status == LIBRARY_INDEXED;
		skipped += r.status == LIBRARY_SKIPPED;
		damaged += r.status == LIBRARY_DAMAGED;
		char *want = NULL;
		if (strcmp(files[i], text) == 0)
			want = bj_xasprintf("'%s': not a media file FFmpeg can read", text);
		else if (strcmp(files[i], empty) == 0)
			want = bj_xasprintf("'%s': empty file", empty);
		else if (strcmp(files[i], cut) == 0) {
			CHECK(r.status == LIBRARY_DAMAGED);
			CHECK(strncmp(r.message, "'", 1) == 0 && strstr(r.message, "truncated: data ends at"),
			      "%s", r.message);
		}
		if (want)
			CHECK_STR(r.message, want);
		free(want);
	}
	CHECK(indexed == 1 && skipped == 2 && damaged == 1, "%d indexed %d skipped %d damaged",
	      indexed, skipped, damaged);
	CHECK(count(lib, "films") == 1);
	library_files_free(files, n);
	char *missing[] = { (char *)"/nonexistent/footage" };
	CHECK(library_collect_files(missing, 1, &files, &n) == BJ_ENOENT);
	CHECK_STR(bj_error_message(), "'/nonexistent/footage': No such file or directory");
	library_close(lib);
	free(good);
	free(text);
	free(empty);
	free(cut);
	free(db);
}

/* A still is a film of one shot LIBRARY_STILL_SECONDS long, its keyframe the
 * picture at its own size (under 320 wide); one too small is skipped. */
static void test_still(void)
{
	media_image *img = media_image_new(200, 150, 3);
	for (int y = 0; y < 150; y++)
		for (int x = 0; x < 200; x++) {
			uint8_t *p = img->data + (size_t)y * img->stride + (size_t)x * 3;
			p[0] = (uint8_t)x;
			p[1] = (uint8_t)(y * 255 / 150);
			p[2] = (uint8_t)((x ^ y) & 255);
		}
	char *png = bj_xstrdup(test_path("poster.png"));
	char *jpg = bj_xstrdup(test_path("tiny.jpg"));
	CHECK(media_image_save(img, png, 0) == 0, "%s", bj_error_message());
	media_image *tiny = media_image_new(16, 16, 3);
	CHECK(media_image_save(tiny, jpg, 0) == 0, "%s", bj_error_message());
	char *db = bj_xstrdup(test_path("stills.db"));
	library *lib;
	CHECK(library_open(db, &lib) == 0, "%s", bj_error_message());
	library_index_report r;
	CHECK(library_index_file(lib, png, NULL, &r) == 0, "%s", bj_error_message());
	CHECK(r.status == LIBRARY_INDEXED && r.shots == 1 && r.duration == LIBRARY_STILL_SECONDS,
	      "status %d, %d shots, %.2f s: %s", r.status, r.shots, r.duration, r.message);
	library_shot *shots = NULL;
	size_t n = 0;
	CHECK(library_shots(lib, r.film_id, &shots, &n) == 0 && n == 1);
	if (n == 1) {
		CHECK(shots[0].start == 0 && shots[0].end == LIBRARY_STILL_SECONDS,
		      "%.2f..%.2f", shots[0].start, shots[0].end);
		CHECK(shots[0].motion == 0, "motion %.3f", shots[0].motion);
		uint8_t *jpeg;
		size_t size;
		CHECK(library_shot_thumbnail(lib, shots[0].id, &jpeg, &size) == 0, "%s",
		      bj_error_message());
		media_image *th = media_image_decode(jpeg, size, "thumbnail", 3);
		CHECK(th && th->width == 200 && th->height == 150, "%dx%d", th ? th->width : 0,
		      th ? th->height : 0);
		media_image_free(th);
		free(jpeg);
	}
	free(shots);
	CHECK(library_index_file(lib, png, NULL, &r) == 0 && r.status == LIBRARY_UNCHANGED);
	CHECK(library_index_file(lib, jpg, NULL, &r) == 0 && r.status == LIBRARY_SKIPPED);
	char *want = bj_xasprintf("'%s': picture of 16x16 is too small to index", jpg);
	CHECK_STR(r.message, want);
	free(want);
	CHECK(count(lib, "films") == 1 && count(lib, "shots") == 1);
	library_close(lib);
	media_image_free(img);
	media_image_free(tiny);
	free(png);
	free(jpg);
	free(db);
}

/* An identity's portrait: its largest detected face, in the film's seconds. */
static void test_portrait(void)
{
	char *db = bj_xstrdup(test_path("portrait.db"));
	library *lib;
	CHECK(library_open(db, &lib) == 0, "%s", bj_error_message());
	library_portrait p;
	CHECK(library_identity_portrait(lib, 1, &p) == BJ_ENOENT);
	char *want = bj_xasprintf("'%s': identity 1 has no face", db);
	CHECK_STR(bj_error_message(), want);
	free(want);
	CHECK(library_exec(lib,
	      "INSERT INTO films (id, path, hash, size, duration, fps, width, height, frames)"
	      " VALUES (1, '/f.mp4', 'h', 1, 10, 25, 640, 360, 250);"
	      "INSERT INTO shots (id, film_id, number, start_frame, end_frame, start_s, end_s)"
	      " VALUES (1, 1, 1, 0, 249, 0, 10);"
	      "INSERT INTO identities (id, name) VALUES (1, 'Ben');"
	      "INSERT INTO tracks (id, shot_id, identity_id, start_frame, end_frame, start_s, end_s)"
	      " VALUES (1, 1, 1, 0, 249, 0, 10);"
	      "INSERT INTO faces (shot_id, track_id, frame, x, y, w, h, detected)"
	      " VALUES (1, 1, 50, 10, 20, 60, 60, 1), (1, 1, 100, 100, 50, 90, 90, 1),"
	      " (1, 1, 150, 0, 0, 200, 200, 0);") == 0, "%s", bj_error_message());
	CHECK(library_identity_portrait(lib, 1, &p) == 0, "%s", bj_error_message());
	CHECK(p.film && !strcmp(p.film, "/f.mp4") && p.name && !strcmp(p.name, "Ben"));
	CHECK(p.time == 4.0 && p.x == 100 && p.y == 50 && p.w == 90 && p.h == 90,
	      "%.2f s (%.0f %.0f %.0f %.0f)", p.time, p.x, p.y, p.w, p.h);
	library_portrait_release(&p);
	library_close(lib);
	free(db);
}

/* The child indexes a short film, then a longer one; it is killed with SIGKILL
 * as soon as the longer one has started.  The library must hold the first film
 * whole and nothing of the second, and the next run must index the second. */
static int kill_pipe[2];

static void tell_parent(void *ctx, const library_index_progress *p)
{
	(void)ctx;
	if (p->frames_done >= 16) {
		char c = 1;
		if (write(kill_pipe[1], &c, 1) != 1)
			_exit(3);
		pause();
	}
}

static void test_sigkill_resume(void)
{
	char *small = copy_data(GRID1, "small.mp4"), *big = copy_data(LONG, "big.mp4");
	char *db = bj_xstrdup(test_path("lib.db"));
	if (!small || !big)
		goto out;
	CHECK(pipe(kill_pipe) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		library *lib;
		library_index_report r;
		if (library_open(db, &lib) < 0 || library_index_file(lib, small, NULL, &r) < 0)
			_exit(2);
		library_index_options opts = { .progress = tell_parent };
		library_index_file(lib, big, &opts, &r);
		_exit(4);   /* not reached: killed */
	}
	char c;
	CHECK(read(kill_pipe[0], &c, 1) == 1, "the child never started the long film");
	kill(pid, SIGKILL);
	int status;
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child status %d", status);
	close(kill_pipe[0]);
	close(kill_pipe[1]);
	library *lib;
	CHECK(library_open(db, &lib) == 0, "%s", bj_error_message());
	if (!lib)
		goto out;
	sqlite3_stmt *st;
	CHECK(library_prepare(lib, "PRAGMA integrity_check", &st) == 0);
	CHECK(sqlite3_step(st) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0);
	sqlite3_finalize(st);
	CHECK(count(lib, "films") == 1 && count(lib, "shots") == 1, "%" PRId64 " films",
	      count(lib, "films"));
	library_index_report r;
	CHECK(library_index_file(lib, small, NULL, &r) == 0 && r.status == LIBRARY_UNCHANGED);
	CHECK(library_index_file(lib, big, NULL, &r) == 0 && r.status == LIBRARY_INDEXED);
	CHECK(count(lib, "films") == 2);
	library_close(lib);
out:
	free(small);
	free(big);
	free(db);
}

struct sampled {
	int calls;
	int64_t last;
	int width;
};

static void count_sampled(void *ctx, int64_t frame, double time, const media_image *img)
{
	struct sampled *c = ctx;
	CHECK(frame > c->last && time >= 0 && img->channels == 3);
	c->last = frame;
	c->width = img->width;
	c->calls++;
}

/* The per-sampled-frame hook sees twice a second of frames at the keyframe size. */
static void test_sampled_hook(void)
{
	const char *path = test_data(GRID1);
	if (!path)
		return;
	library *lib;
	CHECK(library_open(test_path("lib.db"), &lib) == 0);
	struct sampled c = { 0, -1, 0 };
	library_index_options opts = { .sampled = count_sampled, .sampled_ctx = &c };
	library_index_report r;
	CHECK(library_index_file(lib, path, &opts, &r) == 0 && r.status == LIBRARY_INDEXED);
	/* 75 frames at 25 fps, one in 13 */
	CHECK(c.calls == 6 && c.last == 65 && c.width == 320, "%d calls, last %" PRId64 ", %d wide", c.calls,
	      c.last, c.width);
	library_close(lib);
}

/* Mean absolute difference of two RGB images of one size, in levels. */
static double mean_abs_diff(const media_image *a, const media_image *b)
{
	double s = 0;
	for (int y = 0; y < a->height; y++)
		for (int x = 0; x < a->width * 3; x++)
			s += abs(a->data[(size_t)y * a->stride + x] - b->data[(size_t)y * b->stride + x]);
	return s / ((double)a->width * a->height * 3);
}

/* Every shot has a keyframe inside it, also one shorter than the candidates'
 * spacing (half a second): the trailer ends with a shot of 3 frames, which had
 * none (a blank tile on the contact sheet).  Its thumbnail is that frame. */
static void test_short_last_shot_keyframe(void)
{
	const char *path = test_data(TIFFANY);
	if (!path)
		return;
	library *lib;
	CHECK(library_open(test_path("lib.db"), &lib) == 0);
	library_index_report r;
	CHECK(library_index_file(lib, path, NULL, &r) == 0 && r.status == LIBRARY_INDEXED);
	library_shot *shots;
	size_t n;
	CHECK(library_shots(lib, r.film_id, &shots, &n) == 0 && n >= 2, "%zu shots", n);
	const library_shot *last = &shots[n - 1];
	CHECK(last->end_frame - last->start_frame + 1 < 12, "last shot %" PRId64 "-%" PRId64, last->start_frame,
	      last->end_frame);
	for (size_t i = 0; i < n; i++) {
		const library_shot *s = &shots[i];
		CHECK(s->keyframe >= s->start_frame && s->keyframe <= s->end_frame, "shot %d: keyframe %" PRId64, s->number,
		      s->keyframe);
		uint8_t *jpeg = NULL;
		size_t size = 0;
		CHECK(library_shot_thumbnail(lib, s->id, &jpeg, &size) == 0 && jpeg && size > 0, "shot %d", s->number);
		if (i + 1 < n || !jpeg) {
			free(jpeg);
			continue;
		}
		/* the last shot's thumbnail shows its keyframe, decoded afresh */
		media_image *thumb = media_image_decode(jpeg, size, "thumbnail", 3);
		media_decoder *d;
		CHECK(thumb && media_decoder_open(path, &d) == 0);
		CHECK(media_decoder_set_output(d, thumb->width, thumb->height, 3) == 0);
		const media_frame *f = NULL;
		while (media_decoder_read(d, &f) > 0 && f->index < s->keyframe)
			;
		CHECK(f && f->index == s->keyframe);
		if (f && thumb) {
			double diff = mean_abs_diff(thumb, &f->image);
			CHECK(diff < 4, "thumbnail differs from frame %" PRId64 " by %.1f levels", s->keyframe, diff);
		}
		media_decoder_close(d);
		media_image_free(thumb);
		free(jpeg);
	}
	free(shots);
	library_close(lib);
}

static void test_shot_fields(void)
{
	char *f = copy_data(STEAMBOAT, "steamboat.mp4");
	if (!f)
		return;
	library *lib;
	CHECK(library_open(test_path("lib.db"), &lib) == 0);
	library_index_report r;
	CHECK(library_index_file(lib, f, NULL, &r) == 0 && r.status == LIBRARY_INDEXED);
	library_shot *shots;
	size_t n;
	CHECK(library_shots(lib, r.film_id, &shots, &n) == 0 && n == 4, "%zu shots", n);
	/* the natural ground truth: cuts at 113, 449, 625 */
	static const int64_t starts[] = { 0, 113, 449, 625 };
	for (size_t i = 0; i < n && i < 4; i++) {
		library_shot *s = &shots[i];
		CHECK(s->start_frame == starts[i], "shot %zu starts at %" PRId64, i + 1, s->start_frame);
		CHECK_STR(s->transition_in, i ? "cut" : "start");
		CHECK(s->bw == 1, "shot %zu: a black-and-white cartoon", i + 1);
		CHECK(s->brightness > 0.1 && s->brightness < 0.9 && s->contrast > 0.1);
		CHECK(s->loudness > -50 && s->loudness < 0, "loudness %.1f", s->loudness);
		CHECK(s->speech >= 0 && s->speech <= 1);
		CHECK(s->colour_share[0] > 0 && s->colour_share[0] <= 1);
		CHECK(s->keyframe >= s->start_frame && s->keyframe <= s->end_frame);
		/* a motion value per frame, averaging to the shot's motion (which
		 * leaves out the first frame, as the profile repeats the second) */
		float *m;
		size_t k;
		CHECK(library_shot_profile(lib, s->id, &m, &k) == 0);
		CHECK(m && (int64_t)k == s->end_frame - s->start_frame + 1, "%zu motion values", k);
		double sum = 0, top = 0;
		for (size_t j = 1; j < k; j++) {
			sum += m[j];
			top = fmax(top, m[j]);
		}
		if (k > 1) {
			CHECK(fabs(sum / (double)(k - 1) - s->motion) < 0.002 + 0.02 * s->motion,
			      "shot %zu: profile mean %g, motion %g", i + 1, sum / (double)(k - 1), s->motion);
			CHECK(top > s->motion && m[0] == m[1], "shot %zu: peak %g", i + 1, top);
		}
		free(m);
		uint8_t *jpeg;
		size_t size;
		CHECK(library_shot_thumbnail(lib, s->id, &jpeg, &size) == 0);
		media_image *img = media_image_decode(jpeg, size, "thumbnail", 3);
		CHECK(img && img->width == 320 && img->height == 180, "thumbnail %dx%d",
		      img ? img->width : 0, img ? img->height : 0);
		media_image_free(img);
		free(jpeg);
	}
	free(shots);
	library_film film;
	CHECK(library_film_find(lib, "1", &film) == 0 && film.n_shots == 4 && film.has_audio);
	library_film_release(&film);
	CHECK(library_film_find(lib, "nope.mp4", &film) == BJ_ENOENT);
	CHECK_STR(bj_error_message(), "'nope.mp4': no such film in the library");
	library_close(lib);
	free(f);
}

static double speech_of(const char *rel)
{
	const char *path = test_data(rel);
	if (!path)
		return -1;
	library_sound *snd;
	CHECK(library_sound_load(path, &snd) == 0, "%s", bj_error_message());
	if (!snd)
		return -1;
	double lufs, speech;
	library_sound_measure(snd, 0, library_sound_duration(snd), &lufs, &speech);
	library_sound_free(snd);
	return speech;
}

static double speech_of_samples(const float *x, size_t n)
{
	library_sound *snd = library_sound_new(x, n);
	double lufs, speech;
	library_sound_measure(snd, 0, library_sound_duration(snd), &lufs, &speech);
	library_sound_free(snd);
	return speech;
}

/* Talking heads and read speech score high; music, silence, noise and a tone
 * low (the figures when tuned are in sound.h). */
static void test_voice_activity(void)
{
	static const char *const speech[] = {
		GRID1, GRID2, GRID3, LONG,
		"footage/talking_heads/grid/grid_swiz3n.mp4",
		"footage/talking_heads/hdtf/sadtalker_WDA_AlexandriaOcasioCortez_000.mp4",
		"footage/talking_heads/hdtf/videoretalking_face_1.mp4",
		"voice/ljspeech_LJ001_female_16k.wav",
		"voice/jfk_1961_inaugural_male_16k.wav",
	};
	for (size_t i = 0; i < sizeof(speech) / sizeof(speech[0]); i++) {
		double v = speech_of(speech[i]);
		if (v >= 0)
			CHECK(v >= 0.5, "%s: speech %.2f", speech[i], v);
	}
	double v = speech_of(STEAMBOAT);
	if (v >= 0)
		CHECK(v <= 0.25, "%s (music): speech %.2f", STEAMBOAT, v);

	size_t n = 10 * LIBRARY_SOUND_RATE;
	float *x = bj_xcalloc(n, sizeof(float));
	CHECK(speech_of_samples(x, n) == 0, "silence");
	uint32_t seed = 12345;
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		x[i] = 0.3f * ((float)(seed >> 8) / (float)(1u << 24) - 0.5f);
	}
	CHECK(speech_of_samples(x, n) < 0.05, "white noise: speech %.2f", speech_of_samples(x, n));
	for (size_t i = 0; i < n; i++)
		x[i] = 0.3f * (float)sin(2 * M_PI * 440.0 * (double)i / LIBRARY_SOUND_RATE);
	CHECK(speech_of_samples(x, n) < 0.05, "440 Hz tone: speech %.2f", speech_of_samples(x, n));
	/* noise switched on and off at 4 Hz is modulated like syllables, but its
	 * zero-crossing rate is not speech's */
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		x[i] = ((i / (LIBRARY_SOUND_RATE / 8)) % 2) * 0.3f * ((float)(seed >> 8) / (float)(1u << 24) - 0.5f);
	}
	CHECK(speech_of_samples(x, n) < 0.05, "gated noise: speech %.2f", speech_of_samples(x, n));
	free(x);
}

/* The streamed analysis: pieces of any size give the same figures as one
 * piece, and the loudness of a 1 kHz tone matches libebur128's integrated
 * loudness of the same samples (one gating block of difference at most). */
static void test_sound_streamed(void)
{
	size_t n = 6 * LIBRARY_SOUND_RATE + 123;
	float *x = bj_xmalloc(n * sizeof(float));
	for (size_t i = 0; i < n; i++)
		x[i] = (float)((i < n / 2 ? 0.1 : 0.3) * sin(2 * M_PI * 1000.0 * (double)i / LIBRARY_SOUND_RATE));
	library_sound *whole = library_sound_new(x, n);
	library_sound *parts = library_sound_begin();
	for (size_t i = 0, k = 1; i < n; i += k, k = k * 7 % 1013 + 1)
		library_sound_feed(parts, x + i, i + k <= n ? k : n - i);
	library_sound_end(parts);
	double l1, s1, l2, s2;
	library_sound_measure(whole, 0.5, 5.5, &l1, &s1);
	library_sound_measure(parts, 0.5, 5.5, &l2, &s2);
	CHECK(l1 == l2 && s1 == s2, "whole %.3f %.3f, in pieces %.3f %.3f", l1, s1, l2, s2);
	ebur128_state *st = ebur128_init(1, LIBRARY_SOUND_RATE, EBUR128_MODE_I);
	double want;
	size_t a = LIBRARY_SOUND_RATE / 2, b = 11 * LIBRARY_SOUND_RATE / 2;
	CHECK(ebur128_add_frames_float(st, x + a, b - a) == EBUR128_SUCCESS &&
	      ebur128_loudness_global(st, &want) == EBUR128_SUCCESS);
	ebur128_destroy(&st);
	CHECK(fabs(l1 - want) < 0.5, "streamed %.2f LUFS, libebur128 %.2f LUFS", l1, want);
	library_sound_measure(whole, 1.0, 1.3, &l1, &s1);
	CHECK(l1 == LIBRARY_SILENCE_LUFS, "shorter than a block: %.2f", l1);
	library_sound_free(whole);
	library_sound_free(parts);
	free(x);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_migrate_from_v1),
		TEST_CASE(test_migrate_from_v2),
		TEST_CASE(test_not_a_library),
		TEST_CASE(test_hash),
		TEST_CASE(test_incremental),
		TEST_CASE(test_bad_inputs),
		TEST_CASE(test_still),
		TEST_CASE(test_portrait),
		TEST_CASE(test_sigkill_resume),
		TEST_CASE(test_shot_fields),
		TEST_CASE(test_sampled_hook),
		TEST_CASE(test_short_last_shot_keyframe),
		TEST_CASE(test_voice_activity),
		TEST_CASE(test_sound_streamed),
		{ 0 },
	};
	return test_main(cases);
}
