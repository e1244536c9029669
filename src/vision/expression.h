/*
 * expression.h - a face's expression as five measures of its 68 landmarks
 * (iBUG 300-W order, vision/landmarks.h), and how far two expressions are
 * apart: for telling a calm face from a shouting, smiling or frowning one.
 *
 *     vision_expression a, b;
 *     vision_expression_measure(pts_a, &a);
 *     vision_expression_measure(pts_b, &b);
 *     float d = vision_expression_distance(&a, &b);   // about 1 a typical step
 *
 * Every measure is a ratio of distances, so none depends on the face's size or
 * its rotation in the image plane.
 */
#pragma once

typedef struct vision_expression {
	float eyes;         /* eye openness (vision_eye_openness): a squint is low */
	float mouth;        /* inner lips' gap over the mouth's width: 0 closed */
	float brow_height;  /* the brows' mean height above the eye corners' line, over the eye span */
	float brow_gap;     /* inner brow ends apart (21-22) over the eye span: a frown is low */
	float mouth_width;  /* mouth corners apart (48-54) over the eye span: a smile is high */
} vision_expression;

void vision_expression_measure(const float *points /* (68, 2) */, vision_expression *e);

/* The sum over the five measures of |a - b| divided by that measure's typical
 * spread between photos of one person (about the median absolute deviation
 * over 40 press photos of one man): so 1 is an ordinary change of one measure,
 * and a shout or a broad smile is 3 or more. */
float vision_expression_distance(const vision_expression *a, const vision_expression *b);
