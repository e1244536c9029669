#include "perform/swap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/sort.h"
#include "perform/swap_choice.h"
#include "perform/swap_detail.h"
#include "perform/swap_glasses.h"
#include "perform/swap_mask.h"
#include "perform/swap_score.h"
#include "perform/swap_shape.h"
#include "perform/swap_steady.h"
#include "perform/swap_temporal.h"
#include "vision/align.h"
#include "vision/chroma.h"
#include "vision/delaunay.h"
#include "vision/detect.h"
#include "vision/expression.h"
#include "vision/face_mask.h"
#include "vision/facedesc.h"
#include "vision/landmarks.h"
#include "vision/motion.h"
#include "vision/poisson.h"
#include "vision/skin.h"
#include "vision/smooth.h"
#include "vision/tone.h"
#include "vision/warp.h"

#define N_PTS (68 + VISION_WARP_FRAME_POINTS)
#define NEAR_NEIGHBOURS 1     /* detector hits that confirm a followed face (3 for a new one) */
#define MAX_MISSED 2          /* frames a face outlives its last detection */
#define STAR_HYSTERESIS 5.0   /* degrees a new star photo must be nearer by */
#define MAX_TURN 30.0         /* degrees of head pose a star photo can be warped across */
#define UNUSUAL_DEGREES 2.0   /* degrees of pose one step of expression (vision_expression_distance) is worth */
#define COLOUR_RATE 0.3       /* weight of the new frame in the colour statistics */
#define BOX_RATE 0.15f        /* weight of a new detection in a followed face's box */
#define BLUR_EVERY 15         /* frames between sharpness and grain measurements */
#define GRAIN_SLACK 1.5f      /* pixels the face moves before its grain follows */
#define MIN_LIFT 0.2f         /* the least forehead kept above the brows, of the full lift */
#define NEW_FACE_IOU 0.3f     /* overlap of a new face's boxes on two frames that confirms it */
#define MAX_SHARPEN 0.25      /* the most unsharp masking of a soft star photo */
#define MIN_DETAIL 0.3        /* the least of a star face's fine detail kept */
#define DETAIL_RATE 0.3       /* how fast the detail follows the swapped frames' */
#define IDENTITY_EVERY 5      /* swapped frames between identity measurements */

/* The scores' running sums, for a shot and for all frames. */
struct sums {
	long frames, swapped, no_face, small, turned, absent, seam_n, margin_n;
	double change_swap, change_orig, seam, seam_orig, margin, texture_swap, texture_orig;
};

typedef struct star_photo {
	media_image *img;
	float pts[2 * N_PTS];
	int *tris, n_tris;
	float yaw, pitch;
	vision_expression expression;
	float unusual;   /* how far its expression is from the star's calm face (star_unusual) */
	float desc[VISION_FACEDESC_DIM];   /* its face descriptor */
	double detail;                     /* perform_photo_detail */
} star_photo;

struct perform_swapper {
	perform_swap_opts o;
	const vision_shape_model *model;
	const vision_cascade *cascade;
	vision_detector *det;
	bj_pool *pool;          /* shares out the detector's and the motion fit's work (may be NULL) */
	star_photo *stars;
	int n_stars;
	size_t cap_stars;
	int unusual_stale;   /* a star photo came since star_unusual */
	perform_swap_shape *shape;   /* the star's proportions (warp_star) */

	/* the face being followed */
	perform_steady *steady;
	perform_temporal *temporal;   /* the correction blended over time */
	perform_swap_detail *bands;   /* the mid-scale and coarse detail matched */
	perform_swap_glasses *glasses;   /* the footage's glasses given back */
	vision_similarity moved;      /* how the picture moved under the face since the last frame ... */
	int have_moved;               /* ... if known (face_motion) */
	int have_face, missed, cur_star;
	float actor_desc[VISION_FACEDESC_DIM];   /* the face's descriptor when first followed ... */
	int have_actor;                          /* ... if it has one (pick_star) */
	int targeted;           /* target holds for the next frame (perform_swapper_target) */
	float target[4];
	float last_box[4];      /* the last box fitted, for the detector to look near */
	float last_pts[136];    /* the last frame's landmarks, steadied */
	float last_raw[136];    /* ... and as fitted */
	float box_rel[3];       /* the detector box's centre and side from the face's (learn_box) */
	float candidate[4];     /* a new face seen mid-shot, not yet swapped ... */
	long candidate_frame;   /* ... on this frame of the shot (from 1) */
	/* smoothed footage measurements */
	int measured;
	double chroma, noise, own_noise, blur, sharpen, detail, texture_ratio;
	int blur_age;
	float lifts[10];          /* the forehead's height above each brow point, steadied */
	int have_lifts;
	long faces_seen;          /* faces followed so far: each gets its own grain */

	/* scores */
	struct sums shot, total;
	double star_sum[VISION_FACEDESC_DIM];   /* the star photos' descriptors summed */
	float star_desc[VISION_FACEDESC_DIM];   /* ... and normalised */
	float desc_swap[VISION_FACEDESC_DIM], desc_orig[VISION_FACEDESC_DIM];
	long since_identity;
	media_image *orig, *prev_orig, *prev_swap, *work;
	int prev_valid;
	int last_ok;             /* the last frame was swapped, inside last_rect */
	vision_rect last_rect;
	uint8_t *mask, *guide;    /* the face mask, the clone's guidance weights (face_mask.h) */
	uint8_t *skin, *alien;    /* the footage face's bare skin, what is not skin around it ... */
	media_image *fill;        /* ... and the skin colour there (match_tone) */
	/* a trained swap instead of star photos (perform_swapper_set_redraw) */
	perform_swap_redraw_fn *redraw;
	void *redraw_ctx;
	int redraw_size;
	float *redraw_crop_mask;            /* the decoder's mask of the last crop */
	vision_similarity redraw_to_crop;   /* frame to that crop */
	perform_swap_mask redraw_mask;
};

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
	s->cascade = c;
	s->det = vision_detector_new(c, pool);
	s->pool = pool;
	s->steady = perform_steady_new();
	s->shape = perform_swap_shape_new();
	s->temporal = perform_temporal_new();
	s->glasses = perform_swap_glasses_new();
	s->bands = perform_swap_detail_new();
	if (!s->det) {
		perform_swapper_free(s);
		return NULL;
	}
	s->cur_star = -1;
	return s;
}

