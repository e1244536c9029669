/*
 * portrait.c - an identity's best face (see portrait.h).
 */
#include "library/portrait.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/internal.h"

int library_identity_portrait(library *lib, int64_t identity, library_portrait *p)
{
	memset(p, 0, sizeof(*p));
	sqlite3_stmt *st;
	/* the largest face the detector saw (not one filled in along a track) */
	int ret = library_prepare(lib,
	                          "SELECT fi.path, fi.fps, f.frame, f.x, f.y, f.w, f.h, i.name"
	                          " FROM faces f JOIN tracks t ON t.id = f.track_id"
	                          " JOIN identities i ON i.id = t.identity_id"
	                          " JOIN shots s ON s.id = f.shot_id JOIN films fi ON fi.id = s.film_id"
	                          " WHERE t.identity_id = ? ORDER BY f.detected DESC, f.h DESC, f.id"
	                          " LIMIT 1", &st);
	if (ret < 0)
		return ret;
	sqlite3_bind_int64(st, 1, identity);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		double fps = sqlite3_column_double(st, 1);
		p->film = bj_xstrdup((const char *)sqlite3_column_text(st, 0));
		p->time = fps > 0 ? (double)sqlite3_column_int64(st, 2) / fps : 0.0;
		p->x = sqlite3_column_double(st, 3);
		p->y = sqlite3_column_double(st, 4);
		p->w = sqlite3_column_double(st, 5);
		p->h = sqlite3_column_double(st, 6);
		const unsigned char *name = sqlite3_column_text(st, 7);
		p->name = name ? bj_xstrdup((const char *)name) : NULL;
	} else if (rc == SQLITE_DONE) {
		ret = bj_error_set(BJ_ENOENT, "'%s': identity %" PRId64 " has no face", lib->path,
		                   identity);
	} else {
		ret = library_sqlite_error(lib, "cannot read library");
	}
	sqlite3_finalize(st);
	return ret;
}

void library_portrait_release(library_portrait *p)
{
	if (!p)
		return;
	free(p->film);
	free(p->name);
	memset(p, 0, sizeof(*p));
}
