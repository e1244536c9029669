/* Face-crop files (perform/swap_crops.h): whatever loads must augment without
 * a fault, landmarks and all. */
#include "fuzz.h"

#include "base/rng.h"
#include "perform/swap_augment.h"
#include "perform/swap_crops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	perform_crops *set;
	if (perform_crops_load(fuzz_file(data, size), &set) < 0)
		return 0;
	perform_augment_opts o = PERFORM_AUGMENT_DEFAULTS;
	perform_augmenter *a = perform_augmenter_new(set, &o, NULL);
	if (a) {
		perform_batch b;
		perform_batch_init(&b, 2, set->size);
		bj_rng rng;
		bj_rng_init(&rng, 1);
		perform_augment_batch(a, &rng, &b);
		perform_batch_release(&b);
	}
	perform_augmenter_free(a);
	perform_crops_free(set);
	return 0;
}
