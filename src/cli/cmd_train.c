/*
 * cmd_train.c - `benjamin train writer|composer|swap ...`: teach a model from
 * examples (swap: cmd_train_swap.c).  The character models share their options, progress and
 * resumption (nn/trainer.h); a kind names its corpus option and how its
 * corpus is read.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/log.h"
#include "base/progress.h"
#include "cli/cli.h"
#include "cli/cli_interrupt.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "nn/parallel.h"
#include "score/composer.h"
#include "writer/writer.h"

const char *const cmd_train_usage[] = {
	"benjamin train writer --corpus PATH... -o MODEL [options]",
	"benjamin train composer --abc PATH... -o MODEL [options]",
	"benjamin train swap --star DIR --identity ID --library LIB -o MODEL [options]",
	"",
	"Trains a character-level LSTM and saves it to MODEL (safetensors) with its",
	"learning curve beside it (MODEL without .safetensors, plus .csv).  The",
	"writer learns screenplays from text files or folders of them (UTF-8): files",
	"named *.fountain as they are, others read as plain-text screenplays (IMSDb",
	"pages, PDF conversions) and normalised to Fountain first, as 'benjamin corpus",
	"normalize' does, so that the model writes Fountain (files that do not read as",
	"screenplays are skipped with a warning); the last --val-fraction of the text",
	"is held out to measure bits per character.  The composer learns folk tunes from ABC files: each tune's",
	"M:, L: and K: lines and its music, with --val-fraction of the tunes held out.",
	"Ctrl-C saves the model so far; --resume carries on from it and reaches the",
	"same weights as a run that was never stopped.",
	"",
	"  --corpus PATH      writer: a text file or a folder of them (repeatable)",
	"  --abc PATH         composer: an ABC file or a folder of them (repeatable)",
	"  --as-is            writer: learn the files as they are, without normalising",
	"                     (any text: poems, screenplays in their own layout)",
	"  -o, --output FILE  the model to write (and to resume from)",
	"  --steps N          train N steps in all (default: --minutes 20)",
	"  --minutes M        or train for M minutes in all",
	"  --layers N         LSTM layers (default 2)",
	"  --hidden N         units per layer (default 512)",
	"  --embed N          character embedding size (default 64)",
	"  --seq N            characters per stream per step (default 100)",
	"  --batch N          streams per step (default 32)",
	"  --lr X             peak learning rate, AdamW (default 0.002)",
	"  --min-lr X         learning rate at the end (default lr / 10)",
	"  --dropout P        dropout between layers (default 0)",
	"  --val-fraction F   fraction held out for validation (default 0.1)",
	"  --val-corpus PATH  validate on this text (or these tunes) instead",
	"  --val-every N      steps between validations (default 200)",
	"  --min-count N      characters seen fewer times are unknown (default 5)",
	"  --checkpoint-every M  minutes between checkpoints (default 10)",
	"  --pause-after N    save and stop after step N, to --resume later",
	"  --seed S           initial weights and dropout (default 1)",
	"  --threads N        threads to use (default 2)",
	"  --resume           continue the training saved in MODEL, with its model and",
	"                     settings; --steps or --minutes give the new total",
	"  -h, --help         show this help",
	"",
	"The swap learns to redraw the faces of a footage identity (its tracks in LIB,",
	"as 'benjamin crops --identity' takes them) as a star (their folder of photos):",
	"a shared encoder and one decoder for each, on aligned crops augmented by",
	"random warps, with weighted L1 (eyes and mouth count three times), SSIM on",
	"the face and a predicted mask, and a PatchGAN discriminator per identity",
	"(least-squares GAN, trained with its own Adam from the first step; its loss",
	"joins the decoders' after --gan-after steps).  Each step is a batch of each.",
	"The crops are",
	"cached beside MODEL (MODEL.footage.crops.safetensors, .star.crops...), and a",
	"contact sheet MODEL.preview.png shows, per row, a footage face, its",
	"reconstruction and its swap, then a star's face, its reconstruction and the",
	"star drawn as the footage actor.  The same seed and steps give the same file,",
	"stopped and resumed or not.  Swap options (with --steps, --minutes, --seed,",
	"--threads, --resume, --checkpoint-every, --batch and --lr as above; default",
	"--minutes 30, --batch 16, --lr 0.0001):",
	"  --star DIR         the star's photos (.jpg, .jpeg, .png)",
	"  --identity ID      the footage identity (decoder A)",
	"  --library LIB      the footage library (benjamin index)",
	"  --size N           crop side, 64 or 128 (default 64)",
	"  --width N          the encoder's first width, doubled thrice (default 32)",
	"  --dense N          the bottleneck (default 256)",
	"  --preview-every M  minutes between contact sheets (default 5)",
	"  --gan-weight W     the adversarial loss's weight (default 0.1; 0: none)",
	"  --gan-after N      steps before the decoders learn from it (default 1000)",
	"  --holdout N        keep the last N crops of each side out of training; the",
	"                     sheet shows them and their reconstruction SSIM is",
	"                     reported (default 0)",
	"",
	"Examples:",
	"  benjamin train swap --star faces/star_George_W_Bush --identity 3 --library lib.db \\",
	"      -o swap-bush-3.safetensors --minutes 60",
	"  benjamin train swap --star faces/star_George_W_Bush --identity 3 --library lib.db \\",
	"      -o swap-bush-3.safetensors --minutes 120 --resume",
	NULL,
};

/* "writer.safetensors" -> "writer.csv"; anything else gets ".csv" added. */
static char *csv_path(const char *model)
{
	const char *ext = ".safetensors";
	size_t n = strlen(model), e = strlen(ext);
	if (n > e && strcmp(model + n - e, ext) == 0)
		return bj_xasprintf("%.*s.csv", (int)(n - e), model);
	return bj_xasprintf("%s.csv", model);
}

