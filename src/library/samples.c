/*
 * samples.c - face samples with their size, pose, identity and openness.
 */
#include "library/samples.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/internal.h"
#include "vision/openness.h"

#define PARTS 68

static const char sql[] =
	"SELECT f.shot_id, COALESCE(f.track_id, 0), COALESCE(t.identity_id, 0), f.frame,"
	" CASE WHEN f.h <= 1 THEN f.h ELSE f.h / MAX(fi.height, 1) END,"
	" f.yaw, f.pitch, f.landmarks, f.detected"
	" FROM faces f JOIN shots s ON s.id = f.shot_id JOIN films fi ON fi.id = s.film_id"
	" LEFT JOIN tracks t ON t.id = f.track_id"
	" ORDER BY f.shot_id, COALESCE(f.track_id, 0), f.frame, f.id";

static float real_or_nan(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : (float)sqlite3_column_double(st, i);
}

int library_face_samples(library *lib, library_face_sample **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int ret = library_prepare(lib, sql, &st);
	if (ret < 0)
		return ret;
	library_face_sample *s = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		BJ_GROW(s, cap, count + 1);
		library_face_sample *f = &s[count++];
		*f = (library_face_sample){
			.shot_id = sqlite3_column_int64(st, 0),
			.track_id = sqlite3_column_int64(st, 1),
			.identity_id = sqlite3_column_int64(st, 2),
			.frame = sqlite3_column_int64(st, 3),
			.height = (float)sqlite3_column_double(st, 4),
			.yaw = real_or_nan(st, 5),
			.pitch = real_or_nan(st, 6),
			.eyes = NAN,
			.mouth = NAN,
			.detected = sqlite3_column_int(st, 8),
		};
		/* landmarks: 68 little-endian float32 pairs (library/faces.h); a blob
		 * of another size is left unread */
		const void *blob = sqlite3_column_blob(st, 7);
		if (blob && sqlite3_column_bytes(st, 7) == 2 * PARTS * (int)sizeof(float)) {
			float pts[2 * PARTS];
			memcpy(pts, blob, sizeof pts);
			f->eyes = vision_eye_openness(pts);
			f->mouth = vision_mouth_openness(pts);
		}
	}
	if (rc != SQLITE_DONE) {
		ret = library_sqlite_error(lib, "cannot read faces");
		free(s);
		s = NULL;
		count = 0;
	}
	sqlite3_finalize(st);
	*out = s;
	*n = count;
	return ret;
}

int library_sample_every(double fps)
{
	long every = lround(fps / 2);
	return every > 0 ? (int)every : 1;
}

int64_t library_sampled_frames(int64_t first, int64_t last, double fps)
{
	if (last < first || first < 0)
		return 0;
	int64_t every = library_sample_every(fps);
	/* multiples of every in [first, last] */
	return last / every - (first + every - 1) / every + 1;
}
