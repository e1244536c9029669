#include "perform/swap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "vision/align.h"
#include "vision/delaunay.h"
#include "vision/detect.h"
#include "vision/face_mask.h"
#include "vision/landmarks.h"
#include "vision/poisson.h"
#include "vision/smooth.h"
#include "vision/tone.h"
#include "vision/warp.h"

#define N_PTS (68 + VISION_WARP_FRAME_POINTS)
#define MAX_MISSED 2          /* frames a face outlives its last detection */
#define STAR_HYSTERESIS 5.0   /* degrees a new star photo must be nearer by */
#define COLOUR_RATE 0.3       /* weight of the new frame in the colour statistics */
#define BOX_RATE 0.15f        /* weight of a new detection in a followed face's box */
#define BLUR_EVERY 15         /* frames between sharpness measurements */

typedef struct star_photo {
	media_image *img;
	float pts[2 * N_PTS];
	int *tris, n_tris;
	float yaw, pitch;
} star_photo;

struct perform_swapper {
	perform_swap_opts o;
	const vision_shape_model *model;
	vision_detector *det;
	star_photo *stars;
	int n_stars;
	size_t cap_stars;

	/* the face being followed */
	vision_smooth *smooth;
	int have_face, missed, cur_star;
	float last_box[4];
	/* smoothed footage measurements */
	int measured;
	double tgt[6], src[6], chroma, noise, blur;
	int blur_age;
	long frame_no;

	/* scores */
	long frames, swapped, seam_n;
	double change_swap, change_orig, seam, seam_orig;
	media_image *orig, *prev_orig, *prev_swap, *work;
	int prev_valid;
	uint8_t *mask;
	/* a trained swap instead of star photos (perform_swapper_set_redraw) */
	perform_swap_redraw_fn *redraw;
	void *redraw_ctx;
	int redraw_size;
};

/* Steadier than the filter's defaults: a pasted face shows every tremor of
 * its landmarks as a shimmer of the whole face. */
static const vision_smooth_params smoothing = { 0.4, 0.5, 1.0 };

perform_swapper *perform_swapper_new(const vision_cascade *c, const vision_shape_model *m, bj_pool *pool,
                                     const perform_swap_opts *o)
{
	if (!(o->strength >= 0 && o->strength <= 1) || o->min_face < 16) {
		bj_error_set(BJ_EINVAL, "swap: strength must be 0..1 and the smallest face 16 px or more");
		return NULL;
	}
	perform_swapper *s = bj_xcalloc(1, sizeof(*s));
	s->o = *o;
	s->model = m;
	s->det = vision_detector_new(c, pool);
	s->smooth = vision_smooth_new(68, &smoothing);
	if (!s->det || !s->smooth) {
		perform_swapper_free(s);
		return NULL;
	}
	s->cur_star = -1;
	return s;
}

/* The largest face's detector box in img, or 0 for none. */
static int largest_face(vision_detector *det, const media_image *img, int min_size, float box[4])
{
	vision_detect_params p = VISION_DETECT_DEFAULTS;
	p.scale_factor = 1.15;
	p.min_width = p.min_height = min_size;
	const vision_box *b;
	size_t n;
	if (vision_detect(det, img, &p, &b, &n) < 0)
		return -1;
	size_t best = 0;
	for (size_t i = 1; i < n; i++)
		if (b[i].width * b[i].height > b[best].width * b[best].height)
			best = i;
	if (!n)
		return 0;
	box[0] = (float)b[best].x;
	box[1] = (float)b[best].y;
	box[2] = (float)b[best].width;
	box[3] = (float)b[best].height;
	return 1;
}

static int fit(const perform_swapper *s, const media_image *img, const float box[4], float *pts)
{
	float dlib_box[4] = { box[0], box[1], box[0] + box[2] - 1, box[1] + box[3] - 1 };
	return vision_landmarks_fit(s->model, img, dlib_box, pts);
}

