#include "perform/swap_crops.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "base/safetensors.h"
#include "media/imagefile.h"
#include "vision/align.h"
#include "vision/landmarks.h"

#define FORMAT "benjamin.face_crops"
#define VERSION "1"
#define N_COORDS (2 * PERFORM_CROPS_POINTS)
/* Landmarks of an aligned face lie well inside the crop; a file with points
 * further out than this (in crop sides) is lying. */
#define LANDMARK_SLACK 1.0f

perform_crops *perform_crops_new(const perform_crop_opts *o)
{
	if (o->size < 16 || o->size > 512 || !(o->max_upscale >= 1) || !(o->max_yaw >= 0 && o->max_yaw <= 90) ||
	    !(o->max_pitch >= 0 && o->max_pitch <= 90)) {
		bj_error_set(BJ_EINVAL, "face crops: size must be 16..512, the upscale 1 or more and the "
		                        "angles 0..90 degrees");
		return NULL;
	}
	perform_crops *set = bj_xcalloc(1, sizeof(*set));
	set->size = o->size;
	set->opts = *o;
	return set;
}

void perform_crops_free(perform_crops *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		free(set->sources[i]);
	free(set->sources);
	free(set->pixels);
	free(set->landmarks);
	free(set->frames);
	free(set);
}

media_image perform_crops_image(const perform_crops *set, size_t i)
{
	size_t row = (size_t)set->size * 3;
	return media_image_view(set->pixels + i * row * set->size, set->size, set->size, 3, row);
}

/* Room for one more face. */
static void grow(perform_crops *set)
{
	if (set->n < set->cap)
		return;
	size_t cap = set->cap ? 2 * set->cap : 64, px = (size_t)set->size * set->size * 3;
	set->pixels = bj_xrealloc(set->pixels, cap * px);
	set->landmarks = bj_xrealloc(set->landmarks, cap * N_COORDS * sizeof(float));
	set->frames = bj_xrealloc(set->frames, cap * sizeof(int32_t));
	set->sources = bj_xrealloc(set->sources, cap * sizeof(char *));
	set->cap = cap;
}

int perform_crops_add_face(perform_crops *set, const media_image *img, const float *landmarks,
                           const char *source, int32_t frame)
{
	if (img->channels != 3)
		return bj_error_set(BJ_EINVAL, "'%s': not an RGB image", source);
	const perform_crop_opts *o = &set->opts;
	vision_pose pose;
	vision_similarity to_crop;
	if (vision_pose_estimate(landmarks, &pose) < 0 ||
	    vision_align_transform(landmarks, set->size, &to_crop) < 0) {
		set->skips.degenerate++;
		return 0;
	}
	/* the template puts the outer eye corners 0.4 S apart: the crop enlarges
	 * the face by the similarity's scale */
	if (hypot(to_crop.a, to_crop.b) > o->max_upscale) {
		set->skips.tiny++;
		return 0;
	}
	if (fabsf(pose.yaw) > o->max_yaw || fabsf(pose.pitch) > o->max_pitch) {
		set->skips.pose++;
		return 0;
	}
	media_image *crop = vision_align_crop(img, landmarks, set->size);
	if (!crop)
		return bj_error_code();
	grow(set);
	size_t i = set->n, row = (size_t)set->size * 3;
	uint8_t *dst = set->pixels + i * row * set->size;
	for (int y = 0; y < set->size; y++)
		memcpy(dst + y * row, crop->data + y * crop->stride, row);
	media_image_free(crop);
	float *pts = set->landmarks + i * N_COORDS;
	memcpy(pts, landmarks, N_COORDS * sizeof(float));
	vision_similarity_apply(&to_crop, pts, PERFORM_CROPS_POINTS);
	set->frames[i] = frame;
	set->sources[i] = bj_xstrdup(source);
	set->n++;
	return 1;
}

int perform_crops_add_photo(perform_crops *set, vision_detector *det, const vision_shape_model *model,
                            const media_image *photo, const char *source)
{
	vision_detect_params p = VISION_DETECT_DEFAULTS;
	p.scale_factor = 1.15;
	p.min_width = p.min_height = 24;
	const vision_box *b;
	size_t n;
	if (vision_detect(det, photo, &p, &b, &n) < 0)
		return bj_error_code();
	if (!n) {
		set->skips.no_face++;
		return 0;
	}
	size_t best = 0;
	for (size_t i = 1; i < n; i++)
		if ((int64_t)b[i].width * b[i].height > (int64_t)b[best].width * b[best].height)
			best = i;
	/* dlib's rectangle has inclusive corners (vision/landmarks.h) */
	float box[4] = { (float)b[best].x, (float)b[best].y, (float)(b[best].x + b[best].width - 1),
	                 (float)(b[best].y + b[best].height - 1) };
	float pts[N_COORDS];
	if (vision_landmarks_fit(model, photo, box, pts) < 0)
		return bj_error_code();
	return perform_crops_add_face(set, photo, pts, source, -1);
}

