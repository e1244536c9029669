/*
 * test_cut.c - the director: the shot scorer's features and weights, the
 * choice (length, identity, continuity, no reuse, exhaustion), and whole cuts
 * of a small screenplay against a synthetic library.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "film/cut.h"
#include "film/mood.h"
#include "film/pick.h"
#include "film/words.h"
#include "harness.h"
#include "library/internal.h"
#include "library/presence.h"
#include "film/window.h"
#include "text/fountain.h"
#include "vision/align.h"

/* --- the scorer ----------------------------------------------------------- */

static library_shot shot(int64_t film, double start, double end)
{
	library_shot s = { .id = film * 100 + (int64_t)start, .film_id = film, .start = start,
		           .end = end, .brightness = 0.4, .contrast = 0.2, .colourfulness = 10,
		           .bw = 1, .motion = 0.005, .speech = 0 };
	snprintf(s.transition_in, sizeof s.transition_in, "%s", "cut");
	snprintf(s.daynight, sizeof s.daynight, "%s", "day");
	snprintf(s.place, sizeof s.place, "%s", "interior");
	return s;
}

static void test_features_and_total(void)
{
	library_shot s = shot(1, 10, 15);
	s.speech = 0.8;
	s.motion = 0.06;
	snprintf(s.daynight, sizeof s.daynight, "%s", "night");
	film_candidate c = { .shot = &s, .face_seen = 0.4, .face_height = 0.15, .frontal = 0.8,
		             .mouth = 0.6, .seen = 0.3, .cast_seen = 0.8 };
	film_need need = { FILM_NEED_DIALOGUE, 2.5, "night", "exterior", 7, 1 };
	film_weights w;
	film_weights_for(&need, &w);
	film_score sc;
	film_score_shot(&need, &c, NULL, 0.25, &w, &sc);
	CHECK_NEAR(sc.f[FILM_F_LENGTH], 1, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_TRIM], 1, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_SPEECH], 0.8, 1e-12);
	/* screen times against the 2.5 s wanted, of a shot of 5 s */
	CHECK_NEAR(sc.f[FILM_F_IDENTITY], 0.3 * 5 / 2.5, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_FACE], 0.4 * 5 / 2.5, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_CLOSE], 0.5, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_FRONTAL], 0.8, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_MOUTH], 0.6, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_NO_FACE], 1, 1e-12);            /* 3 s without, at most 1 */
	CHECK_NEAR(sc.f[FILM_F_NO_CAST], 0.2 * 5 / 2.5, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_MOTION], 1, 1e-12);   /* 0.06 is twice and more the threshold */
	CHECK_NEAR(sc.f[FILM_F_STILL], 0, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_DAYNIGHT], 1, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_PLACE], 0, 1e-12);     /* interior guess, exterior heading */
	CHECK_NEAR(sc.f[FILM_F_SAME_FILM], 0.5, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_LOOK], 0.5, 1e-12);
	CHECK_NEAR(sc.f[FILM_F_VARIETY], 0.25, 1e-12);
	double total = 0;
	for (int f = 0; f < FILM_FEATURES; f++)
		total += w.w[f] * sc.f[f];
	CHECK_NEAR(sc.total, total, 1e-12);
	CHECK(w.w[FILM_F_IDENTITY] > w.w[FILM_F_SPEECH], "the speaker's face counts most");

	/* a shot too short: length is the fraction it can hold, without its edges */
	library_shot s2 = shot(1, 0, 1.24);
	film_candidate c2 = { .shot = &s2 };
	film_score_shot(&need, &c2, NULL, 0, &w, &sc);
	CHECK_NEAR(sc.f[FILM_F_LENGTH], 1.0 / 2.5, 1e-9);
	CHECK_NEAR(sc.f[FILM_F_TRIM], 0, 1e-12);
	/* a fade costs more of the shot's start */
	c2.fade_in = 1;
	double from, to;
	film_usable(&c2, &from, &to);
	CHECK_NEAR(from, FILM_EDGE_FADE, 1e-12);
	CHECK_NEAR(to, 1.24 - FILM_EDGE_CUT, 1e-12);

	/* no identity: the identity weight is 0, never a silent penalty; no cast
	 * identities: nor is no_cast's */
	need.identity = 0;
	need.cast = 0;
	film_weights_for(&need, &w);
	CHECK(w.w[FILM_F_IDENTITY] == 0 && w.w[FILM_F_NO_CAST] == 0);
	need.kind = FILM_NEED_DESCRIPTION;
	film_weights_for(&need, &w);
	CHECK(w.w[FILM_F_NO_FACE] > 0 && w.w[FILM_F_FACE] == 0, "descriptions keep off faces");
	CHECK_STR(film_feature_name(FILM_F_SAME_FILM), "same_film");
}

