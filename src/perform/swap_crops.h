/*
 * swap_crops.h - the faces a trained swap learns from: aligned square RGB crops
 * (vision/align.h) of one person, with their 68 landmarks in crop pixels and
 * where each came from, cached in one safetensors file so training never
 * decodes a film twice.
 *
 *     perform_crops *set = perform_crops_new(&opts);        // opts.size 64 or 128
 *     perform_crops_add_folder(set, "faces/star_X", det, model, progress);
 *     perform_crops_add_footage(set, refs, n_refs, progress); // perform/swap_footage.h
 *     perform_crops_save(set, "star_X.crops.safetensors");   // atomic
 *     ...
 *     perform_crops *again;
 *     perform_crops_load("star_X.crops.safetensors", &again); // every field checked
 *     perform_crops_free(set);
 *
 * A face is skipped, and counted under its reason, when it has no face (a photo
 * without a detection), is tiny (the crop would enlarge it more than
 * max_upscale times: the outer eye corners closer than 0.4 size / max_upscale
 * pixels), is turned away (|yaw| > max_yaw or |pitch| > max_pitch, degrees,
 * vision_pose_estimate) or has degenerate landmarks.
 *
 * The file (base/safetensors.h), n faces of side S:
 *     "crops"      U8  [n, S, S, 3]  RGB, row-major
 *     "landmarks"  F32 [n, 68, 2]    x y in crop pixels (pixel centres at integers)
 *     "frames"     I32 [n]           the film's 0-based frame, -1 for a photo
 *     "sources"    U8  [bytes]       n NUL-terminated UTF-8 paths, in order
 *     __metadata__ format "benjamin.face_crops", version "1", size "S",
 *                  skipped_no_face / _tiny / _pose / _degenerate (counts)
 * The loader rejects a file whose tensors, shapes, counts or values (landmarks
 * not finite or far outside the crop, paths not ending in NUL) disagree.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/progress.h"
#include "media/image.h"
#include "vision/detect.h"
#include "vision/shape_model.h"

#define PERFORM_CROPS_POINTS 68

typedef struct perform_crop_opts {
	int size;            /* crop side, pixels: 16..512 (64 and 128 are the swap's) */
	float max_upscale;   /* largest enlargement of a face into the crop */
	float max_yaw;       /* degrees */
	float max_pitch;     /* degrees */
} perform_crop_opts;

#define PERFORM_CROP_DEFAULTS { 64, 2.0f, 40.0f, 30.0f }

/* Faces left out, by reason. */
typedef struct perform_crop_skips {
	long no_face, tiny, pose, degenerate;
} perform_crop_skips;

typedef struct perform_crops {
	int size;                 /* S */
	size_t n;                 /* faces */
	uint8_t *pixels;          /* (n, S, S, 3) RGB */
	float *landmarks;         /* (n, 68, 2) crop pixels */
	int32_t *frames;          /* (n) source frame, -1 for a photo */
	char **sources;           /* (n) source paths (owned) */
	perform_crop_skips skips;
	perform_crop_opts opts;
	size_t cap;
} perform_crops;

/* An empty set, or NULL with BJ_EINVAL for options out of range (size outside
 * 16..512, max_upscale below 1, angles outside 0..90).  Free with
 * perform_crops_free(). */
perform_crops *perform_crops_new(const perform_crop_opts *o);

void perform_crops_free(perform_crops *set);

/* The pixels of crop i as an RGB image view (S x S), borrowed from set. */
media_image perform_crops_image(const perform_crops *set, size_t i);

/* Adds the face whose 68 landmarks (image pixels) are given, of img (RGB), from
 * source (copied) at frame (-1 for a photo).  Returns 1 when added, 0 when
 * skipped (the reason counted in set->skips), or a negative code with the
 * error set (BJ_ENOMEM, BJ_EINVAL for an image that is not RGB). */
int perform_crops_add_face(perform_crops *set, const media_image *img, const float *landmarks,
                           const char *source, int32_t frame);

/* Finds the largest face of a photo (RGB) with det (faces at least 24 pixels),
 * fits model's 68 landmarks and adds it as above (no face: skipped as
 * no_face). */
int perform_crops_add_photo(perform_crops *set, vision_detector *det, const vision_shape_model *model,
                            const media_image *photo, const char *source);

/* Adds the photos (.jpg, .jpeg, .png, by name) of folder dir, sorted by name;
 * progress (may be NULL) advances by one per photo.  A photo that does not load
 * is an error.  Returns the number of faces added, or a negative code with the
 * error set ("'<dir>': ..."). */
int perform_crops_add_folder(perform_crops *set, const char *dir, vision_detector *det,
                             const vision_shape_model *model, bj_progress *progress);

/* Writes set to path as described above, atomically.  Returns 0, or a negative
 * code with the error set (BJ_EINVAL for an empty set or a source path that
 * does not fit). */
int perform_crops_save(const perform_crops *set, const char *path);

/* Reads and checks a file written by perform_crops_save.  Returns 0 and *out
 * (free with perform_crops_free), or BJ_EFORMAT (and the loader's other codes)
 * with *out NULL and the error set: "'<path>': not a face-crop file",
 * "'<path>': tensor 'crops' has shape [...], expected [...]", ... */
int perform_crops_load(const char *path, perform_crops **out);