int perform_swapper_add_star(perform_swapper *s, const media_image *photo, const char *name)
{
	if (photo->channels != 3)
		return bj_error_set(BJ_EINVAL, "'%s': star photo is not RGB", name);
	float box[4], lm[136];
	vision_pose pose;
	int found = largest_face(s->det, photo, 24, box);
	if (found < 0)
		return found;
	if (!found)
		return bj_error_set(BJ_EINVAL, "'%s': no face found", name);
	if (fit(s, photo, box, lm) < 0 || vision_pose_estimate(lm, &pose) < 0)
		return bj_error_set(BJ_EINVAL, "'%s': the face's landmarks are degenerate", name);
	star_photo st = { 0 };
	vision_warp_frame(lm, 68, st.pts);
	if (vision_delaunay(st.pts, N_PTS, &st.tris, &st.n_tris) < 0)
		return bj_error_set(BJ_EINVAL, "'%s': the face's landmarks are degenerate", name);
	st.img = media_image_new(photo->width, photo->height, 3);
	if (!st.img) {
		free(st.tris);
		return bj_error_code();
	}
	for (int y = 0; y < photo->height; y++)
		memcpy(st.img->data + (size_t)y * st.img->stride, photo->data + (size_t)y * photo->stride,
		       (size_t)photo->width * 3);
	st.yaw = pose.yaw;
	st.pitch = pose.pitch;
	BJ_GROW(s->stars, s->cap_stars, (size_t)s->n_stars + 1);
	s->stars[s->n_stars++] = st;
	return 0;
}

int perform_swapper_stars(const perform_swapper *s)
{
	return s->n_stars;
}

static double pose_distance(const star_photo *st, const vision_pose *p)
{
	return hypot(st->yaw - p->yaw, st->pitch - p->pitch);
}

/* The star photo for this pose, keeping the current one unless another is
 * clearly nearer. */
static int pick_star(perform_swapper *s, const vision_pose *p)
{
	int best = 0;
	for (int i = 1; i < s->n_stars; i++)
		if (pose_distance(&s->stars[i], p) < pose_distance(&s->stars[best], p))
			best = i;
	if (s->cur_star < 0 ||
	    pose_distance(&s->stars[best], p) + STAR_HYSTERESIS < pose_distance(&s->stars[s->cur_star], p))
		s->cur_star = best;
	return s->cur_star;
}

static void copy_image(media_image *dst, const media_image *src)
{
	for (int y = 0; y < src->height; y++)
		memcpy(dst->data + (size_t)y * dst->stride, src->data + (size_t)y * src->stride,
		       (size_t)src->width * 3);
}

static void forget_face(perform_swapper *s)
{
	s->have_face = 0;
	s->missed = 0;
	s->cur_star = -1;
	s->measured = 0;
	vision_smooth_reset(s->smooth);
}

/* (Re)allocates the frame-sized buffers for w x h frames. */
static int buffers(perform_swapper *s, int w, int h)
{
	if (s->orig && s->orig->width == w && s->orig->height == h)
		return 0;
	media_image_free(s->orig);
	media_image_free(s->prev_orig);
	media_image_free(s->prev_swap);
	media_image_free(s->work);
	free(s->mask);
	s->orig = media_image_new(w, h, 3);
	s->prev_orig = media_image_new(w, h, 3);
	s->prev_swap = media_image_new(w, h, 3);
	s->work = media_image_new(w, h, 3);
	s->mask = bj_xcalloc((size_t)w * h, 1);
	s->prev_valid = 0;
	forget_face(s);
	return s->orig && s->prev_orig && s->prev_swap && s->work ? 0 : bj_error_code();
}

/* Moves x towards now by COLOUR_RATE (or sets it on the first measurement). */
static double follow(double x, double now, int first)
{
	return first ? now : (1 - COLOUR_RATE) * x + COLOUR_RATE * now;
}

/* Colour, black and white, blur and grain of the warped star in s->work made
 * like the footage face in frame. */
static void match_tone(perform_swapper *s, const media_image *frame, vision_rect box)
{
	double tgt[6], src[6];
	vision_lab_stats(frame, s->mask, tgt);
	vision_lab_stats(s->work, s->mask, src);
	int first = !s->measured;
	for (int c = 0; c < 6; c++) {
		s->tgt[c] = follow(s->tgt[c], tgt[c], first);
		s->src[c] = follow(s->src[c], src[c], first);
	}
	s->chroma = follow(s->chroma, vision_chroma(frame, s->mask), first);
	vision_lab_transfer(s->work, s->mask, s->src, s->tgt, s->chroma < 4);
	if (first || --s->blur_age <= 0) {
		double b = vision_blur_to_match(s->work, frame, s->mask, box);
		s->blur = first ? b : (s->blur + b) / 2;
		s->blur_age = BLUR_EVERY;
	}
	vision_blur(s->work, box, s->blur);
	s->noise = follow(s->noise, vision_noise_sigma(frame, s->mask), first);
	double own = vision_noise_sigma(s->work, s->mask);
	double grain = s->noise > own ? sqrt(s->noise * s->noise - own * own) : 0;
	vision_add_grain(s->work, s->mask, grain, s->o.seed * 0x9E3779B97F4A7C15ull + (uint64_t)s->frame_no);
	s->measured = 1;
}

