/*
 * report_cut.h - the report's account of the cut: a contact sheet of the whole
 * film (a frame per clip), then the screenplay element by element beside the
 * shots cut for it, each with frames from its span and why the director chose
 * it (every feature's value times its weight, the total and the runner-up,
 * from the clip's "why" in timeline.json).
 *
 *     text_buf sheet = { 0 }, cut = { 0 };
 *     film_report_cut(&t, sp, seed, 240, 135, bar, &sheet, &cut);
 *
 * Clips are matched to elements by the "why"'s source_line; clips without one
 * (an edited timeline) are listed after the screenplay.  A source that cannot
 * be read gets a note in place of its frames: the report is still written.
 */
#pragma once

#include <stdint.h>

#include "base/progress.h"
#include "film/report_html.h"
#include "film/timeline.h"
#include "text/screenplay.h"

/* Appends the contact sheet to sheet and the screenplay with its shots to cut.
 * sp may be NULL (only the clips are listed); seed is the render's, which
 * moves the stills that have no effect (film_still_move); thumbnails are w x h
 * pixels; bar (may be NULL) is advanced by one per clip. */
void film_report_cut(const film_timeline *t, const text_screenplay *sp, uint64_t seed, int w,
                     int h, bj_progress *bar, text_buf *sheet, text_buf *cut);
