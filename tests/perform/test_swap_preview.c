/* Preview sheets: where each face and column lands, grey columns scaled to
 * their largest value, the JPEG written whole, and sizes out of range. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "media/imagefile.h"
#include "perform/swap_preview.h"

#define S 16

static void test_layout(void)
{
	/* two faces: RGB columns of flat colours, and a one-channel column 0..3 */
	float rgb[2 * 3 * S * S], grey[2 * S * S];
	for (int f = 0; f < 2; f++)
		for (int c = 0; c < 3; c++)
			for (int i = 0; i < S * S; i++)
				rgb[(f * 3 + c) * S * S + i] = c == f ? 1.0f : 0.0f;
	for (int i = 0; i < 2 * S * S; i++)
		grey[i] = i < S * S ? 0.5f : 3.0f * (float)(i % S) / (S - 1);
	const float *cols[] = { rgb, grey };
	int channels[] = { 3, 1 };
	media_image *img = perform_preview_sheet(cols, channels, 2, 2, S);
	CHECK(img && img->width == 2 * (S + 2) + 2 && img->height == 2 * (S + 2) + 2);
	if (!img)
		return;
	const uint8_t *p = img->data + (size_t)(2 + 5) * img->stride + 3 * (2 + 5);   /* face 0, column 0 */
	CHECK(p[0] == 255 && p[1] == 0 && p[2] == 0, "%d %d %d", p[0], p[1], p[2]);
	p = img->data + (size_t)(S + 4 + 5) * img->stride + 3 * (2 + 5);               /* face 1, column 0 */
	CHECK(p[0] == 0 && p[1] == 255 && p[2] == 0, "%d %d %d", p[0], p[1], p[2]);
	p = img->data + (size_t)(2 + 5) * img->stride + 3 * (S + 4 + 5);               /* face 0, column 1 */
	CHECK(p[0] == 128 && p[1] == 128 && p[2] == 128, "%d", p[0]);
	p = img->data + (size_t)(S + 4 + 5) * img->stride + 3 * (S + 4 + S - 1);       /* face 1's largest */
	CHECK(p[0] == 255, "%d", p[0]);
	p = img->data;                                                                 /* the gap */
	CHECK(p[0] == 40);
	media_image_free(img);

	const char *path = test_path("sheet.jpg");
	CHECK(perform_preview_save(path, cols, NULL, 1, 2, S) == 0, "%s", bj_error_message());
	media_image *back = media_image_load(path, 3);
	CHECK(back && back->width == S + 4 && back->height == 2 * (S + 2) + 2);
	media_image_free(back);
	CHECK(perform_preview_sheet(cols, NULL, 0, 2, S) == NULL && bj_error_code() == BJ_EINVAL);
	CHECK(perform_preview_save(test_path("none.jpg"), cols, NULL, 1, 0, S) == BJ_EINVAL);
	CHECK(test_count_entries(test_tmpdir()) == 1);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_layout),
		{ 0 },
	};
	return test_main(cases);
}
