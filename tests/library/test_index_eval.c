/*
 * test_index_eval.c - what the indexing pipeline stores (fast decoding at 80
 * pixels wide, three threads), scored against ground truth:
 *   - shots against ../shared/data/eval/shots and the held-out cuts of
 *     footage/more, as tests/vision/test_shots.c scores the detector on exactly
 *     decoded frames: precision, recall and F1 per kind of transition, +-2
 *     frames, and no false cut in the flickering clip;
 *   - the day/night and interior/exterior guesses against the hand labels of
 *     look_labels.txt (71 shots of ../shared/data/footage, labelled from their
 *     keyframes): the accuracy of each must stay at or above a floor.
 * All films go into one library, so a file in several sets is indexed once.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/ingest.h"
#include "library/library.h"
#include "harness.h"
#include "shots_truth.h"

/* Indexes rel and returns the transitions into its stored shots (a cut at a
 * shot's first frame, a gradual transition over the frames between two shots). */
static vision_transition *index_transitions(library *lib, const char *rel, size_t *n)
{
	*n = 0;
	const char *path = test_data(rel);
	if (!path)
		return NULL;
	library_index_report r;
	CHECK(library_index_file(lib, path, NULL, &r) == 0 &&
	      (r.status == LIBRARY_INDEXED || r.status == LIBRARY_UNCHANGED), "%s: %s", rel, r.message);
	library_shot *shots = NULL;
	size_t k = 0;
	CHECK(library_shots(lib, r.film_id, &shots, &k) == 0, "%s", bj_error_message());
	vision_transition *t = bj_xmalloc((k + 1) * sizeof(*t));
	for (size_t i = 1; i < k; i++) {
		int cut = strcmp(shots[i].transition_in, "cut") == 0;
		int64_t start = cut ? shots[i].start_frame : shots[i - 1].end_frame + 1;
		t[(*n)++] = (vision_transition){ cut ? VISION_CUT : VISION_GRADUAL, start, shots[i].start_frame, 1 };
	}
	free(shots);
	return t;
}

/* Scores one file into the totals; truth NULL: only the count of detections. */
static void score(library *lib, const char *rel, const vision_transition *truth, size_t m,
                  vision_shots_score *call, vision_shots_score *gall)
{
	size_t n;
	vision_transition *det = index_transitions(lib, rel, &n);
	if (!det)
		return;
	vision_shots_score c, g;
	vision_shots_evaluate(det, n, truth, m, TOL, &c, &g);
	report(rel, &c, &g);
	if (getenv("SHOTS_VERBOSE"))
		for (size_t i = 0; i < n; i++)
			printf("    %s: %s %" PRId64 "..%" PRId64 "\n", rel, det[i].type == VISION_CUT ? "cut" : "gradual",
			       det[i].start, det[i].end);
	accumulate(call, &c);
	accumulate(gall, &g);
	free(det);
}

