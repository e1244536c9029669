/*
 * test_face_boxes.c - library/face_boxes.h: per-frame boxes of one identity
 * from its tracks' faces, interpolated between samples, held half a second
 * past a track's ends but never past its shot; another identity's faces and
 * other films are not taken; fractions of the frame become pixels.
 */
#include "library/face_boxes.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "library/internal.h"

/* Film 1 (25 fps, 640 x 480): shot 1 frames 0-99, shot 2 100-199.  Identity
 * 1: track 1 in shot 1 sampled at frames 20 and 40 (moving right by 100
 * pixels), track 3 in shot 2 at 110 as fractions.  Identity 2: track 2 in
 * shot 1 at frame 30, elsewhere.  Film 2 holds identity 1 too. */
static library *library_with_tracks(void)
{
	library *lib;
	if (library_open(test_path("boxes.db"), &lib) < 0) {
		CHECK(0, "%s", bj_error_message());
		return NULL;
	}
	CHECK(library_exec(lib,
		"INSERT INTO films (id, path, hash, size, duration, fps, width, height, frames)"
		" VALUES (1, 'a.mp4', 'h', 1, 8, 25, 640, 480, 200), (2, 'b.mp4', 'i', 1, 4, 25, 640, 480, 100);"
		"INSERT INTO shots (id, film_id, number, start_frame, end_frame, start_s, end_s)"
		" VALUES (1, 1, 1, 0, 99, 0, 4), (2, 1, 2, 100, 199, 4, 8), (3, 2, 1, 0, 99, 0, 4);"
		"INSERT INTO identities (id) VALUES (1), (2);"
		"INSERT INTO tracks (id, shot_id, identity_id, start_frame, end_frame)"
		" VALUES (1, 1, 1, 20, 40), (2, 1, 2, 30, 30), (3, 2, 1, 110, 110), (4, 3, 1, 0, 50);"
		"INSERT INTO faces (shot_id, track_id, frame, x, y, w, h) VALUES"
		" (1, 1, 20, 100, 50, 80, 80), (1, 1, 40, 200, 50, 80, 80), (1, 2, 30, 400, 60, 90, 90),"
		" (2, 3, 110, 0.5, 0.25, 0.125, 0.25), (3, 4, 10, 10, 10, 50, 50);") == 0, "%s",
	      bj_error_message());
	return lib;
}

static void test_boxes(void)
{
	library *lib = library_with_tracks();
	if (!lib)
		return;
	float *b = malloc(4 * 200 * sizeof(*b));
	/* half a second is 12.5 frames, rounded to 13: 20 - 13 = 7 to 40 + 13 =
	 * 53 in shot 1, then 100 (110 - 13 is before the shot) to 123 */
	int n = library_face_boxes(lib, 1, 1, 0, 0, 199, b);
	CHECK(n == (53 - 7 + 1) + (123 - 100 + 1), "%d frames", n);
	CHECK(b[4 * 6 + 2] == 0 && b[4 * 7 + 2] == 80 && b[4 * 7] == 100, "before the track");
	CHECK_NEAR(b[4 * 30], 150, 1e-4);                  /* halfway between the samples */
	CHECK(b[4 * 53] == 200 && b[4 * 54 + 2] == 0, "after the track");
	CHECK(b[4 * 99 + 2] == 0 && b[4 * 100] == 320 && b[4 * 100 + 1] == 120 && b[4 * 100 + 2] == 80 &&
	      b[4 * 100 + 3] == 120, "the fractions in pixels");
	CHECK(b[4 * 124 + 2] == 0);
	/* a range: frames 30-35 only, indexed from 30 */
	CHECK(library_face_boxes(lib, 1, 1, 0, 30, 35, b) == 6);
	CHECK_NEAR(b[0], 150, 1e-4);
	/* the other identity, one track, another film */
	CHECK(library_face_boxes(lib, 1, 2, 0, 0, 199, b) == 27 && b[4 * 30] == 400);
	CHECK(library_face_boxes(lib, 1, 1, 3, 0, 199, b) == 24 && b[4 * 40 + 2] == 0);
	CHECK(library_face_boxes(lib, 1, 2, 1, 0, 199, b) == 0, "track 1 is not identity 2's");
	CHECK(library_face_boxes(lib, 2, 1, 0, 0, 99, b) == 24);
	CHECK(library_face_boxes(lib, 3, 1, 0, 0, 99, b) == 0, "no such film");
	CHECK(library_face_boxes(lib, 1, 0, 0, 0, 99, b) == BJ_EINVAL);
	CHECK(library_face_boxes(lib, 1, 1, 0, 9, 8, b) == BJ_EINVAL);
	free(b);
	library_close(lib);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_boxes),
		{ 0 },
	};
	return test_main(cases);
}
