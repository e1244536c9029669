/*
 * test_write.c - prompted writing: whatever a small model writes, the
 * screenplay reads back, meets its brief (title, line, prop, action, cast,
 * pages) and is the same for the same seed; prompts that cannot stand
 * verbatim in Fountain are refused with a reason.
 */
#include "writer/write.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/progress.h"
#include "harness.h"
#include "text/fountain.h"
#include "writer/brief.h"
#include "writer/draw.h"
#include "writer/writer.h"

static char model[4096];

/* A Fountain corpus with more names than a cast holds, parentheticals,
 * transitions and long action, so that every path of the writer is taken. */
static void train_model(void)
{
	static const char *const names[] = { "RIPLEY", "ASH", "DALLAS", "LAMBERT", "PARKER", "KANE" };
	static const char *const places[] = { "INT. SHIP - NIGHT", "EXT. MOON - DAY",
	                                      "INT. GALLEY - CONTINUOUS" };
	char *text = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 60; i++) {
		char *scene = bj_xasprintf(
			"%s\n\n%s walks to the airlock and looks at the door for a long time.\n\n"
			"%s\n(quietly)\nOpen it. Now.\n\n%s\nI can't do that.\n\nThe lights flicker.\n\n%s\n\n",
			places[i % 3], names[i % 6], names[i % 6], names[(i + 1) % 6],
			i % 4 == 3 ? "CUT TO:" : "Nothing moves.");
		size_t len = strlen(scene);
		BJ_GROW(text, cap, n + len + 1);
		memcpy(text + n, scene, len + 1);
		n += len;
		free(scene);
	}
	char corpus[4096];
	snprintf(corpus, sizeof(corpus), "%s", test_path("scenes.fountain"));
	test_write_file(corpus, text, n);
	free(text);
	snprintf(model, sizeof(model), "%s", test_path("writer.safetensors"));
	writer_train_opts o;
	writer_train_opts_init(&o);
	const char *paths[] = { corpus };
	o.corpus = paths;
	o.n_corpus = 1;
	o.t.model_path = model;
	o.t.layers = 1;
	o.t.hidden = 48;
	o.t.embed = 16;
	o.t.batch = 8;
	o.t.seq = 48;
	o.t.steps = 150;
	o.t.lr = 0.01;
	o.t.min_lr = 1e-3;
	o.t.warmup = 5;
	o.t.val_every = 1000;
	o.t.min_count = 1;
	nn_trainer_result r;
	CHECK(writer_train(&o, &r) == 0, "%s", bj_error_message());
}

static char *write_one(const writer_write_opts *o, writer_write_report *rep)
{
	text_screenplay *sp;
	if (writer_write(o, &sp, rep) < 0) {
		test_fail(__FILE__, __LINE__, "writer_write: %s", bj_error_message());
		return NULL;
	}
	char *text = text_fountain_emit(sp);
	text_screenplay_free(sp);
	return text;
}

/* The first speaker who speaks twice running (no other element between their
 * speeches), or NULL (free()). */
static char *twice_running(const text_screenplay *sp)
{
	char *prev = NULL;
	for (size_t i = 0; i < sp->n_elements; i++) {
		text_element_type t = sp->elements[i].type;
		if (t == TEXT_DIALOGUE || t == TEXT_PARENTHETICAL)
			continue;
		char *name = t == TEXT_CHARACTER ? text_character_name(sp->elements[i].text) : NULL;
		if (name && prev && strcmp(name, prev) == 0) {
			free(prev);
			return name;
		}
		free(prev);
		prev = name;
	}
	free(prev);
	return NULL;
}

