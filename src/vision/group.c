#include "vision/group.h"

#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"

static int alike(const vision_box *a, const vision_box *b, double eps)
{
	int mw = a->width < b->width ? a->width : b->width;
	int mh = a->height < b->height ? a->height : b->height;
	double delta = eps * (mw + mh) * 0.5;
	return abs(a->x - b->x) <= delta && abs(a->y - b->y) <= delta &&
	       abs(a->x + a->width - b->x - b->width) <= delta &&
	       abs(a->y + a->height - b->y - b->height) <= delta;
}

static size_t find(size_t *parent, size_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

size_t vision_group_boxes(vision_box *boxes, size_t n, int min_neighbors, double eps)
{
	if (min_neighbors <= 0 || n == 0)
		return n;
	size_t *parent = bj_xmalloc(n * sizeof(*parent));
	size_t *label = bj_xmalloc(n * sizeof(*label));
	for (size_t i = 0; i < n; i++)
		parent[i] = i;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (alike(&boxes[i], &boxes[j], eps)) {
				size_t a = find(parent, i), b = find(parent, j);
				if (a != b)
					parent[a < b ? b : a] = a < b ? a : b;
			}
	/* classes numbered by their first box */
	size_t n_classes = 0;
	for (size_t i = 0; i < n; i++) {
		size_t root = find(parent, i);
		label[i] = root == i ? n_classes++ : label[root];
	}
	struct sum { long long x, y, w, h; int count; } *s = bj_xcalloc(n_classes, sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		struct sum *c = &s[label[i]];
		c->x += boxes[i].x;
		c->y += boxes[i].y;
		c->w += boxes[i].width;
		c->h += boxes[i].height;
		c->count++;
	}
	vision_box *mean = bj_xmalloc(n_classes * sizeof(*mean));
	for (size_t k = 0; k < n_classes; k++) {
		/* the mean in float, rounded to nearest even, as OpenCV's saturate_cast */
		float inv = 1.0f / (float)s[k].count;
		mean[k] = (vision_box){ (int)lrintf((float)s[k].x * inv), (int)lrintf((float)s[k].y * inv),
		                        (int)lrintf((float)s[k].w * inv), (int)lrintf((float)s[k].h * inv),
		                        s[k].count };
	}
	size_t out = 0;
	for (size_t i = 0; i < n_classes; i++) {
		const vision_box *r1 = &mean[i];
		int n1 = r1->neighbors;
		if (n1 <= min_neighbors)
			continue;
		size_t j;
		for (j = 0; j < n_classes; j++) {
			const vision_box *r2 = &mean[j];
			int n2 = r2->neighbors;
			if (j == i || n2 <= min_neighbors)
				continue;
			int dx = (int)lrint(r2->width * eps), dy = (int)lrint(r2->height * eps);
			if (r1->x >= r2->x - dx && r1->y >= r2->y - dy &&
			    r1->x + r1->width <= r2->x + r2->width + dx &&
			    r1->y + r1->height <= r2->y + r2->height + dy &&
			    (n2 > (n1 > 3 ? n1 : 3) || n1 < 3))
				break;
		}
		if (j == n_classes)
			boxes[out++] = *r1;
	}
	free(mean);
	free(s);
	free(label);
	free(parent);
	return out;
}

double vision_box_iou(const vision_box *a, const vision_box *b)
{
	long x0 = a->x > b->x ? a->x : b->x, y0 = a->y > b->y ? a->y : b->y;
	long x1 = a->x + a->width < b->x + b->width ? a->x + a->width : b->x + b->width;
	long y1 = a->y + a->height < b->y + b->height ? a->y + a->height : b->y + b->height;
	if (a->width <= 0 || a->height <= 0 || b->width <= 0 || b->height <= 0 || x1 <= x0 || y1 <= y0)
		return 0.0;
	double inter = (double)(x1 - x0) * (double)(y1 - y0);
	return inter / ((double)a->width * a->height + (double)b->width * b->height - inter);
}
