#include "perform/swap_preview.h"

#include <stddef.h>
#include <string.h>

#include "base/error.h"
#include "media/imagefile.h"

#define GAP 2
#define BACKGROUND 40

static uint8_t byte_of(float v)
{
	return v <= 0 ? 0 : v >= 1 ? 255 : (uint8_t)(255 * v + 0.5f);
}

media_image *perform_preview_sheet(const float *const *cols, const int *channels, int n_cols, int n, int size)
{
	if (n < 1 || n_cols < 1 || size < 1 || n > 4096 || n_cols > 64 || size > 1024) {
		bj_error_set(BJ_EINVAL, "preview: %d faces in %d columns of %d pixels is out of range", n, n_cols, size);
		return NULL;
	}
	int w = n_cols * (size + GAP) + GAP, h = n * (size + GAP) + GAP;
	media_image *img = media_image_new(w, h, 3);
	if (!img)
		return NULL;
	memset(img->data, BACKGROUND, img->stride * (size_t)h);
	size_t area = (size_t)size * size;
	for (int j = 0; j < n_cols; j++) {
		int ch = channels ? channels[j] : 3;
		BJ_ASSERT(ch == 1 || ch == 3);
		for (int f = 0; f < n; f++) {
			const float *src = cols[j] + (size_t)f * ch * area;
			float scale = 1;
			if (ch == 1) {
				float top = 0;
				for (size_t i = 0; i < area; i++)
					top = src[i] > top ? src[i] : top;
				scale = top > 1 ? 1 / top : 1;
			}
			for (int y = 0; y < size; y++) {
				uint8_t *row = img->data + (size_t)(GAP + f * (size + GAP) + y) * img->stride +
				               (size_t)(GAP + j * (size + GAP)) * 3;
				for (int x = 0; x < size; x++) {
					size_t i = (size_t)y * size + x;
					for (int k = 0; k < 3; k++)
						row[3 * x + k] = byte_of(ch == 1 ? src[i] * scale : src[k * area + i]);
				}
			}
		}
	}
	return img;
}

int perform_preview_save(const char *path, const float *const *cols, const int *channels, int n_cols, int n,
                         int size)
{
	media_image *img = perform_preview_sheet(cols, channels, n_cols, n, size);
	if (!img)
		return bj_error_code();
	int ret = media_image_save(img, path, 90);
	media_image_free(img);
	return ret;
}