/* Adds this frame's change inside the mask to the flicker sums. */
static void score(perform_swapper *s, const media_image *frame, vision_rect box)
{
	if (s->prev_valid) {
		for (int y = box.y0; y < box.y1; y++)
			for (int x = box.x0; x < box.x1; x++) {
				if (s->mask[(size_t)y * frame->width + x] < 128)
					continue;
				size_t i = (size_t)y * frame->stride + 3 * (size_t)x;
				for (int c = 0; c < 3; c++) {
					s->change_swap += abs(frame->data[i + c] - s->prev_swap->data[i + c]);
					s->change_orig += abs(s->orig->data[i + c] - s->prev_orig->data[i + c]);
				}
			}
	}
	double seam = vision_seam_score(frame, s->mask, box), seam_orig = vision_seam_score(s->orig, s->mask, box);
	if (seam > 0 && seam_orig > 0) {
		s->seam += seam;
		s->seam_orig += seam_orig;
		s->seam_n++;
	}
}

/* The face again near its last box: detected in that box grown by half its
 * size on every side, at no less than 70 % of its size (far cheaper than the
 * whole frame).  1 with box set, 0 if not there, or a negative code. */
static int near_last(perform_swapper *s, const media_image *frame, float *box)
{
	const float *b = s->last_box;
	int x0 = (int)fmaxf(b[0] - b[2] / 2, 0), y0 = (int)fmaxf(b[1] - b[3] / 2, 0);
	int x1 = (int)fminf(b[0] + 1.5f * b[2], (float)frame->width);
	int y1 = (int)fminf(b[1] + 1.5f * b[3], (float)frame->height);
	if (x1 - x0 < 24 || y1 - y0 < 24)
		return 0;
	media_image crop = media_image_view(frame->data + (size_t)y0 * frame->stride + 3 * (size_t)x0, x1 - x0,
	                                    y1 - y0, 3, frame->stride);
	int found = largest_face(s->det, &crop, (int)fmaxf(24, 0.7f * b[2]), box);
	if (found > 0) {
		box[0] += (float)x0;
		box[1] += (float)y0;
	}
	return found;
}

/* Finds, fits and steadies the face; returns 1 with pts set, 0 with rep->reason. */
static int follow_face(perform_swapper *s, const media_image *frame, double t, float *pts,
                       perform_swap_report *rep)
{
	float box[4];
	int found = s->have_face ? near_last(s, frame, box) : 0;
	if (!found)
		found = largest_face(s->det, frame, 24, box);
	if (found < 0)
		return found;
	if (found && box[2] < s->o.min_face) {
		snprintf(rep->reason, sizeof(rep->reason), "face %.0f px < %d px", box[2], s->o.min_face);
		forget_face(s);
		return 0;
	}
	if (found) {
		/* the landmarks follow the box a little: a box that wobbles by a few
		 * pixels from frame to frame would make the face shimmer, so a face
		 * that stayed put keeps a box steadied like its landmarks */
		const float *b = s->last_box;
		if (s->have_face && fabsf(box[0] - b[0]) < 0.2f * b[2] && fabsf(box[1] - b[1]) < 0.2f * b[3])
			for (int k = 0; k < 4; k++)
				box[k] = (1 - BOX_RATE) * b[k] + BOX_RATE * box[k];
		memcpy(s->last_box, box, sizeof(box));
		s->missed = 0;
	} else if (s->have_face && s->missed < MAX_MISSED) {
		memcpy(box, s->last_box, sizeof(box));
		s->missed++;
	} else {
		snprintf(rep->reason, sizeof(rep->reason), "no face");
		forget_face(s);
		return 0;
	}
	if (fit(s, frame, box, pts) < 0)
		return -1;
	double span = hypot(pts[2 * 45] - pts[2 * 36], pts[2 * 45 + 1] - pts[2 * 36 + 1]);
	vision_smooth_push(s->smooth, t, span > 1 ? span : 1, pts, pts);
	s->have_face = 1;
	return 1;
}

void perform_swapper_set_redraw(perform_swapper *s, perform_swap_redraw_fn *fn, void *ctx, int size)
{
	s->redraw = fn;
	s->redraw_ctx = ctx;
	s->redraw_size = size;
}

/* The face at pts as a "star photo": its aligned crop redrawn by the trained
 * swap, with the landmarks moved into the crop.  Free out->img and out->tris. */