static void test_continuity(void)
{
	library_shot prev = shot(1, 0, 5);
	library_shot same = shot(1, 5, 10), other = shot(2, 0, 5);
	other.bw = 0;
	other.brightness = 0.8;
	other.colourfulness = 70;
	film_candidate c[2] = { { .shot = &other }, { .shot = &same } };
	film_need need = { FILM_NEED_DESCRIPTION, 2, NULL, NULL, 0, 0 };
	film_weights w;
	film_weights_for(&need, &w);
	film_score a, b;
	film_score_shot(&need, &c[0], &prev, 0, &w, &a);
	film_score_shot(&need, &c[1], &prev, 0, &w, &b);
	CHECK_NEAR(a.f[FILM_F_SAME_FILM], 0, 1e-12);
	CHECK_NEAR(a.f[FILM_F_LOOK], 0, 1e-12);
	CHECK_NEAR(b.f[FILM_F_SAME_FILM], 1, 1e-12);
	CHECK_NEAR(b.f[FILM_F_LOOK], 1, 1e-12);
	bj_rng rng;
	bj_rng_init(&rng, 1);
	film_pick_result r;
	CHECK(film_pick(&need, c, 2, &prev, &rng, &r) == 0);
	CHECK(r.best == 1, "the same film and look win, got %zu", r.best);
	CHECK(r.runner_up == 0);
	CHECK(r.runner_score.total < r.score.total);
}

static void test_pick_length_identity_action(void)
{
	library_shot s[3] = { shot(1, 0, 1.5), shot(1, 1.5, 8), shot(2, 0, 8) };
	film_candidate c[3] = { { .shot = &s[0] }, { .shot = &s[1] }, { .shot = &s[2] } };
	bj_rng rng;
	bj_rng_init(&rng, 3);
	film_pick_result r;
	film_need need = { FILM_NEED_DIALOGUE, 4, NULL, NULL, 5, 0 };
	film_pick(&need, c, 2, NULL, &rng, &r);
	CHECK(r.best == 1, "the shot long enough for the line, got %zu", r.best);
	/* the speaker's identity on screen beats a faceless shot of the same length */
	c[2].seen = 1;
	c[2].face_seen = 1;
	c[2].face_height = 0.3;
	film_pick(&need, c, 3, NULL, &rng, &r);
	CHECK(r.best == 2, "the speaker's shot, got %zu", r.best);
	/* an action line wants motion */
	s[1].motion = 0.1;
	need = (film_need){ FILM_NEED_ACTION, 3, NULL, NULL, 0, 0 };
	c[2].face_seen = 0;
	film_pick(&need, c, 3, NULL, &rng, &r);
	CHECK(r.best == 1, "the moving shot, got %zu", r.best);
	/* a night heading wants the night guess */
	snprintf(s[2].daynight, sizeof s[2].daynight, "%s", "night");
	need = (film_need){ FILM_NEED_DESCRIPTION, 3, "night", NULL, 0, 0 };
	film_pick(&need, c, 3, NULL, &rng, &r);
	CHECK(r.best == 2, "the night shot, got %zu", r.best);
}

static void test_no_reuse_and_exhaustion(void)
{
	library_shot s[3] = { shot(1, 0, 10), shot(1, 10, 11.5), shot(2, 0, 0.5) };
	s[0].speech = 1;
	film_candidate c[3] = { { .shot = &s[0] }, { .shot = &s[1] }, { .shot = &s[2] } };
	film_need need = { FILM_NEED_DIALOGUE, 5, NULL, NULL, 0, 0 };
	bj_rng rng;
	bj_rng_init(&rng, 9);
	film_pick_result r;
	film_pick(&need, c, 3, NULL, &rng, &r);
	CHECK(r.best == 0 && !r.reused);
	c[0].uses = 1;
	/* the best shot is used: a worse fresh one, never the too-short sliver */
	film_pick(&need, c, 3, NULL, &rng, &r);
	CHECK(r.best == 1 && !r.reused, "got %zu", r.best);
	c[1].uses = 1;
	/* only the sliver is fresh: still fresh before reused */
	film_pick(&need, c, 3, NULL, &rng, &r);
	CHECK(r.best == 2 && !r.reused, "got %zu", r.best);
	c[2].uses = 1;
	/* exhausted: the best again, marked reused */
	film_pick(&need, c, 3, NULL, &rng, &r);
	CHECK(r.best == 0 && r.reused, "got %zu", r.best);
	c[0].uses = 2;
	film_pick(&need, c, 3, NULL, &rng, &r);
	CHECK(r.best == 1 && r.reused, "the least used, got %zu", r.best);
	CHECK(film_pick(&need, c, 0, NULL, &rng, &r) == BJ_ENOENT);
}

