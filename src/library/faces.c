#include "library/faces.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/threads.h"
#include "library/internal.h"
#include "media/imagefile.h"
#include "vision/align.h"
#include "vision/detect.h"
#include "vision/facedesc.h"
#include "vision/landmarks.h"
#include "vision/track.h"

#define PARTS 68
#define NP (2 * PARTS)
#define MIN_FACE_PART 6   /* the smallest face looked for: frame height / this */
#define THREADS 2         /* the detector's: it uses what the decoder leaves idle */
#define CROP VISION_FACEDESC_CROP
#define CROP_BYTES (CROP * CROP * 3)
#define DESCRIBED 8       /* faces of a track whose descriptors are averaged */
#define THUMBNAILS 4      /* faces of a track kept as JPEG thumbnails */

/* One sampled frame's faces: boxes (x y w h) and landmarks, in its pixels. */
struct sample {
	int64_t frame;
	double time;
	int width, height;
	int n;
	float *boxes;
	float *points;
	int *neighbors;
	uint8_t *crops;   /* each face's aligned RGB crop, CROP x CROP */
};

struct library_faces {
	vision_cascade *cascade;
	bj_pool *pool;
	vision_detector *det;
	vision_shape_model *model;
	struct sample *samples;
	size_t n_samples, cap_samples;
	int64_t n_faces, n_tracks;
	int skipped;   /* the last frame offered was passed over */
};

library_faces *library_faces_new(void)
{
	vision_cascade *c = vision_cascade_load(LIBRARY_FACES_CASCADE);
	if (!c)
		return NULL;
	vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	if (!m) {
		vision_cascade_free(c);
		return NULL;
	}
	if (vision_shape_model_parts(m) != PARTS) {
		vision_shape_model_free(m);
		vision_cascade_free(c);
		return bj_error_set(BJ_EFORMAT, "'%s': not a 68-point model", VISION_SHAPE_MODEL_68), NULL;
	}
	bj_pool *pool = bj_pool_new(THREADS);
	if (!pool) {
		vision_shape_model_free(m);
		vision_cascade_free(c);
		return NULL;
	}
	library_faces *f = bj_xcalloc(1, sizeof *f);
	f->cascade = c;
	f->pool = pool;
	f->det = vision_detector_new(c, pool);
	f->model = m;
	return f;
}

void library_faces_reset(library_faces *f)
{
	for (size_t i = 0; i < f->n_samples; i++) {
		free(f->samples[i].boxes);
		free(f->samples[i].points);
		free(f->samples[i].neighbors);
		free(f->samples[i].crops);
	}
	f->n_samples = 0;
	f->n_faces = f->n_tracks = 0;
	f->skipped = 0;
}

int library_faces_frame(library_faces *f, int64_t frame, double time, const media_image *img)
{
	/* Detection is most of what faces cost, and a sampled frame without a
	 * face is mostly followed by more: after one, the next is passed over.
	 * Faces are looked for once a second where there are none and twice where
	 * there are; one coming into view is found at most a sample later.  On the
	 * constructed edit of ../shared/data/eval/shots this detects in 107 frames
	 * of 152 and keeps all 9 tracks (67 faces of 71). */
	if (!f->skipped && f->n_samples && f->samples[f->n_samples - 1].n == 0) {
		f->skipped = 1;
		return 0;
	}
	f->skipped = 0;
	vision_detect_params p = VISION_DETECT_DEFAULTS;
	p.min_width = p.min_height = img->height / MIN_FACE_PART;
	p.scale_factor = 1.2;
	const vision_box *b;
	size_t n;
	int ret = vision_detect(f->det, img, &p, &b, &n);
	if (ret < 0)
		return ret;
	/* frames without faces are kept too: the tracker counts a track's gaps in
	 * sampled frames */
	struct sample s = { frame, time, img->width, img->height, (int)n, bj_xmalloc(n * 4 * sizeof(float)),
	                    bj_xmalloc(n * NP * sizeof(float)), bj_xmalloc(n * sizeof(int)),
	                    bj_xcalloc(n, CROP_BYTES) };
	for (size_t i = 0; i < n; i++) {
		float *bx = s.boxes + 4 * i, fit[4];
		bx[0] = (float)b[i].x, bx[1] = (float)b[i].y, bx[2] = (float)b[i].width, bx[3] = (float)b[i].height;
		fit[0] = bx[0], fit[1] = bx[1], fit[2] = bx[0] + bx[2] - 1, fit[3] = bx[1] + bx[3] - 1;
		s.neighbors[i] = b[i].neighbors;
		if ((ret = vision_landmarks_fit(f->model, img, fit, s.points + NP * i)) < 0)
			break;
		/* kept for the track's descriptor and thumbnails (degenerate
		 * landmarks leave it black) */
		media_image *crop = vision_align_crop(img, s.points + NP * i, CROP);
		if (crop) {
			for (int y = 0; y < CROP; y++)
				memcpy(s.crops + i * CROP_BYTES + (size_t)y * CROP * 3, crop->data + (size_t)y * crop->stride,
				       CROP * 3);
			media_image_free(crop);
		}
	}
	if (ret < 0) {
		free(s.boxes);
		free(s.points);
		free(s.neighbors);
		free(s.crops);
		return ret;
	}
	BJ_GROW(f->samples, f->cap_samples, f->n_samples + 1);
	f->samples[f->n_samples++] = s;
	return 0;
}

