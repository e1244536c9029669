/*
 * delaunay.h - Delaunay triangulation of a few hundred points (Bowyer-Watson),
 * for the piecewise-affine face warp (vision/warp.h).
 *
 *     int *tris, n_tris;
 *     if (vision_delaunay(pts, n, &tris, &n_tris) < 0)   // pts: x y x y ...
 *         return bj_error_code();
 *     ...                                                // tris: (n_tris, 3) point indices
 *     free(tris);
 *
 * How: points are inserted one by one into a triangle that holds them all;
 * every triangle whose circumcircle holds the new point is removed and the
 * hole's edges are joined to the point.  O(n^2), fine for a face's 68
 * landmarks plus a frame of boundary points.  Repeated points are ignored.
 * Triangles are counter-clockwise in a y-up frame (clockwise on screen).
 */
#pragma once

/* Triangulates n points (x y x y ...).  *tris gets (n_tris, 3) indices,
 * malloc'd (free it).  Returns 0, or BJ_EINVAL for n < 3, a non-finite point or
 * points all on one line. */
int vision_delaunay(const float *pts, int n, int **tris, int *n_tris);
