/*
 * test_faces.c - faces found while indexing: one track for a talking head,
 * boxes and landmarks in the video's pixels, poses, and nothing without the
 * option; a film's faces go with it.
 */
#include "library/faces.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"
#include "library/ingest.h"
#include "library/internal.h"

#define HEAD "footage/talking_heads/hdtf/videoretalking_face_1.mp4"

static int64_t count(library *lib, const char *table)
{
	int64_t n = -1;
	CHECK(library_count(lib, table, &n) == 0, "%s", bj_error_message());
	return n;
}

static void test_talking_head(void)
{
	const char *path = test_data(HEAD);
	if (!path)
		return;
	char *db = bj_xstrdup(test_path("faces.db"));
	library *lib = NULL;
	library_faces *f = library_faces_new();
	CHECK(f, "%s", bj_error_message());
	CHECK(library_open(db, &lib) == 0, "%s", bj_error_message());
	if (!lib || !f)
		goto out;
	library_index_options o = { .faces = f };
	library_index_report r;
	CHECK(library_index_file(lib, path, &o, &r) == 0 && r.status == LIBRARY_INDEXED, "%s", r.message);
	CHECK(r.tracks == 1 && r.faces >= 10, "%" PRId64 " faces in %" PRId64 " tracks", r.faces, r.tracks);
	CHECK(count(lib, "tracks") == 1 && count(lib, "faces") == r.faces);
	sqlite3_stmt *st;
	/* every face: a 68-point blob, a pose, points near its box; the box in
	 * the video's pixels (512 x 512: a face of 30-60 % of it) */
	CHECK(library_prepare(lib, "SELECT x, y, w, h, landmarks, yaw, pitch, roll, detected, score FROM faces", &st) == 0);
	int rows = 0, detected = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows++;
		double x = sqlite3_column_double(st, 0), y = sqlite3_column_double(st, 1), w = sqlite3_column_double(st, 2);
		CHECK(w > 150 && w < 300 && sqlite3_column_double(st, 3) == w, "w %g", w);
		CHECK(sqlite3_column_bytes(st, 4) == 68 * 2 * 4);
		float pts[136];
		if (sqlite3_column_bytes(st, 4) == sizeof pts) {
			memcpy(pts, sqlite3_column_blob(st, 4), sizeof pts);
			for (int k = 0; k < 68; k++)
				CHECK(pts[2 * k] > x - 0.2 * w && pts[2 * k] < x + 1.2 * w && pts[2 * k + 1] > y - 0.2 * w &&
				      pts[2 * k + 1] < y + 1.2 * w, "point %d at %g %g, box %g %g %g", k, pts[2 * k], pts[2 * k + 1], x, y, w);
		}
		for (int k = 5; k <= 7; k++)
			CHECK(sqlite3_column_type(st, k) == SQLITE_FLOAT && fabs(sqlite3_column_double(st, k)) < 45);
		int d = sqlite3_column_int(st, 8);
		detected += d;
		CHECK(d ? sqlite3_column_int(st, 9) > 0 : sqlite3_column_type(st, 9) == SQLITE_NULL);
	}
	sqlite3_finalize(st);
	CHECK(rows == r.faces && detected >= rows - 2, "%d rows, %d detected", rows, detected);
	/* the film's faces and tracks go with it */
	CHECK(library_exec(lib, "DELETE FROM films") == 0);
	CHECK(count(lib, "tracks") == 0 && count(lib, "faces") == 0);
	/* without the option, no faces */
	CHECK(library_index_file(lib, path, NULL, &r) == 0 && r.status == LIBRARY_INDEXED && r.faces == 0);
	CHECK(count(lib, "faces") == 0);
out:
	library_close(lib);
	library_faces_free(f);
	free(db);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_talking_head),
		{ 0 },
	};
	return test_main(cases);
}
