/*
 * profile.c - per-frame motion of a shot: the byte scale and reading it back.
 */
#include "library/profile.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/internal.h"

void library_profile_encode(const float *motion, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++) {
		double m = motion[i] > 0 ? motion[i] : 0;   /* also NaN */
		out[i] = (uint8_t)lround(255 * sqrt(m < 1 ? m : 1));
	}
}

float library_profile_decode(uint8_t b)
{
	float x = b / 255.0f;
	return x * x;
}

int library_shot_profile(library *lib, int64_t shot_id, float **motion, size_t *n)
{
	*motion = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int ret = library_prepare(lib, "SELECT motion_profile FROM shots WHERE id = ?", &st);
	if (ret < 0)
		return ret;
	sqlite3_bind_int64(st, 1, shot_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const uint8_t *b = sqlite3_column_blob(st, 0);
		size_t k = (size_t)sqlite3_column_bytes(st, 0);
		if (b && k) {
			*motion = bj_xmalloc(k * sizeof **motion);
			for (size_t i = 0; i < k; i++)
				(*motion)[i] = library_profile_decode(b[i]);
			*n = k;
		}
	} else if (rc == SQLITE_DONE) {
		ret = bj_error_set(BJ_ENOENT, "'%s': no shot %" PRId64, library_path(lib), shot_id);
	} else {
		ret = library_sqlite_error(lib, "cannot read library");
	}
	sqlite3_finalize(st);
	return ret;
}