static void test_seeded_ties(void)
{
	library_shot s[8];
	film_candidate c[8];
	for (int i = 0; i < 8; i++) {
		s[i] = shot(1 + i, 0, 6);
		c[i] = (film_candidate){ .shot = &s[i] };
	}
	film_need need = { FILM_NEED_DESCRIPTION, 3, NULL, NULL, 0, 0 };
	int first[2] = { -1, -1 }, differs = 0;
	for (uint64_t seed = 0; seed < 6; seed++) {
		film_pick_result a, b;
		bj_rng r1, r2;
		bj_rng_init(&r1, seed);
		bj_rng_init(&r2, seed);
		film_pick(&need, c, 8, NULL, &r1, &a);
		film_pick(&need, c, 8, NULL, &r2, &b);
		CHECK(a.best == b.best, "the same seed, the same shot");
		if (seed < 2)
			first[seed] = (int)a.best;
		else
			differs |= (int)a.best != first[0];
	}
	CHECK(differs || first[0] != first[1], "other seeds break the tie otherwise");
}

static void test_words_and_mood(void)
{
	static const char *const verbs[] = { "run", "chase", "grab", NULL };
	CHECK(film_word_in("running", verbs));
	CHECK(film_word_in("chased", verbs));
	CHECK(film_word_in("chasing", verbs));
	CHECK(film_word_in("grabbed", verbs));
	CHECK(!film_word_in("rung", verbs));
	CHECK(film_words_count("He RUNS, she chases; they grab it.", verbs) == 3);
	CHECK(film_words_total("Don't stop -- ever.") == 3);
	film_mood_votes v;
	film_mood_votes_init(&v);
	CHECK(film_mood_pick(&v) == FILM_MOOD_CALM, "nothing said: calm");
	film_mood_text(&v, "She screams and runs from the gun.");
	CHECK_STR(film_mood_name(film_mood_pick(&v)), "tense");
	film_mood_votes_init(&v);
	library_shot s = shot(1, 0, 1);
	snprintf(s.daynight, sizeof s.daynight, "%s", "night");
	film_mood_look(&v, &s, 1);
	CHECK_STR(film_mood_name(film_mood_pick(&v)), "eerie");
}

/* --- whole cuts against a synthetic library ---------------------------------- */

struct fshot {
	double start, end, brightness, motion, speech;
	const char *daynight, *place;
};

/* Films 1 (bw, dark, night) and 2 (colour, bright, day), each an empty file
 * in the case's folder (the director checks that footage can be read). */
static library *synthetic_library(int n_shots)
{
	library *lib;
	if (library_open(test_path("lib.db"), &lib) < 0) {
		CHECK(0, "%s", bj_error_message());
		return NULL;
	}
	for (int f = 1; f <= 2; f++) {
		char name[32];
		snprintf(name, sizeof name, "film%d.mp4", f);
		const char *path = test_path(name);
		test_write_file(path, "", 0);
		char *sql = bj_xasprintf("INSERT INTO films (id, path, hash, size, duration, fps, width,"
		                         " height, frames, has_audio) VALUES (%d, '%s', 'h%d', 1, 100,"
		                         " 25, 640, 480, 2500, 1)", f, path, f);
		CHECK(library_exec(lib, sql) == 0);
		free(sql);
	}
	for (int i = 0; i < n_shots; i++) {
		int f = 1 + i % 2;
		double start = (i / 2) * 6.0, end = start + (i % 3 == 0 ? 6.0 : 3.0);
		char *sql = bj_xasprintf(
			"INSERT INTO shots (film_id, number, start_frame, end_frame, start_s, end_s,"
			" transition_in, brightness, contrast, colourfulness, bw, colours, motion,"
			" camera_motion, loudness, speech, daynight, place, keyframe) VALUES"
			" (%d, %d, %d, %d, %g, %g, 'cut', %g, 0.2, %d, %d, '', %g, 0, -30, %g, '%s',"
			" '%s', 0)", f, i / 2 + 1, (int)(start * 25), (int)(end * 25) - 1, start, end,
			f == 1 ? 0.15 : 0.6, f == 1 ? 5 : 60, f == 1, i % 4 == 1 ? 0.08 : 0.002,
			i % 3 == 2 ? 0.9 : 0.0, f == 1 ? "night" : "day",
			i % 2 ? "exterior" : "interior");
		CHECK(library_exec(lib, sql) == 0);
		free(sql);
	}
	return lib;
}

