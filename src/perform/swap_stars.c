#include "perform/swap_stars.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "media/imagefile.h"
#include "vision/detect.h"

struct perform_star_photos {
	char *path;            /* what they came from, for the error */
	size_t n;
	char **names;          /* (n) */
	media_image **img;     /* (n) NULL where it did not decode */
	float (*box)[4];       /* (n) the face, where found[i] */
	int *found;            /* (n) 1 found, 0 not (no face, no picture, an error) */
};

static int is_photo(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".png"));
}

/* The names of the photos to use: at most max of path's, spread evenly. */
static int photo_names(const char *path, int max, char ***out, size_t *n_out)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return bj_error_set(BJ_ENOENT, "'%s': no such file or folder", path);
	char **names = NULL;
	size_t n = 0;
	if (S_ISDIR(st.st_mode)) {
		char **all;
		size_t n_all;
		if (bj_dir_files(path, &all, &n_all) < 0)
			return bj_error_code();
		names = bj_xcalloc(n_all ? n_all : 1, sizeof(*names));
		for (size_t i = 0; i < n_all; i++)
			if (is_photo(all[i]))
				names[n++] = bj_xstrdup(all[i]);
		bj_free_strings(all, n_all);
	} else {
		names = bj_xmalloc(sizeof(*names));
		names[n++] = bj_xstrdup(path);
	}
	size_t use = n < (size_t)(max > 0 ? max : 1) ? n : (size_t)(max > 0 ? max : 1);
	char **picked = bj_xcalloc(use ? use : 1, sizeof(*picked));
	for (size_t k = 0; k < use; k++)
		picked[k] = bj_xstrdup(names[k * n / use]);
	bj_free_strings(names, n);
	*out = picked;
	*n_out = use;
	return 0;
}

/* One photo a task, with the detector of the thread it runs on. */
struct find_job {
	perform_star_photos *p;
	vision_detector **det;   /* (threads) */
};

static void find_task(void *ctx, int task, int thread)
{
	struct find_job *j = ctx;
	perform_star_photos *p = j->p;
	media_image *img = media_image_load(p->names[task], 3);
	p->img[task] = img;
	p->found[task] = img && perform_swap_star_face(j->det[thread], img, p->box[task]) > 0;
}

int perform_star_photos_find(const char *path, int max, const vision_cascade *c, bj_pool *pool,
                             perform_star_photos **out)
{
	*out = NULL;
	perform_star_photos *p = bj_xcalloc(1, sizeof(*p));
	int ret = photo_names(path, max, &p->names, &p->n);
	if (ret < 0) {
		free(p);
		return ret;
	}
	p->path = bj_xstrdup(path);
	size_t n = p->n ? p->n : 1;
	p->img = bj_xcalloc(n, sizeof(*p->img));
	p->box = bj_xcalloc(n, sizeof(*p->box));
	p->found = bj_xcalloc(n, sizeof(*p->found));
	/* a detector of its own for each thread, without the pool: the tasks
	 * are what is shared out */
	int threads = pool ? bj_pool_threads(pool) : 1;
	vision_detector **det = bj_xcalloc((size_t)threads, sizeof(*det));
	for (int t = 0; t < threads; t++)
		if (!(det[t] = vision_detector_new(c, NULL)))
			ret = bj_error_code();
	if (ret == 0) {
		struct find_job j = { p, det };
		if (pool)
			bj_pool_run(pool, (int)p->n, find_task, &j);
		else
			for (size_t i = 0; i < p->n; i++)
				find_task(&j, (int)i, 0);
	}
	for (int t = 0; t < threads; t++)
		vision_detector_free(det[t]);
	free(det);
	if (ret < 0) {
		perform_star_photos_free(p);
		return ret;
	}
	*out = p;
	return 0;
}

/* One photo's landmarks and descriptor a task (perform_swapper_fit_star). */
struct fit_job {
	const perform_swapper *s;
	const perform_star_photos *p;
	perform_star_fit *fits;   /* (p->n) */
};

static void fit_task(void *ctx, int task, int thread)
{
	(void)thread;
	struct fit_job *j = ctx;
	if (j->p->found[task])
		(void)perform_swapper_fit_star(j->s, j->p->img[task], j->p->box[task], &j->fits[task]);
}

int perform_swapper_add_photos(perform_swapper *s, const perform_star_photos *p, int *skipped)
{
	/* the fits on all of the pool's threads, then added in order: the same
	 * swapper as adding them one by one */
	struct fit_job j = { s, p, bj_xcalloc(p->n ? p->n : 1, sizeof(*j.fits)) };
	bj_pool *pool = perform_swapper_pool(s);
	if (pool)
		bj_pool_run(pool, (int)p->n, fit_task, &j);
	else
		for (size_t i = 0; i < p->n; i++)
			fit_task(&j, (int)i, 0);
	int added = 0, bad = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (p->found[i] && perform_swapper_add_fitted(s, p->img[i], &j.fits[i], p->names[i]) == 0)
			added++;
		else
			bad++;
	}
	free(j.fits);
	if (skipped)
		*skipped = bad;
	if (!added)
		return bj_error_set(BJ_EINVAL, "'%s': no star photo with a usable face", p->path);
	return added;
}

void perform_star_photos_free(perform_star_photos *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		media_image_free(p->img[i]);
	bj_free_strings(p->names, p->n);
	free(p->img);
	free(p->box);
	free(p->found);
	free(p->path);
	free(p);
}

int perform_swapper_add_stars(perform_swapper *s, const char *path, int max, int *skipped)
{
	perform_star_photos *p;
	int ret = perform_star_photos_find(path, max, perform_swapper_cascade(s), perform_swapper_pool(s), &p);
	if (ret < 0)
		return ret;
	ret = perform_swapper_add_photos(s, p, skipped);
	perform_star_photos_free(p);
	return ret;
}