/* Intersection over union of two boxes (x, y, w, h). */
static float iou(const float *a, const float *b)
{
	float w = fminf(a[0] + a[2], b[0] + b[2]) - fmaxf(a[0], b[0]);
	float h = fminf(a[1] + a[3], b[1] + b[3]) - fmaxf(a[1], b[1]);
	if (w <= 0 || h <= 0)
		return 0;
	return w * h / (a[2] * a[3] + b[2] * b[3] - w * h);
}

/* Whether the followed face at box is still the wanted one at want: they
 * overlap by PERFORM_TARGET_IOU, or want is the same size to a factor 1.5 and
 * its centre within 0.8 of a face of box's.  A target interpolated between
 * samples half a second apart trails a head that moves fast between them;
 * another person's face is a face width or more away. */
static int still_wanted(const float *box, const float *want)
{
	if (iou(box, want) >= PERFORM_TARGET_IOU)
		return 1;
	float size = fmaxf(box[2], want[2]);
	return want[2] > box[2] / 1.5f && want[2] < 1.5f * box[2] &&
	       hypotf(box[0] + box[2] / 2 - want[0] - want[2] / 2, box[1] + box[3] / 2 - want[1] - want[3] / 2) <
	               0.8f * size;
}

/* A face's detector box in img: the largest, or with near, the one that
 * overlaps near most (by more than min_iou).  1 with box set, 0 for none, or
 * a negative code. */
