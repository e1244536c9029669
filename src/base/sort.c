#include "base/sort.h"

#include <stdlib.h>

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void bj_sort_floats(float *v, size_t n)
{
	if (n > 1)   /* qsort's array may not be NULL, even empty */
		qsort(v, n, sizeof(*v), cmp_float);
}

void bj_sort_doubles(double *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_double);
}
