/* Training a tiny swap network on two synthetic crop sets: the model file
 * round-trips, a training stopped and resumed writes the same bytes as one
 * never stopped, the preview sheet is written, and truncated or lying model
 * files are refused with their problem named. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/safetensors.h"
#include "harness.h"
#include "perform/swap_train.h"
#include "vision/align.h"

#define S 16
#define NP (2 * PERFORM_CROPS_POINTS)

static const perform_swap_cfg tiny = { S, 2, 4 };

/* Three faces of a card textured by tint. */
static perform_crops *faces(int tint)
{
	media_image *img = media_image_new(128, 128, 3);
	for (int y = 0; y < 128; y++)
		for (int x = 0; x < 128; x++) {
			uint8_t *p = img->data + y * img->stride + 3 * x;
			p[0] = (uint8_t)(2 * x), p[1] = (uint8_t)(2 * y + tint), p[2] = ((x / 8 + y / 8) & 1) ? 200 : 40;
		}
	perform_crop_opts o = PERFORM_CROP_DEFAULTS;
	o.size = S;
	perform_crops *set = perform_crops_new(&o);
	float pts[NP];
	for (int f = 0; f < 3; f++) {
		vision_align_template(64, pts);
		for (int i = 0; i < NP; i++)
			pts[i] = 64 + (0.8f + 0.1f * f) * (pts[i] - 32);
		CHECK(perform_crops_add_face(set, img, pts, "card", f) == 1);
	}
	media_image_free(img);
	return set;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL, "%s", path);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	rewind(f);
	char *d = malloc(*n);
	CHECK(fread(d, 1, *n, f) == *n);
	fclose(f);
	return d;
}

/* With gan, discriminators whose loss the generator sees from step 3 on, and
 * one crop of each side held out. */
static void train(perform_crops *a, perform_crops *b, const char *path, int64_t steps, int resume, int gan)
{
	perform_swap_net *net;
	perform_swap_state st;
	if (resume) {
		CHECK(perform_swap_model_load(path, NN_WITH_GRAD | NN_WITH_ADAM, &net, &st) == 0, "%s", bj_error_message());
	} else {
		CHECK(perform_swap_train_start(&tiny, 3, 1e-3, 11, &net, &st) == 0);
		st.identity = 4;
		snprintf(st.star, sizeof(st.star), "stars/x");
		if (gan) {
			st.gan_weight = 0.5;
			st.gan_after = 3;
			st.holdout = 1;
		}
	}
	perform_swap_train_opts o = PERFORM_SWAP_TRAIN_DEFAULTS;
	o.model_path = path;
	o.steps = steps;
	perform_swap_train_report rep;
	CHECK(perform_swap_train(&o, a, b, net, &st, NULL, &rep) == 0, "%s", bj_error_message());
	CHECK(st.steps == steps && rep.a.total > 0 && rep.b.total > 0);
	CHECK(!gan || (net->disc[0] && net->disc[1] && rep.a.disc > 0 && rep.b.adv > 0 && st.disc_adam_step == steps));
	CHECK(gan ? rep.heldout_ssim[0] > 0 && rep.heldout_ssim[1] < 1 : isnan(rep.heldout_ssim[0]));
	perform_swap_net_free(net);
}

static void test_resume_same_bytes(void)
{
	perform_crops *a = faces(0), *b = faces(60);
	const char *dir = test_tmpdir();
	char straight[512], resumed[512], sheet[512];
	snprintf(straight, sizeof(straight), "%s/straight.safetensors", dir);
	snprintf(resumed, sizeof(resumed), "%s/resumed.safetensors", dir);
	snprintf(sheet, sizeof(sheet), "%s/sheet.png", dir);
	train(a, b, straight, 6, 0, 0);
	train(a, b, resumed, 2, 0, 0);
	train(a, b, resumed, 6, 1, 0);
	size_t n1, n2;
	char *d1 = slurp(straight, &n1), *d2 = slurp(resumed, &n2);
	CHECK(n1 == n2 && memcmp(d1, d2, n1) == 0, "a resumed training differs from a straight one");

	perform_swap_net *net;
	perform_swap_state st;
	CHECK(perform_swap_model_load(straight, 0, &net, &st) == 0);
	CHECK(st.steps == 6 && st.identity == 4 && !strcmp(st.star, "stars/x") && st.batch == 3 && st.seed == 11);
	CHECK(net->cfg.size == S && net->cfg.enc == 2 && net->cfg.dense == 4);
	CHECK(perform_swap_net_batch(net, 3) == 0);
	CHECK(perform_swap_preview(net, a, b, sheet) == 0, "%s", bj_error_message());
	size_t ns;
	free(slurp(sheet, &ns));
	CHECK(ns > 100);
	perform_swap_net_free(net);

	/* truncated, and a header that lies about the size */
	char bad[512];
	snprintf(bad, sizeof(bad), "%s/cut.safetensors", dir);
	test_write_file(bad, d1, n1 / 2);
	CHECK(perform_swap_model_load(bad, 0, &net, &st) < 0 && net == NULL);
	CHECK(strstr(bj_error_message(), "cut.safetensors") != NULL, "%s", bj_error_message());
	char *lie = malloc(n1);
	memcpy(lie, d1, n1);
	char *p = memmem(lie, n1, "\"size\":\"16\"", 11);
	CHECK(p != NULL);
	memcpy(p, "\"size\":\"32\"", 11);
	snprintf(bad, sizeof(bad), "%s/lie.safetensors", dir);
	test_write_file(bad, lie, n1);
	CHECK(perform_swap_model_load(bad, 0, &net, &st) == BJ_EFORMAT);
	CHECK(strstr(bj_error_message(), "shape") != NULL, "%s", bj_error_message());
	memcpy(lie, d1, n1);
	p = memmem(lie, n1, "benjamin.swap_model", 19);
	CHECK(p != NULL);
	p[0] = 'B';
	test_write_file(bad, lie, n1);
	CHECK(perform_swap_model_load(bad, 0, &net, &st) == BJ_EFORMAT);
	CHECK(strstr(bj_error_message(), "not a swap model") != NULL, "%s", bj_error_message());
	/* moments asked of a file without them */
	CHECK(perform_swap_model_load(straight, 0, &net, &st) == 0);
	CHECK(perform_swap_model_save(net, &st, bad) == 0);
	perform_swap_net_free(net);
	CHECK(perform_swap_model_load(bad, NN_WITH_ADAM, &net, &st) == BJ_ENOENT && net == NULL);
	CHECK(strstr(bj_error_message(), "adam_m.") != NULL, "%s", bj_error_message());
	free(lie);
	free(d1);
	free(d2);
	perform_crops_free(a);
	perform_crops_free(b);
}