static void duration(char *buf, size_t size, double s)
{
	bj_progress_format_duration(buf, size, s);
}

/* The writer's own settings and what its corpus reading reports. */
struct writer_extra {
	int as_is;
	writer_corpus_report report;
};

/* A kind of character model: the option naming its corpus, and its training. */
struct model_kind {
	const char *name;
	const char *corpus_option;
	int (*train)(const nn_trainer_opts *t, const char *const *corpus, int n_corpus,
	             const char *const *val, int n_val, struct writer_extra *x,
	             nn_trainer_result *r);
};

static int train_writer(const nn_trainer_opts *t, const char *const *corpus, int n_corpus,
                        const char *const *val, int n_val, struct writer_extra *x,
                        nn_trainer_result *r)
{
	writer_train_opts o;
	writer_train_opts_init(&o);
	o.t = *t;
	o.t.label = "train writer";
	o.corpus = corpus, o.n_corpus = n_corpus;
	o.val_corpus = val, o.n_val = n_val;
	o.as_is = x->as_is;
	o.report = &x->report;
	return writer_train(&o, r);
}

static int train_composer(const nn_trainer_opts *t, const char *const *corpus, int n_corpus,
                          const char *const *val, int n_val, struct writer_extra *x,
                          nn_trainer_result *r)
{
	(void)x;
	score_train_opts o;
	score_train_opts_init(&o);
	o.t = *t;
	o.t.label = "train composer";
	o.abc = corpus, o.n_abc = n_corpus;
	o.val_abc = val, o.n_val = n_val;
	return score_composer_train(&o, r);
}

static const struct model_kind kinds[] = {
	{ "writer", "corpus", train_writer },
	{ "composer", "abc", train_composer },
};

