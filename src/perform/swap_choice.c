#include "perform/swap_choice.h"

#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "vision/face_mask.h"
#include "vision/facedesc.h"
#include "vision/tone.h"

#define CHOICE_PER_DEGREE 0.004  /* descriptor distance a degree of pose costs */
#define CHOICE_LESS 1.0          /* the least fine detail, of the nearest photo's */
#define CHOICE_MORE 1.4          /* the most */

double perform_photo_detail(const media_image *photo, const float *lm)
{
	uint8_t *mask = bj_xmalloc((size_t)photo->width * photo->height);
	vision_rect box;
	vision_face_mask(lm, photo->width, photo->height, mask, &box);
	/* the pixels vision_texture sums over */
	long n = 0;
	for (int y = box.y0 < 0 ? 0 : box.y0; y + 1 < box.y1 && y + 1 < photo->height; y++)
		for (int x = box.x0 < 0 ? 0 : box.x0; x + 1 < box.x1 && x + 1 < photo->width; x++)
			n += mask[(size_t)y * photo->width + x] >= 128;
	double sum = vision_texture(photo, mask, box);
	free(mask);
	double span = hypot(lm[2 * 45] - lm[2 * 36], lm[2 * 45 + 1] - lm[2 * 36 + 1]);
	return n ? sum / (double)n * span : 0;
}

double perform_photo_fit(const perform_photo_choice *photo, const perform_photo_choice *nearest,
                         const float *actor, const float *star)
{
	if (photo != nearest) {
		double more = nearest->detail > 0 ? photo->detail / nearest->detail : 1;
		if (photo->turn > nearest->turn + PERFORM_CHOICE_WINDOW || more < CHOICE_LESS || more > CHOICE_MORE)
			return -INFINITY;
	}
	return vision_facedesc_distance(photo->desc, actor) - vision_facedesc_distance(photo->desc, star) -
	       CHOICE_PER_DEGREE * photo->turn;
}
