/*
 * test_casting.c - film/casting.h, the stars of film/cut.h's cast.json, the
 * swaps.json of film/swapclips.h and the "media" of a timeline clip.
 */
#include "film/casting.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "film/swapclips.h"
#include "film/timeline.h"
#include "harness.h"
#include "library/internal.h"
#include "library/screen.h"
#include "perform/swap_model.h"
#include "text/fountain.h"

static const char script[] =
	"Title: T\n\nINT. ROOM - DAY\n\n"
	"HAL\nOne.\n\nEVE\nTwo.\n\nBOB\nThree.\n\nEVE\nFour.\n\nBOB (V.O.)\nFive.\n\nEVE\nSix.\n";

/* Identities: 1 on screen 10 s, silent; 2 for 4 s but speaking and in three
 * frontal close-ups (4 + 2 * 1.5 + 4 = 11); 3 for 6 s in profile; 4 never. */
static library *library_with_identities(void)
{
	library *lib;
	if (library_open(test_path("cast.db"), &lib) < 0) {
		CHECK(0, "%s", bj_error_message());
		return NULL;
	}
	CHECK(library_exec(lib,
		"INSERT INTO films (id, path, hash, size, duration, fps, width, height, frames)"
		" VALUES (1, 'a.mp4', 'h', 1, 60, 25, 640, 480, 1500);"
		"INSERT INTO shots (id, film_id, number, start_frame, end_frame, start_s, end_s, speech)"
		" VALUES (1, 1, 1, 0, 749, 0, 30, 0), (2, 1, 2, 750, 1499, 30, 60, 1.0);"
		"INSERT INTO identities (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd');"
		"INSERT INTO tracks (id, shot_id, identity_id, start_frame, end_frame, start_s, end_s)"
		" VALUES (1, 1, 1, 0, 249, 0, 10), (2, 2, 2, 750, 849, 30, 34),"
		" (3, 1, 3, 300, 449, 12, 18);"
		"INSERT INTO faces (shot_id, track_id, frame, x, y, w, h, yaw, pitch) VALUES"
		" (2, 2, 760, 200, 100, 150, 200, 5, -3), (2, 2, 772, 200, 100, 150, 200, -10, 4),"
		" (2, 2, 784, 200, 100, 150, 200, 0, 0), (1, 3, 310, 200, 100, 150, 200, 60, 0),"
		" (2, 2, 790, 200, 100, 30, 40, 0, 0);") == 0, "%s", bj_error_message());
	return lib;
}

static void test_identity_screen(void)
{
	library *lib = library_with_identities();
	if (!lib)
		return;
	library_screen *s;
	size_t n;
	CHECK(library_identity_screen(lib, &s, &n) == 0 && n == 4, "%s", bj_error_message());
	if (n == 4) {
		CHECK(s[0].identity == 2 && s[1].identity == 1 && s[2].identity == 3 && s[3].identity == 4);
		CHECK_NEAR(s[0].seconds, 4, 1e-9);
		CHECK_NEAR(s[0].closeup_seconds, 1.5, 1e-9);  /* the small face is no close-up */
		CHECK_NEAR(s[0].speech_seconds, 4, 1e-9);
		CHECK_NEAR(s[0].score, 11, 1e-9);
		CHECK_NEAR(s[2].closeup_seconds, 0, 1e-9);     /* in profile */
		CHECK_STR(s[1].name, "a");
	}
	library_screen_free(s, n);
	library_close(lib);
}