static void test_brief_is_always_met(void)
{
	train_model();
	static const char *const lines[] = { "I don't know.", "Where is everybody?",
	                                     "THE SHIP IS ALIVE", "Caf\xc3\xa9 au lait, s'il vous pla\xc3\xaet." };
	static const char *const props[] = { "a red umbrella", "knife", "the lantern" };
	static const char *const actions[] = { "The lights go out.", "RIPLEY RUNS",
	                                       "INT. HOUSE - DAY" };
	for (int i = 0; i < 12; i++) {
		writer_write_opts o;
		writer_write_opts_init(&o);
		o.model_path = model;
		o.seed = (uint64_t)i + 1;
		o.pages = 1 + i % 3;
		o.cast = 1 + i % 4;
		o.title = i % 5 == 4 ? NULL : "The Last Light";
		o.line = i % 6 == 5 ? NULL : lines[i % 4];
		o.prop = i % 7 == 6 ? NULL : props[i % 3];
		o.action = actions[i % 3];
		o.sample.temperature = i % 4 == 3 ? 0.0f : 0.8f;
		writer_write_report rep;
		char *text = write_one(&o, &rep);
		if (!text)
			continue;
		text_screenplay *sp = NULL;
		CHECK(text_fountain_parse("written", text, strlen(text), &sp) == 0, "%s", bj_error_message());
		if (!sp) {
			free(text);
			continue;
		}
		writer_brief b = { .title = o.title, .line = o.line, .prop = o.prop, .action = o.action,
		                   .pages = o.pages, .cast = o.cast };
		writer_brief_result r;
		writer_brief_check(sp, &b, &r);
		CHECK(r.ok, "seed %d: title %d line %d prop %d action %d title page %d heading %d "
		      "cues %d cast %d (%d) pages %d (%d of %d)\n%s", i + 1, r.title, r.line, r.prop,
		      r.action, r.title_page, r.opens_with_heading, r.cues_have_dialogue, r.cast,
		      r.speakers, r.pages, r.n_pages, o.pages, text);
		CHECK(rep.pages == r.n_pages && rep.n_cast == r.speakers);
		char *twice = rep.n_cast > 1 ? twice_running(sp) : NULL;
		CHECK(!twice, "seed %d: %s speaks twice running\n%s", i + 1, twice, text);
		free(twice);
		/* The prompts are not tacked on at the end: the model wrote after them. */
		const text_element *last = &sp->elements[sp->n_elements - 1];
		CHECK(!o.action || strcmp(last->text, o.action) != 0, "seed %d", i + 1);
		if (!o.title)
			CHECK(text_screenplay_title_get(sp, "title") != NULL);
		CHECK_STR(text_screenplay_title_get(sp, "author"), "benjamin");
		text_screenplay_free(sp);
		free(text);
	}
}

static void test_same_seed_same_screenplay(void)
{
	train_model();
	writer_write_opts o;
	writer_write_opts_init(&o);
	o.model_path = model;
	o.line = "I don't know.";
	o.prop = "knife";
	o.pages = 2;
	o.seed = 5;
	char *a = write_one(&o, NULL), *b = write_one(&o, NULL);
	o.seed = 6;
	char *c = write_one(&o, NULL);
	CHECK(a && b && c);
	if (a && b && c) {
		CHECK(strcmp(a, b) == 0, "the same seed wrote two screenplays");
		CHECK(strcmp(a, c) != 0, "two seeds wrote the same screenplay");
	}
	free(a), free(b), free(c);
}

static void expect_refused(const char *field, const char *value, const char *message)
{
	writer_write_opts o;
	writer_write_opts_init(&o);
	o.model_path = "unused";
	if (strcmp(field, "title") == 0)
		o.title = value;
	else if (strcmp(field, "line") == 0)
		o.line = value;
	else if (strcmp(field, "prop") == 0)
		o.prop = value;
	else
		o.action = value;
	CHECK(writer_write_check(&o) == BJ_EINVAL, "%s '%s' accepted", field, value);
	CHECK_STR(bj_error_message(), message);
	text_screenplay *sp = (text_screenplay *)1;
	CHECK(writer_write(&o, &sp, NULL) == BJ_EINVAL && sp == NULL);
}

static void test_prompts_that_cannot_stand(void)
{
	expect_refused("line", "(beat)",
	               "the line '(beat)' would not read back as a line of dialogue in Fountain");
	expect_refused("line", "~la la la",
	               "the line '~la la la' would not read back as a line of dialogue in Fountain");
	expect_refused("line", "two\nlines",
	               "the line 'two\nlines' has a control character or a line break; it must be one line");
	expect_refused("line", "", "the line is empty");
	expect_refused("prop", " knife", "the prop ' knife' begins or ends with a space");
	expect_refused("action", "caf\xe9", "the action is not UTF-8 (invalid byte at 3)");
	char *big = bj_xmalloc(WRITER_MAX_PROMPT + 2);
	memset(big, 'a', WRITER_MAX_PROMPT + 1);
	big[WRITER_MAX_PROMPT + 1] = '\0';
	expect_refused("title", big, "the title is 501 bytes, limit 500");
	free(big);
	/* What Fountain can carry is accepted, forced where need be. */
	writer_write_opts o;
	writer_write_opts_init(&o);
	o.action = "INT. HOUSE - DAY";
	o.line = "INT. HOUSE - DAY";
	o.title = "Brick & Steel: *Full Retired*";
	CHECK(writer_write_check(&o) == 0, "%s", bj_error_message());
}

