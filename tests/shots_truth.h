/*
 * shots_truth.h - the ground truth of ../shared/data/eval/shots and the held-out
 * cuts of footage/more, and the scoring helpers, shared by the shot detector's
 * test (tests/vision) and the indexing pipeline's (tests/library).
 */
#pragma once

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "harness.h"
#include "vision/shots.h"

#define EDIT "eval/shots/constructed_edit_640x360_25fps.mp4"
#define EDIT_CSV "eval/shots/constructed_edit_640x360_25fps.transitions.csv"
#define NATURAL_CSV "eval/shots/natural_footage_shot_boundaries.csv"
#define FLICKER "footage/more/winter_scenes_in_holland_boy_cu_silent.mp4"
#define TOL 2

static void add(vision_transition **v, size_t *n, size_t *cap, int type, int64_t start, int64_t end)
{
	BJ_GROW(*v, *cap, *n + 1);
	(*v)[(*n)++] = (vision_transition){ type, start, end, 1 };
}

/* transition,type,prev_last,next_first,gradual_first,gradual_last,... */
static vision_transition *truth_edit(const char *csv, size_t *n)
{
	char *text = test_read_file(csv, NULL);
	vision_transition *v = NULL;
	size_t cap = 0;
	*n = 0;
	if (!text)
		return NULL;
	char *rest = text, *line;
	strsep(&rest, "\n");  /* header */
	while ((line = strsep(&rest, "\n")) != NULL) {
		char type[64];
		long prev, next, g0, g1;
		if (sscanf(line, "%*d,%63[^,],%ld,%ld,%ld,%ld", type, &prev, &next, &g0, &g1) == 5)
			add(&v, n, &cap, VISION_GRADUAL, g0, g1 + 1);
		else if (sscanf(line, "%*d,%63[^,],%ld,%ld", type, &prev, &next) == 3)
			add(&v, n, &cap, VISION_CUT, next, next);
	}
	free(text);
	return v;
}

/* file,fps,total_frames,boundary,type,meaning: the rows of one file */
static vision_transition *truth_natural(const char *csv, const char *file, size_t *n, int *rows)
{
	char *text = test_read_file(csv, NULL);
	vision_transition *v = NULL;
	size_t cap = 0;
	*n = 0;
	*rows = 0;
	if (!text)
		return NULL;
	char *rest = text, *line;
	strsep(&rest, "\n");
	while ((line = strsep(&rest, "\n")) != NULL) {
		char *f = strsep(&line, ","), *fps = strsep(&line, ","), *total = strsep(&line, ",");
		char *boundary = strsep(&line, ",");
		if (!boundary || strcmp(f, file) != 0)
			continue;
		(void)fps;
		(void)total;
		(*rows)++;
		long a, b;
		if (sscanf(boundary, "%ld-%ld", &a, &b) == 2)
			add(&v, n, &cap, VISION_GRADUAL, a, b + 1);
		else if (sscanf(boundary, "%ld", &a) == 1)
			add(&v, n, &cap, VISION_CUT, a, a);
	}
	free(text);
	return v;
}

/* Adds one file's counts to the totals. */
static void accumulate(vision_shots_score *sum, const vision_shots_score *s)
{
	sum->truth += s->truth;
	sum->detected += s->detected;
	sum->matched += s->matched;
}

static void finish_score(vision_shots_score *s)
{
	s->precision = s->detected ? (double)s->matched / s->detected : 1;
	s->recall = s->truth ? (double)s->matched / s->truth : 1;
	s->f1 = s->precision + s->recall > 0 ? 2 * s->precision * s->recall / (s->precision + s->recall) : 0;
}

static void report(const char *what, const vision_shots_score *c, const vision_shots_score *g)
{
	printf("    %s: cuts P %.3f R %.3f F1 %.3f (%d/%d/%d)  gradual P %.3f R %.3f F1 %.3f (%d/%d/%d)\n",
	       what, c->precision, c->recall, c->f1, c->matched, c->detected, c->truth,
	       g->precision, g->recall, g->f1, g->matched, g->detected, g->truth);
}

static const char *const natural_files[] = {
	"footage/nosferatu_1922_excerpt_silent.mp4",
	"footage/blackjournal_ep67_angela_davis_interview.mp4",
	"footage/steamboat_willie_1928_excerpt.mp4",
	"footage/chaplin_keystone_era_excerpt_silent.mp4",
};

/* Held out from tuning: cuts the media manifest lists (in seconds) for clips of
 * footage/more, converted to frames at each clip's rate. */
static const struct heldout {
	const char *file;
	double fps;
	double cuts[12];  /* seconds; 0 ends */
} heldout[] = {
	{ "footage/more/casablanca_1942_play_it_sam_dialogue.mp4", 25,
	  { 11.24, 14.40, 24.04, 26.24, 29.68, 37.32, 62.60, 68.88, 71.64, 76.68 } },
	{ "footage/more/bw_feature_c1951_office_scene_silent.mp4", 25, { 1.36, 5.36, 8.28, 11.60 } },
	{ "footage/more/a_bomb_blast_effects_1950s_excerpt_silent.mp4", 29, { 1.52, 4.62, 10.31 } },
	{ "footage/more/ucl_old_film_coursework_3shots_silent.mp4", 25, { 10.24, 19.84 } },
	{ "footage/more/jfk_berlin_1963_speech_excerpt.mp4", 29.97, { 8.38 } },
	{ "footage/more/gaslight_1944_bergman_excerpt.mp4", 24000.0 / 1001, { 0 } },
	{ "footage/more/arsenic_and_old_lace_1944_grant_hull_twoshot_silent.mp4", 24, { 0 } },
	{ "footage/more/roman_holiday_1953_hepburn_cu_silent.mp4", 24, { 0 } },
	{ "footage/more/wizard_of_oz_1939_garland_sepia_silent.mp4", 24, { 0 } },
	{ "footage/more/lost_weekend_1945_milland_wyman_twoshot_silent.mp4", 24, { 0 } },
};

/* The held-out cuts of heldout[f] as frames into truth (12); returns how many. */
static size_t heldout_truth(size_t f, vision_transition *truth)
{
	size_t m = 0;
	for (; m < 12 && heldout[f].cuts[m] > 0; m++) {
		int64_t k = llround(heldout[f].cuts[m] * heldout[f].fps);
		truth[m] = (vision_transition){ VISION_CUT, k, k, 1 };
	}
	return m;
}
