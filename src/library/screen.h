/*
 * screen.h - how much each identity of the library is on screen, and how well
 * it could play a part: its tracks' time, its frontal close-ups and the speech
 * in its shots (for casting, film/casting.h).
 *
 *     library_screen *s; size_t n;
 *     if (library_identity_screen(lib, &s, &n) < 0) ...   // best first
 *     ... s[0].identity, s[0].seconds ...
 *     library_screen_free(s, n);
 *
 * A track's time is end_s - start_s, or its frames over the film's rate when
 * the times are missing.  A frontal close-up is a face sample with |yaw| <= 25
 * and |pitch| <= 20 degrees whose height is at least a fifth of the frame's;
 * faces are sampled twice a second while indexing, so each counts for half a
 * second.  Speech is a track's time times the share of voice in its shot's
 * sound.  The score that orders them: seconds + 2 * close-up seconds + speech
 * seconds; ties go to the lower id.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "library/library.h"

/* Frontal close-up thresholds (degrees, fraction of the frame height) and the
 * seconds one face sample stands for. */
#define LIBRARY_FRONTAL_YAW 25.0
#define LIBRARY_FRONTAL_PITCH 20.0
#define LIBRARY_CLOSEUP_HEIGHT 0.2
#define LIBRARY_FACE_SAMPLE_SECONDS 0.5

typedef struct library_screen {
	int64_t identity;
	char *name;              /* identities.name, or NULL */
	double seconds;          /* screen time of its tracks */
	double closeup_seconds;  /* frontal close-up samples * LIBRARY_FACE_SAMPLE_SECONDS */
	double speech_seconds;   /* track time * the shot's speech share */
	double score;
} library_screen;

/* Every identity (also those never tracked: all zero), best score first.
 * Returns 0 and a new array (library_screen_free), or the error. */
int library_identity_screen(library *lib, library_screen **out, size_t *n);
void library_screen_free(library_screen *s, size_t n);
