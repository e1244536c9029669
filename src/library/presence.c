/*
 * presence.c - face counts and identity coverage per shot, from faces and tracks.
 */
#include <stdlib.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/internal.h"
#include "library/presence.h"

/* Faces per shot, with the largest height as a fraction of the film's frame. */
static const char sql_all[] =
	"SELECT s.id, COUNT(f.id),"
	" MAX(CASE WHEN f.h <= 1 THEN f.h ELSE f.h / MAX(fi.height, 1) END), 0"
	" FROM faces f JOIN shots s ON s.id = f.shot_id JOIN films fi ON fi.id = s.film_id"
	" GROUP BY s.id ORDER BY s.id";

/* The same for one identity's tracks, and the frames those tracks cover (tracks
 * of one identity in one shot are taken not to overlap). */
static const char sql_identity[] =
	"SELECT s.id,"
	" (SELECT COUNT(*) FROM faces f JOIN tracks t2 ON t2.id = f.track_id"
	"   WHERE f.shot_id = s.id AND t2.identity_id = ?1),"
	" (SELECT MAX(CASE WHEN f.h <= 1 THEN f.h ELSE f.h / MAX(fi.height, 1) END)"
	"   FROM faces f JOIN tracks t3 ON t3.id = f.track_id"
	"   WHERE f.shot_id = s.id AND t3.identity_id = ?1),"
	" MIN(1.0, SUM(t.end_frame - t.start_frame + 1) * 1.0"
	"   / MAX(s.end_frame - s.start_frame + 1, 1))"
	" FROM tracks t JOIN shots s ON s.id = t.shot_id JOIN films fi ON fi.id = s.film_id"
	" WHERE t.identity_id = ?1 GROUP BY s.id ORDER BY s.id";

int library_shot_presence(library *lib, int64_t identity, library_presence **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int ret = library_prepare(lib, identity ? sql_identity : sql_all, &st);
	if (ret < 0)
		return ret;
	if (identity)
		sqlite3_bind_int64(st, 1, identity);
	library_presence *p = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		BJ_GROW(p, cap, count + 1);
		p[count++] = (library_presence){
			.shot_id = sqlite3_column_int64(st, 0),
			.faces = sqlite3_column_int(st, 1),
			.face_height = sqlite3_column_double(st, 2),
			.seen = sqlite3_column_double(st, 3),
		};
	}
	if (rc != SQLITE_DONE) {
		ret = library_sqlite_error(lib, "cannot read faces");
		free(p);
		p = NULL;
		count = 0;
	}
	sqlite3_finalize(st);
	*out = p;
	*n = count;
	return ret;
}
