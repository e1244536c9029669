/*
 * cascade.h - boosted cascade classifiers as OpenCV writes them (the XML of
 * opencv_traincascade, as in Debian's opencv-data: haarcascade_*.xml and
 * lbpcascade_*.xml), loaded and validated for our own evaluator (detect.h).
 *
 *     vision_cascade *c = vision_cascade_load("/usr/share/opencv4/haarcascades/"
 *                                             "haarcascade_frontalface_default.xml");
 *     if (!c)
 *         return bj_error_code();       // "'x.xml': stage 3: leafValues has 2 values, expected 3"
 *     ... vision_detect(...) ...
 *     vision_cascade_free(c);
 *
 * The file: <opencv_storage><cascade> with stageType BOOST, featureType HAAR or
 * LBP, the window width and height, featureParams/maxCatCount (0 for Haar, 256
 * for LBP), stages (each a stageThreshold and weakClassifiers, each weak
 * classifier a tree: internalNodes "left right feature threshold" per node for
 * Haar, "left right feature subset[8]" for LBP, and leafValues) and features
 * (Haar: two or three rects "x y w h weight" and tilted 0/1; LBP: one rect
 * "x y w h", the cell of a 3x3 grid).  A child index > 0 is a node of the same
 * tree, <= 0 is leaf -index.  The old format (type_id "opencv-haar-classifier",
 * haartraining) is not read.
 *
 * Everything is checked before use: counts against each other, every node's
 * children point forward inside its tree, every feature index exists, every
 * rectangle (and for tilted ones every corner) lies inside the window, numbers
 * are finite.  A stage's threshold is stored less 1e-5, as OpenCV does, so
 * that scores equal to it pass.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

enum vision_feature_type {
	VISION_FEATURE_HAAR = 0,
	VISION_FEATURE_LBP = 1,
};

/* A Haar rectangle (weight 0 when unused) or an LBP cell (weight unused). */
typedef struct vision_cascade_rect {
	int x, y, w, h;
	float weight;
} vision_cascade_rect;

typedef struct vision_cascade_feature {
	vision_cascade_rect rect[3];  /* Haar: 2 or 3 used; LBP: rect[0] */
	int tilted;                   /* Haar: rotated 45 degrees */
} vision_cascade_feature;

typedef struct vision_cascade_node {
	int left, right;   /* > 0: node of the same tree; <= 0: leaf -left */
	int feature;
	float threshold;   /* Haar: go left when value < threshold */
} vision_cascade_node;

typedef struct vision_cascade_tree {
	int first_node, n_nodes;  /* nodes[first_node ..]; leaves[first_leaf ..], n_nodes + 1 */
	int first_leaf;
} vision_cascade_tree;

typedef struct vision_cascade_stage {
	int first_tree, n_trees;
	float threshold;          /* the file's, less 1e-5 */
} vision_cascade_stage;

#define VISION_LBP_SUBSET 8   /* 256 categories in 32-bit words */

typedef struct vision_cascade {
	enum vision_feature_type type;
	int width, height;        /* the detection window */
	int n_stages, n_trees, n_nodes, n_leaves, n_features;
	vision_cascade_stage *stages;
	vision_cascade_tree *trees;
	vision_cascade_node *nodes;
	float *leaves;
	int32_t *subsets;         /* LBP: (n_nodes, VISION_LBP_SUBSET); go left when bit c is set */
	vision_cascade_feature *features;
	int max_nodes;            /* most nodes in one tree: 1 means stumps */
	int has_tilted;
} vision_cascade;

/* Loads a cascade file (at most 64 MiB).  NULL with the error set: BJ_ENOENT or
 * BJ_EIO for the file, BJ_EFORMAT for anything malformed, truncated or
 * inconsistent, BJ_EUNSUPPORTED for the old format or another feature type. */
vision_cascade *vision_cascade_load(const char *path);

/* As vision_cascade_load, from text in memory; name is used in messages. */
vision_cascade *vision_cascade_parse(const char *text, size_t size, const char *name);

void vision_cascade_free(vision_cascade *c);
