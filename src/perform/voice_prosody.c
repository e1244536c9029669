/*
 * voice_prosody.c - the table of parenthetical words and what they do.
 */
#include "perform/voice_prosody.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

struct cue {
	const char *word; /* matched at the start of a word, lower case */
	perform_delivery effect;
};

/* rate, pitch (st), range, volume (dB), pause before, pause after.  The
 * amounts are modest: Flite's intonation is plain, and a larger range turns
 * into a sing-song. */
static const struct cue cues[] = {
	{ "whisper", { 0.9, -1.0, 0.4, -12.0, 0, 0 } },
	{ "shout", { 1.1, 2.0, 1.6, 3.0, 0, 0 } },
	{ "yell", { 1.1, 2.0, 1.6, 3.0, 0, 0 } },
	{ "scream", { 1.15, 3.0, 1.8, 3.0, 0, 0 } },
	{ "quiet", { 0.95, -0.5, 0.7, -6.0, 0, 0 } },
	{ "soft", { 0.95, -0.5, 0.7, -6.0, 0, 0 } },
	{ "murmur", { 0.95, -0.5, 0.6, -6.0, 0, 0 } },
	{ "under", { 0.95, -0.5, 0.7, -6.0, 0, 0 } }, /* under his/her breath */
	{ "angr", { 1.1, 0.5, 1.4, 2.0, 0, 0 } },
	{ "furious", { 1.1, 1.0, 1.5, 3.0, 0, 0 } },
	{ "sad", { 0.85, -1.0, 0.6, -2.0, 0, 0 } },
	{ "tearful", { 0.85, -1.0, 0.6, -2.0, 0, 0 } },
	{ "crying", { 0.85, -0.5, 0.7, -2.0, 0, 0 } },
	{ "excited", { 1.1, 1.5, 1.5, 1.0, 0, 0 } },
	{ "happy", { 1.05, 1.0, 1.3, 0, 0, 0 } },
	{ "cheerful", { 1.05, 1.0, 1.3, 0, 0, 0 } },
	{ "nervous", { 0.95, 0.5, 1.2, 0, 0.2, 0 } },
	{ "hesitant", { 0.9, 0, 1.1, -1.0, 0.3, 0 } },
	{ "slow", { 0.8, 0, 1.0, 0, 0, 0 } },
	{ "quick", { 1.25, 0, 1.0, 0, 0, 0 } },
	{ "fast", { 1.25, 0, 1.0, 0, 0, 0 } },
	{ "long pause", { 1.0, 0, 1.0, 0, 1.2, 0 } },
	{ "beat", { 1.0, 0, 1.0, 0, 0.6, 0 } },
	{ "pause", { 1.0, 0, 1.0, 0, 0.6, 0 } },
};

static void combine(perform_delivery *d, const perform_delivery *e)
{
	d->rate *= e->rate;
	d->pitch += e->pitch;
	d->range *= e->range;
	d->volume_db += e->volume_db;
	d->pause_before += e->pause_before;
	d->pause_after += e->pause_after;
}

int perform_delivery_parenthetical(perform_delivery *d, const char *text)
{
	char low[256];
	size_t n = 0;
	for (const char *p = text; *p && n + 1 < sizeof low; p++)
		low[n++] = (char)tolower((unsigned char)*p);
	low[n] = 0;
	int understood = 0;
	for (size_t i = 0; i < sizeof cues / sizeof cues[0]; i++) {
		size_t len = strlen(cues[i].word);
		for (const char *hit = strstr(low, cues[i].word); hit; hit = strstr(hit + 1, cues[i].word)) {
			if (hit > low && isalpha((unsigned char)hit[-1]))
				continue; /* not the start of a word: "upbeat" is not "beat" */
			combine(d, &cues[i].effect);
			understood = 1;
			/* "long pause" also contains "pause": count it once */
			if (strcmp(cues[i].word, "long pause") == 0)
				memset(low + (hit - low), ' ', len);
			break;
		}
	}
	return understood;
}

void perform_delivery_punctuation(perform_delivery *d, const char *text)
{
	size_t n = strlen(text);
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	const char *end = text + n;
	if (n >= 3 && strncmp(end - 3, "...", 3) == 0) {
		combine(d, &(perform_delivery){ 0.92, -0.3, 0.9, 0, 0, 0.3 });
		return;
	}
	if (n >= 3 && strncmp(end - 3, "\xe2\x80\xa6", 3) == 0) { /* U+2026 */
		combine(d, &(perform_delivery){ 0.92, -0.3, 0.9, 0, 0, 0.3 });
		return;
	}
	int bang = 0, question = 0;
	for (const char *p = end; p > text && (p[-1] == '!' || p[-1] == '?' || p[-1] == '"'); p--) {
		bang |= p[-1] == '!';
		question |= p[-1] == '?';
	}
	if (question)
		combine(d, &(perform_delivery){ 1.0, 0.5, 1.25, 0, 0, 0 });
	if (bang)
		combine(d, &(perform_delivery){ 1.05, 1.0, 1.3, 1.0, 0, 0 });
}