static const char script[] =
	"Title: The Test\n\n"
	"EXT. MOOR - NIGHT\n\n"
	"Fog on the moor. Nothing moves.\n\n"
	"EVE\nWho is there?\n\n"
	"ADAM\n(quietly)\nOnly me.\n\n"
	"INT. KITCHEN - DAY\n\n"
	"Adam runs to the door and grabs the handle.\n\n"
	"EVE\nStay.\n";

static void voices_for_script(film_voices *v)
{
	static const char *const who[] = { "EVE", "ADAM", "EVE" };
	static const double len[] = { 1.2, 0.9, 3.5 };
	memset(v, 0, sizeof *v);
	v->path = bj_xstrdup("voices/lines.json");
	v->n = 3;
	v->lines = bj_xcalloc(3, sizeof *v->lines);
	for (int i = 0; i < 3; i++) {
		v->lines[i].character = bj_xstrdup(who[i]);
		v->lines[i].text = bj_xstrdup("words");
		v->lines[i].audio = bj_xasprintf("voices/%d.wav", i + 1);
		v->lines[i].duration = len[i];
		v->lines[i].words = bj_xcalloc(1, sizeof(film_word));
		v->lines[i].words[0] = (film_word){ bj_xstrdup("words"), 0.1, len[i] - 0.1 };
		v->lines[i].n_words = 1;
	}
}

static json_t *why_of(const film_clip *c)
{
	return c->why ? json_loads(c->why, 0, NULL) : NULL;
}

static void test_cut_screenplay(void)
{
	library *lib = synthetic_library(24);
	text_screenplay *sp;
	CHECK(text_fountain_parse("t.fountain", script, strlen(script), &sp) == 0);
	film_voices v;
	voices_for_script(&v);
	film_cut_opts o = { .seed = 5, .score = "score.wav" };
	film_timeline t, t2;
	film_cues cues, cues2;
	int ret = film_cut(sp, "t.fountain", lib, &v, NULL, &o, &t, &cues);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret == 0) {
		CHECK_STR(t.title, "The Test");
		CHECK(t.n_lines == 3);
		/* the sum of its parts */
		double sum = t.title_card.duration + t.credits.duration;
		for (size_t i = 0; i < t.n_clips; i++) {
			sum += t.clips[i].out - t.clips[i].in;
			double expect_at = i ? t.clips[i - 1].at + (t.clips[i - 1].out - t.clips[i - 1].in)
			                     : FILM_TITLE_SECONDS;
			CHECK_NEAR(t.clips[i].at, expect_at, 1e-9);
		}
		CHECK_NEAR(film_timeline_duration(&t), sum, 1e-9);
		CHECK_NEAR(t.credits.at + t.credits.duration, sum, 1e-9);
		/* no shot twice, each clip inside its shot away from the edges */
		int64_t ids[64];
		size_t n_ids = 0;
		for (size_t i = 0; i < t.n_clips && i < 64; i++) {
			json_t *why = why_of(&t.clips[i]);
			CHECK(why != NULL);
			json_int_t id = json_integer_value(json_object_get(json_object_get(why, "shot"), "id"));
			for (size_t k = 0; k < n_ids; k++)
				CHECK(ids[k] != id, "shot %lld used twice", (long long)id);
			ids[n_ids++] = id;
			CHECK(json_is_object(json_object_get(why, "features")));
			CHECK(json_is_number(json_object_get(why, "total")));
			CHECK(json_is_object(json_object_get(why, "runner_up")));
			/* cut points, without motion figures: the library has no profiles */
			json_t *cut = json_object_get(why, "cut");
			CHECK(json_is_integer(json_object_get(cut, "blinks")) &&
			      !json_object_get(cut, "motion"), "%s", t.clips[i].why);
			json_decref(why);
		}
		/* the night scene's establishing shot comes from the night film */
		json_t *why = why_of(&t.clips[0]);
		const char *film = json_string_value(json_object_get(json_object_get(why, "shot"), "film"));
		CHECK(film && strstr(film, "film1.mp4"), "night film, got %s", film);
		CHECK_STR(json_string_value(json_object_get(json_object_get(why, "need"), "daynight")),
		          "night");
		json_decref(why);
		/* lines sit on their clips, after the lead-in, in order */
		for (size_t i = 0; i < t.n_lines; i++) {
			int on_clip = 0;
			for (size_t k = 0; k < t.n_clips; k++)
				on_clip |= fabs(t.clips[k].at + FILM_LINE_LEAD - t.lines[i].at) < 1e-9;
			CHECK(on_clip, "line %zu starts a lead after a clip", i);
			CHECK(!i || t.lines[i].at > t.lines[i - 1].at);
		}
		CHECK_STR(t.lines[1].character, "ADAM");
		CHECK_STR(t.score.audio, "score.wav");
		/* cues: one per scene and the credits, end to end from 0 */
		CHECK(cues.n == 3, "%zu cues", cues.n);
		CHECK_NEAR(cues.cues[0].start, 0, 1e-12);
		for (size_t i = 1; i < cues.n; i++)
			CHECK_NEAR(cues.cues[i].start, cues.cues[i - 1].start + cues.cues[i - 1].length, 1e-9);
		CHECK_NEAR(cues.cues[cues.n - 1].start + cues.cues[cues.n - 1].length, sum, 1e-9);
		CHECK(cues.cues[0].mood == FILM_MOOD_EERIE, "fog, night: eerie, got %s",
		      film_mood_name(cues.cues[0].mood));
		CHECK(cues.cues[1].mood == FILM_MOOD_TENSE, "runs, grabs: tense, got %s",
		      film_mood_name(cues.cues[1].mood));
		/* the same seed gives the same cut */
		CHECK(film_cut(sp, "t.fountain", lib, &v, NULL, &o, &t2, &cues2) == 0);
		CHECK(t2.n_clips == t.n_clips);
		for (size_t i = 0; i < t.n_clips && i < t2.n_clips; i++) {
			CHECK(t.clips[i].in == t2.clips[i].in && t.clips[i].out == t2.clips[i].out);
			CHECK_STR(t.clips[i].why, t2.clips[i].why);
		}
		/* the timeline saves and loads back */
		CHECK(film_timeline_save(&t, test_path("timeline.json")) == 0, "%s", bj_error_message());
		film_timeline back;
		CHECK(film_timeline_load(test_path("timeline.json"), &back) == 0, "%s",
		      bj_error_message());
		CHECK(back.n_clips == t.n_clips);
		film_timeline_release(&back);
		CHECK(film_cues_save(&cues, test_path("cues.json")) == 0);
		film_timeline_release(&t2);
		film_cues_release(&cues2);
	}
	film_timeline_release(&t);
	film_cues_release(&cues);
	film_voices_release(&v);
	text_screenplay_free(sp);
	library_close(lib);
}

