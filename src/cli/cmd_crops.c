/*
 * cmd_crops.c - `benjamin crops`: the aligned face crops a trained swap learns
 * from (perform/swap_crops.h), from a star's photos or a footage identity,
 * cached in one file, and a contact sheet of the augmented pairs the network
 * will see (perform/swap_augment.h, perform/swap_preview.h).  The options are
 * those of `benjamin train swap`.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/crops_build.h"
#include "perform/swap_augment.h"
#include "perform/swap_crops.h"
#include "perform/swap_preview.h"

const char *const cmd_crops_usage[] = {
	"benjamin crops --star DIR -o CROPS [--size 64|128] [--preview SHEET] [--seed N]",
	"benjamin crops --identity ID --library LIB -o CROPS [--size 64|128] [--preview SHEET]",
	"benjamin crops CROPS --preview SHEET [--faces N] [--seed N]",
	"",
	"Makes the face crops a trained swap learns from: the largest face of every",
	"photo of a star's folder, or every face the index found of a footage",
	"identity (its tracks in the library, decoded from the films), aligned to",
	"SIZE x SIZE pixels with its 68 landmarks, and saves them in CROPS",
	"(safetensors), so that training does not decode again.  Faces that are",
	"missing, tiny (enlarged more than twice) or turned away (yaw over 40 or",
	"pitch over 30 degrees) are skipped and counted.  --preview writes a JPEG",
	"contact sheet of augmented training pairs, one face a row: the aligned crop,",
	"the warped input, the target, the mask target and the loss weights (eyes",
	"and mouth count three times); given CROPS alone, it previews a saved set.",
	"",
	"  --star DIR         a folder of the star's photos (.jpg, .jpeg, .png)",
	"  --identity ID      a footage identity of the library (with --library)",
	"  --library LIB      the footage library (benjamin index)",
	"  -o, --output FILE  the crops to write",
	"  --size N           crop side in pixels, 64 or 128 (default 64)",
	"  --preview FILE     a contact sheet of augmented pairs (.jpg or .png)",
	"  --faces N          faces on the sheet (default 8)",
	"  --seed N           the sheet's augmentation (default 1)",
	"  --threads N        threads for face detection (default 2)",
	"",
	"Examples:",
	"  benjamin crops --star faces/star_George_W_Bush -o bush.crops.safetensors --preview bush.jpg",
	"  benjamin crops --identity 3 --library lib.db -o id3.crops.safetensors --size 128",
	NULL,
};

struct crops_options {
	struct cli_crops_source src;
	const char *out, *in, *preview;
	long faces, seed, threads;
};

static int parse_args(int argc, char **argv, struct crops_options *o)
{
	enum { O_PREVIEW = CLI_O_CROPS_END, O_FACES, O_SEED, O_THREADS };
	static const struct option options[] = {
		CLI_CROPS_SOURCE_OPTIONS,
		{ "output", required_argument, NULL, 'o' },
		{ "preview", required_argument, NULL, O_PREVIEW },
		{ "faces", required_argument, NULL, O_FACES },
		{ "seed", required_argument, NULL, O_SEED },
		{ "threads", required_argument, NULL, O_THREADS },
		{ 0 },
	};
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "o:", options, cmd_crops_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case 'o':
			o->out = optarg;
			break;
		case O_PREVIEW:
			o->preview = optarg;
			break;
		case O_FACES:
			cli_args_int(&a, "--faces", 1, 64, &o->faces);
			break;
		case O_SEED:
			cli_args_int(&a, "--seed", 0, CLI_SEED_MAX, &o->seed);
			break;
		case O_THREADS:
			cli_args_threads(&a, &o->threads);
			break;
		default:
			cli_crops_source_option(&a, opt, &o->src);
		}
	}
	if (optind < argc)
		o->in = argv[optind++];
	cli_args_no_operands(&a);
	if (a.status != CLI_EXIT_OK)
		return a.status;
	const char *const *usage = cmd_crops_usage;
	int sources = !!o->src.star + !!o->src.identity + !!o->in;
	if (sources != 1)
		return cli_usage_error(usage, "give one of --star, --identity or a crops file");
	if (!!o->src.identity != !!o->src.library)
		return cli_usage_error(usage, "--identity and --library go together");
	if (o->in && !o->preview)
		return cli_usage_error(usage, "a crops file is given: --preview is needed");
	if (!o->in && !o->out)
		return cli_usage_error(usage, "no output file given (-o)");
	return CLI_EXIT_OK;
}

/* The sheet: for --faces faces of one seeded batch, the aligned crop (the
 * same faces with every move off), input, target, mask and weights. */