static void test_choose(void)
{
	library *lib = library_with_identities();
	text_screenplay *sp;
	CHECK(text_fountain_parse("t.fountain", script, strlen(script), &sp) == 0);
	if (!lib || !sp)
		return;
	film_dialogue d;
	film_dialogue_extract(sp, &d);
	CHECK(d.n == 6 && d.n_names == 3);
	char *star = bj_xstrdup(test_path("star"));
	mkdir(star, 0777);
	film_binding stars[] = { { "bob", star } };
	film_cast_opts o = { stars, 1, NULL, 0, 7, NULL, NULL, NULL, 0 };
	film_roles r;
	CHECK(film_cast_choose(&d, lib, &o, &r) == 0, "%s", bj_error_message());
	CHECK(r.n == 3);
	if (r.n == 3) {
		CHECK_STR(r.roles[0].character, "EVE");
		CHECK_STR(r.roles[1].character, "BOB");
		CHECK(r.roles[0].lines == 3 && r.roles[1].lines == 2 && r.roles[2].lines == 1);
		CHECK(r.roles[0].identity == 2 && r.roles[1].identity == 1 && r.roles[2].identity == 3);
		CHECK(!r.roles[0].star && r.roles[1].star && !r.roles[2].star);
		/* the voices are those `benjamin voice` assigns for the seed */
		perform_cast pc;
		perform_cast_init(&pc);
		CHECK(film_cast_voices(&pc, &d, 7, NULL, NULL) == 0);
		for (size_t i = 0; i < 3; i++) {
			const perform_voice_setting *v = perform_cast_find(&pc, r.roles[i].character);
			CHECK(v && !strcmp(v->voice, r.roles[i].voice.voice) &&
			      v->shift.semitones == r.roles[i].voice.shift.semitones);
		}
		perform_cast_release(&pc);
	}
	const char *path = test_path("cast.json");
	CHECK(film_roles_save(&r, path) == 0);
	film_cast c;
	CHECK(film_cast_load(path, &c) == 0, "%s", bj_error_message());
	CHECK(film_cast_identity(&c, "BOB") == 1 && film_cast_star(&c, "BOB") &&
	      !film_cast_star(&c, "EVE"));
	film_cast_release(&c);
	film_roles_release(&r);

	film_binding nobody[] = { { "ZED", star } };
	o.stars = nobody;
	CHECK(film_cast_choose(&d, lib, &o, &r) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "star 'ZED': no character 'ZED' speaks in the screenplay");
	film_binding leads[] = { { NULL, star }, { "EVE", star } };
	o.stars = leads;
	o.n_stars = 2;
	CHECK(film_cast_choose(&d, lib, &o, &r) == 0, "%s", bj_error_message());
	CHECK(r.n == 3 && r.roles[0].star && r.roles[1].star && !r.roles[2].star);
	film_roles_release(&r);
	film_dialogue_release(&d);
	text_screenplay_free(sp);
	library_close(lib);
	free(star);
}

/* A relative star is read from cast.json's folder. */
static void test_cast_star_path(void)
{
	const char *path = test_path("c2.json");
	static const char cj[] = "{ \"cast\": [ { \"character\": \"EVE\", \"star\": \"faces/eve\" },"
	                         " { \"character\": \"BOB\", \"star\": \"/abs/bob\" } ] }";
	test_write_file(path, cj, strlen(cj));
	film_cast c;
	CHECK(film_cast_load(path, &c) == 0);
	char *want = bj_xasprintf("%s/faces/eve", test_tmpdir());
	CHECK_STR(film_cast_star(&c, "EVE"), want);
	CHECK_STR(film_cast_star(&c, "BOB"), "/abs/bob");
	free(want);
	film_cast_release(&c);
	static const char bad[] = "{ \"cast\": [ { \"character\": \"EVE\", \"star\": 3 } ] }";
	test_write_file(path, bad, strlen(bad));
	CHECK(film_cast_load(path, &c) == BJ_EFORMAT);
}

/* A tiny trained swap model for identity at path (weights of the seed). */
static void tiny_model(const char *path, long identity)
{
	perform_swap_cfg cfg = { 16, 1, 1 };
	perform_swap_net *net = perform_swap_net_new(&cfg, 0);
	bj_rng rng;
	bj_rng_init(&rng, 5);
	perform_swap_net_init_weights(net, &rng);
	perform_swap_state st = { .identity = identity, .star = "stars/x", .steps = 1, .seed = 5, .batch = 1,
		                  .lr = 1e-4, .rng = rng };
	CHECK(perform_swap_model_save(net, &st, path) == 0, "%s", bj_error_message());
	perform_swap_net_free(net);
}

