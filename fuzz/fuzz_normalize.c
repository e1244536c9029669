/* Plain-text screenplays for the corpus normaliser: any bytes normalise or
 * fail cleanly; what they give is Fountain that reads back as the same
 * screenplay, and that lays out and prints as plain text. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "text/fountain.h"
#include "text/layout.h"
#include "text/normalize.h"
#include "text/plain.h"
#include "text/screenplay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	text_screenplay *sp;
	text_normalize_report rep;
	if (text_normalize("fuzz", (const char *)data, size, &sp, &rep) < 0)
		return 0;
	char *text = text_fountain_emit(sp);
	text_screenplay *again;
	if (text_fountain_parse("emitted", text, strlen(text), &again) < 0)
		abort();
	if (!text_screenplay_equal(sp, again))
		abort(); /* the corpus would not read back as what was made */
	text_layout l;
	text_layout_init(&l, sp, NULL);
	char *plain = text_plain_render(&l, NULL);
	free(plain);
	text_layout_release(&l);
	free(text);
	text_screenplay_free(again);
	text_screenplay_free(sp);
	return 0;
}
