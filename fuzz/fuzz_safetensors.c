/* safetensors headers and data: every size and offset is checked before use. */
#include "fuzz.h"

#include <stdlib.h>

#include "base/safetensors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bj_safetensors *st;
	if (bj_safetensors_load(fuzz_file(data, size), &st) < 0)
		return 0;
	/* Whatever loaded must be readable in full. */
	for (size_t i = 0; i < bj_safetensors_count(st); i++) {
		const bj_st_tensor *t = bj_safetensors_tensor(st, i);
		float *out = malloc(t->count * sizeof(float) + 1);
		if (out)
			bj_st_tensor_to_f32(t, out);
		free(out);
	}
	bj_safetensors_free(st);
	return 0;
}
