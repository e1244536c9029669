#include "vision/cascade.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "vision/xml.h"

#define MAX_FILE ((size_t)64 << 20)
#define MAX_WINDOW 1024
#define THRESHOLD_EPS 1e-5f   /* OpenCV lowers every stage threshold by this */

/* Where the reader is, for messages. */
struct reader {
	const vision_xml *x;
	const char *name;
	vision_cascade *c;
	size_t cap_trees, cap_nodes, cap_leaves, cap_subsets;
};

static int bad(const struct reader *r, int el, const char *fmt, const char *what)
{
	char msg[256];
	snprintf(msg, sizeof(msg), fmt, what);
	return bj_error_set(BJ_EFORMAT, "'%s': line %d: %s", r->name,
	                    el >= 0 ? vision_xml_line(r->x, el) : 0, msg);
}

/* The child called name of el; an error when it is missing. */
static int need(const struct reader *r, int el, const char *name)
{
	int c = vision_xml_find(r->x, el, name);
	if (c < 0)
		bad(r, el, "missing element '%s'", name);
	return c;
}

/* Reads exactly n numbers (whitespace-separated) from the text of el. */
static int numbers(const struct reader *r, int el, double *out, int n, const char *what)
{
	const char *s = vision_xml_text(r->x, el);
	for (int i = 0; i < n; i++) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s)
			return bad(r, el, "too few numbers in '%s'", what);
		char *end;
		errno = 0;
		double v = strtod(s, &end);
		if (end == s || errno == ERANGE || !isfinite(v) ||
		    (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r'))
			return bad(r, el, "bad number in '%s'", what);
		out[i] = v;
		s = end;
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (*s)
		return bad(r, el, "too many numbers in '%s'", what);
	return 0;
}

/* Counts the whitespace-separated tokens of el's text. */
static int count_tokens(const struct reader *r, int el)
{
	const char *s = vision_xml_text(r->x, el);
	int n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s)
			break;
		n++;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			s++;
		if (n == INT_MAX)
			break;
	}
	return n;
}

static int is_int(double v, double lo, double hi)
{
	return v == floor(v) && v >= lo && v <= hi;
}

/* One integer child of el in lo..hi. */
static int int_child(const struct reader *r, int el, const char *name, int lo, int hi, int *out)
{
	int c = need(r, el, name);
	if (c < 0)
		return -1;
	double v;
	if (numbers(r, c, &v, 1, name) < 0)
		return -1;
	if (!is_int(v, lo, hi))
		return bad(r, c, "'%s' out of range", name);
	*out = (int)v;
	return 0;
}