static void test_cut_exhausted_library(void)
{
	library *lib = synthetic_library(2);
	text_screenplay *sp;
	text_fountain_parse("t.fountain", script, strlen(script), &sp);
	film_cut_opts o = { .seed = 1 };
	film_timeline t;
	film_cues cues;
	int ret = film_cut(sp, "t.fountain", lib, NULL, NULL, &o, &t, &cues);
	CHECK(ret == 0, "%s", bj_error_message());
	CHECK(t.n_clips > 2 && t.n_lines == 0, "%zu clips", t.n_clips);
	int reused = 0;
	for (size_t i = 0; i < t.n_clips; i++) {
		if (!t.clips[i].why || !strstr(t.clips[i].why, "\"reused\":true"))
			continue;
		reused++;
		/* a shot cut in again shows as few frames twice as its cut points can */
		json_t *why = why_of(&t.clips[i]), *cut = json_object_get(why, "cut");
		json_t *rep = json_object_get(cut, "repeat");
		CHECK(!rep || json_real_value(rep) <= json_real_value(json_object_get(
		                 json_object_get(cut, "centred"), "repeat")) + 1e-9, "%s", t.clips[i].why);
		json_decref(why);
	}
	CHECK(reused == (int)t.n_clips - 2, "%d reused of %zu", reused, t.n_clips);
	/* no voices: the cast comes from the cues */
	CHECK(t.n_credit_lines > 8);
	if (t.n_credit_lines > 8) {
		CHECK_STR(t.credit_lines[0], "The Test");
		CHECK_STR(t.credit_lines[5], "Cast");
		CHECK_STR(t.credit_lines[6], "EVE");
		CHECK_STR(t.credit_lines[7], "ADAM");
		CHECK_STR(t.credit_lines[t.n_credit_lines - 1], "An AI-generated film");
	}
	film_timeline_release(&t);
	film_cues_release(&cues);
	text_screenplay_free(sp);
	library_close(lib);
}