static int is_photo(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".png"));
}

int perform_crops_add_folder(perform_crops *set, const char *dir, vision_detector *det,
                             const vision_shape_model *model, bj_progress *progress)
{
	char **names;
	size_t n;
	int ret = bj_dir_files(dir, &names, &n);
	if (ret < 0)
		return ret;
	int added = 0;
	if (progress) {
		size_t photos = 0;
		for (size_t i = 0; i < n; i++)
			photos += (size_t)is_photo(names[i]);
		bj_progress_set_total(progress, photos);
	}
	for (size_t i = 0; i < n && ret >= 0; i++) {
		if (!is_photo(names[i]))
			continue;
		media_image *img = media_image_load(names[i], 3);
		ret = img ? perform_crops_add_photo(set, det, model, img, names[i]) : bj_error_code();
		media_image_free(img);
		if (ret > 0)
			added++;
		if (progress)
			bj_progress_add(progress, 1);
	}
	bj_free_strings(names, n);
	return ret < 0 ? ret : added;
}

/* ---- the file ---- */

static void meta_long(bj_st_writer *w, const char *key, long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%ld", v);
	bj_st_writer_set_meta(w, key, buf);
}

int perform_crops_save(const perform_crops *set, const char *path)
{
	if (!set->n)
		return bj_error_set(BJ_EINVAL, "'%s': no faces to save", path);
	size_t bytes = 0;
	for (size_t i = 0; i < set->n; i++)
		bytes += strlen(set->sources[i]) + 1;
	char *names = bj_xmalloc(bytes), *p = names;
	for (size_t i = 0; i < set->n; i++) {
		size_t len = strlen(set->sources[i]) + 1;
		memcpy(p, set->sources[i], len);
		p += len;
	}
	int64_t S = set->size, n = (int64_t)set->n;
	bj_st_writer *w = bj_st_writer_new();
	bj_st_writer_set_meta(w, "format", FORMAT);
	bj_st_writer_set_meta(w, "version", VERSION);
	meta_long(w, "size", set->size);
	meta_long(w, "skipped_no_face", set->skips.no_face);
	meta_long(w, "skipped_tiny", set->skips.tiny);
	meta_long(w, "skipped_pose", set->skips.pose);
	meta_long(w, "skipped_degenerate", set->skips.degenerate);
	int ret;
	if ((ret = bj_st_writer_add(w, "crops", BJ_DTYPE_U8, 4, (int64_t[]){ n, S, S, 3 }, set->pixels)) < 0 ||
	    (ret = bj_st_writer_add(w, "landmarks", BJ_DTYPE_F32, 3, (int64_t[]){ n, PERFORM_CROPS_POINTS, 2 },
	                            set->landmarks)) < 0 ||
	    (ret = bj_st_writer_add(w, "frames", BJ_DTYPE_I32, 1, (int64_t[]){ n }, set->frames)) < 0 ||
	    (ret = bj_st_writer_add(w, "sources", BJ_DTYPE_U8, 1, (int64_t[]){ (int64_t)bytes }, names)) < 0)
		goto out;
	ret = bj_st_writer_save(w, path);
out:
	bj_st_writer_free(w);
	free(names);
	return ret;
}

/* The tensor name of dtype and shape (ndim), or NULL with the error set. */
static const bj_st_tensor *expect(const bj_safetensors *st, const char *name, bj_dtype dtype, int ndim,
                                  const int64_t *shape)
{
	const char *path = bj_safetensors_path(st);
	const bj_st_tensor *t = bj_safetensors_find(st, name);
	if (!t) {
		bj_error_set(BJ_EFORMAT, "'%s': no tensor '%s'", path, name);
		return NULL;
	}
	int same = t->dtype == dtype && t->ndim == ndim;
	for (int k = 0; same && k < ndim; k++)
		same = shape[k] < 0 || t->shape[k] == shape[k];
	if (!same) {
		bj_error_set(BJ_EFORMAT, "'%s': tensor '%s' is not %s of the expected shape", path, name,
		             bj_dtype_name(dtype));
		return NULL;
	}
	return t;
}

/* A metadata value as a whole number in [lo, hi], or -1 with the error set. */
static long meta_number(const bj_safetensors *st, const char *key, long lo, long hi)
{
	const char *v = bj_safetensors_meta(st, key);
	char *end;
	long x = v ? strtol(v, &end, 10) : 0;
	if (!v || end == v || *end || x < lo || x > hi) {
		bj_error_set(BJ_EFORMAT, "'%s': metadata '%s' is missing or out of range", bj_safetensors_path(st), key);
		return -1;
	}
	return x;
}

