/*
 * landmarks.h - face landmarks from a face box: dlib's shape predictor cascade
 * (vision/shape_model.h) run in C, giving dlib's answers faster.
 *
 *     vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
 *     float box[4] = { x, y, x + w - 1, y + h - 1 };   // left, top, right, bottom
 *     float pts[2 * 68];                               // x0 y0 x1 y1 ... in pixels
 *     if (vision_landmarks_fit(m, img, box, pts) < 0)
 *         return bj_error_code();
 *
 * The box is dlib's rectangle: corners inclusive, so a detector box at (x, y)
 * of w x h pixels is {x, y, x + w - 1, y + h - 1}; the model was trained on
 * dlib's HOG detector's boxes, so boxes of about that size and placement work
 * best.  The image is grey or RGB; RGB pixels count as (r + g + b) / 3, as in
 * dlib.  Points are not rounded (dlib rounds its output to whole pixels: round
 * ours half up to compare).  For the 68-point model the points follow the iBUG
 * 300-W order: 0-16 jaw, 17-26 brows, 27-35 nose, 36-47 eyes, 48-67 mouth.
 *
 * How: the model's mean shape is placed in the box; each of the cascade's
 * stages samples its feature pixels at fixed offsets from the current shape's
 * parts (the offsets rotated and scaled by the similarity that maps the mean
 * shape onto the current one), walks its trees on pixel differences, and adds
 * the leaves it reaches to the shape.  Nothing is allocated per call beyond a
 * small scratch buffer; a model may be shared by any number of threads.
 */
#pragma once

#include "base/threads.h"
#include "media/image.h"
#include "vision/shape_model.h"

/* Places the model's parts in img for the face in box (left, top, right,
 * bottom, pixels, inclusive corners) and writes them to points (2 * parts
 * floats, x y x y ...).  Returns 0, or BJ_EINVAL when the box is empty or not
 * finite, or the image is neither grey nor RGB; BJ_ENOMEM. */
int vision_landmarks_fit(const vision_shape_model *m, const media_image *img, const float box[4],
                         float *points);

/* The same for n faces of one image: boxes (n, 4), points (n, 2 * parts), spread
 * over pool's threads (NULL: the caller's thread).  The result does not depend
 * on the thread count.  Every box is checked before any work is done. */
int vision_landmarks_fit_batch(const vision_shape_model *m, const media_image *img, int n,
                               const float *boxes, float *points, bj_pool *pool);
