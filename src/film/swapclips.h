/*
 * swapclips.h - the swap stage of `benjamin make`: the clips of a cut whose
 * character has a star get the star's face on the actor, written as films of
 * their own that the timeline names as the clips' "media" (film/timeline.h).
 *
 *     film_cast cast;   film_cast_load("cast.json", &cast);
 *     film_timeline t;  film_timeline_load("timeline.json", &t);
 *     film_swap_opts o = FILM_SWAP_DEFAULTS;
 *     film_swap_report r;
 *     if (film_swap_clips(&t, &cast, lib, "film/.stages/swap-x", &o, &r) < 0) ...
 *     film_swaps_save(&t, "film/.stages/swap-x/swaps.json");
 *     ...
 *     film_swaps_apply(&t2, "film/.stages/swap-x/swaps.json");   // before the render
 *
 * A clip is a dialogue clip of a character when its "why" says so (need.kind
 * "dialogue", need.character, as film/cut.h writes it).  Its frames from in to
 * out are swapped by perform_swap_range (perform/swap_clip.h, what `benjamin
 * swap --shot` does): when the character has a footage identity, only that
 * person's face, where the library's tracks of it say it is
 * (library/face_boxes.h), every other face in the frame left alone and the
 * frames it is not on screen passed through (a clip where it is never on
 * screen is left alone); the character having no identity, the largest face
 * of a shot the library found faces in (a shot without any is left alone).
 * A star's face comes from the character's trained swap model (cast.json's
 * "model", perform/swap_trained.h) when there is one trained on the
 * character's identity; else from the photos of that character's own star
 * folder (at most FILM_SWAP_STARS of them, spread over it by name), the
 * one-shot swap, with a note saying why when a model was named; else the
 * character's clips are left alone.  A model that is missing or does not
 * load is an error naming it.  The films are "clip-0007.mp4" (H.264, no
 * sound, the source's size and rate); the same inputs give the same bytes.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "film/cut.h"
#include "film/timeline.h"
#include "library/library.h"

#define FILM_SWAP_STARS 40

typedef struct film_swap_opts {
	uint64_t seed;
	int threads;
	int progress;        /* show a progress bar */
	/* Told why a character's model is not used (may be NULL). */
	void (*on_note)(void *ctx, const char *note);
	void *ctx;
} film_swap_opts;

#define FILM_SWAP_DEFAULTS ((film_swap_opts){ 1, 2, 0, NULL, NULL })

typedef struct film_swap_report {
	size_t clips;        /* clips swapped */
	long frames, swapped;
	char **by;           /* (n_clips of the timeline) how each clip was swapped:
	                        the model's path, "one-shot", or NULL (not swapped) */
	size_t n_by;
	char **notes;        /* (n_notes) why models were not used */
	size_t n_notes;
} film_swap_report;

/* Swaps the star clips of t into folder (which must exist), setting their
 * media and media_at.  lib may be NULL.  Returns 0 or the error ("'faces/x':
 * no star photo with a usable face", "'swap.safetensors': not a swap model").
 * Release r with film_swap_report_release, whatever the return. */
int film_swap_clips(film_timeline *t, const film_cast *cast, library *lib, const char *folder,
                    const film_swap_opts *o, film_swap_report *r);

void film_swap_report_release(film_swap_report *r);

/* Writes the clips of t that have media to path: { "swaps": [ { "clip": 3,
 * "source": ..., "in": ..., "media": "clip-0003.mp4", "media_at": ...,
 * "by": "/abs/swap.safetensors" or "one-shot" } ], "notes": [ ... ] }, media
 * relative to path's folder; by and notes from r (may be NULL: none).
 * Returns 0 or the error. */
int film_swaps_save(const film_timeline *t, const film_swap_report *r, const char *path);

/* Sets the media of t's clips from a swaps.json; a clip that is not the same
 * (source and in) is an error ("'<path>': swaps[0]: clip 3 is not the one
 * swapped").  Returns 0 or the error. */
int film_swaps_apply(film_timeline *t, const char *path);