/* --model NAME=FILE: checked to load, written as "model" (golden), read back
 * by film_cast_model, relative to cast.json's folder; bad ones named. */
static void test_cast_model(void)
{
	text_screenplay *sp;
	CHECK(text_fountain_parse("t.fountain", script, strlen(script), &sp) == 0);
	film_dialogue d;
	film_dialogue_extract(sp, &d);
	char *model = bj_xstrdup(test_path("swap-eve.safetensors"));
	tiny_model(model, 2);
	film_binding models[] = { { "EVE", model } };
	film_cast_opts o = { NULL, 0, NULL, 0, 7, NULL, NULL, models, 1 };
	film_roles r;
	CHECK(film_cast_choose(&d, NULL, &o, &r) == 0, "%s", bj_error_message());
	CHECK(r.n == 3 && r.roles[0].model && !r.roles[1].model && !r.roles[2].model);
	char *cast = bj_xstrdup(test_path("cm.json"));
	CHECK(film_roles_save(&r, cast) == 0);
	film_roles_release(&r);
	size_t n;
	char *got = test_read_file(cast, &n);
	char *want = bj_xasprintf(
		"{ \"format\": \"benjamin-cast\", \"version\": 1, \"cast\": [ { \"character\": \"EVE\", "
		"\"lines\": 3, \"identity\": null, \"model\": \"%s\", \"voice\": \"kal16\", \"pitch\": 0.0, "
		"\"formant\": 1.0, \"rate\": 1.0, \"range\": 1.0 }, { \"character\": \"BOB\", \"lines\": 2, "
		"\"identity\": null, \"voice\": \"rms\", \"pitch\": 0.0, \"formant\": 1.0, \"rate\": 1.0, "
		"\"range\": 1.0 }, { \"character\": \"HAL\", \"lines\": 1, \"identity\": null, \"voice\": "
		"\"slt\", \"pitch\": 0.0, \"formant\": 1.0, \"rate\": 1.0, \"range\": 1.0 } ]}", model);
	char *flat = got ? bj_xstrdup(got) : NULL;
	/* bj_json_save indents: compare with the whitespace between tokens folded */
	size_t k = 0;
	for (size_t i = 0; flat && flat[i]; i++) {
		if (flat[i] == '\n')
			continue;
		if (flat[i] == ' ' && k > 0 && flat[k - 1] == ' ')
			continue;
		flat[k++] = flat[i];
	}
	if (flat)
		flat[k] = 0;
	CHECK(flat && !strcmp(flat, want), "got %s", flat ? flat : "(none)");
	free(flat);
	free(got);
	free(want);
	film_cast c;
	CHECK(film_cast_load(cast, &c) == 0, "%s", bj_error_message());
	CHECK_STR(film_cast_model(&c, "EVE"), model);
	CHECK(!film_cast_model(&c, "BOB") && !film_cast_model(&c, "NOBODY"));
	film_cast_release(&c);

	static const char rel[] = "{ \"cast\": [ { \"character\": \"EVE\", \"model\": \"swap-eve.safetensors\" } ] }";
	test_write_file(cast, rel, strlen(rel));
	CHECK(film_cast_load(cast, &c) == 0);
	CHECK_STR(film_cast_model(&c, "EVE"), model);
	film_cast_release(&c);
	static const char bad[] = "{ \"cast\": [ { \"character\": \"EVE\", \"model\": \"\" } ] }";
	test_write_file(cast, bad, strlen(bad));
	CHECK(film_cast_load(cast, &c) == BJ_EFORMAT);
	CHECK(strstr(bj_error_message(), "cast[0].model: not a file name"), "%s", bj_error_message());

	/* missing, truncated, for nobody, twice */
	char *cut = bj_xstrdup(test_path("cut.safetensors"));
	char *data = test_read_file(model, &n);
	test_write_file(cut, data, n / 2);
	free(data);
	const char *missing = "no-such.safetensors";
	film_binding wrong[][2] = { { { "EVE", missing } }, { { "EVE", cut } }, { { "ZED", model } },
		                    { { "EVE", model }, { "eve", model } } };
	const char *says[] = { "model 'no-such.safetensors': No such file", "cut.safetensors",
		               "model 'ZED': no character 'ZED' speaks", "EVE has a model already" };
	for (int i = 0; i < 4; i++) {
		o.models = wrong[i];
		o.n_models = i == 3 ? 2 : 1;
		CHECK(film_cast_choose(&d, NULL, &o, &r) < 0);
		CHECK(strstr(bj_error_message(), says[i]), "%d: %s", i, bj_error_message());
	}
	free(cut);
	free(cast);
	free(model);
	film_dialogue_release(&d);
	text_screenplay_free(sp);
}

