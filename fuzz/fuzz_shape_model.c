/* dlib shape predictor files: every count, index and float is checked before
 * use, and whatever loads must run on a small image. */
#include "fuzz.h"

#include "media/image.h"
#include "vision/landmarks.h"
#include "vision/shape_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vision_shape_model *m = vision_shape_model_parse(data, size, "fuzz.dat");
	if (!m)
		return 0;
	media_image *img = media_image_new(24, 16, 1);
	float *pts = malloc(2 * sizeof(float) * (size_t)vision_shape_model_parts(m));
	float box[4] = { 2, 1, 20, 14 };
	if (img && pts) {
		for (int i = 0; i < 24 * 16; i++)
			img->data[i] = (uint8_t)(i * 37);
		vision_landmarks_fit(m, img, box, pts);
	}
	free(pts);
	media_image_free(img);
	vision_shape_model_free(m);
	return 0;
}
