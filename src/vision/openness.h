/*
 * openness.h - how open a face's eyes and mouth are, from its 68 landmarks
 * (iBUG 300-W order, vision/landmarks.h): for telling a blink from an open
 * eye and a speaking mouth from a still one.
 *
 *     float pts[2 * 68];                        // from vision_landmarks_fit
 *     float eyes = vision_eye_openness(pts);    // about 0.3 open, below 0.2 closed
 *     float mouth = vision_mouth_openness(pts); // 0 closed, about 0.3 wide open
 *
 * Both are ratios of distances, so they do not depend on the face's size or
 * on its rotation in the image plane; turning the head away (yaw) narrows the
 * eyes' width and so raises the eye ratio a little.  Degenerate landmarks
 * (the corners on one point) give 0.
 */
#pragma once

/* The eye aspect ratio of Soukupova and Cech, "Real-Time Eye Blink Detection
 * using Facial Landmarks" (CVWW 2016), averaged over both eyes: for the eye
 * points p1..p6 (36-41 and 42-47), (|p2 - p6| + |p3 - p5|) / (2 |p1 - p4|). */
float vision_eye_openness(const float *points /* (68, 2) */);

/* The inner lips' mean gap (points 61-67, 62-66, 63-65) over the mouth's inner
 * width (60-64). */
float vision_mouth_openness(const float *points /* (68, 2) */);