/* swaps.json names media for clips; applied to another timeline it must
 * match the clips it was made for. */
static void test_swaps(void)
{
	char *tl = bj_xstrdup(test_path("timeline.json"));
	static const char json[] =
		"{ \"format\": \"benjamin-timeline\", \"version\": 1, \"title\": \"T\", \"video\": ["
		" { \"source\": \"/f/a.mp4\", \"in\": 1, \"out\": 3, \"at\": 0 },"
		" { \"source\": \"/f/b.mp4\", \"in\": 2, \"out\": 4, \"at\": 2,"
		"   \"media\": \"clip-0001.mp4\", \"media_at\": 2.04 } ] }";
	test_write_file(tl, json, strlen(json));
	film_timeline t;
	CHECK(film_timeline_load(tl, &t) == 0, "%s", bj_error_message());
	if (t.n_clips != 2)
		return;
	char *want = bj_xasprintf("%s/clip-0001.mp4", test_tmpdir());
	CHECK(!t.clips[0].media && t.clips[1].media);
	CHECK_STR(t.clips[1].media, want);
	CHECK_NEAR(t.clips[1].media_at, 2.04, 1e-12);
	const char *sw = test_path("swaps.json");
	CHECK(film_swaps_save(&t, NULL, sw) == 0);
	film_timeline u;
	CHECK(film_timeline_load(tl, &u) == 0);
	free(u.clips[1].media);
	u.clips[1].media = NULL;
	CHECK(film_swaps_apply(&u, sw) == 0, "%s", bj_error_message());
	CHECK(u.clips[1].media && !strcmp(u.clips[1].media, want) && u.clips[1].media_at == 2.04);
	u.clips[1].in = 2.5;
	CHECK(film_swaps_apply(&u, sw) == BJ_EFORMAT);
	CHECK(strstr(bj_error_message(), "swaps[0]: clip 1 is not the one swapped"));
	film_timeline_release(&u);
	film_timeline_release(&t);
	free(want);
	static const char still[] =
		"{ \"format\": \"benjamin-timeline\", \"version\": 1, \"title\": \"T\", \"video\": ["
		" { \"source\": \"/f/a.png\", \"duration\": 2, \"at\": 0, \"media\": \"x.mp4\" } ] }";
	test_write_file(tl, still, strlen(still));
	CHECK(film_timeline_load(tl, &t) == BJ_EFORMAT);
	CHECK(strstr(bj_error_message(), "video[0].media: only video clips take a replacement"));
	free(tl);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_identity_screen),
		TEST_CASE(test_choose),
		TEST_CASE(test_cast_star_path),
		TEST_CASE(test_cast_model),
		TEST_CASE(test_swaps),
		{ 0 },
	};
	return test_main(cases);
}