static int redrawn_face(perform_swapper *s, const media_image *frame, const float *pts, star_photo *out)
{
	vision_similarity to_crop;
	float lm[136];
	memcpy(lm, pts, sizeof(lm));
	if (vision_align_transform(pts, s->redraw_size, &to_crop) < 0)
		return bj_error_code();
	vision_similarity_apply(&to_crop, lm, 68);
	out->img = vision_align_crop(frame, pts, s->redraw_size);
	if (!out->img)
		return bj_error_code();
	int ret = s->redraw(s->redraw_ctx, out->img);
	vision_warp_frame(lm, 68, out->pts);
	if (ret == 0 && vision_delaunay(out->pts, N_PTS, &out->tris, &out->n_tris) < 0)
		ret = bj_error_code();
	if (ret < 0) {
		media_image_free(out->img);
		out->img = NULL;
	}
	return ret;
}

int perform_swapper_frame(perform_swapper *s, media_image *frame, double t, perform_swap_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->star = -1;
	if (!s->n_stars && !s->redraw)
		return bj_error_set(BJ_EINVAL, "swap: no star photo with a face");
	if (frame->channels != 3)
		return bj_error_set(BJ_EINVAL, "swap: the frame is not RGB");
	if (buffers(s, frame->width, frame->height) < 0)
		return bj_error_code();
	s->frames++;
	s->frame_no++;
	copy_image(s->orig, frame);
	float pts[136], dst[2 * N_PTS];
	vision_pose pose;
	int ok = follow_face(s, frame, t, pts, rep);
	if (ok < 0)
		return ok;
	if (ok && vision_pose_estimate(pts, &pose) < 0) {
		snprintf(rep->reason, sizeof(rep->reason), "degenerate landmarks");
		forget_face(s);
		ok = 0;
	}
	vision_rect box = { 0, 0, 0, 0 };
	if (ok) {
		star_photo redrawn = { 0 };
		const star_photo *st = &redrawn;
		if (!s->redraw)
			st = &s->stars[pick_star(s, &pose)];
		else if ((ok = redrawn_face(s, frame, pts, &redrawn)) < 0)
			return ok;
		ok = 1;
		copy_image(s->work, frame);
		vision_warp_frame(pts, 68, dst);
		vision_warp_affine(st->img, st->pts, s->work, dst, st->tris, st->n_tris, NULL);
		media_image_free(redrawn.img);
		free(redrawn.tris);
		memset(s->mask, 0, (size_t)frame->width * frame->height);
		vision_face_mask(pts, frame->width, frame->height, s->mask, &box);
		if (box.x1 - box.x0 < 3 || box.y1 - box.y0 < 3) {
			snprintf(rep->reason, sizeof(rep->reason), "face outside the frame");
			ok = 0;
		}
	}
	if (ok) {
		match_tone(s, frame, box);
		if (vision_seamless_clone(frame, s->work, s->mask, box) < 0)
			return bj_error_code();
		if (s->o.strength < 1)
			for (int y = box.y0; y < box.y1; y++)
				for (int x = 0; x < 3 * (box.x1 - box.x0); x++) {
					size_t i = (size_t)y * frame->stride + 3 * (size_t)box.x0 + x;
					frame->data[i] = (uint8_t)lrint(s->orig->data[i] +
					                                s->o.strength * (frame->data[i] - s->orig->data[i]));
				}
		score(s, frame, box);
		s->swapped++;
		rep->swapped = 1;
		rep->star = s->cur_star;
	}
	media_image *swap = s->prev_orig;
	s->prev_orig = s->orig;
	s->orig = swap;
	copy_image(s->prev_swap, frame);
	s->prev_valid = 1;
	return 0;
}

void perform_swapper_reset(perform_swapper *s)
{
	forget_face(s);
	s->frames = s->swapped = s->seam_n = 0;
	s->change_swap = s->change_orig = s->seam = s->seam_orig = 0;
	s->prev_valid = 0;
}

void perform_swapper_stats(const perform_swapper *s, perform_swap_stats *out)
{
	out->frames = s->frames;
	out->swapped = s->swapped;
	out->flicker = s->change_orig > 0 ? s->change_swap / s->change_orig : 0;
	out->seam = s->seam_n ? s->seam / s->seam_n : 0;
	out->seam_original = s->seam_n ? s->seam_orig / s->seam_n : 0;
}

void perform_swapper_free(perform_swapper *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n_stars; i++) {
		media_image_free(s->stars[i].img);
		free(s->stars[i].tris);
	}
	free(s->stars);
	vision_detector_free(s->det);
	vision_smooth_free(s->smooth);
	media_image_free(s->orig);
	media_image_free(s->prev_orig);
	media_image_free(s->prev_swap);
	media_image_free(s->work);
	free(s->mask);
	free(s);
}
