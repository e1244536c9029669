/*
 * sort.h - sorting arrays of numbers into ascending order, for medians and
 * quantiles.
 *
 *     bj_sort_floats(v, n);
 *     float median = v[n / 2];
 *
 * qsort underneath, comparing with < so that equal values compare equal and
 * the order is the same on every platform.  NaNs must not be passed.
 */
#pragma once

#include <stddef.h>

void bj_sort_floats(float *v, size_t n);
void bj_sort_doubles(double *v, size_t n);