static void test_cut_bad_inputs(void)
{
	library *lib = synthetic_library(6);
	text_screenplay *sp;
	text_fountain_parse("t.fountain", script, strlen(script), &sp);
	film_voices v;
	voices_for_script(&v);
	free(v.lines[1].character);
	v.lines[1].character = bj_xstrdup("BOB");
	film_cut_opts o = { 0 };
	film_timeline t;
	film_cues cues;
	CHECK(film_cut(sp, "t.fountain", lib, &v, NULL, &o, &t, &cues) == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), "'voices/lines.json': line 2 is BOB's, the screenplay's line 2 "
	                              "('t.fountain' line 12) is ADAM's");
	CHECK(t.n_clips == 0 && cues.n == 0, "nothing left behind");
	v.n = 2;  /* one line fewer than spoken */
	free(v.lines[1].character);
	v.lines[1].character = bj_xstrdup("ADAM");
	CHECK(film_cut(sp, "t.fountain", lib, &v, NULL, &o, &t, &cues) == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), "'voices/lines.json': has 2 lines, the screenplay speaks more "
	                              "('t.fountain' line 19)");
	v.n = 3;
	film_voices_release(&v);
	text_screenplay_free(sp);
	/* nothing to film */
	text_fountain_parse("e.fountain", "Title: X\n", 9, &sp);
	CHECK(film_cut(sp, "e.fountain", lib, NULL, NULL, &o, &t, &cues) == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), "'e.fountain': nothing to film: no scene, action or dialogue");
	text_screenplay_free(sp);
	library_close(lib);
}

static void test_voices_and_cast_files(void)
{
	const char *lines = test_path("lines.json");
	static const char good[] =
		"{ \"rate\": 48000, \"lines\": [ { \"index\": 1, \"character\": \"EVE\", \"text\": \"Hi.\","
		" \"file\": \"0001-eve.wav\", \"duration\": 0.8, \"source_line\": 4, \"voice\": {},"
		" \"words\": [ { \"text\": \"hi\", \"start\": 0.1, \"end\": 0.5 } ] } ] }";
	test_write_file(lines, good, strlen(good));
	film_voices v;
	CHECK(film_voices_load(lines, &v) == 0, "%s", bj_error_message());
	CHECK(v.n == 1 && v.lines[0].n_words == 1 && v.lines[0].source_line == 4);
	if (v.n == 1) {
		char *want = bj_xasprintf("%s/0001-eve.wav", test_tmpdir());
		CHECK_STR(v.lines[0].audio, want);
		free(want);
	}
	film_voices_release(&v);
	static const char lying[] =
		"{ \"lines\": [ { \"character\": \"EVE\", \"file\": \"a.wav\", \"duration\": 0.5,"
		" \"words\": [ { \"text\": \"hi\", \"start\": 0.1, \"end\": 2 } ] } ] }";
	test_write_file(lines, lying, strlen(lying));
	CHECK(film_voices_load(lines, &v) == BJ_EFORMAT);
	CHECK(strstr(bj_error_message(), "lines[0].words[0]: ends after the line's duration"));
	static const char no_file[] = "{ \"lines\": [ { \"character\": \"EVE\" } ] }";
	test_write_file(lines, no_file, strlen(no_file));
	CHECK(film_voices_load(lines, &v) == BJ_EFORMAT);
	CHECK(strstr(bj_error_message(), "lines[0].file: missing"));

	const char *cast = test_path("cast.json");
	static const char cj[] = "{ \"cast\": [ { \"character\": \"EVE\", \"identity\": 3 },"
	                         " { \"character\": \"ADAM\" } ] }";
	test_write_file(cast, cj, strlen(cj));
	film_cast c;
	CHECK(film_cast_load(cast, &c) == 0);
	CHECK(film_cast_identity(&c, "EVE") == 3 && film_cast_identity(&c, "ADAM") == 0 &&
	      film_cast_identity(&c, "BOB") == 0);
	film_cast_release(&c);
	static const char negative[] = "{ \"cast\": [ { \"character\": \"EVE\", \"identity\": -1 } ] }";
	test_write_file(cast, negative, strlen(negative));
	CHECK(film_cast_load(cast, &c) == BJ_EFORMAT);
}

/* The speaker's identity, tracked in one shot, draws the line to it. */
static void test_cut_identity_on_screen(void)
{
	library *lib = synthetic_library(12);
	CHECK(library_exec(lib, "INSERT INTO identities (id, name) VALUES (3, 'eve');"
	                        "INSERT INTO tracks (id, shot_id, identity_id, start_frame, end_frame)"
	                        " VALUES (1, 7, 3, 450, 530);"
	                        "INSERT INTO faces (shot_id, track_id, frame, x, y, w, h)"
	                        " VALUES (7, 1, 460, 100, 100, 120, 160);") == 0);
	library_presence *p;
	size_t n;
	CHECK(library_shot_presence(lib, 3, &p, &n) == 0 && n == 1);
	if (n == 1) {
		CHECK(p[0].shot_id == 7 && p[0].faces == 1);
		CHECK_NEAR(p[0].face_height, 160.0 / 480, 1e-9);
		CHECK(p[0].seen > 0.5);
	}
	free(p);
	static const char eve[] = "INT. ROOM - NIGHT\n\nEVE\nIt is me.\n";
	text_screenplay *sp;
	text_fountain_parse("e.fountain", eve, strlen(eve), &sp);
	film_cast cast = { .n = 1 };
	char *who = "EVE";
	int64_t id = 3;
	cast.characters = &who;
	cast.identities = &id;
	film_cut_opts o = { 0 };
	film_timeline t;
	film_cues cues;
	CHECK(film_cut(sp, "e.fountain", lib, NULL, &cast, &o, &t, &cues) == 0, "%s",
	      bj_error_message());
	CHECK(t.n_clips == 2);
	if (t.n_clips == 2) {
		json_t *why = why_of(&t.clips[1]);
		CHECK(json_integer_value(json_object_get(json_object_get(why, "shot"), "id")) == 7,
		      "%s", t.clips[1].why);
		json_decref(why);
	}
	film_timeline_release(&t);
	film_cues_release(&cues);
	text_screenplay_free(sp);
	library_close(lib);
}

