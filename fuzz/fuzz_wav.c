/* RIFF/WAVE chunks: sizes checked against the file, formats validated. */
#include "fuzz.h"

#include "media/wav.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	media_audio a;
	if (media_wav_read(fuzz_file(data, size), &a) == 0)
		media_audio_release(&a);
	return 0;
}
