/*
 * crops_build.c - the face crops of a star's folder or a footage identity, as
 * `benjamin crops` and `benjamin train swap` make them.
 */
#include "cli/crops_build.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/progress.h"
#include "base/threads.h"
#include "cli/cli.h"
#include "library/identity_faces.h"
#include "library/library.h"
#include "perform/swap_footage.h"
#include "vision/cascade.h"
#include "vision/detect.h"
#include "vision/shape_model.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"

int cli_crops_from_star(perform_crops *set, const char *dir, int threads)
{
	vision_cascade *c = vision_cascade_load(CASCADE);
	vision_shape_model *m = c ? vision_shape_model_load(VISION_SHAPE_MODEL_68) : NULL;
	bj_pool *pool = m ? bj_pool_new(threads) : NULL;
	vision_detector *det = pool ? vision_detector_new(c, pool) : NULL;
	int ret = BJ_ENOMEM;
	if (det) {
		bj_progress *bar = bj_progress_new("crops", 0, "photos");
		ret = perform_crops_add_folder(set, dir, det, m, bar);
		bj_progress_finish(bar);
	}
	int status = ret < 0 ? cli_error_bj() : CLI_EXIT_OK;
	vision_detector_free(det);
	bj_pool_free(pool);
	vision_shape_model_free(m);
	vision_cascade_free(c);
	return status;
}

int cli_crops_from_identity(perform_crops *set, const char *library_path, long identity)
{
	library *lib;
	if (library_open_readonly(library_path, &lib) < 0)
		return cli_error_bj();
	library_identity_face *rows = NULL;
	size_t n = 0;
	int status = CLI_EXIT_OK;
	if (library_identity_faces(lib, identity, &rows, &n) < 0) {
		status = cli_error_bj();
		goto out;
	}
	if (!n) {
		status = cli_error("'%s': identity %ld has no faces", library_path, identity);
		goto out;
	}
	perform_face_ref *refs = bj_xmalloc(n * sizeof(*refs));
	for (size_t i = 0; i < n; i++) {
		refs[i].video = rows[i].path;
		refs[i].fps = rows[i].fps;
		refs[i].frame = rows[i].frame;
		memcpy(refs[i].landmarks, rows[i].landmarks, sizeof(refs[i].landmarks));
	}
	bj_progress *bar = bj_progress_new("crops", n, "faces");
	if (perform_crops_add_footage(set, refs, n, bar) < 0)
		status = cli_error_bj();
	bj_progress_finish(bar);
	free(refs);
out:
	library_identity_faces_free(rows, n);
	library_close(lib);
	return status;
}

void cli_crops_source_option(cli_args *a, int opt, struct cli_crops_source *src)
{
	switch (opt) {
	case CLI_O_STAR:
		src->star = optarg;
		break;
	case CLI_O_LIBRARY:
		src->library = optarg;
		break;
	case CLI_O_IDENTITY:
		cli_args_int(a, "--identity", 1, INT_MAX, &src->identity);
		break;
	case CLI_O_SIZE:
		if (cli_args_int(a, "--size", 64, 128, &src->size) == 0 && src->size != 64 && src->size != 128)
			cli_args_error(a, "--size must be 64 or 128, not '%s'", optarg);
		break;
	default:
		BJ_ASSERT(!"an option of CLI_CROPS_SOURCE_OPTIONS");
	}
}
