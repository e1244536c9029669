#include "writer/writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/progress.h"
#include "base/safetensors.h"
#include "base/utf8.h"
#include "harness.h"

/* A screenplay-shaped corpus: headings, cues, dialogue. */
static const char scene[] =
	"INT. SHIP - NIGHT\n"
	"\n"
	"Ripley walks to the airlock.\n"
	"\n"
	"                    RIPLEY\n"
	"          Open it. Now.\n"
	"\n"
	"                    ASH\n"
	"          I can't do that.\n"
	"\n"
	"EXT. MOON - DAY\n"
	"\n"
	"Dust. The caf\xc3\xa9 sign flickers.\n"
	"\n";

static char model[4096];   /* set by train_model */

/* Collects what writer_sample emits. */
struct text {
	char *s;
	size_t n, cap;
	int calls, stop_after;
};

static int collect(void *ctx, const char *s, size_t len)
{
	struct text *t = ctx;
	if (t->stop_after && t->calls == t->stop_after)
		return BJ_EIO;
	t->calls++;
	BJ_GROW(t->s, t->cap, t->n + len + 1);
	memcpy(t->s + t->n, s, len);
	t->n += len;
	t->s[t->n] = '\0';
	return 0;
}

/* Trains on the scene repeated forty times. */
static void train_model(int steps)
{
	char corpus[4096];
	snprintf(corpus, sizeof(corpus), "%s", test_path("scenes.txt"));
	size_t reps = 40, n = strlen(scene);
	char *text = bj_xmalloc(reps * n + 1);
	for (size_t i = 0; i < reps; i++)
		memcpy(text + i * n, scene, n);
	test_write_file(corpus, text, reps * n);
	free(text);
	snprintf(model, sizeof(model), "%s", test_path("writer.safetensors"));
	writer_train_opts o;
	writer_train_opts_init(&o);
	const char *paths[] = { corpus };
	o.corpus = paths;
	o.n_corpus = 1;
	o.t.model_path = model;
	o.t.layers = 1;
	o.t.hidden = 64;
	o.t.embed = 16;
	o.t.batch = 8;
	o.t.seq = 32;
	o.t.steps = steps;
	o.t.lr = 0.01;
	o.t.min_lr = 1e-3;
	o.t.warmup = 5;
	o.t.val_every = 1000;
	o.t.min_count = 1;
	o.as_is = 1;   /* the indented layout, learnt as it is */
	nn_trainer_result r;
	CHECK(writer_train(&o, &r) == 0, "%s", bj_error_message());
	printf("    %lld steps, validation %.3f bits/char\n", (long long)r.steps, r.val_bpc);
	CHECK(steps < 300 || r.val_bpc < 1.5, "%.3f bits/char", r.val_bpc);
}

/* One case trains and samples: the temporary folder lasts a case. */
static void test_trains_and_writes(void)
{
	train_model(300);
	bj_safetensors *st = NULL;
	CHECK(bj_safetensors_load(model, &st) == 0, "%s", bj_error_message());
	if (!st)
		return;
	CHECK(bj_safetensors_meta(st, "writer.format") &&
	      strcmp(bj_safetensors_meta(st, "writer.format"), WRITER_FORMAT) == 0);
	CHECK(bj_safetensors_meta(st, "writer.corpus.files") &&
	      strcmp(bj_safetensors_meta(st, "writer.corpus.files"), "1") == 0);
	CHECK(bj_safetensors_find(st, "charlm.codepoints") != NULL);
	/* The vocabulary, readable: the corpus's characters in code point order. */
	const char *chars = bj_safetensors_meta(st, "charlm.chars");
	CHECK(chars && strcmp(chars, "\n '-.ADEGHILMNOPRSTXYacdefghiklnoprstuwy\xc3\xa9") == 0, "'%s'",
	      chars ? chars : "");
	bj_safetensors_free(st);

	writer_sample_opts o = { .model_path = model, .prime = "INT. ", .length = 300,
	                         .sample = { .temperature = 0.5f }, .seed = 3 };
	struct text a = { 0 }, b = { 0 }, c = { 0 };
	CHECK(writer_sample(&o, collect, &a) == 0, "%s", bj_error_message());
	CHECK(writer_sample(&o, collect, &b) == 0, "%s", bj_error_message());
	o.seed = 4;
	CHECK(writer_sample(&o, collect, &c) == 0, "%s", bj_error_message());
	CHECK(a.s && b.s && c.s);
	if (a.s && b.s && c.s) {
		CHECK(strcmp(a.s, b.s) == 0, "the same seed wrote two texts");
		CHECK(strcmp(a.s, c.s) != 0, "two seeds wrote the same text");
		CHECK(strncmp(a.s, "INT. ", 5) == 0, "the prime comes first");
		CHECK(bj_utf8_count(a.s, a.n) == 5 + 300 && bj_utf8_validate(a.s, a.n, NULL));
		/* It learnt the layout: cues indented twenty spaces. */
		CHECK(strstr(a.s, "\n                    ") != NULL, "%s", a.s);
		for (char *p = a.s; *p; p++)
			if (*p == '\n')
				*p = '|';
		printf("    sample: %.100s...\n", a.s);
	}
	free(a.s), free(b.s), free(c.s);
	/* Greedy: the heading it has seen forty times. */
	struct text g = { 0 };
	o = (writer_sample_opts){ .model_path = model, .prime = "EXT. MO", .length = 8 };
	CHECK(writer_sample(&o, collect, &g) == 0, "%s", bj_error_message());
	CHECK(g.s && strcmp(g.s, "EXT. MOON - DAY") == 0, "'%s'", g.s ? g.s : "");
	free(g.s);
	/* Without a prime nothing is written before the sample. */
	struct text n = { 0 };
	o.prime = NULL;
	CHECK(writer_sample(&o, collect, &n) == 0, "%s", bj_error_message());
	CHECK(n.calls == 8 && bj_utf8_count(n.s, n.n) == 8, "%d calls", n.calls);
	free(n.s);
}

static void test_sample_errors(void)
{
	train_model(10);
	struct text t = { 0 };
	writer_sample_opts o = { .model_path = model, .prime = "caf\xe9", .length = 5 };
	CHECK(writer_sample(&o, collect, &t) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "the prime is not UTF-8 (invalid byte at 3)");
	/* The caller's emit stops the writing with its code. */
	o.prime = NULL;
	o.length = 50;
	t.stop_after = 10;
	CHECK(writer_sample(&o, collect, &t) == BJ_EIO);
	CHECK(t.n == 10);
	free(t.s);
	o.model_path = test_path("missing.safetensors");
	CHECK(writer_sample(&o, collect, &t) == BJ_ENOENT);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': cannot open: No such file or directory", o.model_path);
	CHECK_STR(bj_error_message(), want);
}

int main(void)
{
	bj_progress_set_output(stderr, BJ_PROGRESS_OFF, 0);
	static const struct test_case cases[] = {
		TEST_CASE(test_trains_and_writes),
		TEST_CASE(test_sample_errors),
		{ 0 },
	};
	return test_main(cases);
}
