/*
 * burn.h - subtitles burned into the picture with libass.
 *
 *     film_burner *b = film_burner_new(&subs, 1280, 720);
 *     for (each frame)
 *         film_burner_draw(b, frame, seconds);
 *     film_burner_free(b);
 *
 * The cues become an ASS script (white DejaVu Sans at 5.5% of the frame height,
 * a black outline and soft shadow, bottom centre, 6% margin) rendered by libass
 * with fontconfig; '{', '}' and '\' in the text, which ASS would read as
 * override codes, are shown as '(', ')' and '/'.
 */
#pragma once

#include "film/subtitles.h"
#include "media/image.h"

typedef struct film_burner film_burner;

/* A renderer for s (copied) on width x height frames; free with film_burner_free.
 * NULL with the error set when libass cannot start (BJ_EUNSUPPORTED). */
film_burner *film_burner_new(const film_subtitles *s, int width, int height);

/* Draws the cues showing at seconds onto frame (RGB, the size given). */
void film_burner_draw(film_burner *b, media_image *frame, double seconds);

void film_burner_free(film_burner *b);
