#include "library/identity_faces.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/internal.h"

static const char sql[] =
	"SELECT fi.path, fi.fps, f.frame, f.landmarks FROM faces f"
	" JOIN tracks t ON t.id = f.track_id JOIN shots s ON s.id = f.shot_id JOIN films fi ON fi.id = s.film_id"
	" WHERE t.identity_id = ? AND f.detected = 1 AND f.landmarks IS NOT NULL"
	" ORDER BY fi.path, f.frame, f.id";

int library_identity_faces(library *lib, int64_t identity, library_identity_face **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int ret = library_prepare(lib, sql, &st);
	if (ret < 0)
		return ret;
	sqlite3_bind_int64(st, 1, identity);
	library_identity_face *faces = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 3);
		int bytes = sqlite3_column_bytes(st, 3);
		if (bytes != (int)sizeof(faces->landmarks)) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': a face's landmarks are %d bytes, not %zu", lib->path, bytes,
			                   sizeof(faces->landmarks));
			break;
		}
		BJ_GROW(faces, cap, count + 1);
		library_identity_face *f = &faces[count++];
		const char *path = (const char *)sqlite3_column_text(st, 0);
		f->path = bj_xstrdup(path ? path : "");
		f->fps = sqlite3_column_double(st, 1);
		f->frame = sqlite3_column_int64(st, 2);
		memcpy(f->landmarks, blob, sizeof(f->landmarks));
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = library_sqlite_error(lib, "cannot read faces");
	sqlite3_finalize(st);
	if (ret < 0) {
		library_identity_faces_free(faces, count);
		return ret;
	}
	*out = faces;
	*n = count;
	return 0;
}

void library_identity_faces_free(library_identity_face *faces, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(faces[i].path);
	free(faces);
}
