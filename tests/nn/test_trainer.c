#include "nn/trainer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/progress.h"
#include "base/rng.h"
#include "base/safetensors.h"
#include "nn/parallel.h"
#include "harness.h"

/* A little text with structure to learn: numbered lines of a few words. */
static char *make_text(size_t lines, uint64_t seed)
{
	static const char *const words[] = { "the", "ship", "lands", "on", "a", "cold", "moon",
	                                     "RIPLEY", "looks", "up", "\xc3\xa9t\xc3\xa9" };
	bj_rng rng;
	bj_rng_init(&rng, seed);
	size_t cap = lines * 64 + 1, n = 0;
	char *s = bj_xmalloc(cap);
	for (size_t i = 0; i < lines; i++) {
		int k = 3 + (int)bj_rng_below(&rng, 4);
		for (int w = 0; w < k; w++)
			n += (size_t)snprintf(s + n, cap - n, "%s%s", w ? " " : "",
			                      words[bj_rng_below(&rng, BJ_ARRAY_SIZE(words))]);
		n += (size_t)snprintf(s + n, cap - n, ".\n");
	}
	return s;
}

static nn_corpus *open_text(const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s", test_path(name));
	test_write_file(path, text, strlen(text));
	const char *paths[] = { path };
	nn_corpus *c = NULL;
	CHECK(nn_corpus_open(paths, 1, &c) == 0, "%s", bj_error_message());
	return c;
}

static void tiny_opts(nn_trainer_opts *o, const char *model)
{
	nn_trainer_opts_init(o);
	o->layers = 2;
	o->hidden = 16;
	o->embed = 8;
	o->dropout = 0.1f;
	o->min_count = 1;
	o->batch = 4;
	o->seq = 8;
	o->val_every = 4;
	o->val_chars = 200;
	o->warmup = 3;
	o->lr = 1e-2;
	o->min_lr = 1e-3;
	o->steps = 12;
	o->seed = 5;
	o->checkpoint_minutes = 0;
	char *m = bj_xasprintf("%s", test_path(model));
	o->model_path = m;
	o->csv_path = bj_xasprintf("%s.csv", m);
}

static void free_opts(nn_trainer_opts *o)
{
	free((char *)o->model_path);
	free((char *)o->csv_path);
}

/* Every tensor of a is in b with the same bytes, and so are the keys listed. */
static void compare_files(const char *a, const char *b, const char *const *keys)
{
	bj_safetensors *x = NULL, *y = NULL;
	CHECK(bj_safetensors_load(a, &x) == 0, "%s", bj_error_message());
	CHECK(bj_safetensors_load(b, &y) == 0, "%s", bj_error_message());
	if (!x || !y)
		goto out;
	CHECK(bj_safetensors_count(x) == bj_safetensors_count(y));
	size_t same = 0;
	for (size_t i = 0; i < bj_safetensors_count(x); i++) {
		const bj_st_tensor *t = bj_safetensors_tensor(x, i);
		const bj_st_tensor *u = bj_safetensors_find(y, t->name);
		CHECK(u && u->nbytes == t->nbytes, "'%s'", t->name);
		if (u && u->nbytes == t->nbytes) {
			int eq = memcmp(t->data, u->data, t->nbytes) == 0;
			CHECK(eq, "tensor '%s' differs", t->name);
			same += eq;
		}
	}
	printf("    %zu tensors the same, byte for byte\n", same);
	for (const char *const *k = keys; *k; k++) {
		const char *w = bj_safetensors_meta(y, *k);
		CHECK(bj_safetensors_meta(x, *k) && w && strcmp(bj_safetensors_meta(x, *k), w) == 0,
		      "metadata '%s'", *k);
	}
out:
	bj_safetensors_free(x);
	bj_safetensors_free(y);
}

static const char *const state_keys[] = { "train.step", "train.chars", "train.positions",
                                          "train.rng", "adam.step", "train.curve", NULL };