/* --- faces and cut points against a library with faces ----------------------- */

/* 68 landmarks of a face (the canonical one), eyes shut or not, the inner lips
 * apart by gap pixels. */
static void face_points(float *p, int shut, float gap)
{
	vision_align_template(200, p);
	static const int upper[] = { 37, 38, 43, 44 }, lower[] = { 41, 40, 47, 46 };
	for (int k = 0; shut && k < 4; k++)
		p[2 * upper[k] + 1] = p[2 * lower[k] + 1];
	for (int k = 61; k <= 63; k++)
		p[2 * k + 1] -= gap / 2;
	for (int k = 65; k <= 67; k++)
		p[2 * k + 1] += gap / 2;
}

/* One film at 25 frames a second, five shots of 6 s (150 frames):
 *   1, 5  wide and empty
 *   2     EVE (identity 3) close, frontal, talking; a gesture across frames
 *         195..208 (7.8 .. 8.32 s) and her eyes shut in the sample at 9.88 s
 *   3     EVE as large, turned away (yaw 40), silent, with more speech around
 *   4     ADAM (identity 4) close, frontal, talking */
static library *faces_library(void)
{
	library *lib;
	if (library_open(test_path("faces.db"), &lib) < 0) {
		CHECK(0, "%s", bj_error_message());
		return NULL;
	}
	const char *path = test_path("film.mp4");
	test_write_file(path, "", 0);
	char *sql = bj_xasprintf("INSERT INTO films (id, path, hash, size, duration, fps, width,"
	                         " height, frames, has_audio) VALUES (1, '%s', 'h', 1, 30, 25, 640,"
	                         " 480, 750, 1);"
	                         "INSERT INTO identities (id) VALUES (3), (4);", path);
	CHECK(library_exec(lib, sql) == 0, "%s", bj_error_message());
	free(sql);
	static const double speech[5] = { 0, 0.5, 0.9, 0.5, 0 };
	for (int i = 0; i < 5; i++) {
		sql = bj_xasprintf("INSERT INTO shots (id, film_id, number, start_frame, end_frame, start_s,"
		                   " end_s, transition_in, brightness, contrast, colourfulness, bw, colours,"
		                   " motion, camera_motion, loudness, speech, daynight, place, keyframe)"
		                   " VALUES (%d, 1, %d, %d, %d, %d, %d, 'cut', 0.4, 0.2, 10, 1, '', 0.004,"
		                   " 0, -30, %g, 'day', 'interior', 0)", i + 1, i + 1, 150 * i,
		                   150 * i + 149, 6 * i, 6 * i + 6, speech[i]);
		CHECK(library_exec(lib, sql) == 0, "%s", bj_error_message());
		free(sql);
	}
	sqlite3_stmt *st;
	uint8_t profile[150];
	memset(profile, 16, sizeof profile);      /* about 0.004 */
	memset(profile + 45, 70, 14);              /* about 0.075: the gesture */
	CHECK(library_prepare(lib, "UPDATE shots SET motion_profile = ? WHERE id = 2", &st) == 0);
	sqlite3_bind_blob(st, 1, profile, sizeof profile, SQLITE_STATIC);
	CHECK(sqlite3_step(st) == SQLITE_DONE);
	sqlite3_finalize(st);
	CHECK(library_exec(lib, "INSERT INTO tracks (id, shot_id, identity_id, start_frame, end_frame)"
	                        " VALUES (1, 2, 3, 156, 299), (2, 3, 3, 312, 442),"
	                        " (3, 4, 4, 455, 598)") == 0);
	CHECK(library_prepare(lib, "INSERT INTO faces (shot_id, track_id, frame, x, y, w, h, landmarks,"
	                           " yaw, pitch, detected) VALUES (?, ?, ?, 200, 100, 200, 200, ?, ?, 2, 1)",
	                      &st) == 0);
	for (int shot = 2; shot <= 4; shot++)
		for (int frame = 150 * (shot - 1); frame < 150 * shot; frame++) {
			if (frame % 13)   /* the frames the indexer samples at 25 a second */
				continue;
			float pts[136];
			int talking = shot != 3;
			face_points(pts, shot == 2 && frame == 247, talking && frame % 2 ? 24 : 4);
			sqlite3_reset(st);
			sqlite3_bind_int(st, 1, shot);
			sqlite3_bind_int(st, 2, shot - 1);
			sqlite3_bind_int(st, 3, frame);
			sqlite3_bind_blob(st, 4, pts, sizeof pts, SQLITE_TRANSIENT);
			sqlite3_bind_double(st, 5, shot == 3 ? 40 : 3);
			CHECK(sqlite3_step(st) == SQLITE_DONE);
		}
	sqlite3_finalize(st);
	return lib;
}

