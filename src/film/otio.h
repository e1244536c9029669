/*
 * otio.h - the cut as OpenTimelineIO JSON (.otio), for editing systems and
 * pipelines that read it.
 *
 *     int ret = film_otio_save(&timeline, 25, 1, "film.otio");   // atomic
 *
 * Structure: Timeline.1 -> tracks: Stack.1 -> children: Track.1 "V1" (kind
 * Video: the clips), Track.1 "A1" (kind Audio: the dialogue) and, with a score,
 * Track.1 "A2" (kind Audio).  A track's children are Clip.1 and Gap.1 items end
 * to end, so an item starts where the ones before it end; each Clip.1 has a
 * source_range (TimeRange.1 of RationalTime.1 at the film's rate, in whole
 * frames, as film_timeline_spans() gives) and a media_reference
 * (ExternalReference.1 with a file:// target_url of the absolute path).
 * Clip metadata holds {"benjamin": {"scene": n, "why": {...}}}, dialogue
 * metadata the character and text.  Dialogue must be measured; the score runs
 * to the end of the film.
 */
#pragma once

#include "film/timeline.h"

/* The OTIO document of t at fps_num/fps_den: a new JSON text (free()). */
char *film_otio_text(const film_timeline *t, int fps_num, int fps_den);

/* Writes film_otio_text() to path atomically.  Returns 0 or a negative code with
 * the error set. */
int film_otio_save(const film_timeline *t, int fps_num, int fps_den, const char *path);