static void shot_scores(library *lib)
{
	/* test_data()'s answer lasts until its next call: the CSVs are read first */
	const char *csv = test_data(EDIT_CSV);
	if (csv) {
		size_t m;
		vision_transition *truth = truth_edit(csv, &m);
		vision_shots_score c = { 0 }, g = { 0 };
		score(lib, EDIT, truth, m, &c, &g);
		finish_score(&c);
		finish_score(&g);
		CHECK(c.f1 >= 0.95 && g.f1 >= 0.80, "constructed edit: cut F1 %.3f, gradual F1 %.3f", c.f1, g.f1);
		free(truth);
	}
	char *ncsv = test_data(NATURAL_CSV) ? bj_xstrdup(test_data(NATURAL_CSV)) : NULL;
	if (ncsv) {
		vision_shots_score c = { 0 }, g = { 0 };
		for (size_t f = 0; f < BJ_ARRAY_SIZE(natural_files); f++) {
			size_t m;
			int rows;
			vision_transition *truth = truth_natural(ncsv, natural_files[f], &m, &rows);
			score(lib, natural_files[f], truth, m, &c, &g);
			free(truth);
		}
		finish_score(&c);
		finish_score(&g);
		report("natural footage", &c, &g);
		CHECK(c.f1 >= 0.95 && g.f1 >= 0.80, "natural footage: cut F1 %.3f, gradual F1 %.3f", c.f1, g.f1);
		free(ncsv);
	}
	vision_shots_score c = { 0 }, g = { 0 };
	for (size_t f = 0; f < BJ_ARRAY_SIZE(heldout); f++) {
		vision_transition truth[12];
		score(lib, heldout[f].file, truth, heldout_truth(f, truth), &c, &g);
	}
	finish_score(&c);
	report("held-out cuts", &c, &g);
	CHECK(c.f1 >= 0.95, "held-out cut F1 %.3f", c.f1);

	size_t n;
	vision_transition *det = index_transitions(lib, FLICKER, &n);
	CHECK(!det || n == 0, "%zu false transitions in the flickering clip", n);
	free(det);
}

/* The shot of rel (indexed now, or already) that contains time t, or the first
 * after it (t inside a transition); 0 if none. */
static int shot_at(library *lib, const char *rel, double t, library_shot *out)
{
	const char *path = test_data(rel);
	if (!path)
		return 0;
	library_index_report r;
	if (library_index_file(lib, path, NULL, &r) < 0 || !r.film_id)
		return 0;
	library_shot *shots;
	size_t n;
	int found = 0;
	if (library_shots(lib, r.film_id, &shots, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && !found; i++)
		if (t < shots[i].end) {
			*out = shots[i];
			found = 1;
		}
	free(shots);
	return found;
}

static void look_scores(library *lib)
{
	char *text = test_read_file("tests/library/look_labels.txt", NULL);
	if (!text)
		return;
	int n_day = 0, ok_day = 0, n_place = 0, ok_place = 0, lines = 0;
	char *rest = text, *line;
	while ((line = strsep(&rest, "\n")) != NULL) {
		char rel[512], day[16], place[16];
		double t;
		if (line[0] == '#' || sscanf(line, "%511s %lf %15s %15s", rel, &t, day, place) != 4)
			continue;
		lines++;
		library_shot s;
		if (!shot_at(lib, rel, t, &s)) {
			CHECK(test_data(rel) == NULL, "%s: no shot at %.2f s", rel, t);
			continue;
		}
		if (strcmp(day, "-") != 0) {
			n_day++;
			ok_day += strcmp(day, s.daynight) == 0;
		}
		if (strcmp(place, "-") != 0) {
			n_place++;
			ok_place += strcmp(place, s.place) == 0;
		}
		if (getenv("SHOTS_VERBOSE"))
			printf("    %s %.2f: labelled %s %s, guessed %s %s\n", rel, t, day, place, s.daynight, s.place);
	}
	free(text);
	CHECK(lines == 71, "%d labelled shots", lines);
	if (n_day == 0 || n_place == 0)
		return;
	printf("    look guesses: day/night %.1f %% (%d/%d), interior/exterior %.1f %% (%d/%d)\n",
	       100.0 * ok_day / n_day, ok_day, n_day, 100.0 * ok_place / n_place, ok_place, n_place);
	CHECK(ok_day >= 0.85 * n_day, "day/night right for %d of %d", ok_day, n_day);
	CHECK(ok_place >= 0.85 * n_place, "interior/exterior right for %d of %d", ok_place, n_place);
}

static void test_pipeline_scores(void)
{
	library *lib;
	CHECK(library_open(test_path("lib.db"), &lib) == 0, "%s", bj_error_message());
	if (!lib)
		return;
	shot_scores(lib);
	look_scores(lib);
	library_close(lib);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_pipeline_scores),
		{ 0 },
	};
	return test_main(cases);
}