static int read_tree(struct reader *r, int weak, int subset_words)
{
	vision_cascade *c = r->c;
	int in = need(r, weak, "internalNodes"), lv = need(r, weak, "leafValues");
	if (in < 0 || lv < 0)
		return -1;
	int step = 3 + (subset_words ? subset_words : 1);
	int n_tokens = count_tokens(r, in);
	if (n_tokens == 0 || n_tokens % step != 0 || n_tokens / step > 1024)
		return bad(r, in, "%s: token count is not a whole number of nodes", "internalNodes");
	int n_nodes = n_tokens / step;
	double *v = bj_xmalloc((size_t)n_tokens * sizeof(double));
	double *leaf = bj_xmalloc((size_t)(n_nodes + 1) * sizeof(double));
	int ret = -1;
	if (numbers(r, in, v, n_tokens, "internalNodes") < 0)
		goto out;
	if (count_tokens(r, lv) != n_nodes + 1) {
		bad(r, lv, "%s: expected one more leaf than nodes", "leafValues");
		goto out;
	}
	if (numbers(r, lv, leaf, n_nodes + 1, "leafValues") < 0)
		goto out;
	if (c->n_trees == INT_MAX || c->n_nodes > INT_MAX - n_nodes || c->n_leaves > INT_MAX - n_nodes - 1) {
		bad(r, weak, "%s", "too many nodes");
		goto out;
	}
	BJ_GROW(c->trees, r->cap_trees, (size_t)c->n_trees + 1);
	c->trees[c->n_trees++] = (vision_cascade_tree){ c->n_nodes, n_nodes, c->n_leaves };
	BJ_GROW(c->nodes, r->cap_nodes, (size_t)c->n_nodes + (size_t)n_nodes);
	BJ_GROW(c->leaves, r->cap_leaves, (size_t)c->n_leaves + (size_t)n_nodes + 1);
	if (subset_words)
		BJ_GROW(c->subsets, r->cap_subsets, ((size_t)c->n_nodes + (size_t)n_nodes) * (size_t)subset_words);
	for (int i = 0; i < n_nodes; i++) {
		const double *t = v + (size_t)i * (size_t)step;
		/* children point forward inside the tree, so every walk ends at a leaf */
		for (int k = 0; k < 2; k++)
			if (!is_int(t[k], -n_nodes, n_nodes - 1) || (t[k] > 0 && t[k] <= i)) {
				bad(r, in, "%s: a node's child is outside its tree", "internalNodes");
				goto out;
			}
		if (!is_int(t[2], 0, INT_MAX - 1)) {
			bad(r, in, "%s: bad feature index", "internalNodes");
			goto out;
		}
		vision_cascade_node *nd = &c->nodes[c->n_nodes + i];
		nd->left = (int)t[0];
		nd->right = (int)t[1];
		nd->feature = (int)t[2];
		nd->threshold = 0.0f;
		if (subset_words) {
			for (int w = 0; w < subset_words; w++) {
				if (!is_int(t[3 + w], INT32_MIN, INT32_MAX)) {
					bad(r, in, "%s: bad category subset", "internalNodes");
					goto out;
				}
				c->subsets[(size_t)(c->n_nodes + i) * (size_t)subset_words + (size_t)w] = (int32_t)t[3 + w];
			}
		} else {
			if (fabs(t[3]) > 3.4e38) {
				bad(r, in, "%s: threshold out of range", "internalNodes");
				goto out;
			}
			nd->threshold = (float)t[3];
		}
	}
	for (int i = 0; i <= n_nodes; i++) {
		if (fabs(leaf[i]) > 3.4e38) {
			bad(r, lv, "%s: value out of range", "leafValues");
			goto out;
		}
		c->leaves[c->n_leaves + i] = (float)leaf[i];
	}
	c->n_nodes += n_nodes;
	c->n_leaves += n_nodes + 1;
	if (n_nodes > c->max_nodes)
		c->max_nodes = n_nodes;
	ret = 0;
out:
	free(v);
	free(leaf);
	return ret;
}

static int read_stages(struct reader *r, int root, int subset_words)
{
	vision_cascade *c = r->c;
	int stages = need(r, root, "stages");
	if (stages < 0)
		return -1;
	int n = vision_xml_count(r->x, stages);
	if (n < 1 || n > 100000)
		return bad(r, stages, "%s: no stages, or too many", "stages");
	int stage_num;
	if (vision_xml_find(r->x, root, "stageNum") >= 0) {
		if (int_child(r, root, "stageNum", 0, INT_MAX, &stage_num) < 0)
			return -1;
		if (stage_num != n)
			return bad(r, stages, "%s: count differs from stageNum", "stages");
	}
	c->stages = bj_xcalloc((size_t)n, sizeof(*c->stages));
	for (int s = vision_xml_child(r->x, stages); s >= 0; s = vision_xml_next(r->x, s)) {
		vision_cascade_stage *st = &c->stages[c->n_stages];
		int th = need(r, s, "stageThreshold"), weaks = need(r, s, "weakClassifiers");
		if (th < 0 || weaks < 0)
			return -1;
		double t;
		if (numbers(r, th, &t, 1, "stageThreshold") < 0)
			return -1;
		if (fabs(t) > 3.4e38)
			return bad(r, th, "%s out of range", "stageThreshold");
		st->threshold = (float)t - THRESHOLD_EPS;
		st->first_tree = c->n_trees;
		st->n_trees = vision_xml_count(r->x, weaks);
		if (st->n_trees < 1)
			return bad(r, weaks, "%s: stage has no weak classifiers", "weakClassifiers");
		if (vision_xml_find(r->x, s, "maxWeakCount") >= 0) {
			int mwc;
			if (int_child(r, s, "maxWeakCount", 0, INT_MAX, &mwc) < 0)
				return -1;
			if (mwc != st->n_trees)
				return bad(r, weaks, "%s: count differs from maxWeakCount", "weakClassifiers");
		}
		for (int w = vision_xml_child(r->x, weaks); w >= 0; w = vision_xml_next(r->x, w))
			if (read_tree(r, w, subset_words) < 0)
				return -1;
		c->n_stages++;
	}
	return 0;
}

