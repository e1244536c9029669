/* JSON documents (cast.json, timeline.json) through jansson with our checks. */
#include "fuzz.h"

#include <jansson.h>

#include "base/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j;
	if (bj_json_parse("fuzz", data, size, &j) == 0)
		json_decref(j);
	return 0;
}
