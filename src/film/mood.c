/*
 * mood.c - a scene's mood from its words and looks; the cue sheet.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/json.h"
#include "film/mood.h"
#include "film/words.h"

static const char *const mood_names[FILM_MOODS] = {
	"calm", "tense", "sad", "joyful", "eerie", "triumphant",
};

/* Small lexicons: words that, in a screenplay's action or dialogue, say what
 * the music should feel like.  Stems only (film_word_in adds the endings). */
static const char *const lex_calm[] = {
	"quiet", "calm", "gentle", "soft", "rest", "sleep", "peace", "slow", "breeze", "still", NULL,
};
static const char *const lex_tense[] = {
	"run", "chase", "gun", "shoot", "scream", "fight", "kill", "blood", "danger", "fear",
	"panic", "attack", "knife", "hurry", "escape", "crash", "alarm", "threat", "grab", "struggle",
	NULL,
};
static const char *const lex_sad[] = {
	"cry", "tear", "dead", "death", "die", "funeral", "alone", "grief", "lost", "goodbye",
	"mourn", "sorry", "weep", "grave", "miss", "lonely", NULL,
};
static const char *const lex_joyful[] = {
	"laugh", "smile", "dance", "party", "kiss", "happy", "joy", "sing", "play", "love",
	"celebrate", "sunshine", "wedding", "grin", NULL,
};
static const char *const lex_eerie[] = {
	"shadow", "dark", "darkness", "ghost", "silence", "fog", "strange", "whisper", "moon",
	"creak", "empty", "mist", "vampire", "coffin", "monster", "night", "haunt", NULL,
};
static const char *const lex_triumphant[] = {
	"win", "victory", "cheer", "triumph", "hero", "crowd", "champion", "rise", "glory",
	"applause", "flag", NULL,
};
static const char *const *const lexicons[FILM_MOODS] = {
	lex_calm, lex_tense, lex_sad, lex_joyful, lex_eerie, lex_triumphant,
};

const char *film_mood_name(film_mood m)
{
	return m < FILM_MOODS ? mood_names[m] : "calm";
}

void film_mood_votes_init(film_mood_votes *v)
{
	memset(v, 0, sizeof *v);
}

void film_mood_text(film_mood_votes *v, const char *text)
{
	for (int m = 0; m < FILM_MOODS; m++)
		v->v[m] += (double)film_words_count(text, lexicons[m]);
}

void film_mood_look(film_mood_votes *v, const library_shot *s, double share)
{
	if (!strcmp(s->daynight, "night"))
		v->v[FILM_MOOD_EERIE] += 0.5 * share;
	if (s->brightness < 0.2)
		v->v[FILM_MOOD_TENSE] += 0.5 * share;
	if (!s->bw && s->brightness > 0.5 && s->colourfulness > 40)
		v->v[FILM_MOOD_JOYFUL] += 0.5 * share;
}

film_mood film_mood_pick(const film_mood_votes *v)
{
	film_mood best = FILM_MOOD_CALM;
	for (int m = 1; m < FILM_MOODS; m++)
		if (v->v[m] > v->v[best])
			best = (film_mood)m;
	return best;
}

int film_cues_save(const film_cues *c, const char *path)
{
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "cues", arr);
	for (size_t i = 0; i < c->n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "start", json_real(c->cues[i].start));
		json_object_set_new(o, "length", json_real(c->cues[i].length));
		json_object_set_new(o, "mood", json_string(film_mood_name(c->cues[i].mood)));
		json_array_append_new(arr, o);
	}
	int ret = bj_json_save(path, root, 0);
	json_decref(root);
	return ret;
}

void film_cues_release(film_cues *c)
{
	if (!c)
		return;
	free(c->cues);
	memset(c, 0, sizeof *c);
}