static int load_checked(const bj_safetensors *st, perform_crops **out)
{
	const char *path = bj_safetensors_path(st);
	const char *format = bj_safetensors_meta(st, "format"), *version = bj_safetensors_meta(st, "version");
	if (!format || strcmp(format, FORMAT) != 0)
		return bj_error_set(BJ_EFORMAT, "'%s': not a face-crop file", path);
	if (!version || strcmp(version, VERSION) != 0)
		return bj_error_set(BJ_EFORMAT, "'%s': face-crop file version '%s' is not %s", path,
		                    version ? version : "", VERSION);
	perform_crop_opts o = PERFORM_CROP_DEFAULTS;
	long size = meta_number(st, "size", 16, 512);
	perform_crop_skips sk;
	if (size < 0 || (sk.no_face = meta_number(st, "skipped_no_face", 0, LONG_MAX)) < 0 ||
	    (sk.tiny = meta_number(st, "skipped_tiny", 0, LONG_MAX)) < 0 ||
	    (sk.pose = meta_number(st, "skipped_pose", 0, LONG_MAX)) < 0 ||
	    (sk.degenerate = meta_number(st, "skipped_degenerate", 0, LONG_MAX)) < 0)
		return BJ_EFORMAT;
	const bj_st_tensor *crops = expect(st, "crops", BJ_DTYPE_U8, 4, (int64_t[]){ -1, size, size, 3 });
	if (!crops)
		return BJ_EFORMAT;
	int64_t n = crops->shape[0];
	if (n < 1)
		return bj_error_set(BJ_EFORMAT, "'%s': no faces", path);
	const bj_st_tensor *lm = expect(st, "landmarks", BJ_DTYPE_F32, 3, (int64_t[]){ n, PERFORM_CROPS_POINTS, 2 });
	const bj_st_tensor *frames = lm ? expect(st, "frames", BJ_DTYPE_I32, 1, (int64_t[]){ n }) : NULL;
	const bj_st_tensor *names = frames ? expect(st, "sources", BJ_DTYPE_U8, 1, (int64_t[]){ -1 }) : NULL;
	if (!names)
		return BJ_EFORMAT;
	o.size = (int)size;
	perform_crops *set = perform_crops_new(&o);
	set->skips = sk;
	set->cap = set->n = (size_t)n;
	set->pixels = bj_xmalloc(crops->nbytes);
	memcpy(set->pixels, crops->data, crops->nbytes);
	set->landmarks = bj_xmalloc(lm->nbytes);
	memcpy(set->landmarks, lm->data, lm->nbytes);
	set->frames = bj_xmalloc(frames->nbytes);
	memcpy(set->frames, frames->data, frames->nbytes);
	set->sources = bj_xcalloc((size_t)n, sizeof(char *));
	int ret = 0;
	float lo = -LANDMARK_SLACK * (float)size, hi = (1 + LANDMARK_SLACK) * (float)size;
	for (size_t i = 0; i < set->n * N_COORDS && ret == 0; i++)
		if (!(set->landmarks[i] >= lo && set->landmarks[i] <= hi))
			ret = bj_error_set(BJ_EFORMAT, "'%s': face %zu has a landmark outside its crop", path,
			                   i / N_COORDS);
	for (size_t i = 0; i < set->n && ret == 0; i++)
		if (set->frames[i] < -1)
			ret = bj_error_set(BJ_EFORMAT, "'%s': face %zu has frame %d", path, i, (int)set->frames[i]);
	const char *p = names->data, *end = p + names->nbytes;
	size_t k = 0;
	while (ret == 0 && k < set->n && p < end) {
		const char *nul = memchr(p, 0, (size_t)(end - p));
		if (!nul)
			break;
		set->sources[k++] = bj_xstrdup(p);
		p = nul + 1;
	}
	if (ret == 0 && (k != set->n || p != end))
		ret = bj_error_set(BJ_EFORMAT, "'%s': 'sources' does not hold %zu NUL-terminated paths", path, set->n);
	if (ret < 0) {
		/* sources not read yet are NULL, which free() takes */
		perform_crops_free(set);
		return ret;
	}
	*out = set;
	return 0;
}

int perform_crops_load(const char *path, perform_crops **out)
{
	*out = NULL;
	bj_safetensors *st;
	int ret = bj_safetensors_load(path, &st);
	if (ret < 0)
		return ret;
	ret = load_checked(st, out);
	bj_safetensors_free(st);
	return ret;
}