static int preview(const perform_crops *set, const struct crops_options *o)
{
	perform_augment_opts moves = PERFORM_AUGMENT_DEFAULTS, none = PERFORM_AUGMENT_DEFAULTS;
	none.rotate = none.scale = none.shift = none.flip = 0;
	none.brightness = none.contrast = none.saturation = none.warp_sigma = 0;
	perform_augmenter *a = perform_augmenter_new(set, &moves, NULL), *plain = perform_augmenter_new(set, &none, NULL);
	int status = CLI_EXIT_OK;
	if (!a || !plain) {
		status = cli_error_bj();
		goto out;
	}
	perform_batch b, c;
	perform_batch_init(&b, (int)o->faces, set->size);
	perform_batch_init(&c, (int)o->faces, set->size);
	bj_rng rng;
	bj_rng_init(&rng, (uint64_t)o->seed);
	perform_augment_batch(a, &rng, &b);
	for (int k = 0; k < b.n; k++)
		perform_augment_face(plain, b.index[k], &rng, &c, k);
	const float *cols[] = { c.target, b.input, b.target, b.mask, b.weight };
	const int channels[] = { 3, 3, 3, 1, 1 };
	if (perform_preview_save(o->preview, cols, channels, 5, b.n, set->size) < 0)
		status = cli_error_bj();
	perform_batch_release(&b);
	perform_batch_release(&c);
out:
	perform_augmenter_free(a);
	perform_augmenter_free(plain);
	return status;
}

int cmd_crops(int argc, char **argv)
{
	struct crops_options o = { .src.size = 64, .faces = 8, .seed = 1, .threads = 2 };
	int status = parse_args(argc, argv, &o);
	if (status != CLI_EXIT_OK)
		return status;
	perform_crops *set = NULL;
	if (o.in) {
		if (perform_crops_load(o.in, &set) < 0)
			return cli_error_bj();
	} else {
		perform_crop_opts co = PERFORM_CROP_DEFAULTS;
		co.size = (int)o.src.size;
		set = perform_crops_new(&co);
		status = o.src.star ? cli_crops_from_star(set, o.src.star, (int)o.threads) : cli_crops_from_identity(set, o.src.library, o.src.identity);
		if (status != CLI_EXIT_OK)
			goto out;
		const perform_crop_skips *s = &set->skips;
		long skipped = s->no_face + s->tiny + s->pose + s->degenerate;
		if (!set->n) {
			status = cli_error("'%s': no usable face (%ld skipped: %ld without a face, %ld tiny, %ld turned away)",
			                   o.src.star ? o.src.star : o.src.library, skipped, s->no_face, s->tiny, s->pose);
			goto out;
		}
		if (perform_crops_save(set, o.out) < 0) {
			status = cli_error_bj();
			goto out;
		}
		printf("%s: %zu faces of %d x %d; skipped %ld (%ld without a face, %ld tiny, %ld turned away, "
		       "%ld degenerate)\n", o.out, set->n, set->size, set->size, skipped, s->no_face, s->tiny, s->pose,
		       s->degenerate);
	}
	if (o.preview && (status = preview(set, &o)) == CLI_EXIT_OK)
		printf("%s: %ld augmented faces (crop, input, target, mask, weight)\n", o.preview, o.faces);
out:
	perform_crops_free(set);
	return status;
}
