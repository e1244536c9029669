/*
 * report_cast.h - the report's cast: every character of the screenplay with
 * the number of lines it speaks and, when cast.json casts it, who plays it
 * (the footage identity, its face from the library), the star whose face is
 * swapped in (the first picture of the star's folder) and the voice.
 *
 *     film_report_cast(&h, "film/cast.json", "film/.stages/index-.../library.db", sp);
 *
 * Everything is optional and read defensively: no cast.json, an unknown key or
 * a library without faces leave a card with what is known (a face is replaced
 * by the character's initials).
 */
#pragma once

#include "film/report_html.h"
#include "text/screenplay.h"

/* Appends the cast section's cards to h.  cast_json and library_db may be NULL
 * or name missing files; sp may be NULL. */
void film_report_cast(text_buf *h, const char *cast_json, const char *library_db,
                      const text_screenplay *sp);
