/*
 * cmd_train_swap.c - `benjamin train swap`: a face swap network trained on the
 * crops of a footage identity (A) and a star (B) (perform/swap_train.h), the
 * crops cached beside the model so a second run does not decode again.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/progress.h"
#include "cli/cli.h"
#include "cli/cli_interrupt.h"
#include "cli/commands.h"
#include "cli/crops_build.h"
#include "nn/parallel.h"
#include "perform/swap_train.h"

struct swap_options {
	struct cli_crops_source src;
	const char *out;
	long seed, threads, batch, width, dense;
	long steps, gan_after, holdout;
	double minutes, preview_every, checkpoint_every, lr, gan_weight;
	int gan_given, holdout_given;   /* --gan-weight/--gan-after, --holdout on the command line */
	int resume;
};

static int parse_args(int argc, char **argv, struct swap_options *o)
{
	enum { O_STEPS = CLI_O_CROPS_END, O_MINUTES, O_RESUME, O_SEED, O_PREVIEW,
	       O_CHECKPOINT, O_THREADS, O_BATCH, O_LR, O_WIDTH, O_DENSE, O_GAN_WEIGHT, O_GAN_AFTER, O_HOLDOUT };
	static const struct option options[] = {
		CLI_CROPS_SOURCE_OPTIONS,
		{ "output", required_argument, NULL, 'o' },
		{ "steps", required_argument, NULL, O_STEPS },
		{ "minutes", required_argument, NULL, O_MINUTES },
		{ "resume", no_argument, NULL, O_RESUME },
		{ "seed", required_argument, NULL, O_SEED },
		{ "preview-every", required_argument, NULL, O_PREVIEW },
		{ "checkpoint-every", required_argument, NULL, O_CHECKPOINT },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "lr", required_argument, NULL, O_LR },
		{ "width", required_argument, NULL, O_WIDTH },
		{ "dense", required_argument, NULL, O_DENSE },
		{ "gan-weight", required_argument, NULL, O_GAN_WEIGHT },
		{ "gan-after", required_argument, NULL, O_GAN_AFTER },
		{ "holdout", required_argument, NULL, O_HOLDOUT },
		{ 0 },
	};
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "o:", options, cmd_train_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case 'o':
			o->out = optarg;
			break;
		case O_RESUME:
			o->resume = 1;
			break;
		case O_STEPS:
			cli_args_int(&a, "--steps", 1, LONG_MAX, &o->steps);
			break;
		case O_SEED:
			cli_args_int(&a, "--seed", 0, CLI_SEED_MAX, &o->seed);
			break;
		case O_THREADS:
			cli_args_threads(&a, &o->threads);
			break;
		case O_BATCH:
			cli_args_int(&a, "--batch", 1, 256, &o->batch);
			break;
		case O_WIDTH:
			cli_args_int(&a, "--width", 1, 256, &o->width);
			break;
		case O_DENSE:
			cli_args_int(&a, "--dense", 1, 4096, &o->dense);
			break;
		case O_GAN_AFTER:
			cli_args_int(&a, "--gan-after", 0, LONG_MAX, &o->gan_after);
			o->gan_given = 1;
			break;
		case O_HOLDOUT:
			cli_args_int(&a, "--holdout", 0, INT_MAX, &o->holdout);
			o->holdout_given = 1;
			break;
		case O_GAN_WEIGHT:
			cli_args_real(&a, "--gan-weight", 0.0, 100.0, &o->gan_weight);
			o->gan_given = 1;
			break;
		case O_MINUTES:
			cli_args_real(&a, "--minutes", 0.001, 1e6, &o->minutes);
			break;
		case O_PREVIEW:
			cli_args_real(&a, "--preview-every", 0.0, 1e6, &o->preview_every);
			break;
		case O_CHECKPOINT:
			cli_args_real(&a, "--checkpoint-every", 0.0, 1e6, &o->checkpoint_every);
			break;
		case O_LR:
			cli_args_real(&a, "--lr", 1e-9, 0.1, &o->lr);
			break;
		default:
			cli_crops_source_option(&a, opt, &o->src);
		}
	}
	cli_args_no_operands(&a);
	if (a.status != CLI_EXIT_OK)
		return a.status;
	const char *const *usage = cmd_train_usage;
	if (!o->src.star || !o->src.identity || !o->src.library)
		return cli_usage_error(usage, "train swap needs --star, --identity and --library");
	if (!o->out)
		return cli_usage_error(usage, "no model file given (-o)");
	if (o->steps && o->minutes > 0)
		return cli_usage_error(usage, "give --steps or --minutes, not both");
	return CLI_EXIT_OK;
}

/* "swap.safetensors" + ".star.crops.safetensors" -> "swap.star.crops.safetensors". */
static char *beside(const char *model, const char *suffix)
{
	const char *ext = ".safetensors";
	size_t n = strlen(model), e = strlen(ext);
	if (n > e && strcmp(model + n - e, ext) == 0)
		n -= e;
	return bj_xasprintf("%.*s%s", (int)n, model, suffix);
}

/* The crops of one side: the cache when it exists and has the size, else made
 * and cached. */