/* Stopped after 5 steps and resumed to 12: the same bytes as 12 in one go. */
static void test_resume_is_exact(void)
{
	char *text = make_text(300, 1);
	nn_corpus *c = open_text("corpus.txt", text);
	if (!c)
		goto out;
	nn_trainer_opts a, b;
	tiny_opts(&a, "straight.safetensors");
	tiny_opts(&b, "resumed.safetensors");
	nn_trainer_result ra, rb;
	CHECK(nn_trainer_run(&a, c, &ra) == 0, "%s", bj_error_message());
	b.pause_at = 5;
	CHECK(nn_trainer_run(&b, c, &rb) == 0, "%s", bj_error_message());
	CHECK(rb.steps == 5 && isnan(rb.val_bpc) == 0, "%lld steps", (long long)rb.steps);
	b.pause_at = 0;
	b.resume = 1;
	CHECK(nn_trainer_run(&b, c, &rb) == 0, "%s", bj_error_message());
	CHECK(ra.steps == 12 && rb.steps == 12 && ra.chars == rb.chars);
	CHECK(ra.val_bpc == rb.val_bpc, "%.9g vs %.9g", ra.val_bpc, rb.val_bpc);
	compare_files(a.model_path, b.model_path, state_keys);
	/* The curve has each step once, and validations where they were. */
	char *csv = test_read_file(b.csv_path, NULL);
	CHECK(csv != NULL);
	if (csv) {
		int lines = 0, with_val = 0;
		for (char *p = csv; *p; p++)
			if (*p == '\n') {
				lines++;
				with_val += p[-1] != ',';
			}
		CHECK(lines == 13 && with_val == 1 + 3, "%d lines, %d with a validation", lines,
		      with_val);
		CHECK(strncmp(csv, "step,chars,seconds,lr,train_bpc,val_bpc\n1,32,", 45) == 0);
		CHECK(strstr(csv, "\n12,384,") != NULL);
		free(csv);
	}
	free_opts(&a);
	free_opts(&b);
out:
	nn_corpus_close(c);
	free(text);
}

/* The learning curve is in the model file ("train.curve"), a point a step
 * here, and a run resumed without its CSV keeps the points before the pause. */
static void test_curve_in_model(void)
{
	char *text = make_text(300, 1);
	nn_corpus *c = open_text("corpus.txt", text);
	nn_trainer_opts a, b;
	tiny_opts(&a, "curve-straight.safetensors");
	tiny_opts(&b, "curve-resumed.safetensors");
	free((char *)b.csv_path);
	b.csv_path = NULL;
	nn_trainer_result ra, rb;
	CHECK(nn_trainer_run(&a, c, &ra) == 0, "%s", bj_error_message());
	b.pause_at = 5;
	CHECK(nn_trainer_run(&b, c, &rb) == 0, "%s", bj_error_message());
	b.pause_at = 0;
	b.resume = 1;
	CHECK(nn_trainer_run(&b, c, &rb) == 0, "%s", bj_error_message());
	bj_safetensors *x = NULL, *y = NULL;
	CHECK(bj_safetensors_load(a.model_path, &x) == 0, "%s", bj_error_message());
	CHECK(bj_safetensors_load(b.model_path, &y) == 0, "%s", bj_error_message());
	const char *cx = x ? bj_safetensors_meta(x, "train.curve") : NULL;
	const char *cy = y ? bj_safetensors_meta(y, "train.curve") : NULL;
	CHECK(cx && cy && strcmp(cx, cy) == 0, "'%s' vs '%s'", cx ? cx : "-", cy ? cy : "-");
	if (cx) {
		int points = 0, with_val = 0;
		for (const char *p = cx; p;) {
			const char *e = strchr(p, ';');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			points++;
			with_val += len > 0 && p[len - 1] != ',';
			p = e ? e + 1 : NULL;
		}
		CHECK(points == 12, "%d points in '%s'", points, cx);
		CHECK(strncmp(cx, "1,", 2) == 0 && strstr(cx, ";12,") != NULL, "'%s'", cx);
		CHECK(with_val == 3, "%d validations in '%s'", with_val, cx);
	}
	bj_safetensors_free(x);
	bj_safetensors_free(y);
	free_opts(&a);
	free_opts(&b);
	nn_corpus_close(c);
	free(text);
}

