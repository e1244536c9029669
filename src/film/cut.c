/*
 * cut.c - the director's walk through the screenplay: a need per element, a
 * shot (or a run of shots) per need, voices laid on their shots, a cue per
 * scene.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/log.h"
#include "film/cut.h"
#include "film/onscreen.h"
#include "film/pick.h"
#include "film/titles.h"
#include "film/window.h"
#include "film/words.h"
#include "library/profile.h"
#include "library/samples.h"
#include "text/markup.h"

/* Verbs that make an action line an action shot (stems; film_word_in adds endings). */
static const char *const action_verbs[] = {
	"run", "jump", "fight", "chase", "fall", "crash", "explode", "grab", "punch", "kick",
	"shoot", "fire", "race", "rush", "spin", "throw", "dance", "climb", "drive", "flee",
	"slam", "smash", "struggle", "dash", "swing", "leap", "charge", "hurl", "scramble",
	"sprint", "tumble", "wrestle", "attack", "burst", "storm", "gallop", "ride", "swim",
	"fly", "push", "pull", "shake", "stagger", "lunge", "hit", "strike", "escape", NULL,
};

/* Shots on screen per word of an action paragraph, and its bounds (seconds). */
#define ACTION_BASE 1.5
#define ACTION_PER_WORD 0.3
#define ACTION_MIN 2.0
#define ACTION_MAX 8.0
/* Speaking rate for lines without a voice: words per second. */
#define WORDS_PER_SECOND 2.5

/* One cast identity on screen in each shot. */
struct identity_faces {
	int64_t identity;
	film_onscreen *on;         /* (n_shots) */
};

/* The spans of one shot already cut into the film: (n, 2) in, out. */
struct spans {
	double *t;
	size_t n, cap;
};

/* Closed eyes seen in a shot, at most this many considered. */
#define MAX_BLINKS 64

struct director {
	const text_screenplay *sp;
	const char *name;
	library *lib;
	library_film *films;
	size_t n_films;
	library_shot *shots;       /* every shot of every readable film */
	size_t n_shots;
	const char **sources;      /* (n_shots) each shot's film path */
	film_candidate *cands;     /* (n_shots) */
	library_face_sample *faces;  /* every face sample, by shot id */
	size_t n_faces;
	size_t *face_first, *face_count;  /* (n_shots) each shot's samples in faces */
	struct spans *shown;       /* (n_shots) what of each shot the film shows */
	film_onscreen *any;        /* (n_shots) any face on screen */
	struct identity_faces *ids;
	size_t n_ids;
	const film_voices *voices;
	size_t next_voice, spoken;
	const film_cast *cast;
	bj_rng rng;
	film_timeline *t;
	size_t cap_clips, cap_lines;
	double now;
	/* the scene being cut */
	int scene;
	const char *daynight, *place;
	const library_shot *prev;
	int64_t *scene_films;      /* the films cut into the scene so far */
	size_t n_scene_films, cap_scene_films;
	double scene_start, look_seconds;
	film_mood_votes words, looks;
	film_cues *cues;
	size_t cap_cues;
};

/* --- the library ---------------------------------------------------------- */