static int crops(const struct swap_options *o, int star, perform_crops **out)
{
	char *path = beside(o->out, star ? ".star.crops.safetensors" : ".footage.crops.safetensors");
	int status = CLI_EXIT_OK;
	*out = NULL;
	if (access(path, F_OK) == 0) {
		if (perform_crops_load(path, out) < 0)
			status = cli_error_bj();
		else if ((*out)->size != o->src.size)
			status = cli_error("'%s': crops of %d pixels, the model's are %ld; remove the file to make them again",
			                   path, (*out)->size, o->src.size);
		goto done;
	}
	perform_crop_opts co = PERFORM_CROP_DEFAULTS;
	co.size = (int)o->src.size;
	perform_crops *set = perform_crops_new(&co);
	status = star ? cli_crops_from_star(set, o->src.star, (int)o->threads)
	              : cli_crops_from_identity(set, o->src.library, o->src.identity);
	if (status == CLI_EXIT_OK && !set->n)
		status = cli_error("'%s': no usable face", star ? o->src.star : o->src.library);
	if (status == CLI_EXIT_OK && perform_crops_save(set, path) < 0)
		status = cli_error_bj();
	if (status == CLI_EXIT_OK)
		fprintf(stderr, "%s: %zu faces\n", path, set->n);
	*out = set;
done:
	if (status != CLI_EXIT_OK) {
		perform_crops_free(*out);
		*out = NULL;
	}
	free(path);
	return status;
}

int cmd_train_swap(int argc, char **argv)
{
	struct swap_options o = { .src.size = 64, .seed = 1, .threads = 2, .batch = 16, .width = 32, .dense = 256,
	                          .preview_every = 5.0, .checkpoint_every = 10.0, .lr = 1e-4, .gan_weight = 0.1,
	                          .gan_after = 1000 };
	int status = parse_args(argc, argv, &o);
	if (status != CLI_EXIT_OK)
		return status;
	if (nn_set_threads((int)o.threads) < 0)
		return cli_error_bj();
	perform_swap_net *net = NULL;
	perform_swap_state st;
	perform_crops *a = NULL, *b = NULL;
	char *preview = beside(o.out, ".preview.png");
	if (o.resume) {
		if (perform_swap_model_load(o.out, NN_WITH_GRAD | NN_WITH_ADAM, &net, &st) < 0) {
			status = cli_error_bj();
			goto out;
		}
		if (st.identity != o.src.identity || strcmp(st.star, o.src.star)) {
			status = cli_error("'%s': trained on identity %ld and '%s', not %ld and '%s'", o.out, st.identity,
			                   st.star, o.src.identity, o.src.star);
			goto out;
		}
		if (st.has_gan && o.gan_given) {
			status = cli_error("'%s': --gan-weight and --gan-after are the model's own when resuming", o.out);
			goto out;
		}
		if (o.holdout_given && o.holdout != st.holdout) {
			status = cli_error("'%s': trained holding out %d crops, not %ld", o.out, st.holdout, o.holdout);
			goto out;
		}
		if (!st.has_gan) {   /* a model from before the discriminators */
			st.gan_weight = o.gan_weight;
			st.gan_after = o.gan_after;
		}
		o.src.size = net->cfg.size;
	} else {
		perform_swap_cfg cfg = { (int)o.src.size, (int)o.width, (int)o.dense };
		if (strlen(o.src.star) >= sizeof(st.star)) {
			status = cli_error("'%s': the star's path is too long", o.src.star);
			goto out;
		}
		if (perform_swap_train_start(&cfg, (int)o.batch, o.lr, (uint64_t)o.seed, &net, &st) < 0) {
			status = cli_error_bj();
			goto out;
		}
		st.identity = o.src.identity;
		snprintf(st.star, sizeof(st.star), "%s", o.src.star);
		st.gan_weight = o.gan_weight;
		st.gan_after = o.gan_after;
		st.holdout = (int)o.holdout;
	}
	if (o.steps && o.steps <= st.steps) {
		status = cli_error("'%s': already trained %lld steps, --steps asks for %ld in all", o.out,
		                   (long long)st.steps, o.steps);
		goto out;
	}
	if ((status = crops(&o, 0, &a)) != CLI_EXIT_OK || (status = crops(&o, 1, &b)) != CLI_EXIT_OK)
		goto out;
	perform_swap_train_opts t = PERFORM_SWAP_TRAIN_DEFAULTS;
	t.model_path = o.out;
	t.preview_path = preview;
	t.steps = o.steps;
	t.minutes = o.steps ? 0.0 : (o.minutes > 0 ? o.minutes : 30.0);
	t.checkpoint_minutes = o.checkpoint_every;
	t.preview_minutes = o.preview_every;
	t.progress = bj_progress_new("train swap", 0, "faces");
	cli_interrupt ci;
	volatile sig_atomic_t *interrupted = cli_interrupt_catch(&ci);
	perform_swap_train_report rep;
	int ret = perform_swap_train(&t, a, b, net, &st, interrupted, &rep);
	cli_interrupt_release(&ci);
	bj_progress_finish(t.progress);
	if (ret < 0) {
		status = cli_error_bj();
		goto out;
	}
	char took[32];
	bj_progress_format_duration(took, sizeof(took), rep.seconds);
	printf("trained %lld steps (%lld in all) in %s, %.1f faces/s; loss A %.4f (L1 %.4f, SSIM %.3f), B %.4f "
	       "(L1 %.4f, SSIM %.3f)",
	       (long long)rep.steps, (long long)st.steps, took, rep.images_per_second, rep.a.total, rep.a.l1,
	       1.0 - rep.a.ssim, rep.b.total, rep.b.l1, 1.0 - rep.b.ssim);
	if (net->disc[0])
		printf("; adversarial D %.4f %.4f, G %.4f %.4f (weight %g from step %lld)", rep.a.disc, rep.b.disc,
		       rep.a.adv, rep.b.adv, st.gan_weight, (long long)st.gan_after);
	if (st.holdout)
		printf("; held-out SSIM A %.4f B %.4f (%d crops each)", rep.heldout_ssim[0], rep.heldout_ssim[1],
		       st.holdout);
	printf("; wrote '%s' and '%s'\n", o.out, preview);
	if (*interrupted)
		status = 130;
out:
	perform_crops_free(a);
	perform_crops_free(b);
	perform_swap_net_free(net);
	free(preview);
	return status;
}
