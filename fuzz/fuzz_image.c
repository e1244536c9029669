/* PNG and JPEG decoding through libpng and libjpeg with our size limits. */
#include "fuzz.h"

#include "media/image.h"
#include "media/imagefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int channels = 0; channels <= 3; channels += channels ? 2 : 1)
		media_image_free(media_image_decode(data, size, "fuzz", channels));
	return 0;
}