/* The first of the samples of shot in f[0..n) (sorted by shot id). */
static size_t first_sample(const library_face_sample *f, size_t n, int64_t shot)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (f[mid].shot_id < shot)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int load_footage(struct director *d)
{
	int ret = library_films(d->lib, &d->films, &d->n_films);
	size_t cap = 0, cap_sources = 0;
	for (size_t f = 0; ret == 0 && f < d->n_films; f++) {
		const library_film *film = &d->films[f];
		if (access(film->path, R_OK) != 0) {
			bj_log(BJ_LOG_WARN, "'%s': film of the library not found, left out", film->path);
			continue;
		}
		library_shot *s;
		size_t n;
		if ((ret = library_shots(d->lib, film->id, &s, &n)) < 0)
			break;
		BJ_GROW(d->shots, cap, d->n_shots + n + 1);
		BJ_GROW(d->sources, cap_sources, d->n_shots + n + 1);
		for (size_t i = 0; i < n; i++) {
			d->sources[d->n_shots + i] = film->path;
			d->shots[d->n_shots + i] = s[i];
		}
		d->n_shots += n;
		free(s);
	}
	if (ret < 0)
		return ret;
	if (!d->n_shots)
		return bj_error_set(BJ_ENOENT, "'%s': the library has no shots of films that can be "
		                    "read (index footage with `benjamin index`)",
		                    library_path(d->lib));
	if ((ret = library_face_samples(d->lib, &d->faces, &d->n_faces)) < 0)
		return ret;
	d->cands = bj_xcalloc(d->n_shots, sizeof *d->cands);
	d->face_first = bj_xcalloc(d->n_shots, sizeof *d->face_first);
	d->face_count = bj_xcalloc(d->n_shots, sizeof *d->face_count);
	d->any = bj_xcalloc(d->n_shots, sizeof *d->any);
	d->shown = bj_xcalloc(d->n_shots, sizeof *d->shown);
	for (size_t i = 0; i < d->n_shots; i++) {
		film_candidate *c = &d->cands[i];
		c->shot = &d->shots[i];
		size_t a = first_sample(d->faces, d->n_faces, c->shot->id), b = a;
		while (b < d->n_faces && d->faces[b].shot_id == c->shot->id)
			b++;
		d->face_first[i] = a;
		d->face_count[i] = b - a;
		film_onscreen_of(d->faces + a, b - a, c->shot, 0, &d->any[i]);
		c->fade_in = !strcmp(c->shot->transition_in, "gradual");
		c->fade_out = i + 1 < d->n_shots && d->shots[i + 1].film_id == c->shot->film_id &&
		              !strcmp(d->shots[i + 1].transition_in, "gradual");
	}
	/* the identities of the cast, each read once */
	for (size_t k = 0; d->cast && k < d->cast->n; k++) {
		int64_t id = d->cast->identities[k];
		int known = !id;
		for (size_t j = 0; j < d->n_ids; j++)
			known |= d->ids[j].identity == id;
		if (known)
			continue;
		d->ids = bj_xrealloc(d->ids, (d->n_ids + 1) * sizeof *d->ids);
		struct identity_faces *f = &d->ids[d->n_ids++];
		f->identity = id;
		f->on = bj_xcalloc(d->n_shots, sizeof *f->on);
		for (size_t i = 0; i < d->n_shots; i++) {
			film_onscreen_of(d->faces + d->face_first[i], d->face_count[i], &d->shots[i], id,
			                 &f->on[i]);
			if (f->on[i].seen > d->cands[i].cast_seen)
				d->cands[i].cast_seen = f->on[i].seen;
		}
	}
	return 0;
}

/* Sets each candidate's faces for need: the speaker's own when known. */
static void faces_for(struct director *d, const film_need *need)
{
	const struct identity_faces *idf = NULL;
	for (size_t j = 0; need->identity && j < d->n_ids; j++)
		if (d->ids[j].identity == need->identity)
			idf = &d->ids[j];
	for (size_t i = 0; i < d->n_shots; i++) {
		film_candidate *c = &d->cands[i];
		const film_onscreen *own = idf && idf->on[i].samples ? &idf->on[i] : NULL;
		const film_onscreen *face = own ? own : &d->any[i];
		c->face_seen = d->any[i].seen;
		c->face_height = face->height;
		c->frontal = face->frontal;
		c->mouth = face->mouth;
		c->seen = own ? own->seen : 0;
		c->in_scene = 0;
		for (size_t k = 0; k < d->n_scene_films; k++)
			c->in_scene |= d->scene_films[k] == c->shot->film_id;
	}
}

/* The times of the samples showing the face the need wants in shot i: the
 * speaker's when on screen there, else any face; *n = 0 when none. */
