/*
 * shape_model.h - dlib's shape predictor (an ensemble of regression trees,
 * Kazemi & Sullivan 2014) read from dlib's own .dat file, e.g. the 68-point
 * face model of Debian's libdlib-data.
 *
 *     vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
 *     if (!m)
 *         return bj_error_code();          // "'x.dat': ..." one line
 *     float pts[2 * 68];
 *     vision_landmarks_fit(m, img, box, pts);  // vision/landmarks.h
 *     vision_shape_model_free(m);
 *
 * The file is dlib's serialisation of dlib::shape_predictor: an int version (1);
 * the initial shape (a float column matrix of 2 * parts values, x y x y ... in
 * the unit face box); the cascade, a vector of stages, each a vector of trees,
 * each tree a vector of splits (pixel index 1, pixel index 2, threshold) and a
 * vector of leaves (float column matrices like the initial shape); then, per
 * stage, the feature pixels as anchor part indices and (dx, dy) deltas from
 * those parts.  Integers are a control byte (low 4 bits: byte count, 0x80:
 * negative) and that many little-endian bytes; floats are an int64 mantissa and
 * an int16 exponent so encoded.  Every count, index and value is checked before
 * it is used: a truncated, inconsistent or non-finite file is refused with
 * BJ_EFORMAT and one line naming it.  All trees must have one depth (true of
 * every model dlib's trainer writes), else BJ_EUNSUPPORTED.
 *
 * A loaded model is read-only: one model may serve any number of threads.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Where Debian's libdlib-data installs the 68-point face model. */
#define VISION_SHAPE_MODEL_68 "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"

typedef struct vision_shape_model vision_shape_model;

/* Reads and validates a dlib shape predictor file.  Returns a new model (free
 * with vision_shape_model_free), or NULL with the error set: BJ_ENOENT/BJ_EIO
 * for a file that cannot be read, BJ_EFORMAT for a bad one, BJ_EUNSUPPORTED for
 * mixed tree depths, BJ_ENOMEM. */
vision_shape_model *vision_shape_model_load(const char *path);

/* The same from size bytes in memory; name is used in error messages. */
vision_shape_model *vision_shape_model_parse(const uint8_t *data, size_t size, const char *name);

/* Frees a model; NULL-safe. */
void vision_shape_model_free(vision_shape_model *m);

/* The number of landmarks the model places (68 for the face model). */
int vision_shape_model_parts(const vision_shape_model *m);