static int train_model(const struct model_kind *kind, int argc, char **argv)
{
	enum { O_CORPUS = 256, O_STEPS, O_MINUTES, O_LAYERS, O_HIDDEN, O_EMBED, O_SEQ, O_BATCH,
	       O_LR, O_MIN_LR, O_DROPOUT, O_VAL_FRACTION, O_VAL_CORPUS, O_VAL_EVERY, O_MIN_COUNT,
	       O_CHECKPOINT, O_SEED, O_THREADS, O_RESUME, O_PAUSE, O_AS_IS };
	const struct option options[] = {
		{ kind->corpus_option, required_argument, NULL, O_CORPUS },
		{ "output", required_argument, NULL, 'o' },
		{ "steps", required_argument, NULL, O_STEPS },
		{ "minutes", required_argument, NULL, O_MINUTES },
		{ "layers", required_argument, NULL, O_LAYERS },
		{ "hidden", required_argument, NULL, O_HIDDEN },
		{ "embed", required_argument, NULL, O_EMBED },
		{ "seq", required_argument, NULL, O_SEQ },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "lr", required_argument, NULL, O_LR },
		{ "min-lr", required_argument, NULL, O_MIN_LR },
		{ "dropout", required_argument, NULL, O_DROPOUT },
		{ "val-fraction", required_argument, NULL, O_VAL_FRACTION },
		{ "val-corpus", required_argument, NULL, O_VAL_CORPUS },
		{ "val-every", required_argument, NULL, O_VAL_EVERY },
		{ "min-count", required_argument, NULL, O_MIN_COUNT },
		{ "checkpoint-every", required_argument, NULL, O_CHECKPOINT },
		{ "seed", required_argument, NULL, O_SEED },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "resume", no_argument, NULL, O_RESUME },
		{ "pause-after", required_argument, NULL, O_PAUSE },
		{ "as-is", no_argument, NULL, O_AS_IS },
		{ 0 },
	};
	const char *const *usage = cmd_train_usage;
	nn_trainer_opts t;
	nn_trainer_opts_init(&t);
	struct writer_extra extra = { 0 };
	const char **corpus = NULL, **val = NULL;
	size_t n_corpus = 0, cap_corpus = 0, n_val = 0, cap_val = 0;
	long threads = 2, v;
	double d;
	int min_lr_set = 0, opt;
	cli_args a;
	cli_args_init(&a, argc, argv, "o:", options, usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_CORPUS:
			BJ_GROW(corpus, cap_corpus, n_corpus + 1);
			corpus[n_corpus++] = optarg;
			break;
		case O_VAL_CORPUS:
			BJ_GROW(val, cap_val, n_val + 1);
			val[n_val++] = optarg;
			break;
		case 'o':
			t.model_path = optarg;
			break;
#define INT_OPTION(code, name, lo, hi, field)                                                  \
		case code:                                                                         \
			if (cli_args_int(&a, name, lo, hi, &v) == 0)                               \
				field = v;                                                         \
			break;
		INT_OPTION(O_STEPS, "--steps", 1, 1000000000L, t.steps)
		INT_OPTION(O_LAYERS, "--layers", 1, 8, t.layers)
		INT_OPTION(O_HIDDEN, "--hidden", 1, 8192, t.hidden)
		INT_OPTION(O_EMBED, "--embed", 1, 8192, t.embed)
		INT_OPTION(O_SEQ, "--seq", 1, 65536, t.seq)
		INT_OPTION(O_BATCH, "--batch", 1, 4096, t.batch)
		INT_OPTION(O_VAL_EVERY, "--val-every", 1, 1000000000L, t.val_every)
		INT_OPTION(O_MIN_COUNT, "--min-count", 1, 1000000000L, t.min_count)
		INT_OPTION(O_PAUSE, "--pause-after", 1, 1000000000L, t.pause_at)
#undef INT_OPTION
		case O_SEED:
			cli_args_seed(&a, &t.seed);
			break;
		case O_THREADS:
			cli_args_threads(&a, &threads);
			break;
		case O_MINUTES:
			cli_args_real(&a, "--minutes", 0.001, 1e6, &t.minutes);
			break;
		case O_LR:
			cli_args_real(&a, "--lr", 1e-9, 10.0, &t.lr);
			break;
		case O_DROPOUT:
			if (cli_args_real(&a, "--dropout", 0.0, 0.99, &d) == 0)
				t.dropout = (float)d;
			break;
		case O_VAL_FRACTION:
			cli_args_real(&a, "--val-fraction", 0.0, 0.9, &t.val_fraction);
			break;
		case O_CHECKPOINT:
			cli_args_real(&a, "--checkpoint-every", 0.0, 1e6, &t.checkpoint_minutes);
			break;
		case O_MIN_LR:
			min_lr_set = cli_args_real(&a, "--min-lr", 0.0, 10.0, &t.min_lr) == 0;
			break;
		case O_RESUME:
			t.resume = 1;
			break;
		case O_AS_IS:
			if (kind->train != train_writer)
				cli_args_error(&a, "--as-is is for the writer");
			extra.as_is = 1;
			break;
		}
	}
	for (int i = optind; a.status == CLI_EXIT_OK && i < argc; i++) {
		BJ_GROW(corpus, cap_corpus, n_corpus + 1);
		corpus[n_corpus++] = argv[i];
	}
	if (!n_corpus)
		cli_args_error(&a, "no corpus given (--%s)", kind->corpus_option);
	cli_args_require(&a, t.model_path, "no model file given (-o)");
	if (t.steps && t.minutes > 0.0)
		cli_args_error(&a, "give --steps or --minutes, not both");
	if (min_lr_set && t.min_lr > t.lr)
		cli_args_error(&a, "--min-lr must not be above --lr");
	int status = a.status;
	if (status != CLI_EXIT_OK)
		goto out;
	if (!t.steps && t.minutes == 0.0)
		t.minutes = 20.0;
	if (!min_lr_set)
		t.min_lr = t.lr / 10.0;
	char *csv = csv_path(t.model_path);
	t.csv_path = csv;
	if (nn_set_threads((int)threads) < 0) {
		status = cli_error_bj();
		free(csv);
		goto out;
	}
	cli_interrupt ci;
	t.interrupted = cli_interrupt_catch(&ci);
	nn_trainer_result r;
	int ret = kind->train(&t, corpus, (int)n_corpus, val, (int)n_val, &extra, &r);
	const writer_corpus_report *report = &extra.report;
	if (report->skipped && (ret == 0 || ret == BJ_EINTERRUPTED))
		bj_log(BJ_LOG_WARN, "skipped %d file%s that did not read as screenplays, the first: %s",
		       report->skipped, report->skipped == 1 ? "" : "s", report->first_skipped);
	cli_interrupt_release(&ci);
	if (ret == BJ_EINTERRUPTED) {
		cli_error_bj();
		status = 130;
	} else if (ret < 0) {
		status = cli_error_bj();
	} else {
		char took[32];
		duration(took, sizeof(took), r.seconds);
		printf("trained %" PRId64 " steps (", r.steps);
		if (r.chars < 1000000)
			printf("%" PRIu64 " characters", r.chars);
		else
			printf("%.1fM characters", (double)r.chars / 1e6);
		printf(") in %s", took);
		if (report->normalized)
			printf(", %d screenplay%s normalised to Fountain", report->normalized,
			       report->normalized == 1 ? "" : "s");
		if (!isnan(r.val_bpc))
			printf(", validation %.3f bits/char", r.val_bpc);
		printf("; wrote '%s' and '%s'\n", t.model_path, csv);
		if (t.pause_at && r.steps == t.pause_at && (t.steps ? r.steps < t.steps : 1))
			printf("paused after step %" PRId64 "; carry on with --resume\n", r.steps);
	}
	free(csv);
out:
	free(corpus);
	free(val);
	return status;
}

int cmd_train(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cmd_train_usage, "no model kind given (writer, composer, swap)");
	if (strcmp(argv[1], "swap") == 0)
		return cmd_train_swap(argc - 1, argv + 1);
	for (size_t i = 0; i < BJ_ARRAY_SIZE(kinds); i++)
		if (strcmp(argv[1], kinds[i].name) == 0)
			return train_model(&kinds[i], argc - 1, argv + 1);
	return cli_usage_error(cmd_train_usage, "'%s' is not a model benjamin trains (writer, "
	                       "composer, swap)", argv[1]);
}