static double *face_times(struct director *d, size_t i, const film_need *need, size_t *n)
{
	const library_face_sample *s = d->faces + d->face_first[i];
	size_t k = d->face_count[i];
	int own = 0;
	for (size_t j = 0; need->identity && j < k; j++)
		own |= s[j].identity_id == need->identity;
	double *t = bj_xmalloc((k ? k : 1) * sizeof *t);
	*n = 0;
	for (size_t j = 0; j < k; j++)
		if (!own || s[j].identity_id == need->identity)
			t[(*n)++] = film_onscreen_time(&d->shots[i], s[j].frame);
	/* by time: samples come by track */
	for (size_t a = 1; a < *n; a++) {
		double v = t[a];
		size_t b = a;
		for (; b > 0 && t[b - 1] > v; b--)
			t[b] = t[b - 1];
		t[b] = v;
	}
	return t;
}

/* Seconds of [from, to] inside the spans (which may overlap). */
static double shown_seconds(const struct spans *sp, double from, double to)
{
	double total = 0, end = from;
	/* few spans per shot: take them in order of start by repeated search */
	while (end < to) {
		double lo = INFINITY, hi = 0;
		for (size_t k = 0; k < sp->n; k++)
			if (sp->t[2 * k + 1] > end && sp->t[2 * k] < lo) {
				lo = sp->t[2 * k];
				hi = sp->t[2 * k + 1];
			}
		if (lo == INFINITY || lo >= to)
			return total;
		lo = fmax(lo, end);
		hi = fmin(hi, to);
		if (hi > lo)
			total += hi - lo;
		end = fmax(end, hi);
	}
	return total;
}

/* Chooses the window [in, in + len] of shot i within [from, to]. */
static int cut_points(struct director *d, size_t i, const film_need *need, double from, double to,
                      double len, film_window *w)
{
	const library_shot *s = &d->shots[i];
	float *motion;
	size_t n_motion;
	int ret = library_shot_profile(d->lib, s->id, &motion, &n_motion);
	if (ret < 0)
		return ret;
	double blinks[MAX_BLINKS];
	size_t n_blinks = film_onscreen_blinks(d->faces + d->face_first[i], d->face_count[i], s,
	                                       blinks, MAX_BLINKS);
	/* a line wants the face on screen; other needs want it out of the shot */
	size_t n_faces = 0;
	double *faces = face_times(d, i, need, &n_faces);
	film_window_ask a = {
		.from = from, .to = to, .len = len, .start = s->start,
		.fps = s->end > s->start ? (double)(s->end_frame - s->start_frame + 1) / (s->end - s->start)
		                         : 25,
		.motion = motion, .n_motion = n_motion, .blinks = blinks, .n_blinks = n_blinks,
		.faces = faces, .n_faces = n_faces, .avoid_faces = need->kind != FILM_NEED_DIALOGUE,
		.shown = d->shown[i].t, .n_shown = d->shown[i].n,
	};
	film_window_choose(&a, w);
	free(motion);
	free(faces);
	return 0;
}

/* --- why a shot was chosen ------------------------------------------------ */

static const char *const kind_names[] = {
	[FILM_NEED_DIALOGUE] = "dialogue",
	[FILM_NEED_DESCRIPTION] = "description",
	[FILM_NEED_ACTION] = "action",
};

static double round4(double x)
{
	return round(x * 1e4) / 1e4;
}

/* The cut points chosen and those of the centred window they improved on. */
static json_t *why_cut(const film_window *w)
{
	json_t *c = json_pack("{s:f,s:f}", "in", round4(w->in), "out", round4(w->out));
	json_t *m = json_pack("{s:f}", "in", round4(w->centred_in));
	/* a shot indexed before motion was kept frame by frame has none to show */
	if (w->has_motion) {
		json_object_set_new(c, "motion", json_pack("[f,f]", round4(w->in_motion),
		                                           round4(w->out_motion)));
		json_object_set_new(m, "motion", json_pack("[f,f]", round4(w->centred_in_motion),
		                                           round4(w->centred_out_motion)));
	}
	json_object_set_new(c, "blinks", json_integer(w->blinks));
	json_object_set_new(m, "blinks", json_integer(w->centred_blinks));
	json_object_set_new(c, "face", json_real(round4(w->face)));
	json_object_set_new(m, "face", json_real(round4(w->centred_face)));
	if (w->repeat > 0 || w->centred_repeat > 0) {
		json_object_set_new(c, "repeat", json_real(round4(w->repeat)));
		json_object_set_new(m, "repeat", json_real(round4(w->centred_repeat)));
	}
	json_object_set_new(c, "centred", m);
	return c;
}

