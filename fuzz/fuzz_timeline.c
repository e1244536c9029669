/* timeline.json through the film layer's loader and everything derived from
 * it without touching files: spans, subtitles, the EDL and the OTIO text. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include "film/edl.h"
#include "film/otio.h"
#include "film/subtitles.h"
#include "film/timeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	film_timeline t;
	if (film_timeline_parse("fuzz", ".", (const char *)data, size, &t) < 0)
		return 0;
	for (size_t i = 0; i < t.n_lines; i++)
		t.lines[i].duration = 1.5;
	film_subtitles s;
	film_subtitles_build(&t, &s);
	char *srt = film_subtitles_srt(&s);
	free(srt);
	film_subtitles_release(&s);
	FILE *f = fopen("/dev/null", "w");
	if (f) {
		film_edl_write(&t, 30000, 1001, f);
		fclose(f);
	}
	char *otio = film_otio_text(&t, 25, 1);
	free(otio);
	film_timeline_release(&t);
	return 0;
}