/* A corner (x, y) of a feature, in integral-image coordinates, lies in the window. */
static int inside(const vision_cascade *c, long x, long y)
{
	return x >= 0 && y >= 0 && x <= c->width && y <= c->height;
}

static int read_haar_feature(struct reader *r, int f, vision_cascade_feature *ft)
{
	const vision_cascade *c = r->c;
	int rects = need(r, f, "rects");
	if (rects < 0)
		return -1;
	int n = vision_xml_count(r->x, rects);
	if (n < 1 || n > 3)
		return bad(r, rects, "%s: a Haar feature has 1 to 3 rectangles", "rects");
	ft->tilted = 0;
	int te = vision_xml_find(r->x, f, "tilted");
	if (te >= 0) {
		double t;
		if (numbers(r, te, &t, 1, "tilted") < 0)
			return -1;
		if (t != 0 && t != 1)
			return bad(r, te, "%s must be 0 or 1", "tilted");
		ft->tilted = (int)t;
	}
	int i = 0;
	for (int e = vision_xml_child(r->x, rects); e >= 0; e = vision_xml_next(r->x, e), i++) {
		double v[5];
		if (numbers(r, e, v, 5, "rects") < 0)
			return -1;
		for (int k = 0; k < 4; k++)
			if (!is_int(v[k], k < 2 ? 0 : 1, MAX_WINDOW))
				return bad(r, e, "%s: bad rectangle", "rects");
		if (fabs(v[4]) > 3.4e38)
			return bad(r, e, "%s: weight out of range", "rects");
		long x = (long)v[0], y = (long)v[1], w = (long)v[2], h = (long)v[3];
		int ok = ft->tilted ?
			inside(c, x, y) && inside(c, x - h, y + h) && inside(c, x + w, y + w) &&
			inside(c, x + w - h, y + w + h) :
			inside(c, x, y) && inside(c, x + w, y + h);
		if (!ok)
			return bad(r, e, "%s: rectangle outside the window", "rects");
		ft->rect[i] = (vision_cascade_rect){ (int)x, (int)y, (int)w, (int)h, (float)v[4] };
	}
	return 0;
}

static int read_lbp_feature(struct reader *r, int f, vision_cascade_feature *ft)
{
	const vision_cascade *c = r->c;
	int re = need(r, f, "rect");
	if (re < 0)
		return -1;
	double v[4];
	if (numbers(r, re, v, 4, "rect") < 0)
		return -1;
	for (int k = 0; k < 4; k++)
		if (!is_int(v[k], k < 2 ? 0 : 1, MAX_WINDOW))
			return bad(r, re, "%s: bad rectangle", "rect");
	/* the feature is a 3x3 grid of such cells */
	if (!inside(c, (long)v[0] + 3 * (long)v[2], (long)v[1] + 3 * (long)v[3]))
		return bad(r, re, "%s: cells outside the window", "rect");
	ft->rect[0] = (vision_cascade_rect){ (int)v[0], (int)v[1], (int)v[2], (int)v[3], 0.0f };
	return 0;
}