/* The adversarial training resumes exactly too, across the step where the
 * generator starts to see the discriminators; the discriminators are in the
 * file for training and left out for swapping; a file without them (from
 * before them) trains on and gains them. */
static void test_gan_resume(void)
{
	perform_crops *a = faces(0), *b = faces(60);
	const char *dir = test_tmpdir();
	char straight[512], resumed[512];
	snprintf(straight, sizeof(straight), "%s/gan-straight.safetensors", dir);
	snprintf(resumed, sizeof(resumed), "%s/gan-resumed.safetensors", dir);
	train(a, b, straight, 5, 0, 1);
	train(a, b, resumed, 2, 0, 1);
	train(a, b, resumed, 5, 1, 1);
	size_t n1, n2;
	char *d1 = slurp(straight, &n1), *d2 = slurp(resumed, &n2);
	CHECK(n1 == n2 && memcmp(d1, d2, n1) == 0, "a resumed adversarial training differs from a straight one");
	perform_swap_net *net;
	perform_swap_state st;
	CHECK(perform_swap_model_load(straight, 0, &net, &st) == 0);
	CHECK(!net->disc[0] && st.holdout == 1 && st.gan_weight == 0.5 && st.gan_after == 3 && st.has_gan);
	CHECK(st.disc_width == PERFORM_SWAP_DISC_WIDTH && st.disc_adam_step == 5);
	perform_swap_net_free(net);
	/* as a file from before the discriminators: no keys, no tensors */
	CHECK(perform_swap_model_load(straight, NN_WITH_GRAD | NN_WITH_ADAM, &net, &st) == 0);
	CHECK(net->disc[0] && net->disc[1]);
	for (int d = 0; d < 2; d++) {
		perform_swap_disc_free(net->disc[d]);
		net->disc[d] = NULL;
	}
	st.holdout = 0;
	st.gan_weight = 0;
	CHECK(perform_swap_model_save(net, &st, resumed) == 0);
	perform_swap_net_free(net);
	free(d2);
	d2 = slurp(resumed, &n2);
	char *key = memmem(d2, n2, "\"gan_weight\":\"0\",", 17);
	CHECK(key != NULL);
	memset(key, ' ', 17);
	test_write_file(resumed, d2, n2);
	CHECK(perform_swap_model_load(resumed, NN_WITH_GRAD | NN_WITH_ADAM, &net, &st) == 0, "%s", bj_error_message());
	CHECK(!st.has_gan && !net->disc[0]);
	st.gan_weight = 0.5;
	perform_swap_train_opts o = PERFORM_SWAP_TRAIN_DEFAULTS;
	o.model_path = resumed;
	o.steps = 7;
	CHECK(perform_swap_train(&o, a, b, net, &st, NULL, NULL) == 0, "%s", bj_error_message());
	CHECK(net->disc[0] && st.disc_adam_step == 2);
	perform_swap_net_free(net);
	CHECK(perform_swap_model_load(resumed, NN_WITH_GRAD | NN_WITH_ADAM, &net, &st) == 0);
	CHECK(net->disc[1] && st.has_gan && st.steps == 7);
	/* nothing left to train on */
	st.holdout = 3;
	o.steps = 8;
	CHECK(perform_swap_train(&o, a, b, net, &st, NULL, NULL) == BJ_EINVAL);
	CHECK(strstr(bj_error_message(), "none left to train on") != NULL, "%s", bj_error_message());
	perform_swap_net_free(net);
	free(d1);
	free(d2);
	perform_crops_free(a);
	perform_crops_free(b);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_resume_same_bytes),
		TEST_CASE(test_gan_resume),
		{ 0 },
	};
	return test_main(cases);
}
