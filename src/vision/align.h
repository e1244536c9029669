/*
 * align.h - faces brought to one pose and size: the similarity that maps a
 * face's 68 landmarks onto a canonical face, aligned crops, and head pose.
 *
 *     float pts[2 * 68];                                // from vision_landmarks_fit
 *     media_image *crop = vision_align_crop(img, pts, 128);  // 128 x 128, eyes level
 *     vision_pose pose;
 *     vision_pose_estimate(pts, &pose);                // degrees
 *
 * The canonical face is vision/face_model.h seen from the front, placed in a
 * square crop of side S with the outer eye corners 0.4 S apart, their midpoint
 * at (0.5 S, 0.4 S): the whole face from brows to chin fits.  Alignment uses
 * the brows, eyes, nose and mouth (points 17-67), not the jaw line, which moves
 * with the head's turn and the mouth.  Coordinates are pixel positions, pixel
 * (x, y)'s centre at (x, y), in the image and in the crop alike.
 */
#pragma once

#include "media/image.h"

/* x' = a x - b y + tx,  y' = b x + a y + ty: scale sqrt(a^2 + b^2), rotation
 * atan2(b, a), then translation. */
typedef struct vision_similarity {
	double a, b, tx, ty;
} vision_similarity;

/* The least-squares similarity taking n points from (x y x y ...) onto to
 * (Umeyama 1991, whose 2-D solution has a closed form).  Returns 0, or BJ_EINVAL
 * when n < 2 or the from points all coincide. */
int vision_similarity_fit(const float *from, const float *to, int n, vision_similarity *out);

/* The inverse transform; t must not be degenerate (a = b = 0). */
vision_similarity vision_similarity_invert(const vision_similarity *t);

/* Applies t to n points in place (x y x y ...). */
void vision_similarity_apply(const vision_similarity *t, float *points, int n);

/* The canonical 68 points in a crop of side size pixels (136 floats). */
void vision_align_template(int size, float *points);

/* The similarity from image coordinates to the crop of side size, fitted on 68
 * landmarks.  Returns 0, or BJ_EINVAL for size outside 8..4096 or degenerate
 * landmarks. */
int vision_align_transform(const float *landmarks, int size, vision_similarity *to_crop);

/* The aligned size x size crop of img (grey or RGB, the crop has its channels)
 * for the face with these 68 landmarks (e.g. 64, 128, 256).  Bilinear, with
 * k x k samples per pixel where the face is shrunk by more than k - 1 (area
 * averaging, so small crops of large faces do not alias); outside the image is
 * black.  NULL with the error set (BJ_EINVAL as above, BJ_ENOMEM). */
media_image *vision_align_crop(const media_image *img, const float *landmarks, int size);

/* Head pose: the rotation R = Rz(roll) Ry(yaw) Rx(pitch) (camera axes: x right,
 * y down, z into the scene; right-hand rule) that turns the mean face of
 * face_model.h to match the landmarks under scaled orthographic projection.
 * In words: yaw > 0 turns the nose towards the image's left, pitch > 0 tips it
 * down, roll > 0 turns the face clockwise on screen.  All 0 for a face looking
 * into the camera. */
typedef struct vision_pose {
	float yaw, pitch, roll;   /* degrees; yaw and pitch in -90..90, roll -180..180 */
	float scale;              /* pixels per model unit (about the outer eye-corner distance) */
	float rot[3][3];          /* R, row-major */
} vision_pose;

/* Fits the pose to 68 landmarks: the best 2 x 3 linear map from the centred
 * model to the centred points (least squares), its nearest scaled rotation,
 * and R's Euler angles.  Returns 0, or BJ_EINVAL for degenerate landmarks
 * (all on a line or a point). */
int vision_pose_estimate(const float *landmarks, vision_pose *pose);
