/* Fountain screenplays: any bytes parse or fail cleanly, and whatever parses
 * survives an emit/parse round trip unchanged. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "text/fountain.h"
#include "text/screenplay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	text_screenplay *sp;
	if (text_fountain_parse("fuzz", (const char *)data, size, &sp) < 0)
		return 0;
	char *text = text_fountain_emit(sp);
	text_screenplay *again;
	if (text_fountain_parse("emitted", text, strlen(text), &again) < 0)
		abort();
	if (!text_screenplay_equal(sp, again))
		abort(); /* parse(emit(doc)) != doc */
	char *text2 = text_fountain_emit(again);
	if (strcmp(text, text2) != 0)
		abort(); /* emit is not idempotent */
	free(text2);
	free(text);
	text_screenplay_free(again);
	text_screenplay_free(sp);
	return 0;
}
