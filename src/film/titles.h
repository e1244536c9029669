/*
 * titles.h - the text of the film: the title card, the closing credits (a roll)
 * and the "AI-generated" label kept in a corner of every frame, set with pango
 * and drawn with cairo.
 *
 *     film_credits c;
 *     film_credits_default(&timeline, &c);        // or the timeline's own lines
 *     media_image *roll = film_credits_roll_new(&c, 1280, 720);
 *     film_credits_release(&c);
 *     film_title_draw("Sunspring", frame);        // black frame, title centred
 *     film_overlay label;
 *     film_label_new(FILM_LABEL, 1280, 720, &label);
 *
 * Fonts come from fontconfig: the title in Courier Prime (the screenplay's face,
 * fonts-courier-prime), credits and label in DejaVu Sans; sizes are fractions
 * of the frame height, so every size of film looks alike.
 */
#pragma once

#include <stddef.h>

#include "film/picture.h"
#include "film/timeline.h"
#include "media/image.h"

#define FILM_LABEL "AI-generated"
#define FILM_CREDIT_LINE "written, directed, performed, scored and edited by benjamin"

typedef struct film_credits {
	char **lines;   /* (n); "" is a blank line */
	size_t n;
} film_credits;

/* The default credits of t: its title, FILM_CREDIT_LINE, "Cast" and each
 * character in order of appearance, "Source films" and each source file's name
 * without extension, '_' read as a space (first use order), and "An AI-generated film".  Release with
 * film_credits_release. */
void film_credits_default(const film_timeline *t, film_credits *c);

/* The timeline's credit lines if it has any, else the default. */
void film_credits_of(const film_timeline *t, film_credits *c);

void film_credits_release(film_credits *c);

/* A comfortable time for the roll of c on screen, in seconds: each line takes
 * 6 s to cross the frame, as in the cinema. */
double film_credits_seconds(const film_credits *c);

/* Draws title centred on a black frame (RGB), with "a film by benjamin" under it. */
void film_title_draw(const char *title, media_image *frame);

/* The credits set as one tall picture width wide (RGB, white on black), its
 * height the lines' (at least height); free with media_image_free. */
media_image *film_credits_roll_new(const film_credits *c, int width, int height);

/* Shows the roll at fraction p (0..1) of its time: it rises from below the frame
 * until its end has left at the top. */
void film_credits_roll_draw(const media_image *roll, double p, media_image *frame);

/* A small label with text for the bottom-right corner of a width x height frame,
 * white at 80% opacity with a dark outline; release with film_overlay_release. */
void film_label_new(const char *text, int width, int height, film_overlay *o);