static int pick_face(vision_detector *det, const media_image *img, int min_size, int neighbours,
                     const float *near, float min_iou, float box[4])
{
	vision_detect_params p = VISION_DETECT_DEFAULTS;
	p.scale_factor = 1.15;
	p.min_neighbors = neighbours;
	p.min_width = p.min_height = min_size;
	const vision_box *b;
	size_t n;
	if (vision_detect(det, img, &p, &b, &n) < 0)
		return -1;
	size_t best = n;
	float best_iou = min_iou;
	for (size_t i = 0; i < n; i++) {
		float bi[4] = { (float)b[i].x, (float)b[i].y, (float)b[i].width, (float)b[i].height };
		if (near) {
			float o = iou(bi, near);
			if (o > best_iou) {
				best_iou = o;
				best = i;
			}
		} else if (best == n || b[i].width * b[i].height > b[best].width * b[best].height) {
			best = i;
		}
	}
	if (best == n)
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

int perform_swap_star_face(vision_detector *det, const media_image *photo, float box[4])
{
	return pick_face(det, photo, 24, 3, NULL, 0, box);
}

const vision_cascade *perform_swapper_cascade(const perform_swapper *s)
{
	return s->cascade;
}

bj_pool *perform_swapper_pool(const perform_swapper *s)
{
	return s->pool;
}

int perform_swapper_add_star(perform_swapper *s, const media_image *photo, const char *name)
{
	if (photo->channels != 3)
		return bj_error_set(BJ_EINVAL, "'%s': star photo is not RGB", name);
	float box[4];
	int found = perform_swap_star_face(s->det, photo, box);
	if (found < 0)
		return found;
	if (!found)
		return bj_error_set(BJ_EINVAL, "'%s': no face found", name);
	return perform_swapper_add_star_at(s, photo, box, name);
}

int perform_swapper_add_star_at(perform_swapper *s, const media_image *photo, const float box[4], const char *name)
{
	perform_star_fit f;
	if (photo->channels != 3)
		return bj_error_set(BJ_EINVAL, "'%s': star photo is not RGB", name);
	(void)perform_swapper_fit_star(s, photo, box, &f);
	return perform_swapper_add_fitted(s, photo, &f, name);
}

int perform_swapper_fit_star(const perform_swapper *s, const media_image *photo, const float box[4],
                             perform_star_fit *f)
{
	memset(f, 0, sizeof(*f));
	vision_pose pose;
	if (photo->channels != 3 || fit(s, photo, box, f->lm) < 0 || vision_pose_estimate(f->lm, &pose) < 0)
		return BJ_EINVAL;
	f->usable = 1;
	f->yaw = pose.yaw;
	f->pitch = pose.pitch;
	f->described = vision_facedesc(photo, f->lm, f->desc) == 0;
	f->code = f->described ? 0 : bj_error_code();
	return 0;
}

int perform_swapper_add_fitted(perform_swapper *s, const media_image *photo, const perform_star_fit *f,
                               const char *name)
{
	if (photo->channels != 3)
		return bj_error_set(BJ_EINVAL, "'%s': star photo is not RGB", name);
	if (!f->usable || perform_swap_shape_add_star(s->shape, f->lm) < 0)
		return bj_error_set(BJ_EINVAL, "'%s': the face's landmarks are degenerate", name);
	star_photo st = { 0 };
	vision_warp_frame(f->lm, 68, st.pts);
	if (vision_delaunay(st.pts, N_PTS, &st.tris, &st.n_tris) < 0)
		return bj_error_set(BJ_EINVAL, "'%s': the face's landmarks are degenerate", name);
	if (!f->described) {
		free(st.tris);
		return bj_error_set(f->code, "'%s': no face descriptor", name);
	}
	st.img = media_image_new(photo->width, photo->height, 3);
	if (!st.img) {
		free(st.tris);
		return bj_error_code();
	}
	for (int y = 0; y < photo->height; y++)
		memcpy(st.img->data + (size_t)y * st.img->stride, photo->data + (size_t)y * photo->stride,
		       (size_t)photo->width * 3);
	st.yaw = f->yaw;
	st.pitch = f->pitch;
	vision_expression_measure(f->lm, &st.expression);
	s->unusual_stale = 1;
	memcpy(st.desc, f->desc, sizeof(st.desc));
	st.detail = perform_photo_detail(photo, f->lm);
	/* the star's identity: the mean of its photos' descriptors */
	for (int i = 0; i < VISION_FACEDESC_DIM; i++) {
		s->star_sum[i] += f->desc[i];
		s->star_desc[i] = (float)s->star_sum[i];
	}
	vision_facedesc_normalise(s->star_desc);
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

static float median(float *v, int n)
{
	bj_sort_floats(v, (size_t)n);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Each star photo's distance from the star's calm face: the median of its
 * photos' measures.  A shouting, grinning or frowning photo warped onto a calm
 * actor keeps its creases, squint and stretched lips. */
static void star_unusual(perform_swapper *s)
{
	int n = s->n_stars;
	float *v = bj_xcalloc((size_t)n * 5, sizeof(*v));
	for (int i = 0; i < n; i++) {
		const vision_expression *e = &s->stars[i].expression;
		v[i] = e->eyes;
		v[n + i] = e->mouth;
		v[2 * n + i] = e->brow_height;
		v[3 * n + i] = e->brow_gap;
		v[4 * n + i] = e->mouth_width;
	}
	vision_expression calm = { .eyes = median(v, n), .mouth = median(v + n, n), .brow_height = median(v + 2 * n, n),
		                   .brow_gap = median(v + 3 * n, n), .mouth_width = median(v + 4 * n, n) };
	free(v);
	for (int i = 0; i < n; i++)
		s->stars[i].unusual = vision_expression_distance(&s->stars[i].expression, &calm);
	s->unusual_stale = 0;
}

/* What warping this star photo onto this pose costs, in degrees. */
static double star_cost(const star_photo *st, const vision_pose *p)
{
	return pose_distance(st, p) + UNUSUAL_DEGREES * st->unusual;
}

/* The star photo for this pose: of the photos within MAX_TURN degrees of it,
 * the one of least cost (star_cost: pose and expression) is the nearest; of
 * those about as near it, the one that carries the star best onto the actor
 * (descriptor actor, NULL if unknown: the nearest; swap_choice.h).  It is
 * kept while its pose stays within the choice's window of the pose of the
 * photo nearest in pose (or STAR_HYSTERESIS if wider); -1 when no photo is
 * within MAX_TURN degrees. */
static int pick_star(perform_swapper *s, const vision_pose *p, const float *actor)
{
	if (s->unusual_stale)
		star_unusual(s);
	int nearest = -1;
	for (int i = 0; i < s->n_stars; i++)
		if (pose_distance(&s->stars[i], p) <= MAX_TURN &&
		    (nearest < 0 || star_cost(&s->stars[i], p) < star_cost(&s->stars[nearest], p)))
			nearest = i;
	if (nearest < 0)
		return -1;
	int posed = nearest;   /* nearest in pose alone */
	for (int i = 0; i < s->n_stars; i++)
		if (pose_distance(&s->stars[i], p) < pose_distance(&s->stars[posed], p))
			posed = i;
	/* a photo once chosen stays while its pose does (its expression is what
	 * it was when chosen): with the expression's cost in this test too, a
	 * photo chosen on a face's first frame was dropped three frames later as
	 * the pose settled (grid_brbk7n: flicker 0.955) */
	double keep = actor ? fmax(PERFORM_CHOICE_WINDOW, STAR_HYSTERESIS) : STAR_HYSTERESIS;
	if (s->cur_star >= 0 && pose_distance(&s->stars[s->cur_star], p) <= MAX_TURN &&
	    pose_distance(&s->stars[s->cur_star], p) <= pose_distance(&s->stars[posed], p) + keep)
		return s->cur_star;
	double near = star_cost(&s->stars[nearest], p);
	int best = nearest;
	if (actor) {
		/* the detail limits are the photo nearest in pose alone's: a calmer
		 * photo may be plainer, and a limit from it let through photos that
		 * made the face flicker (videoretalking_face_1: 1.08) */
		perform_photo_choice c[2] = { { s->stars[nearest].desc, s->stars[posed].detail, near } };
		double most = -INFINITY;
		for (int i = 0; i < s->n_stars; i++) {
			if (pose_distance(&s->stars[i], p) > MAX_TURN)
				continue;
			c[1] = (perform_photo_choice){ s->stars[i].desc, s->stars[i].detail, star_cost(&s->stars[i], p) };
			double fit = perform_photo_fit(i == nearest ? &c[0] : &c[1], &c[0], actor, s->star_desc);
			if (fit > most) {
				most = fit;
				best = i;
			}
		}
	}
	s->cur_star = best;
	return best;
}

static void copy_image(media_image *dst, const media_image *src)
{
	for (int y = 0; y < src->height; y++)
		memcpy(dst->data + (size_t)y * dst->stride, src->data + (size_t)y * src->stride,
		       (size_t)src->width * 3);
}

/* The face's centre (mean of its landmarks) and size (outer eye-corner
 * distance, at least 1 pixel). */
static void face_frame(const float *pts, float *cx, float *cy, float *span)
{
	double x = 0, y = 0;
	for (int i = 0; i < 68; i++) {
		x += pts[2 * i];
		y += pts[2 * i + 1];
	}
	*cx = (float)(x / 68);
	*cy = (float)(y / 68);
	*span = fmaxf(1, hypotf(pts[2 * 45] - pts[2 * 36], pts[2 * 45 + 1] - pts[2 * 36 + 1]));
}

static void forget_face(perform_swapper *s)
{
	s->last_ok = 0;
	s->have_face = 0;
	s->missed = 0;
	s->cur_star = -1;
	s->measured = 0;
	s->have_lifts = 0;
	perform_steady_reset(s->steady);
	perform_swap_shape_reset(s->shape);
	perform_temporal_reset(s->temporal);
	perform_swap_glasses_reset(s->glasses);
	perform_swap_detail_reset(s->bands);
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
	free(s->guide);
	s->orig = media_image_new(w, h, 3);
	s->prev_orig = media_image_new(w, h, 3);
	s->prev_swap = media_image_new(w, h, 3);
	s->work = media_image_new(w, h, 3);
	s->mask = bj_xcalloc((size_t)w * h, 1);
	s->guide = bj_xcalloc((size_t)w * h, 1);
	s->prev_valid = 0;
	forget_face(s);
	return s->orig && s->prev_orig && s->prev_swap && s->work ? 0 : bj_error_code();
}

/* The footage's Lab colour at (x, y) (clamped to the frame). */
static void lab_at(const media_image *img, float x, float y, float lab[3])
{
	int xi = (int)lrintf(fminf(fmaxf(x, 0), (float)img->width - 1));
	int yi = (int)lrintf(fminf(fmaxf(y, 0), (float)img->height - 1));
	vision_rgb_to_lab(img->data + (size_t)yi * img->stride + 3 * (size_t)xi, lab);
}

/* How far (0..1 of the full lift) the mask may rise above each brow point
 * before it meets what is not skin - hair, a hat, the frame's edge: walking up
 * from a little above the brow (the brows themselves are dark), the first
 * pixel much darker than the cheeks (L* 18 below) or of another colour
 * (Delta E above 25) ends the forehead, a twentieth of the lift below it.
 * Cloning across hair pulls its dark into the face as smudges over the brows. */
static void forehead_lifts(const media_image *frame, const float *pts, float *lifts)
{
	float lift = vision_face_mask_lift(pts), skin[3] = { 0, 0, 0 };
	static const int cheeks[2][2] = { { 2, 31 }, { 14, 35 } };
	int n = 0;
	for (int c = 0; c < 2; c++)
		for (int dy = -2; dy <= 2; dy++)
			for (int dx = -2; dx <= 2; dx++) {
				float lab[3];
				const float *a = pts + 2 * cheeks[c][0], *b = pts + 2 * cheeks[c][1];
				lab_at(frame, (a[0] + b[0]) / 2 + (float)dx, (a[1] + b[1]) / 2 + (float)dy, lab);
				for (int k = 0; k < 3; k++)
					skin[k] += lab[k];
				n++;
			}
	for (int k = 0; k < 3; k++)
		skin[k] /= (float)n;
	float raw[10];
	for (int i = 0; i < 10; i++) {
		const float *p = pts + 2 * (17 + i);
		raw[i] = 1;
		for (float up = 0.35f * lift; up <= lift; up += 1) {
			float lab[3];
			if (p[1] - up < 0) {
				raw[i] = up / lift;
				break;
			}
			lab_at(frame, p[0], p[1] - up, lab);
			float dl = lab[0] - skin[0], da = lab[1] - skin[1], db = lab[2] - skin[2];
			if (dl < -18 || dl * dl + da * da + db * db > 25 * 25) {
				raw[i] = up / lift - 0.05f;
				break;
			}
		}
	}
	/* a median of three: one stray dark pixel does not dent the forehead */
	for (int i = 0; i < 10; i++) {
		float a = raw[i > 0 ? i - 1 : i], b = raw[i], c = raw[i < 9 ? i + 1 : i];
		lifts[i] = fmaxf(fminf(a, b), fminf(fmaxf(a, b), c));
		lifts[i] = fmaxf(lifts[i], MIN_LIFT);
	}
}

/* Moves x towards now by COLOUR_RATE (or sets it on the first measurement). */
static double follow(double x, double now, int first)
{
	return first ? now : (1 - COLOUR_RATE) * x + COLOUR_RATE * now;
}

/* How many times the current star photo is enlarged onto the face of
 * landmarks pts (outer eye corners); 1 for a redrawn face. */
static double star_enlarged(const perform_swapper *s, const float *pts)
{
	if (s->redraw || s->cur_star < 0)
		return 1;
	const float *q = s->stars[s->cur_star].pts;
	double there = hypot(pts[2 * 45] - pts[2 * 36], pts[2 * 45 + 1] - pts[2 * 36 + 1]);
	double here = hypot(q[2 * 45] - q[2 * 36], q[2 * 45 + 1] - q[2 * 36 + 1]);
	return here > 0 ? there / here : 1;
}

/* Colour, black and white, blur and grain of the warped star in s->work made
 * like the footage face in frame (landmarks pts).  0, or a negative code. */
static int match_tone(perform_swapper *s, const media_image *frame, const float *pts, vision_rect box)
{
	int first = !s->measured;
	s->chroma = follow(s->chroma, vision_chroma_on(s->pool, frame, s->mask, box), first);
	size_t n = (size_t)frame->width * frame->height;
	if (!s->fill || s->fill->width != frame->width || s->fill->height != frame->height) {
		free(s->skin);
		free(s->alien);
		s->skin = bj_xmalloc(n);
		s->alien = bj_xmalloc(n);
		media_image_free(s->fill);
		if (!(s->fill = media_image_new(frame->width, frame->height, 3)))
			return bj_error_code();
	}
	vision_skin_mask_on(s->pool, pts, s->mask, frame->width, box, s->skin);
	if (vision_skin_relight_on(s->pool, s->work, frame, s->skin, s->mask, box, vision_skin_sigma(pts),
	                           s->chroma < 4, s->alien, s->fill) < 0) {
		/* no bare skin to go by (a face mostly off the frame): the whole
		 * face's mean and spread */
		double tgt[6], src[6];
		vision_lab_stats(frame, s->mask, tgt);
		vision_lab_stats(s->work, s->mask, src);
		vision_lab_transfer(s->work, s->mask, src, tgt, s->chroma < 4);
	}
	/* sharpness and grain change slowly and cost a sort or a dozen blurs to
	 * measure: every BLUR_EVERY frames */
	int measure = first || --s->blur_age <= 0;
	if (measure) {
		double b = vision_blur_to_match(s->work, frame, s->mask, box);
		/* softer than the footage (a small photo enlarged): sharpened, but
		 * by no more than MAX_SHARPEN, as sharpening also raises the warp's
		 * frame-to-frame shimmer (flicker) */
		double sh = b > 0 ? 0 : fmin(vision_sharpen_to_match(s->work, frame, s->mask, box), MAX_SHARPEN);
		s->blur = first ? b : (s->blur + b) / 2;
		s->sharpen = first ? sh : (s->sharpen + sh) / 2;
		s->blur_age = BLUR_EVERY;
	}
	vision_blur_on(s->pool, s->work, box, s->blur);
	vision_sharpen_on(s->pool, s->work, box, s->sharpen);
	/* no more detail than the face it covers (vision_soften_detail): a
	 * first guess from the star face as it is, then steered a little every
	 * frame by what the last swapped frame carried (grain and the clone add
	 * detail of their own) */
	if (first) {
		double have = vision_texture(s->work, s->mask, box), want = vision_texture(frame, s->mask, box);
		s->detail = have > want ? fmax(MIN_DETAIL, want / have) : 1;
	} else if (s->texture_ratio > 0) {
		s->detail = fmin(1, fmax(MIN_DETAIL, s->detail * pow(s->texture_ratio, -DETAIL_RATE)));
	}
	vision_soften_detail_on(s->pool, s->work, box, s->detail);
	/* the coarser detail band by band as the footage face's (swap_detail.h) */
	perform_swap_detail_enlarged(s->bands, star_enlarged(s, pts));
	perform_swap_detail_apply(s->bands, s->pool, s->work, frame, s->mask, s->skin, box);
	if (measure) {
		double noise = vision_noise_sigma(frame, s->mask), own = vision_noise_sigma(s->work, s->mask);
		s->noise = first ? noise : (s->noise + noise) / 2;
		s->own_noise = first ? own : (s->own_noise + own) / 2;
	}
	double own = s->own_noise;
	double grain = s->noise > own ? sqrt(s->noise * s->noise - own * own) : 0;
	/* the grain the star lacks, taken from the footage face itself: fresh
	 * grain every frame flickers on a still face, and grain pinned to the face
	 * jumps when the face moves a pixel, where the footage's own changes as
	 * the footage does */
	if (grain > 0)
		vision_add_footage_grain_on(s->pool, s->work, frame, s->mask, box, grain / (0.943 * s->noise),
		                            2.5 * s->noise);
	s->measured = 1;
	return 0;
}

/* Whether frame a repeats b inside r: a mean absolute difference below a
 * tenth of a grey level over every other pixel of every other row (what a
 * codec leaves of an exact repeat; a face that moves at all, if only its
 * lips, changes by more). */
static int repeated(const media_image *a, const media_image *b, vision_rect r)
{
	long sum = 0, n = 0;
	for (int y = r.y0; y < r.y1; y += 2)
		for (int x = 3 * r.x0; x < 3 * r.x1; x += 6) {
			sum += abs(a->data[(size_t)y * a->stride + x] - b->data[(size_t)y * b->stride + x]);
			n++;
		}
	return n && sum < n / 10;
}

static void add_sums(struct sums *a, const struct sums *b)
{
	a->frames += b->frames;
	a->swapped += b->swapped;
	a->no_face += b->no_face;
	a->small += b->small;
	a->turned += b->turned;
	a->absent += b->absent;
	a->seam_n += b->seam_n;
	a->margin_n += b->margin_n;
	a->change_swap += b->change_swap;
	a->change_orig += b->change_orig;
	a->seam += b->seam;
	a->seam_orig += b->seam_orig;
	a->margin += b->margin;
	a->texture_swap += b->texture_swap;
	a->texture_orig += b->texture_orig;
}

/* Adds this frame's change inside the mask, seam score and now and then its
 * identity margin to the shot's sums. */
static void score(perform_swapper *s, const media_image *frame, vision_rect box, const float *pts)
{
	struct sums *u = &s->shot;
	/* between two swapped frames only: the change where a face is first or
	 * last swapped is the swap coming or going, not flicker; a trained swap
	 * given no star photos has no star to measure identity against */
	int change = s->prev_valid && s->last_ok;
	int identity = pts && s->n_stars > 0 && (u->margin_n == 0 || ++s->since_identity >= IDENTITY_EVERY);
	perform_score_input in = { frame, s->orig, change ? s->prev_swap : NULL, change ? s->prev_orig : NULL,
		                   s->mask, box, identity ? pts : NULL, s->desc_swap, s->desc_orig };
	perform_frame_scores sc;
	perform_score_frame(s->pool, &in, &sc);
	u->change_swap += sc.change_swap;
	u->change_orig += sc.change_orig;
	u->texture_swap += sc.texture_swap;
	u->texture_orig += sc.texture_orig;
	s->texture_ratio = sc.texture_orig > 0 ? sc.texture_swap / sc.texture_orig : 0;
	if (change)
		perform_swap_detail_changed(s->bands, sc.brow_swap, sc.brow_orig);
	if (sc.seam > 0 && sc.seam_orig > 0) {
		u->seam += sc.seam;
		u->seam_orig += sc.seam_orig;
		u->seam_n++;
	}
	if (sc.have_desc) {
		u->margin += vision_facedesc_distance(s->desc_swap, s->star_desc) -
		             vision_facedesc_distance(s->desc_swap, s->desc_orig);
		u->margin_n++;
		s->since_identity = 0;
	}
}

/* The face again near its last box: detected in that box grown by half its
 * size on every side, at no less than 70 % of its size (far cheaper than the
 * whole frame); the largest there, or with overlap, the one overlapping the
 * last box most (another face may be as near).  1 with box set, 0 if not
 * there, or a negative code. */
static int near_last(perform_swapper *s, const media_image *frame, int overlap, float *box)
{
	const float *b = s->last_box;
	int x0 = (int)fmaxf(b[0] - b[2] / 2, 0), y0 = (int)fmaxf(b[1] - b[3] / 2, 0);
	int x1 = (int)fminf(b[0] + 1.5f * b[2], (float)frame->width);
	int y1 = (int)fminf(b[1] + 1.5f * b[3], (float)frame->height);
	if (x1 - x0 < 24 || y1 - y0 < 24)
		return 0;
	media_image crop = media_image_view(frame->data + (size_t)y0 * frame->stride + 3 * (size_t)x0, x1 - x0,
	                                    y1 - y0, 3, frame->stride);
	float last[4] = { b[0] - (float)x0, b[1] - (float)y0, b[2], b[3] };
	int found = pick_face(s->det, &crop, (int)fmaxf(24, 0.6f * b[2]), NEAR_NEIGHBOURS, overlap ? last : NULL, 0,
	                      box);
	if (found > 0) {
		box[0] += (float)x0;
		box[1] += (float)y0;
	}
	return found;
}

/* Where the detector's box sits on the face, in face sizes from its centre:
 * learnt on detections, so that the box made from the last frame's landmarks
 * is the one the detector would give. */
static void learn_box(perform_swapper *s, const float *box, const float *pts, int first)
{
	float cx, cy, span;
	face_frame(pts, &cx, &cy, &span);
	float rel[3] = { (box[0] + box[2] / 2 - cx) / span, (box[1] + box[3] / 2 - cy) / span, box[2] / span };
	for (int k = 0; k < 3; k++)
		s->box_rel[k] = first ? rel[k] : (1 - BOX_RATE) * s->box_rel[k] + BOX_RATE * rel[k];
}

static void box_from_points(const perform_swapper *s, const float *pts, float *box)
{
	float cx, cy, span;
	face_frame(pts, &cx, &cy, &span);
	box[2] = box[3] = s->box_rel[2] * span;
	box[0] = cx + s->box_rel[0] * span - box[2] / 2;
	box[1] = cy + s->box_rel[1] * span - box[3] / 2;
}

/* How the picture moved under the followed face since the last frame: the
 * region from the brows to the nose, from cheek to cheek (the mouth moves on
 * its own) of the last frame, its motion first guessed from the fitted
 * landmarks' and then measured on the picture.  1 with *m set, 0 if unknown. */
static int face_motion(perform_swapper *s, const media_image *frame, const float *raw, vision_similarity *m)
{
	if (!s->prev_valid || vision_similarity_fit(s->last_raw, raw, 68, m) < 0)
		return 0;
	const float *p = s->last_pts;
	float top = p[2 * 17 + 1];
	for (int i = 18; i <= 26; i++)
		top = fminf(top, p[2 * i + 1]);
	vision_rect r = { (int)fmaxf(0, p[2 * 1]), (int)fmaxf(0, top), (int)fminf((float)frame->width, p[2 * 15]),
		          (int)fminf((float)frame->height, p[2 * 33 + 1]) };
	return vision_region_motion_on(s->pool, s->prev_orig, s->orig, r, m) == 1;
}

/* Finds, fits and steadies the face; returns 1 with pts set, 0 with rep->reason.
 * The detector only says whether the face is still there: while it agrees with
 * the box made from the last frame's landmarks, that box is the one fitted, as
 * a detector box wobbles by a few pixels and a few per cent of its size from
 * frame to frame even on a still face, and every wobble moves the landmarks. */
static int follow_face(perform_swapper *s, const media_image *frame, double t, const float *want, float *pts,
                       perform_swap_report *rep)
{
	float box[4];
	/* a followed face missed for a frame or two is kept where its landmarks
	 * say, rather than jumping to whatever else the detector finds (a false
	 * hit in the background flashes a face there for one frame) */
	int found = 0;
	if (s->have_face) {
		if ((found = near_last(s, frame, want != NULL, box)) < 0)
			return found;
		float at[4];
		if (!found)
			box_from_points(s, s->last_pts, at);
		/* the followed face is no longer where the wanted one is: another's */
		if (want && !still_wanted(found ? box : at, want)) {
			forget_face(s);
			found = 0;
		}
	}
	if (!s->have_face && (found = pick_face(s->det, frame, 24, 3, want, PERFORM_TARGET_IOU, box)) < 0)
		return found;
	if (found && box[2] < s->o.min_face) {
		snprintf(rep->reason, sizeof(rep->reason), "face %.0f px < %d px", box[2], s->o.min_face);
		rep->skip = PERFORM_SKIP_SMALL;
		forget_face(s);
		return 0;
	}
	/* a face that appears in the middle of a shot, with no target saying
	 * where it is, is swapped from its second frame on: a false detection,
	 * or a face flickering in and out at the frame's edge, would otherwise
	 * be swapped for single frames */
	if (found && !s->have_face && !want && s->shot.frames > 1) {
		int seen = s->candidate_frame == s->shot.frames - 1 && iou(box, s->candidate) > NEW_FACE_IOU;
		memcpy(s->candidate, box, sizeof(s->candidate));
		s->candidate_frame = s->shot.frames;
		if (!seen) {
			snprintf(rep->reason, sizeof(rep->reason), "new face (swapped from its second frame)");
			rep->skip = PERFORM_SKIP_NO_FACE;
			return 0;
		}
	}
	int tracked = 0, fresh = !s->have_face;
	if (found) {
		/* found near the last box: the same face; fitted from the last
		 * landmarks' box unless the detector disagrees with it */
		float prev[4];
		if (!fresh) {
			box_from_points(s, s->last_pts, prev);
			tracked = fabsf(box[0] + box[2] / 2 - prev[0] - prev[2] / 2) < 0.25f * prev[2] &&
			          fabsf(box[1] + box[3] / 2 - prev[1] - prev[3] / 2) < 0.25f * prev[3] &&
			          fabsf(box[2] - prev[2]) < 0.3f * prev[2];
		}
		if (tracked)
			memcpy(box, prev, sizeof(box));
		memcpy(s->last_box, box, sizeof(box));
		s->missed = 0;
	} else if (s->have_face && s->missed < MAX_MISSED) {
		box_from_points(s, s->last_pts, box);
		s->missed++;
		tracked = 1;
	} else {
		snprintf(rep->reason, sizeof(rep->reason), "no face");
		rep->skip = PERFORM_SKIP_NO_FACE;
		forget_face(s);
		return 0;
	}
	float det_box[4];
	memcpy(det_box, box, sizeof(box));
	if (fit(s, frame, box, pts) < 0)
		return -1;
	if (!tracked)
		learn_box(s, det_box, pts, 1);
	s->faces_seen += fresh;
	vision_similarity moved;
	int have_motion = !fresh && face_motion(s, frame, pts, &moved);
	s->have_moved = have_motion;
	if (have_motion)
		s->moved = moved;
	memcpy(s->last_raw, pts, sizeof(s->last_raw));
	perform_steady_push_moved(s->steady, t, pts, have_motion ? &moved : NULL, pts);
	memcpy(s->last_pts, pts, sizeof(s->last_pts));
	s->have_face = 1;
	return 1;
}

void perform_swapper_set_redraw(perform_swapper *s, perform_swap_redraw_fn *fn, void *ctx, int size)
{
	s->redraw = fn;
	s->redraw_ctx = ctx;
	s->redraw_size = size;
	free(s->redraw_crop_mask);
	s->redraw_crop_mask = fn ? bj_xmalloc((size_t)size * size * sizeof(*s->redraw_crop_mask)) : NULL;
}

/* The face at pts as a "star photo": its aligned crop redrawn by the trained
 * swap, with the landmarks moved into the crop; the decoder's mask (all 1 if
 * it gives none) and the frame-to-crop transform kept for the blend.  Free
 * out->img and out->tris. */
static int redrawn_face(perform_swapper *s, const media_image *frame, const float *pts, star_photo *out)
{
	vision_similarity *to_crop = &s->redraw_to_crop;
	float lm[136];
	memcpy(lm, pts, sizeof(lm));
	if (vision_align_transform(pts, s->redraw_size, to_crop) < 0)
		return bj_error_code();
	vision_similarity_apply(to_crop, lm, 68);
	out->img = vision_align_crop(frame, pts, s->redraw_size);
	if (!out->img)
		return bj_error_code();
	for (int i = 0; i < s->redraw_size * s->redraw_size; i++)
		s->redraw_crop_mask[i] = 1;
	int ret = s->redraw(s->redraw_ctx, out->img, s->redraw_crop_mask);
	vision_warp_frame(lm, 68, out->pts);
	if (ret == 0 && vision_delaunay(out->pts, N_PTS, &out->tris, &out->n_tris) < 0)
		ret = bj_error_code();
	if (ret < 0) {
		media_image_free(out->img);
		out->img = NULL;
	}
	return ret;
}

/* The star face st warped onto the landmarks pts in img, only inside the
 * face's box grown by a quarter of its size on every side and above the brows
 * by the mask's full lift too: that holds the mask's box (face_mask.h), and
 * nothing outside it is read after (colour, blur, grain and clone keep to the
 * box), where the warp's outer triangles reach three times the face's area.
 * A star photo goes onto the landmarks moved to the star's proportions
 * (swap_shape.h), so the pasted face is the star's in shape as well as skin;
 * a trained swap's redrawn face already is. */
static void warp_star(perform_swapper *s, const star_photo *st, const float *pts)
{
	media_image *img = s->work;
	float minx = pts[0], maxx = pts[0], miny = pts[1], maxy = pts[1];
	for (int i = 1; i < 68; i++) {
		minx = fminf(minx, pts[2 * i]);
		maxx = fmaxf(maxx, pts[2 * i]);
		miny = fminf(miny, pts[2 * i + 1]);
		maxy = fmaxf(maxy, pts[2 * i + 1]);
	}
	float gx = (maxx - minx) / 4, gy = (maxy - miny) / 4;
	int x0 = (int)fmaxf(minx - gx, 0), x1 = (int)fminf(maxx + gx + 1, (float)img->width);
	int y0 = (int)fmaxf(miny - gy - vision_face_mask_lift(pts), 0);
	int y1 = (int)fminf(maxy + gy + 1, (float)img->height);
	if (x1 <= x0 || y1 <= y0)
		return;
	float moved[136], dst[2 * N_PTS];
	if (s->redraw)
		memcpy(moved, pts, sizeof(moved));
	else
		perform_swap_shape_move(s->shape, pts, moved);
	/* the boundary points from the footage's own landmarks: the face's
	 * outline and what is around it stay where they were */
	vision_warp_frame(pts, 68, dst);
	memcpy(dst, moved, sizeof(moved));
	for (int i = 0; i < N_PTS; i++) {
		dst[2 * i] -= (float)x0;
		dst[2 * i + 1] -= (float)y0;
	}
	media_image view = media_image_view(img->data + (size_t)y0 * img->stride + 3 * (size_t)x0, x1 - x0, y1 - y0,
	                                    3, img->stride);
	vision_warp_affine_on(s->pool, st->img, st->pts, &view, dst, st->tris, st->n_tris, NULL);
}

void perform_swapper_target(perform_swapper *s, const float box[4])
{
	memcpy(s->target, box, sizeof(s->target));
	s->targeted = 1;
}

int perform_swapper_frame(perform_swapper *s, media_image *frame, double t, perform_swap_report *rep)
{
	const float *want = s->targeted ? s->target : NULL;
	s->targeted = 0;
	memset(rep, 0, sizeof(*rep));
	rep->star = -1;
	if (!s->n_stars && !s->redraw)
		return bj_error_set(BJ_EINVAL, "swap: no star photo with a face");
	if (frame->channels != 3)
		return bj_error_set(BJ_EINVAL, "swap: the frame is not RGB");
	if (buffers(s, frame->width, frame->height) < 0)
		return bj_error_code();
	s->shot.frames++;
	copy_image(s->orig, frame);
	if (want && want[2] <= 0) {
		snprintf(rep->reason, sizeof(rep->reason), "not on screen");
		rep->skip = PERFORM_SKIP_ABSENT;
		s->shot.absent++;
		forget_face(s);
		goto done;
	}
	if (s->last_ok && repeated(s->orig, s->prev_orig, s->last_rect)) {
		/* footage converted to a higher frame rate repeats frames: repeat the
		 * swap's change too, or the face would move where the footage is still */
		vision_rect b = s->last_rect;
		for (int y = b.y0; y < b.y1; y++)
			for (int x = 3 * b.x0; x < 3 * b.x1; x++) {
				size_t i = (size_t)y * frame->stride + (size_t)x, j = (size_t)y * s->orig->stride + (size_t)x;
				int v = frame->data[i] + s->prev_swap->data[j] - s->prev_orig->data[j];
				frame->data[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		score(s, frame, b, NULL);
		s->shot.swapped++;
		rep->swapped = 1;
		rep->star = s->cur_star;
		goto done;
	}
	float pts[136];
	vision_pose pose;
	int ok = follow_face(s, frame, t, want, pts, rep);
	if (ok < 0)
		return ok;
	if (ok && vision_pose_estimate(pts, &pose) < 0) {
		snprintf(rep->reason, sizeof(rep->reason), "degenerate landmarks");
		rep->skip = PERFORM_SKIP_OTHER;
		forget_face(s);
		ok = 0;
	}
	vision_rect box = { 0, 0, 0, 0 };
	if (ok) {
		/* the actor's descriptor, for the star photo's choice: once a face */
		if (!s->redraw && s->cur_star < 0)
			s->have_actor = vision_facedesc(frame, pts, s->actor_desc) == 0;
		int pick = s->redraw ? 0 : pick_star(s, &pose, s->have_actor ? s->actor_desc : NULL);
		if (pick < 0) {
			snprintf(rep->reason, sizeof(rep->reason),
			         "head turned (yaw %.0f, pitch %.0f degrees) beyond the star photos", pose.yaw, pose.pitch);
			rep->skip = PERFORM_SKIP_TURNED;
			forget_face(s);
			ok = 0;
		}
	}
	if (ok) {
		star_photo redrawn = { 0 };
		const star_photo *st = &redrawn;
		if (!s->redraw)
			st = &s->stars[s->cur_star];
		else if ((ok = redrawn_face(s, frame, pts, &redrawn)) < 0)
			return ok;
		ok = 1;
		copy_image(s->work, frame);
		warp_star(s, st, pts);
		media_image_free(redrawn.img);
		free(redrawn.tris);
		memset(s->mask, 0, (size_t)frame->width * frame->height);
		float lifts[10];
		forehead_lifts(frame, pts, lifts);
		for (int k = 0; k < 10; k++)
			s->lifts[k] = s->have_lifts ? (1 - COLOUR_RATE) * s->lifts[k] + COLOUR_RATE * lifts[k] : lifts[k];
		s->have_lifts = 1;
		vision_face_mask_guided_on(s->pool, pts, s->lifts, frame->width, frame->height, s->mask, s->guide, &box);
		if (s->redraw) {
			/* the trained swap says what of the hull is face (swap_mask.h) */
			if (!s->last_ok)
				perform_swap_mask_forget(&s->redraw_mask);
			perform_swap_mask_apply(&s->redraw_mask, s->mask, frame->width, box, s->redraw_crop_mask,
			                        s->redraw_size, &s->redraw_to_crop);
		}
		if (box.x1 - box.x0 < 3 || box.y1 - box.y0 < 3) {
			snprintf(rep->reason, sizeof(rep->reason), "face outside the frame");
			rep->skip = PERFORM_SKIP_OTHER;
			ok = 0;
		}
	}
	if (ok) {
		if (match_tone(s, frame, pts, box) < 0)
			return bj_error_code();
		if (vision_skin_clone_guided_on(s->pool, frame, s->work, s->mask, s->guide, s->alien, s->fill, box) < 0)
			return bj_error_code();
		if (s->o.strength < 1)
			for (int y = box.y0; y < box.y1; y++)
				for (int x = 0; x < 3 * (box.x1 - box.x0); x++) {
					size_t i = (size_t)y * frame->stride + 3 * (size_t)box.x0 + x;
					size_t j = (size_t)y * s->orig->stride + 3 * (size_t)box.x0 + x;
					frame->data[i] = (uint8_t)lrint(s->orig->data[j] +
					                                s->o.strength * (frame->data[i] - s->orig->data[j]));
				}
		if (!s->last_ok) {
			perform_temporal_reset(s->temporal);
			perform_swap_glasses_reset(s->glasses);
		}
		perform_temporal_apply_on(s->pool, s->temporal, frame, s->orig, box, pts, s->have_moved ? &s->moved : NULL);
		perform_swap_glasses_apply(s->glasses, frame, s->orig, pts);
		perform_swap_detail_measure(s->bands, s->pool, frame, s->orig, s->mask, s->skin, box);
		score(s, frame, box, pts);
		s->last_rect = box;
		s->shot.swapped++;
		rep->swapped = 1;
		rep->star = s->cur_star;
	}
	s->last_ok = ok;
	s->shot.no_face += rep->skip == PERFORM_SKIP_NO_FACE;
	s->shot.small += rep->skip == PERFORM_SKIP_SMALL;
	s->shot.turned += rep->skip == PERFORM_SKIP_TURNED;
done:;
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
	add_sums(&s->total, &s->shot);
	memset(&s->shot, 0, sizeof(s->shot));
	s->prev_valid = 0;
}

static void stats_of(const struct sums *u, perform_swap_stats *out)
{
	out->frames = u->frames;
	out->swapped = u->swapped;
	out->no_face = u->no_face;
	out->small = u->small;
	out->turned = u->turned;
	out->absent = u->absent;
	out->flicker = u->change_orig > 0 ? u->change_swap / u->change_orig : 0;
	out->seam = u->seam_n ? u->seam / u->seam_n : 0;
	out->seam_original = u->seam_n ? u->seam_orig / u->seam_n : 0;
	out->margin = u->margin_n ? u->margin / u->margin_n : 0;
	out->margin_frames = u->margin_n;
	out->texture = u->texture_orig > 0 ? u->texture_swap / u->texture_orig : 0;
}

void perform_swapper_stats(const perform_swapper *s, perform_swap_stats *out)
{
	stats_of(&s->shot, out);
}

void perform_swapper_totals(const perform_swapper *s, perform_swap_stats *out)
{
	struct sums all = s->total;
	add_sums(&all, &s->shot);
	stats_of(&all, out);
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
	perform_steady_free(s->steady);
	perform_swap_shape_free(s->shape);
	perform_temporal_free(s->temporal);
	perform_swap_glasses_free(s->glasses);
	perform_swap_detail_free(s->bands);
	media_image_free(s->orig);
	media_image_free(s->prev_orig);
	media_image_free(s->prev_swap);
	media_image_free(s->work);
	free(s->mask);
	free(s->guide);
	free(s->redraw_crop_mask);
	perform_swap_mask_release(&s->redraw_mask);
	free(s->skin);
	free(s->alien);
	media_image_free(s->fill);
	free(s);
}