static json_int_t shot_of(const film_clip *c)
{
	json_t *why = why_of(c);
	json_int_t id = json_integer_value(json_object_get(json_object_get(why, "shot"), "id"));
	json_decref(why);
	return id;
}

static double feature(json_t *why, const char *name)
{
	return json_real_value(json_object_get(json_object_get(json_object_get(why, "features"), name),
	                                       "value"));
}

/* A line goes to the speaker's frontal, talking close-up, cut off the gesture
 * and the blink; the heading and the description to the empty shots. */
static void test_cut_faces_and_cut_points(void)
{
	library *lib = faces_library();
	if (!lib)
		return;
	static const char eve[] = "INT. ROOM - DAY\n\nThe room is empty and quiet.\n\nEVE\nIt is me.\n";
	text_screenplay *sp;
	CHECK(text_fountain_parse("e.fountain", eve, strlen(eve), &sp) == 0);
	char *who[2] = { "EVE", "ADAM" };
	int64_t ids[2] = { 3, 4 };
	film_cast cast = { .n = 2, .characters = who, .identities = ids };
	film_cut_opts o = { .seed = 2 };
	film_timeline t;
	film_cues cues;
	CHECK(film_cut(sp, "e.fountain", lib, NULL, &cast, &o, &t, &cues) == 0, "%s",
	      bj_error_message());
	CHECK(t.n_clips == 3, "%zu clips", t.n_clips);
	if (t.n_clips == 3) {
		json_int_t a = shot_of(&t.clips[0]), b = shot_of(&t.clips[1]);
		CHECK((a == 1 || a == 5) && (b == 1 || b == 5), "the empty shots, got %lld and %lld",
		      (long long)a, (long long)b);
		film_clip *line = &t.clips[2];
		json_t *why = why_of(line);
		CHECK(shot_of(line) == 2, "EVE's frontal close-up, got %s", line->why);
		CHECK(feature(why, "identity") > 0.99 && feature(why, "frontal") > 0.8 &&
		      feature(why, "mouth") > 0.5, "%s", line->why);
		json_t *cut = json_object_get(why, "cut"), *centred = json_object_get(cut, "centred");
		CHECK(json_integer_value(json_object_get(cut, "blinks")) == 0 &&
		      json_integer_value(json_object_get(centred, "blinks")) == 1, "%s", line->why);
		CHECK(json_real_value(json_array_get(json_object_get(centred, "motion"), 0)) > 0.05,
		      "the centred window cut into the gesture: %s", line->why);
		/* off the gesture (7.8 .. 8.32 s, and two frames around) and the blink */
		CHECK(!(line->in > 7.72 && line->in < 8.4), "in %g", line->in);
		CHECK(fabs(line->out - 9.88) >= FILM_BLINK_SECONDS && fabs(line->in - 9.88) >= FILM_BLINK_SECONDS,
		      "out %g", line->out);
		CHECK_NEAR(line->out - line->in, FILM_LINE_LEAD + 3 / 2.5 + FILM_LINE_TAIL, 1e-9);
		json_decref(why);
	}
	film_timeline_release(&t);
	film_cues_release(&cues);
	text_screenplay_free(sp);
	library_close(lib);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_features_and_total),
		TEST_CASE(test_continuity),
		TEST_CASE(test_pick_length_identity_action),
		TEST_CASE(test_no_reuse_and_exhaustion),
		TEST_CASE(test_seeded_ties),
		TEST_CASE(test_words_and_mood),
		TEST_CASE(test_cut_screenplay),
		TEST_CASE(test_cut_exhausted_library),
		TEST_CASE(test_cut_bad_inputs),
		TEST_CASE(test_voices_and_cast_files),
		TEST_CASE(test_cut_identity_on_screen),
		TEST_CASE(test_cut_faces_and_cut_points),
		{ 0 },
	};
	return test_main(cases);
}
