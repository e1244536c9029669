/* OpenCV cascade XML: the XML reader and every count, index and rectangle
 * the cascade loader checks. */
#include "fuzz.h"

#include "vision/cascade.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vision_cascade_free(vision_cascade_parse((const char *)data, size, "fuzz.xml"));
	return 0;
}
