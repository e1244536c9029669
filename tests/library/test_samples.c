/*
 * test_samples.c - what the director reads of the library beyond the shots:
 * the per-frame motion profile (its byte scale, stored and read back, absent
 * in shots indexed before it existed) and the face samples with identity,
 * size, pose and eye and mouth openness from the landmarks.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"
#include "library/internal.h"
#include "library/profile.h"
#include "library/samples.h"
#include "vision/align.h"
#include "vision/openness.h"

static void test_profile_scale(void)
{
	float m[6] = { 0, 0.002f, 0.02f, 0.5f, 1, 3 }, back[6];
	uint8_t b[6];
	library_profile_encode(m, 6, b);
	CHECK(b[0] == 0 && b[4] == 255 && b[5] == 255, "ends %d %d %d", b[0], b[4], b[5]);
	CHECK(b[1] == 11 && b[2] == 36, "square-root scale: %d %d", b[1], b[2]);
	for (int i = 0; i < 5; i++) {
		back[i] = library_profile_decode(b[i]);
		/* half a step of the square-root scale */
		double tol = (sqrt(m[i]) + 0.5 / 255) * (1.0 / 255) + 1e-6;
		CHECK(fabs(back[i] - m[i]) <= tol, "%g decodes to %g", m[i], back[i]);
	}
	float nan_in = NAN;
	library_profile_encode(&nan_in, 1, b);
	CHECK(b[0] == 0, "NaN is no motion");
}

static library *small_library(void)
{
	library *lib;
	if (library_open(test_path("lib.db"), &lib) < 0) {
		CHECK(0, "%s", bj_error_message());
		return NULL;
	}
	CHECK(library_exec(lib, "INSERT INTO films (id, path, hash, size, duration, fps, width, height, frames)"
	                        " VALUES (1, 'f.mp4', 'h', 1, 10, 25, 640, 480, 250);"
	                        "INSERT INTO shots (id, film_id, number, start_frame, end_frame, start_s, end_s)"
	                        " VALUES (1, 1, 1, 0, 99, 0, 4), (2, 1, 2, 100, 249, 4, 10);"
	                        "INSERT INTO identities (id) VALUES (5);"
	                        "INSERT INTO tracks (id, shot_id, identity_id, start_frame, end_frame)"
	                        " VALUES (1, 2, 5, 104, 117), (2, 2, NULL, 104, 104)") == 0,
	      "%s", bj_error_message());
	return lib;
}

static void test_profile_stored(void)
{
	library *lib = small_library();
	if (!lib)
		return;
	uint8_t bytes[100];
	for (int i = 0; i < 100; i++)
		bytes[i] = (uint8_t)i;
	sqlite3_stmt *st;
	CHECK(library_prepare(lib, "UPDATE shots SET motion_profile = ? WHERE id = 1", &st) == 0);
	sqlite3_bind_blob(st, 1, bytes, sizeof bytes, SQLITE_STATIC);
	CHECK(sqlite3_step(st) == SQLITE_DONE);
	sqlite3_finalize(st);
	float *m;
	size_t n;
	CHECK(library_shot_profile(lib, 1, &m, &n) == 0 && n == 100);
	if (n == 100)
		CHECK_NEAR(m[51], library_profile_decode(51), 0);
	free(m);
	/* a shot indexed before profiles: none, not an error */
	CHECK(library_shot_profile(lib, 2, &m, &n) == 0 && m == NULL && n == 0);
	CHECK(library_shot_profile(lib, 9, &m, &n) == BJ_ENOENT);
	char *want = bj_xasprintf("'%s': no shot 9", test_path("lib.db"));
	CHECK_STR(bj_error_message(), want);
	free(want);
	library_close(lib);
}

static void test_face_samples(void)
{
	library *lib = small_library();
	if (!lib)
		return;
	float pts[136];
	vision_align_template(100, pts);
	float open = vision_eye_openness(pts);
	sqlite3_stmt *st;
	CHECK(library_prepare(lib, "INSERT INTO faces (shot_id, track_id, frame, x, y, w, h, landmarks, yaw,"
	                           " pitch, detected) VALUES (2, ?, ?, 10, 10, 120, ?, ?, ?, 4, 1)", &st) == 0);
	/* track 1 (identity 5): frames 104 and 117, the second with shut eyes; a
	 * face on track 2 (no identity) without landmarks or pose, its box as a
	 * fraction of the frame */
	for (int i = 0; i < 3; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int(st, 1, i < 2 ? 1 : 2);
		sqlite3_bind_int(st, 2, i == 1 ? 117 : 104);
		sqlite3_bind_double(st, 3, i < 2 ? 240 : 0.25);
		if (i == 1) {  /* upper lids onto the lower ones */
			static const int upper[] = { 37, 38, 43, 44 }, lower[] = { 41, 40, 47, 46 };
			for (int k = 0; k < 4; k++)
				pts[2 * upper[k] + 1] = pts[2 * lower[k] + 1];
		}
		if (i < 2)
			sqlite3_bind_blob(st, 4, pts, sizeof pts, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 4);
		if (i < 2)
			sqlite3_bind_double(st, 5, -12);
		else
			sqlite3_bind_null(st, 5);
		CHECK(sqlite3_step(st) == SQLITE_DONE, "%s", sqlite3_errmsg(lib->db));
	}
	sqlite3_finalize(st);
	library_face_sample *s;
	size_t n;
	CHECK(library_face_samples(lib, &s, &n) == 0 && n == 3, "%s", bj_error_message());
	if (n == 3) {
		CHECK(s[0].shot_id == 2 && s[0].track_id == 1 && s[0].identity_id == 5 && s[0].frame == 104);
		CHECK(s[1].frame == 117 && s[2].track_id == 2 && s[2].identity_id == 0);
		CHECK_NEAR(s[0].height, 0.5, 1e-6);     /* 240 of 480 pixels */
		CHECK_NEAR(s[2].height, 0.25, 1e-6);    /* already a fraction */
		CHECK_NEAR(s[0].yaw, -12, 1e-6);
		CHECK(isnan(s[2].yaw) && isnan(s[2].eyes) && isnan(s[2].mouth));
		CHECK_NEAR(s[0].eyes, open, 1e-5);
		CHECK(s[1].eyes < 0.05 && open > 0.2, "shut %g, open %g", s[1].eyes, open);
	}
	free(s);
	library_close(lib);
}

static void test_sampled_frames(void)
{
	CHECK(library_sample_every(25) == 13 && library_sample_every(24) == 12);
	CHECK(library_sample_every(1) == 1 && library_sample_every(0) == 1);
	CHECK(library_sampled_frames(0, 24, 24) == 3);     /* 0, 12, 24 */
	CHECK(library_sampled_frames(1, 11, 24) == 0);
	CHECK(library_sampled_frames(150, 299, 25) == 12); /* 156 ... 299 */
	CHECK(library_sampled_frames(5, 4, 25) == 0);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_profile_scale),
		TEST_CASE(test_profile_stored),
		TEST_CASE(test_face_samples),
		TEST_CASE(test_sampled_frames),
		{ 0 },
	};
	return test_main(cases);
}