/* The detection of sample s whose box the tracker copied into a track; -1
 * if none. */
static int index_of(const struct sample *s, const float *box)
{
	for (int i = 0; i < s->n; i++)
		if (!memcmp(s->boxes + 4 * i, box, 4 * sizeof *box))
			return i;
	return -1;
}

struct writer {
	library *lib;
	sqlite3_stmt *track, *face, *describe, *thumb;
	double sx, sy;   /* sample pixels to video pixels */
};

/* How good a face is as a picture of its person: large and frontal. */
static double portrait_score(const float *box, const float *points)
{
	vision_pose pose;
	if (vision_pose_estimate(points, &pose) < 0)
		return 0.0;
	double frontal = cos(pose.yaw * M_PI / 180) * cos(pose.pitch * M_PI / 180);
	return box[2] * frontal * frontal;
}

/* The track's descriptor (the mean of those of up to DESCRIBED of its
 * detected faces, evenly spread), its best face and a few thumbnails, written
 * to the rows of the track and its faces (face_ids, in the track's order). */
static int describe_track(struct writer *w, int64_t track_id, const vision_track *tr,
                          const struct sample *const *by_entry, const int64_t *face_ids)
{
	int *found = bj_xmalloc((size_t)tr->n * sizeof *found), detected = 0, best = -1;
	double best_score = -1.0;
	for (int i = 0; i < tr->n; i++) {
		found[i] = tr->detected[i] ? index_of(by_entry[i], tr->boxes + 4 * i) : -1;
		if (found[i] < 0)
			continue;
		detected++;
		double score = portrait_score(tr->boxes + 4 * i, by_entry[i]->points + NP * found[i]);
		if (score > best_score)
			best_score = score, best = i;
	}
	int ret = 0;
	if (detected == 0)
		goto out;
	/* the mean descriptor, stored as bytes: each cell's square-rooted
	 * histogram is within 0..1, and so is the mean */
	float *desc = bj_xmalloc(VISION_FACEDESC_DIM * sizeof *desc), *sum = bj_xcalloc(VISION_FACEDESC_DIM, sizeof *sum);
	int used = 0, seen = 0, want = detected < DESCRIBED ? detected : DESCRIBED;
	for (int i = 0; i < tr->n; i++) {
		if (found[i] < 0)
			continue;
		/* slots 0..want-1 spread over the detected faces, the first face
		 * of each slot taken */
		if (seen++ * want / detected < used)
			continue;
		const struct sample *s = by_entry[i];
		vision_similarity t;
		float pts[NP];
		memcpy(pts, s->points + NP * found[i], sizeof pts);
		if (vision_align_transform(pts, CROP, &t) < 0)
			continue;
		vision_similarity_apply(&t, pts, PARTS);
		uint8_t grey[CROP * CROP];
		const uint8_t *rgb = s->crops + (size_t)found[i] * CROP_BYTES;
		for (int p = 0; p < CROP * CROP; p++)
			grey[p] = (uint8_t)((rgb[3 * p] + rgb[3 * p + 1] + rgb[3 * p + 2]) / 3);
		vision_facedesc_crop(grey, pts, desc);
		for (int d = 0; d < VISION_FACEDESC_DIM; d++)
			sum[d] += desc[d];
		used++;
	}
	free(desc);
	uint8_t *bytes = bj_xmalloc(VISION_FACEDESC_DIM);
	/* a descriptor has length 1 over sqrt(cells): scaled back, each value is
	 * a cell's square-rooted share */
	double k = sqrt((double)VISION_FACEDESC_DIM / VISION_FACEDESC_BINS) * 255.0 / (used ? used : 1);
	for (int d = 0; d < VISION_FACEDESC_DIM; d++) {
		double v = sum[d] * k;
		bytes[d] = (uint8_t)(v > 255 ? 255 : lrint(v));
	}
	free(sum);
	sqlite3_reset(w->describe);
	if (used)
		sqlite3_bind_blob(w->describe, 1, bytes, VISION_FACEDESC_DIM, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(w->describe, 1);
	sqlite3_bind_int64(w->describe, 2, face_ids[best]);
	sqlite3_bind_int64(w->describe, 3, track_id);
	free(bytes);
	if (sqlite3_step(w->describe) != SQLITE_DONE) {
		ret = library_sqlite_error(w->lib, "cannot write library");
		goto out;
	}
	/* thumbnails: the best face and a few more spread along the track */
	for (int j = 0; j < THUMBNAILS && ret == 0; j++) {
		int i = j == 0 ? best : (int)((long)tr->n * j / THUMBNAILS);
		while (i < tr->n && found[i] < 0)
			i++;
		if (i >= tr->n || (j > 0 && i == best))
			continue;
		media_image view = media_image_view(by_entry[i]->crops + (size_t)found[i] * CROP_BYTES, CROP, CROP, 3,
		                                    CROP * 3);
		size_t size;
		uint8_t *jpeg = media_image_encode_jpeg(&view, 90, &size);
		if (!jpeg) {
			ret = bj_error_code();
			break;
		}
		sqlite3_reset(w->thumb);
		sqlite3_bind_blob(w->thumb, 1, jpeg, (int)size, free);
		sqlite3_bind_int64(w->thumb, 2, face_ids[i]);
		if (sqlite3_step(w->thumb) != SQLITE_DONE)
			ret = library_sqlite_error(w->lib, "cannot write library");
	}
out:
	free(found);
	return ret;
}

static int insert_track(struct writer *w, int64_t shot_id, const vision_track *tr, const struct sample *const *by_entry)
{
	sqlite3_reset(w->track);
	sqlite3_bind_int64(w->track, 1, shot_id);
	sqlite3_bind_int64(w->track, 2, by_entry[0]->frame);
	sqlite3_bind_int64(w->track, 3, by_entry[tr->n - 1]->frame);
	sqlite3_bind_double(w->track, 4, tr->time[0]);
	sqlite3_bind_double(w->track, 5, tr->time[tr->n - 1]);
	if (sqlite3_step(w->track) != SQLITE_DONE)
		return library_sqlite_error(w->lib, "cannot write library");
	int64_t track_id = sqlite3_last_insert_rowid(w->lib->db);
	int64_t *face_ids = bj_xmalloc((size_t)tr->n * sizeof *face_ids);
	int ret = 0;
	for (int i = 0; i < tr->n && ret == 0; i++) {
		const float *bx = tr->boxes + 4 * i, *pts = tr->points + NP * i;
		float video_pts[NP];
		for (int k = 0; k < PARTS; k++) {
			video_pts[2 * k] = (float)(pts[2 * k] * w->sx);
			video_pts[2 * k + 1] = (float)(pts[2 * k + 1] * w->sy);
		}
		vision_pose pose;
		int has_pose = vision_pose_estimate(pts, &pose) == 0;
		sqlite3_stmt *st = w->face;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, shot_id);
		sqlite3_bind_int64(st, 2, track_id);
		sqlite3_bind_int64(st, 3, by_entry[i]->frame);
		sqlite3_bind_double(st, 4, bx[0] * w->sx);
		sqlite3_bind_double(st, 5, bx[1] * w->sy);
		sqlite3_bind_double(st, 6, bx[2] * w->sx);
		sqlite3_bind_double(st, 7, bx[3] * w->sy);
		int found = tr->detected[i] ? index_of(by_entry[i], bx) : -1;
		if (found >= 0)
			sqlite3_bind_int(st, 8, by_entry[i]->neighbors[found]);
		else
			sqlite3_bind_null(st, 8);
		/* float32 little-endian: the machines we build on are */
		sqlite3_bind_blob(st, 9, video_pts, (int)sizeof video_pts, SQLITE_TRANSIENT);
		for (int k = 0; k < 3; k++)
			if (has_pose)
				sqlite3_bind_double(st, 10 + k, k == 0 ? pose.yaw : k == 1 ? pose.pitch : pose.roll);
			else
				sqlite3_bind_null(st, 10 + k);
		sqlite3_bind_int(st, 13, tr->detected[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			ret = library_sqlite_error(w->lib, "cannot write library");
		face_ids[i] = sqlite3_last_insert_rowid(w->lib->db);
	}
	if (ret == 0)
		ret = describe_track(w, track_id, tr, by_entry, face_ids);
	free(face_ids);
	return ret;
}

/* Tracks the samples [a, b) (one shot) and writes them. */
static int write_shot(library_faces *f, struct writer *w, int64_t shot_id, size_t a, size_t b)
{
	vision_tracker *t = vision_tracker_new(PARTS, NULL);
	if (!t)
		return bj_error_code();
	int ret = 0;
	/* the tracker numbers the frames it is given; sampled frames without faces
	 * were not kept, so give each kept one and remember which it was */
	const struct sample **frames = bj_xmalloc((b - a + 1) * sizeof *frames);
	for (size_t i = a; i < b && ret == 0; i++) {
		frames[i - a] = &f->samples[i];
		ret = vision_tracker_add(t, f->samples[i].time, f->samples[i].n, f->samples[i].boxes,
		                         f->samples[i].points);
	}
	const vision_track *tr;
	size_t n = 0;
	if (ret == 0)
		ret = vision_tracker_finish(t, &tr, &n);
	for (size_t j = 0; j < n && ret == 0; j++) {
		ret = insert_track(w, shot_id, &tr[j], frames + tr[j].first_frame);
		f->n_tracks++;
		f->n_faces += tr[j].n;
	}
	free(frames);
	vision_tracker_free(t);
	return ret;
}

int library_faces_write(library_faces *f, library *lib, int64_t film_id, int video_w, int video_h)
{
	if (f->n_samples == 0)
		return 0;
	struct writer w = { lib, NULL, NULL, NULL, NULL, (double)video_w / f->samples[0].width,
	                    (double)video_h / f->samples[0].height };
	sqlite3_stmt *shots = NULL;
	int ret;
	if ((ret = library_prepare(lib, "SELECT id, start_frame, end_frame FROM shots WHERE film_id = ?"
	                                " ORDER BY start_frame", &shots)) < 0 ||
	    (ret = library_prepare(lib, "INSERT INTO tracks (shot_id, start_frame, end_frame, start_s, end_s)"
	                                " VALUES (?, ?, ?, ?, ?)", &w.track)) < 0 ||
	    (ret = library_prepare(lib, "INSERT INTO faces (shot_id, track_id, frame, x, y, w, h, score, landmarks,"
	                                " yaw, pitch, roll, detected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                           &w.face)) < 0 ||
	    (ret = library_prepare(lib, "UPDATE tracks SET embedding = ?, face_id = ? WHERE id = ?", &w.describe)) < 0 ||
	    (ret = library_prepare(lib, "UPDATE faces SET thumbnail = ? WHERE id = ?", &w.thumb)) < 0)
		goto out;
	sqlite3_bind_int64(shots, 1, film_id);
	size_t next = 0;
	int rc;
	while (ret == 0 && (rc = sqlite3_step(shots)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(shots, 0), first = sqlite3_column_int64(shots, 1),
		        last = sqlite3_column_int64(shots, 2);
		while (next < f->n_samples && f->samples[next].frame < first)
			next++;
		size_t end = next;
		while (end < f->n_samples && f->samples[end].frame <= last)
			end++;
		if (end > next)
			ret = write_shot(f, &w, id, next, end);
		next = end;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = library_sqlite_error(lib, "cannot read library");
out:
	sqlite3_finalize(shots);
	sqlite3_finalize(w.track);
	sqlite3_finalize(w.face);
	sqlite3_finalize(w.describe);
	sqlite3_finalize(w.thumb);
	return ret;
}

void library_faces_counts(const library_faces *f, int64_t *faces, int64_t *tracks)
{
	*faces = f->n_faces;
	*tracks = f->n_tracks;
}

void library_faces_free(library_faces *f)
{
	if (!f)
		return;
	library_faces_reset(f);
	free(f->samples);
	vision_detector_free(f->det);
	bj_pool_free(f->pool);
	vision_shape_model_free(f->model);
	vision_cascade_free(f->cascade);
	free(f);
}