static int read_features(struct reader *r, int root)
{
	vision_cascade *c = r->c;
	int feats = need(r, root, "features");
	if (feats < 0)
		return -1;
	int n = vision_xml_count(r->x, feats);
	if (n < 1)
		return bad(r, feats, "%s: no features", "features");
	c->features = bj_xcalloc((size_t)n, sizeof(*c->features));
	for (int f = vision_xml_child(r->x, feats); f >= 0; f = vision_xml_next(r->x, f)) {
		vision_cascade_feature *ft = &c->features[c->n_features];
		if ((c->type == VISION_FEATURE_HAAR ? read_haar_feature(r, f, ft) : read_lbp_feature(r, f, ft)) < 0)
			return -1;
		c->has_tilted |= ft->tilted;
		c->n_features++;
	}
	for (int i = 0; i < c->n_nodes; i++)
		if (c->nodes[i].feature >= c->n_features)
			return bj_error_set(BJ_EFORMAT, "'%s': node %d uses feature %d of %d", r->name, i,
			                    c->nodes[i].feature, c->n_features);
	return 0;
}

static int read_cascade(struct reader *r, int root)
{
	vision_cascade *c = r->c;
	const vision_xml *x = r->x;
	const char *type_id = vision_xml_attr(x, root, "type_id");
	if (type_id && strcmp(type_id, "opencv-haar-classifier") == 0)
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': old-format Haar cascade (haartraining); "
		                    "convert it with OpenCV's traincascade format", r->name);
	int st = need(r, root, "stageType"), ft = need(r, root, "featureType");
	if (st < 0 || ft < 0)
		return -1;
	const char *stage_type = vision_xml_text(x, st), *feature_type = vision_xml_text(x, ft);
	while (*stage_type == ' ' || *stage_type == '\n')
		stage_type++;
	while (*feature_type == ' ' || *feature_type == '\n')
		feature_type++;
	if (strncmp(stage_type, "BOOST", 5) != 0)
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': stage type is not BOOST", r->name);
	if (strncmp(feature_type, "HAAR", 4) == 0)
		c->type = VISION_FEATURE_HAAR;
	else if (strncmp(feature_type, "LBP", 3) == 0)
		c->type = VISION_FEATURE_LBP;
	else
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': feature type is not HAAR or LBP", r->name);
	if (int_child(r, root, "width", 1, MAX_WINDOW, &c->width) < 0 ||
	    int_child(r, root, "height", 1, MAX_WINDOW, &c->height) < 0)
		return -1;
	int fp = need(r, root, "featureParams");
	int ncat;
	if (fp < 0 || int_child(r, fp, "maxCatCount", 0, 1 << 20, &ncat) < 0)
		return -1;
	if (ncat != (c->type == VISION_FEATURE_LBP ? 256 : 0))
		return bad(r, fp, "%s: maxCatCount must be 0 for HAAR and 256 for LBP", "featureParams");
	if (read_stages(r, root, ncat ? VISION_LBP_SUBSET : 0) < 0)
		return -1;
	return read_features(r, root);
}

vision_cascade *vision_cascade_parse(const char *text, size_t size, const char *name)
{
	vision_xml *x = vision_xml_parse(text, size, name);
	if (!x)
		return NULL;
	vision_cascade *c = bj_xcalloc(1, sizeof(*c));
	struct reader r = { .x = x, .name = name, .c = c };
	int root = vision_xml_root(x);
	int cas = vision_xml_child(x, root);
	if (strcmp(vision_xml_name(x, root), "opencv_storage") != 0 || cas < 0) {
		bj_error_set(BJ_EFORMAT, "'%s': not an OpenCV cascade (no <opencv_storage> with a cascade)", name);
		goto fail;
	}
	if (read_cascade(&r, cas) < 0)
		goto fail;
	vision_xml_free(x);
	return c;
fail:
	vision_xml_free(x);
	vision_cascade_free(c);
	return NULL;
}

vision_cascade *vision_cascade_load(const char *path)
{
	uint8_t *data;
	size_t size;
	if (bj_file_read(path, MAX_FILE, &data, &size) < 0)
		return NULL;
	vision_cascade *c = vision_cascade_parse((const char *)data, size, path);
	free(data);
	return c;
}

void vision_cascade_free(vision_cascade *c)
{
	if (!c)
		return;
	free(c->stages);
	free(c->trees);
	free(c->nodes);
	free(c->leaves);
	free(c->subsets);
	free(c->features);
	free(c);
}