static char *why_text(struct director *d, const text_element *e, const char *character,
                      const film_need *need, const film_pick_result *r, const film_window *cw,
                      int part)
{
	film_weights w;
	film_weights_for(need, &w);
	json_t *why = json_object(), *n = json_object(), *features = json_object();
	json_object_set_new(why, "element", json_string(text_element_type_name(e->type)));
	if (e->line)
		json_object_set_new(why, "source_line", json_integer(e->line));
	json_object_set_new(n, "kind", json_string(kind_names[need->kind]));
	json_object_set_new(n, "seconds", json_real(round4(need->seconds)));
	if (character)
		json_object_set_new(n, "character", json_string(character));
	if (need->identity)
		json_object_set_new(n, "identity", json_integer(need->identity));
	if (need->daynight)
		json_object_set_new(n, "daynight", json_string(need->daynight));
	if (need->place)
		json_object_set_new(n, "place", json_string(need->place));
	json_object_set_new(why, "need", n);
	const library_shot *s = d->cands[r->best].shot;
	json_object_set_new(why, "shot", json_pack("{s:s,s:i,s:I}", "film", d->sources[r->best],
	                                           "number", s->number, "id", (json_int_t)s->id));
	if (part > 1)
		json_object_set_new(why, "part", json_integer(part));
	for (int f = 0; f < FILM_FEATURES; f++)
		if (w.w[f] != 0)
			json_object_set_new(features, film_feature_name(f),
			                    json_pack("{s:f,s:f}", "value", round4(r->score.f[f]),
			                              "weight", w.w[f]));
	json_object_set_new(why, "features", features);
	json_object_set_new(why, "total", json_real(round4(r->score.total)));
	if (r->runner_up >= 0) {
		const library_shot *u = d->cands[r->runner_up].shot;
		json_object_set_new(why, "runner_up",
		                    json_pack("{s:s,s:i,s:f}", "film", d->sources[r->runner_up],
		                              "number", u->number, "total",
		                              round4(r->runner_score.total)));
	}
	if (r->reused)
		json_object_set_new(why, "reused", json_true());
	json_object_set_new(why, "cut", why_cut(cw));
	char *text = json_dumps(why, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(why);
	char *copy = bj_xstrdup(text);
	free(text);
	return copy;
}

/* --- the timeline --------------------------------------------------------- */

/* Fills the screen time of need with shots from now on; *start (may be NULL)
 * is where the first one starts. */
static int cover(struct director *d, const text_element *e, const char *character,
                 film_need need, double *start)
{
	if (start)
		*start = d->now;
	double remaining = need.seconds;
	need.cast = d->n_ids > 0;
	faces_for(d, &need);
	for (int part = 1; remaining > 1e-6; part++) {
		need.seconds = remaining;
		film_pick_result r;
		film_pick(&need, d->cands, d->n_shots, d->prev, &d->rng, &r);
		film_candidate *c = &d->cands[r.best];
		double from, to;
		film_usable(c, &from, &to);
		if (to - from < 0.04) {  /* a sliver of a shot: take it whole */
			from = c->shot->start;
			to = c->shot->end;
		}
		double len = fmin(remaining, to - from);
		if (remaining - len > 0 && remaining - len < FILM_MIN_CLIP) {
			/* the shot cannot hold it all, and what is left would flash by:
			 * take the shot's edges too, else leave the next shot more */
			from = c->shot->start;
			to = c->shot->end;
			len = fmin(remaining, to - from);
			if (remaining - len > 0 && remaining - len < FILM_MIN_CLIP &&
			    remaining - FILM_MIN_CLIP >= FILM_MIN_CLIP)
				len = remaining - FILM_MIN_CLIP;
		}
		/* within the usable part, cut on still moments (film/window.h) */
		film_window w;
		int ret = cut_points(d, r.best, &need, from, to, len, &w);
		if (ret < 0)
			return ret;
		double in = w.in, out = w.out;
		BJ_GROW(d->t->clips, d->cap_clips, d->t->n_clips + 1);
		d->t->clips[d->t->n_clips++] = (film_clip){
			.source = bj_xstrdup(d->sources[r.best]),
			.in = in, .out = out, .at = d->now, .scene = d->scene,
			.why = why_text(d, e, character, &need, &r, &w, part),
		};
		d->now += out - in;
		remaining -= out - in;
		c->uses++;
		struct spans *sp = &d->shown[r.best];
		BJ_GROW(sp->t, sp->cap, 2 * sp->n + 2);
		sp->t[2 * sp->n] = in;
		sp->t[2 * sp->n++ + 1] = out;
		double u0, u1;
		film_usable(c, &u0, &u1);
		c->shown = shown_seconds(sp, u0, u1);
		d->prev = c->shot;
		if (!c->in_scene) {
			BJ_GROW(d->scene_films, d->cap_scene_films, d->n_scene_films + 1);
			d->scene_films[d->n_scene_films++] = c->shot->film_id;
			for (size_t k = 0; k < d->n_shots; k++)
				d->cands[k].in_scene |= d->cands[k].shot->film_id == c->shot->film_id;
		}
		film_mood_look(&d->looks, c->shot, out - in);
		d->look_seconds += out - in;
	}
	return 0;
}

static void end_scene(struct director *d)
{
	if (!d->scene || d->now <= d->scene_start)
		return;
	for (int m = 0; m < FILM_MOODS; m++)
		d->words.v[m] += d->looks.v[m] / fmax(d->look_seconds, 1e-9);
	BJ_GROW(d->cues->cues, d->cap_cues, d->cues->n + 1);
	d->cues->cues[d->cues->n++] = (film_cue){ d->scene_start, d->now - d->scene_start,
		                                  film_mood_pick(&d->words) };
}

static void start_scene(struct director *d, const char *heading)
{
	end_scene(d);
	d->scene++;
	/* the first scene's cue plays under the title card too */
	d->scene_start = d->scene == 1 ? 0 : d->now;
	d->prev = NULL;
	d->n_scene_films = 0;
	d->look_seconds = 0;
	film_mood_votes_init(&d->words);
	film_mood_votes_init(&d->looks);
	const char *place = NULL, *daynight = NULL;
	if (heading) {
		char up[256];
		size_t n = 0;
		for (; heading[n] && n < sizeof up - 1; n++)
			up[n] = (char)(heading[n] >= 'a' && heading[n] <= 'z' ? heading[n] - 32 : heading[n]);
		up[n] = '\0';
		int in = !strncmp(up, "INT", 3) || !strncmp(up, "I/E", 3);
		int ex = !strncmp(up, "EXT", 3) || !strncmp(up, "I/E", 3) || strstr(up, "INT./EXT") ||
		         strstr(up, "INT/EXT");
		place = in && !ex ? "interior" : ex && !in ? "exterior" : NULL;
		const char *dash = strrchr(up, '-');
		const char *when = dash ? dash + 1 : "";
		if (strstr(when, "NIGHT") || strstr(when, "EVENING") || strstr(when, "DUSK"))
			daynight = "night";
		else if (strstr(when, "DAY") || strstr(when, "MORNING") || strstr(when, "NOON") ||
		         strstr(when, "DAWN"))
			daynight = "day";
		else if (strstr(when, "CONTINUOUS") || strstr(when, "LATER") || strstr(when, "SAME"))
			daynight = d->daynight;  /* the time of the scene before */
		film_mood_text(&d->words, heading);
	}
	d->place = place;
	d->daynight = daynight;
}

static char *plain_text(const char *text)
{
	text_styled st;
	text_styled_init(&st, text);
	for (size_t i = 0; i < st.len; i++)
		if (st.plain[i] == '\n')
			st.plain[i] = ' ';
	char *s = bj_xstrdup(st.plain);
	text_styled_release(&st);
	return s;
}

/* The voice of the next spoken line, checked against the screenplay. */
static int next_voice(struct director *d, const text_element *e, const char *who,
                      const film_voice **out)
{
	*out = NULL;
	d->spoken++;
	if (!d->voices)
		return 0;
	if (d->next_voice >= d->voices->n)
		return bj_error_set(BJ_EFORMAT, "'%s': has %zu lines, the screenplay speaks more "
		                    "('%s' line %d)", d->voices->path, d->voices->n, d->name, e->line);
	const film_voice *v = &d->voices->lines[d->next_voice++];
	if (strcmp(v->character, who))
		return bj_error_set(BJ_EFORMAT, "'%s': line %zu is %s's, the screenplay's line %zu "
		                    "('%s' line %d) is %s's", d->voices->path, d->next_voice,
		                    v->character, d->spoken, d->name, e->line, who);
	*out = v;
	return 0;
}

static int speak(struct director *d, const text_element *e, const char *who)
{
	const film_voice *v;
	int ret = next_voice(d, e, who, &v);
	if (ret < 0)
		return ret;
	char *text = plain_text(e->text);
	film_mood_text(&d->words, text);
	double seconds = v ? v->duration : (double)film_words_total(text) / WORDS_PER_SECOND;
	film_need need = { FILM_NEED_DIALOGUE, FILM_LINE_LEAD + seconds + FILM_LINE_TAIL,
		           d->daynight, d->place, film_cast_identity(d->cast, who), 0 };
	double at;
	if ((ret = cover(d, e, who, need, &at)) < 0) {
		free(text);
		return ret;
	}
	at += FILM_LINE_LEAD;
	if (!v) {
		free(text);
		return 0;
	}
	BJ_GROW(d->t->lines, d->cap_lines, d->t->n_lines + 1);
	film_line *l = &d->t->lines[d->t->n_lines++];
	*l = (film_line){ .audio = bj_xstrdup(v->audio), .at = at, .character = bj_xstrdup(who),
		          .text = text, .duration = v->duration };
	l->words = bj_xcalloc(v->n_words + 1, sizeof *l->words);
	for (size_t k = 0; k < v->n_words; k++)
		l->words[k] = (film_word){ bj_xstrdup(v->words[k].text), v->words[k].start,
			                   v->words[k].end };
	l->n_words = v->n_words;
	return 0;
}

static int act(struct director *d, const text_element *e)
{
	char *text = plain_text(e->text);
	size_t words = film_words_total(text);
	film_mood_text(&d->words, text);
	double seconds = fmin(ACTION_MAX, fmax(ACTION_MIN, ACTION_BASE + ACTION_PER_WORD * words));
	film_need need = { film_words_count(text, action_verbs) ? FILM_NEED_ACTION
		                                                 : FILM_NEED_DESCRIPTION,
		           seconds, d->daynight, d->place, 0, 0 };
	free(text);
	return cover(d, e, NULL, need, NULL);
}

static int walk(struct director *d)
{
	const text_screenplay *sp = d->sp;
	char *who = NULL;
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < sp->n_elements; i++) {
		const text_element *e = &sp->elements[i];
		if (e->type != TEXT_SCENE_HEADING && !d->scene &&
		    (e->type == TEXT_ACTION || e->type == TEXT_DIALOGUE || e->type == TEXT_LYRICS))
			start_scene(d, NULL);
		switch (e->type) {
		case TEXT_SCENE_HEADING:
			start_scene(d, e->text);
			ret = cover(d, e, NULL, (film_need){ FILM_NEED_DESCRIPTION, FILM_HEADING_SECONDS,
			                                     d->daynight, d->place, 0, 0 }, NULL);
			break;
		case TEXT_ACTION:
			ret = act(d, e);
			break;
		case TEXT_CHARACTER:
			free(who);
			who = text_character_name(e->text);
			break;
		case TEXT_PARENTHETICAL:
			break;
		case TEXT_DIALOGUE:
		case TEXT_LYRICS:
			if (who)
				ret = speak(d, e, who);
			break;
		default:
			break;
		}
		if (e->type != TEXT_CHARACTER && e->type != TEXT_PARENTHETICAL &&
		    e->type != TEXT_DIALOGUE && e->type != TEXT_LYRICS) {
			free(who);
			who = NULL;
		}
	}
	free(who);
	if (ret == 0 && d->voices && d->next_voice < d->voices->n)
		ret = bj_error_set(BJ_EFORMAT, "'%s': has %zu lines, the screenplay '%s' speaks %zu",
		                   d->voices->path, d->voices->n, d->name, d->spoken);
	if (ret == 0 && !d->t->n_clips)
		ret = bj_error_set(BJ_EFORMAT, "'%s': nothing to film: no scene, action or dialogue",
		                   d->name);
	end_scene(d);
	return ret;
}

