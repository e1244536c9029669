/* The faces of one footage identity: only its tracks' detected faces with
 * landmarks, by film and frame, with the film's path and rate; a landmark blob
 * of the wrong size is an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "library/identity_faces.h"
#include "library/internal.h"

/* Inserts a face of track `track` at frame with landmarks all equal to v
 * (bytes: the blob's size). */
static void add_face(library *lib, int64_t shot, int64_t track, int64_t frame, float v, int detected, int bytes)
{
	float lm[136];
	for (int i = 0; i < 136; i++)
		lm[i] = v + (float)i;
	sqlite3_stmt *st;
	CHECK(library_prepare(lib, "INSERT INTO faces (shot_id, track_id, frame, x, y, w, h, landmarks, detected)"
	                           " VALUES (?, ?, ?, 0, 0, 10, 10, ?, ?)", &st) == 0);
	sqlite3_bind_int64(st, 1, shot);
	sqlite3_bind_int64(st, 2, track);
	sqlite3_bind_int64(st, 3, frame);
	sqlite3_bind_blob(st, 4, lm, bytes, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 5, detected);
	CHECK(sqlite3_step(st) == SQLITE_DONE);
	sqlite3_finalize(st);
}

static void test_identity_faces(void)
{
	library *lib;
	CHECK(library_open(test_path("lib.db"), &lib) == 0, "%s", bj_error_message());
	CHECK(library_exec(lib, "INSERT INTO films (id, path, hash, size, duration, fps, width, height, frames)"
	                        " VALUES (1, 'b.mp4', 'h1', 1, 10, 25, 320, 240, 250),"
	                        " (2, 'a.mp4', 'h2', 1, 10, 30, 320, 240, 300);"
	                        "INSERT INTO shots (id, film_id, number, start_frame, end_frame, start_s, end_s)"
	                        " VALUES (1, 1, 1, 0, 249, 0, 10), (2, 2, 1, 0, 299, 0, 10);"
	                        "INSERT INTO identities (id, name) VALUES (7, 'ann'), (8, 'bob');"
	                        "INSERT INTO tracks (id, shot_id, identity_id, start_frame, end_frame)"
	                        " VALUES (1, 1, 7, 0, 100), (2, 2, 7, 0, 100), (3, 2, 8, 0, 100);") == 0,
	      "%s", bj_error_message());
	add_face(lib, 1, 1, 40, 1, 1, 544);
	add_face(lib, 1, 1, 20, 2, 1, 544);
	add_face(lib, 1, 1, 30, 3, 0, 544);   /* filled in: left out */
	add_face(lib, 2, 2, 50, 4, 1, 544);
	add_face(lib, 2, 3, 60, 5, 1, 544);   /* another identity */
	library_identity_face *f;
	size_t n;
	CHECK(library_identity_faces(lib, 7, &f, &n) == 0 && n == 3, "%zu faces", n);
	if (n == 3) {
		CHECK_STR(f[0].path, "a.mp4");
		CHECK(f[0].frame == 50 && f[0].fps == 30 && f[0].landmarks[0] == 4 && f[0].landmarks[135] == 139);
		CHECK_STR(f[1].path, "b.mp4");
		CHECK(f[1].frame == 20 && f[1].fps == 25 && f[1].landmarks[0] == 2);
		CHECK(f[2].frame == 40 && f[2].landmarks[0] == 1);
	}
	library_identity_faces_free(f, n);
	CHECK(library_identity_faces(lib, 9, &f, &n) == 0 && n == 0 && f == NULL);

	add_face(lib, 2, 3, 70, 6, 1, 100);
	CHECK(library_identity_faces(lib, 8, &f, &n) == BJ_EFORMAT && n == 0 && f == NULL);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': a face's landmarks are 100 bytes, not 544", test_path("lib.db"));
	CHECK_STR(bj_error_message(), want);
	library_close(lib);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_identity_faces),
		{ 0 },
	};
	return test_main(cases);
}