/* STYLE.md 2.4: the same bytes with 1 and 2 threads. */
static void test_threads_same_bytes(void)
{
	char *text = make_text(200, 2);
	nn_corpus *c = open_text("corpus.txt", text);
	int before = nn_get_threads();
	nn_trainer_opts a, b;
	tiny_opts(&a, "one.safetensors");
	tiny_opts(&b, "two.safetensors");
	nn_trainer_result r;
	nn_set_threads(1);
	CHECK(c && nn_trainer_run(&a, c, &r) == 0, "%s", bj_error_message());
	nn_set_threads(2);
	CHECK(c && nn_trainer_run(&b, c, &r) == 0, "%s", bj_error_message());
	nn_set_threads(before);
	compare_files(a.model_path, b.model_path, state_keys);
	free_opts(&a);
	free_opts(&b);
	nn_corpus_close(c);
	free(text);
}

static void test_learns(void)
{
	char *text = make_text(400, 3);
	nn_corpus *c = open_text("corpus.txt", text);
	nn_trainer_opts o;
	tiny_opts(&o, "learn.safetensors");
	o.hidden = 32;
	o.dropout = 0.0f;
	o.steps = 150;
	o.val_every = 150;
	o.val_chars = 0;
	nn_trainer_result r;
	CHECK(c && nn_trainer_run(&o, c, &r) == 0, "%s", bj_error_message());
	double uniform = log2((double)r.vocab);
	printf("    validation %.3f bits/char after %lld steps (uniform: %.3f)\n", r.val_bpc,
	       (long long)r.steps, uniform);
	CHECK(r.val_bpc < uniform - 1.5, "%.3f bits/char", r.val_bpc);
	free_opts(&o);
	nn_corpus_close(c);
	free(text);
}

static void test_errors(void)
{
	char *text = make_text(50, 4);
	nn_corpus *c = open_text("corpus.txt", text);
	nn_trainer_opts o;
	tiny_opts(&o, "m.safetensors");
	nn_trainer_result r;
	o.batch = 0;
	CHECK(nn_trainer_run(&o, c, &r) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "batch of 0 streams is outside 1..4096");
	o.batch = 4;
	/* Interrupted before the first step: saved, and said so. */
	volatile sig_atomic_t stop = 1;
	o.interrupted = &stop;
	CHECK(nn_trainer_run(&o, c, &r) == BJ_EINTERRUPTED);
	char want[4200];
	snprintf(want, sizeof(want), "interrupted at step 0; the model so far is in '%s'",
	         o.model_path);
	CHECK_STR(bj_error_message(), want);
	o.interrupted = NULL;
	/* Resuming on other text. */
	char *other = make_text(50, 5);
	nn_corpus *d = open_text("other.txt", other);
	o.resume = 1;
	CHECK(d && nn_trainer_run(&o, d, &r) == BJ_EFORMAT);
	snprintf(want, sizeof(want), "'%s': trained on a different corpus", o.model_path);
	CHECK_STR(bj_error_message(), want);
	/* Resuming from a model without training state. */
	test_write_file(o.model_path, "\x08\0\0\0\0\0\0\0{}      ", 16);
	CHECK(nn_trainer_run(&o, c, &r) == BJ_EFORMAT);
	CHECK(strstr(bj_error_message(), "no metadata 'charlm.vocab'") != NULL, "%s",
	      bj_error_message());
	/* An output that cannot be written fails before training. */
	o.resume = 0;
	free((char *)o.model_path);
	o.model_path = bj_xasprintf("%s", "/dev/full");
	CHECK(nn_trainer_run(&o, c, &r) == BJ_EIO);
	CHECK(strstr(bj_error_message(), "'/dev/full'") != NULL, "%s", bj_error_message());
	free_opts(&o);
	nn_corpus_close(c);
	nn_corpus_close(d);
	free(text);
	free(other);
}

int main(void)
{
	bj_progress_set_output(stderr, BJ_PROGRESS_OFF, 0);
	static const struct test_case cases[] = {
		TEST_CASE(test_resume_is_exact),
		TEST_CASE(test_curve_in_model),
		TEST_CASE(test_threads_same_bytes),
		TEST_CASE(test_learns),
		TEST_CASE(test_errors),
		{ 0 },
	};
	return test_main(cases);
}