static char *title_of(const text_screenplay *sp)
{
	const char *t = text_screenplay_title_get(sp, "title");
	char *s = t ? plain_text(t) : NULL;
	if (s && *s)
		return s;
	free(s);
	return bj_xstrdup("Untitled");
}

/* The default credits; without voices there are no lines to take the cast
 * from, so it comes from the screenplay's cues, in order of appearance. */
static void credits(const text_screenplay *sp, const film_timeline *t, film_credits *c)
{
	film_credits_default(t, c);
	if (t->n_lines)
		return;
	char **cast = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < sp->n_elements; i++) {
		if (sp->elements[i].type != TEXT_CHARACTER)
			continue;
		char *who = text_character_name(sp->elements[i].text);
		size_t k = 0;
		while (k < n && strcmp(cast[k], who))
			k++;
		if (k < n) {
			free(who);
			continue;
		}
		BJ_GROW(cast, cap, n + 1);
		cast[n++] = who;
	}
	if (!n)
		return;
	/* after the title, a blank and the two lines of "written ... by benjamin" */
	size_t at = 4 < c->n ? 4 : c->n;
	c->lines = bj_xrealloc(c->lines, (c->n + n + 2) * sizeof *c->lines);
	memmove(c->lines + at + n + 2, c->lines + at, (c->n - at) * sizeof *c->lines);
	c->lines[at] = bj_xstrdup("");
	c->lines[at + 1] = bj_xstrdup("Cast");
	memcpy(c->lines + at + 2, cast, n * sizeof *cast);
	c->n += n + 2;
	free(cast);
}

