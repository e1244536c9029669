/* ABC tunes: any bytes parse or fail cleanly; whatever parses survives an
 * emit/parse round trip unchanged, and playing it and checking its meter
 * never crash. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "score/abc.h"
#include "score/music.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	score_abc_tune t, again;
	if (score_abc_parse(&t, (const char *)data, size, "fuzz", 1) < 0) {
		score_abc_tune_release(&t);
		return 0;
	}
	score_sbuf a = { 0 }, b = { 0 };
	score_abc_emit(&t, &a);
	if (score_abc_parse(&again, a.s ? a.s : "", a.len, "emitted", 1) < 0)
		abort();
	if (!score_abc_equal(&t, &again))
		abort(); /* parse(emit(tune)) != tune */
	score_abc_emit(&again, &b);
	if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0)
		abort(); /* emit is not idempotent */
	char why[200];
	score_music_fits_meter(&t, why, sizeof(why));
	score_music m;
	if (score_music_from_abc(&t, &m) == 0)
		score_music_release(&m);
	score_sbuf_release(&a);
	score_sbuf_release(&b);
	score_abc_tune_release(&again);
	score_abc_tune_release(&t);
	return 0;
}
