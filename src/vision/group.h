/*
 * group.h - merge overlapping raw detections into objects, as OpenCV's
 * groupRectangles does for CascadeClassifier::detectMultiScale.
 *
 *     size_t n = vision_group_boxes(boxes, n_raw, 3, 0.2);   // in place
 *
 * Two boxes are alike when each of their four sides differs by at most
 * eps * (min of the widths + min of the heights) / 2; the classes are the
 * transitive closure of that relation.  A class becomes the mean of its boxes
 * (each coordinate rounded to nearest, ties to even) with its size as the
 * neighbour count.  Classes of min_neighbors or fewer boxes are dropped, and so
 * is a class lying inside another (within eps of its size) that has more
 * than max(3, its own) boxes, or any other when it has fewer than 3.  Output
 * order: classes by their first box.  min_neighbors <= 0 keeps the raw boxes.
 */
#pragma once

#include <stddef.h>

typedef struct vision_box {
	int x, y, width, height;
	int neighbors;   /* raw boxes merged into this one (0 for raw boxes) */
} vision_box;

/* Groups n boxes in place; returns how many remain. */
size_t vision_group_boxes(vision_box *boxes, size_t n, int min_neighbors, double eps);

/* Intersection over union of two boxes, 0..1 (0 when either is empty). */
double vision_box_iou(const vision_box *a, const vision_box *b);