static void test_missing_model(void)
{
	writer_write_opts o;
	writer_write_opts_init(&o);
	o.model_path = test_path("missing.safetensors");
	text_screenplay *sp;
	CHECK(writer_write(&o, &sp, NULL) == BJ_ENOENT && sp == NULL);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': cannot open: No such file or directory", o.model_path);
	CHECK_STR(bj_error_message(), want);
}

/* The pen goes back to a mark exactly, and its draws keep their constraints. */
static void test_pen(void)
{
	train_model();
	writer_pen pen;
	CHECK(writer_pen_open(&pen, model, &(nn_sample_opts){ .temperature = 1.5f }, 3) == 0, "%s",
	      bj_error_message());
	writer_mark mark = { 0 };
	CHECK(writer_pen_feed(&pen, "INT. SHIP - NIGHT\n\n") == 0);
	writer_pen_mark(&pen, &mark);
	double a = writer_pen_logprob(&pen, "RIPLEY\n");
	CHECK(strcmp(pen.text, "INT. SHIP - NIGHT\n\n") == 0, "logprob does not write");
	writer_pen_back(&pen, &mark);
	double b = writer_pen_logprob(&pen, "RIPLEY\n");
	CHECK(a == b && a < 0.0 && a > -50.0, "%g %g", a, b);
	for (int i = 0; i < 30; i++) {
		writer_pen_back(&pen, &mark);
		size_t from = pen.len;
		CHECK(writer_pen_draw_line(&pen, WRITER_DRAW_NO_BLANK, 40) >= 2);
		CHECK(pen.text[from] != '\n' && pen.text[pen.len - 1] == '\n');
		CHECK(pen.len - from <= 40 * 4);
		writer_pen_back(&pen, &mark);
		CHECK(writer_pen_feed(&pen, "knife") == 0);
		from = pen.len;
		CHECK(writer_pen_draw_line(&pen, WRITER_DRAW_NO_WORD, 40) >= 1);
		unsigned char c = (unsigned char)pen.text[from];
		CHECK(c < 0x80 && !isalnum(c), "'%s'", pen.text + from);
	}
	writer_pen_back(&pen, &mark);
	CHECK(strcmp(pen.text, "INT. SHIP - NIGHT\n\n") == 0);
	CHECK(pen.drawn >= 60);
	writer_mark_release(&mark);
	writer_pen_close(&pen);
}

static void test_brief_check_finds_what_is_missing(void)
{
	text_screenplay *sp = text_screenplay_new();
	text_screenplay_add(sp, TEXT_ACTION, "The lights go out.");
	text_screenplay_add(sp, TEXT_SCENE_HEADING, "INT. SHIP - NIGHT");
	text_screenplay_add(sp, TEXT_CHARACTER, "ASH");
	text_screenplay_add(sp, TEXT_PARENTHETICAL, "(beat)");
	text_screenplay_add(sp, TEXT_CHARACTER, "RIPLEY (V.O.)");
	text_screenplay_add(sp, TEXT_DIALOGUE, "Open it.\nI don't know.");
	writer_brief b = { .title = "T", .line = "I don't know.", .prop = "lights", .action = "go out",
	                   .pages = 2, .cast = 1 };
	writer_brief_result r;
	writer_brief_check(sp, &b, &r);
	CHECK(!r.title && !r.title_page && r.line && r.prop && !r.action);
	CHECK(!r.opens_with_heading && !r.cues_have_dialogue && !r.cast && r.speakers == 2);
	CHECK(r.pages && r.n_pages == 1 && !r.ok);
	b.pages = 3;
	writer_brief_check(sp, &b, &r);
	CHECK(!r.pages);
	text_screenplay_free(sp);
}

int main(void)
{
	bj_progress_set_output(stderr, BJ_PROGRESS_OFF, 0);
	static const struct test_case cases[] = {
		TEST_CASE(test_brief_is_always_met),
		TEST_CASE(test_same_seed_same_screenplay),
		TEST_CASE(test_prompts_that_cannot_stand),
		TEST_CASE(test_missing_model),
		TEST_CASE(test_pen),
		TEST_CASE(test_brief_check_finds_what_is_missing),
		{ 0 },
	};
	return test_main(cases);
}