int film_cut(const text_screenplay *sp, const char *name, library *lib, const film_voices *voices,
             const film_cast *cast, const film_cut_opts *o, film_timeline *t, film_cues *cues)
{
	memset(t, 0, sizeof *t);
	memset(cues, 0, sizeof *cues);
	struct director d = { .sp = sp, .name = name, .lib = lib, .voices = voices, .cast = cast,
		              .t = t, .cues = cues };
	bj_rng_init(&d.rng, o->seed);
	t->title = title_of(sp);
	t->title_card = (film_card){ 1, 0, FILM_TITLE_SECONDS, bj_xstrdup(t->title) };
	t->ambience = (film_bed){ .gain_db = 0, .duck_db = -15, .attack = 0.08, .release = 0.4 };
	t->score = (film_bed){ .gain_db = -8, .duck_db = -8, .attack = 0.15, .release = 0.8 };
	d.now = FILM_TITLE_SECONDS;
	int ret = load_footage(&d);
	if (ret == 0)
		ret = walk(&d);
	if (ret == 0) {
		film_credits c;
		credits(sp, t, &c);
		t->credit_lines = c.lines;
		t->n_credit_lines = c.n;
		t->credits = (film_card){ 1, d.now, film_credits_seconds(&c), NULL };
		if (o->score) {
			t->score.audio = bj_xstrdup(o->score);
			t->score.at = 0;
		}
		BJ_GROW(cues->cues, d.cap_cues, cues->n + 1);
		cues->cues[cues->n++] = (film_cue){ d.now, t->credits.duration, FILM_MOOD_CALM };
	}
	library_films_free(d.films, d.n_films);
	free(d.shots);
	free(d.sources);
	free(d.cands);
	free(d.faces);
	free(d.scene_films);
	free(d.face_first);
	free(d.face_count);
	free(d.any);
	for (size_t i = 0; d.shown && i < d.n_shots; i++)
		free(d.shown[i].t);
	free(d.shown);
	for (size_t j = 0; j < d.n_ids; j++)
		free(d.ids[j].on);
	free(d.ids);
	if (ret < 0) {
		film_timeline_release(t);
		film_cues_release(cues);
	}
	return ret;
}
