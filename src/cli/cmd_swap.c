/*
 * cmd_swap.c - `benjamin swap --star DIR_OR_IMAGE --in VIDEO_OR_IMAGE --out OUT`:
 * the one-shot face swap of perform/swap.h on a film or a picture, with its
 * flicker and seam scores.
 */
#include <jansson.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"
#include "base/progress.h"
#include "base/threads.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "media/audio.h"
#include "media/decoder.h"
#include "media/encoder.h"
#include "media/imagefile.h"
#include "library/face_boxes.h"
#include "library/library.h"
#include "nn/parallel.h"
#include "perform/swap.h"
#include "perform/swap_clip.h"
#include "perform/swap_pipe.h"
#include "perform/swap_stars.h"
#include "perform/swap_trained.h"
#include "vision/cascade.h"
#include "vision/shape_model.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"
#define AUDIO_RATE 48000

const char *const cmd_swap_usage[] = {
	"benjamin swap --star DIR_OR_IMAGE --in VIDEO_OR_IMAGE --out OUT [--strength S] [--seed N]",
	"              [--stars N] [--min-face PX] [--shot N] [--json] [--threads N]",
	"              [--library LIB (--identity ID | --track ID)]",
	"benjamin swap --model SWAP --in VIDEO_OR_IMAGE --out OUT [options]",
	"",
	"Puts the star's face (from one photo or a folder of photos) onto the largest",
	"face of every frame, or with --identity or --track onto that person's face",
	"only: warped to its landmarks, matched in colour, grain and",
	"blur, and blended seamlessly.  The film is cut into shots first and each shot",
	"starts afresh.  Frames without a face, with a face narrower than --min-face,",
	"or with a head turned more than 30 degrees from every star photo pass through",
	"unchanged, counted by reason.  The sound of a film is kept.  Prints per shot",
	"and for the whole: the flicker score (change inside the face from frame to",
	"frame, swapped / original: 1 or below adds no flicker), the seam score (edge",
	"gradient / inside gradient, the original's in brackets) and the identity",
	"margin (face descriptor distance from the swapped face to the star minus to",
	"the original face: below 0, it looks more like the star).  --json adds the",
	"texture ratio (detail inside the face, swapped / original): a face that",
	"follows the head changes about that much more than the footage's as it moves.",
	"It also gives the wall seconds of loading (models, photos), of the frames and",
	"of the encoder's last flush, and the CPU seconds of all threads.",
	"",
	"  --star DIR_OR_IMAGE  the star's photos (.jpg, .jpeg, .png)",
	"  --model SWAP         instead of photos, a trained swap (benjamin train swap):",
	"                       each face's aligned crop redrawn as the star by its decoder B",
	"                       and blended where both the landmarks and the decoder's mask",
	"                       say it is face (hair, glasses, hands over it are kept)",
	"                       (with --star too, the star's photos only measure the",
	"                       identity margin; without, it is not measured)",
	"  --landmark-mask      with --model: blend by the landmarks' mask only",
	"  --in VIDEO_OR_IMAGE  the footage; --out the result (.mp4, or .png/.jpg for a picture)",
	"  --strength S         0..1, how much of the star (default 1)",
	"  --seed N             the added grain's seed (default 1)",
	"  --stars N            use at most N photos of a folder, spread over it (default 40)",
	"  --min-face PX        leave faces narrower than PX alone (default 48)",
	"  --shot N             swap only the film's Nth shot (from 1) into --out, without",
	"                       sound (what the renderer does per shot)",
	"  --library LIB        the library the film was indexed into (benjamin index), for:",
	"  --identity ID        swap only this footage actor's face (benjamin library cast",
	"                       LIB lists them): the library's tracks of it say where it is",
	"                       in each frame; the detected face overlapping that is",
	"                       swapped, every other face left alone, and frames where the",
	"                       actor is not on screen pass through (counted: not on screen)",
	"  --track ID           only this face track (with --identity: if it is that actor's)",
	"  --json               the scores and per-frame reasons as JSON on stdout",
	"  --threads N          threads (default 2): with 2 or more, a film is decoded and",
	"                       encoded on threads of their own while the swap runs; the",
	"                       film's bytes are the same whatever N",
	"",
	"Example:",
	"  benjamin swap --star faces/star_George_W_Bush --in talk.mp4 --out swapped.mp4",
	"  benjamin swap --star faces/star_George_W_Bush --in two.mp4 --out one.mp4 \\",
	"      --library lib.db --identity 2",
	NULL,
};

struct swap_options {
	const char *star, *model, *in, *out, *library;
	perform_swap_opts p;
	long stars, threads, shot, identity, track;
	int json, landmark_mask;
	/* with --library: where the wanted face is in each of the film's frames */
	float *boxes;
	int64_t n_boxes;
};

static int has_ext(const char *path, const char *const *exts)
{
	const char *dot = strrchr(path, '.');
	for (; dot && *exts; exts++)
		if (!strcasecmp(dot, *exts))
			return 1;
	return 0;
}

static const char *const image_exts[] = { ".jpg", ".jpeg", ".png", NULL };

/* The identity margin as text: "-" when no frame measured it (a trained swap
 * without --star). */
static const char *margin_text(const perform_swap_stats *st, char buf[32])
{
	if (!st->margin_frames)
		return "- (no star photos)";
	snprintf(buf, 32, "%.3f", st->margin);
	return buf;
}

/* JSON's identity_margin: null when no frame measured it. */
static void json_margin(json_t *j, const perform_swap_stats *st)
{
	if (!st->margin_frames)
		json_object_set_new(j, "identity_margin", json_null());
}

/* One shot's scores, as a line and as JSON. */
static json_t *shot_json(int shot, int64_t first, const perform_swap_stats *st, int quiet)
{
	char buf[32];
	if (!quiet)
		printf("shot %d (frames %lld-%lld): %ld swapped, skipped %ld without a face, %ld small, %ld turned, "
		       "%ld not on screen; flicker %.3f; seam %.3f (original %.3f); identity margin %s\n", shot,
		       (long long)first, (long long)(first + st->frames - 1), st->swapped, st->no_face, st->small,
		       st->turned, st->absent, st->flicker, st->seam, st->seam_original, margin_text(st, buf));
	json_t *j = json_pack("{s:i, s:I, s:i, s:i, s:i, s:i, s:i, s:i, s:f, s:f, s:f, s:f, s:i, s:f}", "shot", shot,
	                 "first_frame", (json_int_t)first, "frames", (json_int_t)st->frames, "swapped",
	                 (json_int_t)st->swapped, "no_face", (json_int_t)st->no_face, "small", (json_int_t)st->small,
	                 "turned", (json_int_t)st->turned, "not_on_screen", (json_int_t)st->absent, "flicker", st->flicker, "seam", st->seam, "seam_original",
	                 st->seam_original, "identity_margin", st->margin, "margin_frames",
	                 (json_int_t)st->margin_frames, "texture", st->texture);
	if (j)
		json_margin(j, st);
	return j;
}

static json_t *report_json(long frame, const perform_swap_report *r)
{
	return r->swapped ? json_pack("{s:i, s:b, s:i}", "frame", (json_int_t)frame, "swapped", 1, "star", r->star)
	                  : json_pack("{s:i, s:b, s:s}", "frame", (json_int_t)frame, "swapped", 0, "reason", r->reason);
}

static void end_shot(perform_swapper *s, const struct swap_options *o, json_t *shots, int64_t first);

static int swap_image(perform_swapper *s, const struct swap_options *o, json_t *frames, json_t *shots)
{
	media_image *img = media_image_load(o->in, 3);
	if (!img)
		return cli_error_bj();
	perform_swap_report rep;
	int status = CLI_EXIT_OK;
	if (perform_swapper_frame(s, img, 0, &rep) < 0) {
		status = cli_error_bj();
		goto out;
	}
	json_array_append_new(frames, report_json(0, &rep));
	end_shot(s, o, shots, 0);
	size_t size;
	uint8_t *bytes = has_ext(o->out, (const char *const[]){ ".png", NULL }) ? media_image_encode_png(img, &size)
	                                                                       : media_image_encode_jpeg(img, 92, &size);
	bj_atomic *a;
	if (!bytes || bj_atomic_open(o->out, &a) < 0) {
		free(bytes);
		status = cli_error_bj();
		goto out;
	}
	if (fwrite(bytes, 1, size, bj_atomic_stream(a)) != size) {
		bj_atomic_abort(a);
		status = cli_error("'%s': cannot write", o->out);
	} else if (bj_atomic_commit(a) < 0) {
		status = cli_error_bj();
	}
	free(bytes);
out:
	media_image_free(img);
	return status;
}

/* Ends the shot that began at frame first: its scores onto shots. */
static void end_shot(perform_swapper *s, const struct swap_options *o, json_t *shots, int64_t first)
{
	perform_swap_stats st;
	perform_swapper_stats(s, &st);
	if (st.frames)
		json_array_append_new(shots, shot_json((int)json_array_size(shots) + 1, first, &st, o->json));
}

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* The CPU time of every thread of the process so far, seconds. */
static double process_seconds(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6 + (double)u.ru_stime.tv_sec +
	       u.ru_stime.tv_usec * 1e-6;
}

/* The calling thread's CPU time, seconds. */
static double thread_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* A film's swap as the three stages of perform/swap_pipe.h. */
struct video_job {
	perform_swapper *s;
	const struct swap_options *o;
	json_t *frames, *shots;
	media_decoder *d;
	media_encoder *e;
	int width, height;               /* the encoder's (even) sides */
	perform_shots_job *finding;      /* the shots' search, under way */
	int64_t shot_first;
	long swapped;                    /* frames through the swap stage */
	long written;                    /* ... and the writer */
	double swap_cpu;                 /* seconds of CPU the swap stage's thread took */
	media_audio *audio;              /* the film's sound, loaded by the writer ... */
	int has_audio, audio_loaded;     /* ... when there is some, before its first frame */
	size_t audio_done;               /* sound frames written */
	int fps_num, fps_den;
	bj_progress *bar;
};

static int read_frame(void *ctx, perform_pipe_frame *f)
{
	struct video_job *j = ctx;
	const media_frame *in;
	int ret = media_decoder_read(j->d, &in);
	if (ret <= 0)
		return ret;
	return perform_pipe_copy(f, in) < 0 ? bj_error_code() : 1;
}

static int swap_frame(void *ctx, perform_pipe_frame *f)
{
	struct video_job *j = ctx;
	long n = j->swapped;
	int due = perform_swap_shots_due(j->finding, n);
	if (due < 0)
		return due;
	if (due) {
		end_shot(j->s, j->o, j->shots, j->shot_first);
		perform_swapper_reset(j->s);
		j->shot_first = n;
	}
	if (j->o->boxes) {
		static const float off_screen[4] = { 0 };
		perform_swapper_target(j->s, n < j->o->n_boxes ? j->o->boxes + 4 * n : off_screen);
	}
	perform_swap_report rep;
	double t0 = thread_seconds();
	if (perform_swapper_frame(j->s, f->image, f->time, &rep) < 0)
		return bj_error_code();
	j->swap_cpu += thread_seconds() - t0;
	json_array_append_new(j->frames, report_json(n, &rep));
	j->swapped++;
	bj_progress_set(j->bar, (uint64_t)j->swapped, NULL);
	return 0;
}

/* The film's sound, once: on the writer's thread while the first frames are
 * swapped, not before them on the swap's (x264 holds its first 40 frames
 * back, so the writer has time then). */
static int load_audio(struct video_job *j)
{
	if (!j->has_audio || j->audio_loaded)
		return 0;
	j->audio_loaded = 1;
	return media_audio_load(j->o->in, AUDIO_RATE, 2, j->audio);
}

/* The frame, and the sound up to its end. */
static int write_frame(void *ctx, const perform_pipe_frame *f)
{
	struct video_job *j = ctx;
	if (load_audio(j) < 0)
		return bj_error_code();
	media_image even = media_image_view(f->image->data, j->width, j->height, 3, f->image->stride);
	if (media_encoder_write_video(j->e, &even) < 0)
		return bj_error_code();
	j->written++;
	if (j->audio->frames) {
		size_t upto = (size_t)((double)j->written * j->fps_den * AUDIO_RATE / j->fps_num + 0.5);
		upto = upto < j->audio->frames ? upto : j->audio->frames;
		if (upto > j->audio_done &&
		    media_encoder_write_audio(j->e, j->audio->samples + j->audio_done * 2, upto - j->audio_done) < 0)
			return bj_error_code();
		j->audio_done = upto > j->audio_done ? upto : j->audio_done;
	}
	return 0;
}

/* The shots are told frame by frame by finding (perform_swap_shots_due).
 * *swap_cpu gets the seconds of CPU the swap stage's own thread took: the
 * critical path of the three stages (perform/swap_pipe.h) on free cores;
 * *flushed the wall seconds from the last frame handed to the encoder to the
 * film's end (x264 holds its last 40 frames back until then). */
static int swap_video(perform_swapper *s, const struct swap_options *o, json_t *frames, json_t *shots,
                      perform_shots_job *finding, double *swap_cpu, double *flushed)
{
	media_decoder *d;
	if (media_decoder_open(o->in, &d) < 0)
		return cli_error_bj();
	const media_info *info = media_decoder_info(d);
	int status = CLI_EXIT_OK;
	media_encoder *e = NULL;
	media_audio audio = { 0 };
	bj_progress *bar = NULL;
	if (info->video < 0) {
		status = cli_error("'%s': no video stream", o->in);
		goto out;
	}
	const media_stream_info *v = &info->streams[info->video];
	if (media_decoder_set_output(d, 0, 0, 3) < 0) {
		status = cli_error_bj();
		goto out;
	}
	int fps_num = v->fps_num > 0 ? v->fps_num : 25, fps_den = v->fps_num > 0 ? v->fps_den : 1;
	/* the encoder wants even sides: an odd last row or column is dropped; its
	 * own threads stay at the default, so that the bytes written do not
	 * depend on --threads */
	media_encoder_opts eo = media_encoder_defaults(v->width & ~1, v->height & ~1, fps_num, fps_den);
	if (info->audio >= 0) {
		eo.audio_rate = AUDIO_RATE;
		eo.audio_channels = 2;
	}
	if (media_encoder_open(o->out, &eo, &e) < 0) {
		status = cli_error_bj();
		goto out;
	}
	int64_t total = v->frames > 0 ? v->frames : (int64_t)(info->duration * fps_num / fps_den + 0.5);
	bar = bj_progress_new("swap", (uint64_t)(total > 0 ? total : 0), "frames");
	struct video_job job = { .s = s, .o = o, .frames = frames, .shots = shots, .d = d, .e = e,
		                 .width = eo.width, .height = eo.height, .finding = finding,
		                 .audio = &audio, .has_audio = info->audio >= 0, .fps_num = fps_num, .fps_den = fps_den,
		                 .bar = bar };
	perform_pipe_stages st = { read_frame, swap_frame, write_frame, &job };
	int ret = perform_pipe_run(&st, (int)o->threads);
	bj_progress_finish(bar);
	bar = NULL;
	*swap_cpu = job.swap_cpu;
	double piped = seconds();
	if (ret >= 0)
		end_shot(s, o, shots, job.shot_first);
	if (ret < 0 || load_audio(&job) < 0 ||
	    (job.audio_done < audio.frames &&
	     media_encoder_write_audio(e, audio.samples + job.audio_done * 2, audio.frames - job.audio_done) < 0) ||
	    media_encoder_finish(e) < 0)
		status = cli_error_bj();
	*flushed = seconds() - piped;
out:
	bj_progress_finish(bar);
	media_encoder_close(e);
	media_audio_release(&audio);
	media_decoder_close(d);
	return status;
}

/* --shot N: that shot alone, through perform_swap_range. */
static int swap_one_shot(perform_swapper *s, const struct swap_options *o, json_t *shots, const int64_t *starts,
                         size_t n)
{
	int status = CLI_EXIT_OK;
	if ((size_t)o->shot > n + 1) {
		status = cli_error("'%s': has %zu shots, not %ld", o->in, n + 1, o->shot);
		goto out;
	}
	int64_t first = o->shot > 1 ? starts[o->shot - 2] : 0, last = (size_t)o->shot <= n ? starts[o->shot - 1] - 1 : -1;
	perform_swap_range_opts ro = { .threads = (int)o->threads };
	if (o->boxes) {
		/* the library's frames are the decoder's: the film ends where it says */
		last = last < 0 || last >= o->n_boxes ? o->n_boxes - 1 : last;
		if (first > last) {
			status = cli_error("'%s': shot %ld starts after the library's last frame %lld", o->in, o->shot,
			                   (long long)last);
			goto out;
		}
		ro.boxes = o->boxes + 4 * first;
	}
	perform_swap_stats st;
	if (perform_swap_range(s, o->in, first, last, o->out, &ro, &st, NULL) < 0) {
		status = cli_error_bj();
		goto out;
	}
	json_array_append_new(shots, shot_json((int)o->shot, first, &st, o->json));
out:
	return status;
}

static int parse_args(int argc, char **argv, struct swap_options *o)
{
	static const struct option options[] = {
		{ "star", required_argument, NULL, 's' },
		{ "model", required_argument, NULL, 'M' },
		{ "in", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },
		{ "strength", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 'r' },
		{ "stars", required_argument, NULL, 'n' },
		{ "min-face", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "shot", required_argument, NULL, 'N' },
		{ "threads", required_argument, NULL, 't' },
		{ "library", required_argument, NULL, 'L' },
		{ "identity", required_argument, NULL, 'I' },
		{ "track", required_argument, NULL, 'T' },
		{ "landmark-mask", no_argument, NULL, 'K' },
		{ 0 },
	};
	int opt;
	long v;
	cli_args a;
	cli_args_init(&a, argc, argv, "", options, cmd_swap_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case 's':
			o->star = optarg;
			break;
		case 'M':
			o->model = optarg;
			break;
		case 'i':
			o->in = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'S':
			cli_args_real(&a, "--strength", 0, 1, &o->p.strength);
			break;
		case 'r':
			cli_args_seed(&a, &o->p.seed);
			break;
		case 'n':
			cli_args_int(&a, "--stars", 1, 10000, &o->stars);
			break;
		case 'm':
			if (cli_args_int(&a, "--min-face", 16, MEDIA_IMAGE_MAX_SIDE, &v) == 0)
				o->p.min_face = (int)v;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'K':
			o->landmark_mask = 1;
			break;
		case 'N':
			cli_args_int(&a, "--shot", 1, 1000000, &o->shot);
			break;
		case 'L':
			o->library = optarg;
			break;
		case 'I':
			cli_args_int(&a, "--identity", 1, 2147483647L, &o->identity);
			break;
		case 'T':
			cli_args_int(&a, "--track", 1, 2147483647L, &o->track);
			break;
		case 't':
			cli_args_threads(&a, &o->threads);
			break;
		}
	}
	cli_args_no_operands(&a);
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if ((!o->star && !o->model) || !o->in || !o->out)
		return cli_usage_error(cmd_swap_usage, "--star (or --model), --in and --out are all needed");
	if (!o->library != !(o->identity || o->track))
		return cli_usage_error(cmd_swap_usage, "--library goes with --identity or --track, and they with it");
	if (o->landmark_mask && !o->model)
		return cli_usage_error(cmd_swap_usage, "--landmark-mask goes with --model");
	if (o->library && has_ext(o->in, image_exts))
		return cli_usage_error(cmd_swap_usage, "--library is for films, not pictures");
	return CLI_EXIT_OK;
}

/* --library: where the wanted face is in every frame of the film. */
static int load_boxes(struct swap_options *o)
{
	library *lib;
	if (library_open_readonly(o->library, &lib) < 0)
		return cli_error_bj();
	library_film film;
	int status = CLI_EXIT_OK;
	if (library_film_find(lib, o->in, &film) < 0) {
		status = cli_error("'%s': '%s' is not indexed in it", o->library, o->in);
		goto out;
	}
	o->n_boxes = film.frames > 0 ? film.frames : 1;
	o->boxes = bj_xmalloc(4 * (size_t)o->n_boxes * sizeof(*o->boxes));
	int found = library_face_boxes(lib, film.id, o->identity, o->track, 0, o->n_boxes - 1, o->boxes);
	if (found < 0)
		status = cli_error_bj();
	else if (found == 0)
		status = cli_error("'%s': %s %ld is never seen in '%s'", o->library, o->track ? "track" : "identity",
		                   o->track ? o->track : o->identity, o->in);
	library_film_release(&film);
out:
	library_close(lib);
	return status;
}

/* vision_shape_model_load on a thread of its own (with threads >= 2; else in
 * model_finish). */
struct model_job {
	pthread_t tid;
	int threaded;
	vision_shape_model *m;
	int code;
	char message[512];   /* the load's error, from its thread */
};

static void *load_model(void *arg)
{
	struct model_job *j = arg;
	if (!(j->m = vision_shape_model_load(VISION_SHAPE_MODEL_68))) {
		j->code = bj_error_code();
		snprintf(j->message, sizeof(j->message), "%s", bj_error_message());
	}
	return NULL;
}

static void model_start(struct model_job *j, int threads)
{
	j->threaded = threads >= 2 && perform_pipe_thread(&j->tid, load_model, j) == 0;
}

/* The model, or NULL with the load's error set. */
static vision_shape_model *model_finish(struct model_job *j)
{
	if (j->threaded)
		pthread_join(j->tid, NULL);
	else
		load_model(j);
	if (!j->m)
		bj_error_set(j->code, "%s", j->message);
	return j->m;
}

/* Waits for a model no longer wanted (the cascade did not load) and frees
 * it; NULL, the caller's error left as it was. */
static vision_shape_model *model_abandon(struct model_job *j)
{
	if (j->threaded) {
		pthread_join(j->tid, NULL);
		vision_shape_model_free(j->m);
	}
	return NULL;
}

int cmd_swap(int argc, char **argv)
{
	double started = seconds();
	struct swap_options o = { .p = PERFORM_SWAP_DEFAULTS, .stars = 40, .threads = 2 };
	int status = parse_args(argc, argv, &o);
	if (status != CLI_EXIT_OK)
		return status;
	if (o.library && (status = load_boxes(&o)) != CLI_EXIT_OK) {
		free(o.boxes);
		return status;
	}
	/* --shot N needs all the shots before it starts: they are found on a
	 * thread of their own while the models and the star's photos load */
	perform_shots_job *finding =
	        o.shot && !has_ext(o.in, image_exts) ? perform_swap_shots_start(o.in, (int)o.threads) : NULL;
	int64_t *starts = NULL;
	size_t n_starts = 0;
	/* the landmark model loads on a thread of its own while the cascade
	 * loads and the star's photos are decoded and their faces found, which
	 * needs the cascade only */
	struct model_job model = { 0 };
	model_start(&model, (int)o.threads);
	vision_cascade *c = vision_cascade_load(CASCADE);
	bj_pool *pool = c ? bj_pool_new((int)o.threads) : NULL;
	perform_star_photos *photos = NULL;
	int found = pool && o.star ? perform_star_photos_find(o.star, (int)o.stars, c, pool, &photos) : 0;
	vision_shape_model *m = c ? model_finish(&model) : model_abandon(&model);
	perform_swapper *s = m && pool && found == 0 ? perform_swapper_new(c, m, pool, &o.p) : NULL;
	json_t *frames = json_array(), *shots = json_array();
	perform_trained *trained = NULL;
	int skipped = 0;
	if (!s) {
		status = cli_error_bj();
		goto out;
	}
	if (o.model) {
		if (nn_set_threads((int)o.threads) < 0 || perform_trained_load(o.model, !o.landmark_mask, &trained) < 0) {
			status = cli_error_bj();
			goto out;
		}
		perform_trained_attach(trained, s);
	}
	if (photos && perform_swapper_add_photos(s, photos, &skipped) < 0) {
		status = cli_error_bj();
		goto out;
	}
	if (skipped)
		fprintf(stderr, "benjamin: swap: %d star photos without a usable face left out\n", skipped);
	/* a whole film's shots are found on a thread of their own while it is
	 * swapped, which asks frame by frame: the search's decoding fills the
	 * cores' gaps while the swap starts (x264 holds its first 40 frames
	 * back), rather than slowing the loading, which keeps both cores busy */
	if (!o.shot && !has_ext(o.in, image_exts))
		finding = perform_swap_shots_start(o.in, (int)o.threads);
	double t0 = seconds(), swap_cpu = 0, flushed = 0;
	if (has_ext(o.in, image_exts)) {
		status = swap_image(s, &o, frames, shots);
	} else if (o.shot) {
		int found = perform_swap_shots_finish(finding, &starts, &n_starts);
		finding = NULL;
		status = found < 0 ? cli_error_bj() : swap_one_shot(s, &o, shots, starts, n_starts);
	} else {
		status = swap_video(s, &o, frames, shots, finding, &swap_cpu, &flushed);
		if (status != CLI_EXIT_OK)
			perform_swap_shots_stop(finding);
		int found = perform_swap_shots_finish(finding, &starts, &n_starts);
		finding = NULL;
		if (status == CLI_EXIT_OK && found < 0)
			status = cli_error_bj();
	}
	if (status != CLI_EXIT_OK)
		goto out;
	double took = seconds() - t0;
	perform_swap_stats st;
	perform_swapper_totals(s, &st);
	char buf[32];
	if (o.json) {
		json_t *j = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:f, s:f, s:f, s:f, s:f, s:f, s:o, s:o}", "out",
		                      o.out, "frames", (json_int_t)st.frames, "swapped", (json_int_t)st.swapped,
		                      "no_face", (json_int_t)st.no_face, "small", (json_int_t)st.small, "turned",
		                      (json_int_t)st.turned, "not_on_screen", (json_int_t)st.absent, "flicker", st.flicker, "seam", st.seam, "seam_original",
		                      st.seam_original, "identity_margin", st.margin, "texture", st.texture, "fps",
		                      took > 0 ? st.frames / took : 0.0, "shots", shots, "per_frame", frames);
		frames = shots = NULL;
		json_margin(j, &st);
		/* the swap stage's thread's CPU per frame: 1000 / it is the frame
		 * rate the pipeline reaches when the other stages have a core */
		if (swap_cpu > 0 && st.frames)
			json_object_set_new(j, "swap_thread_ms", json_real(1000 * swap_cpu / st.frames));
		/* where the wall time went, and how busy the threads kept the
		 * cores: cpu_seconds / (threads x seconds) is the busy share */
		json_object_set_new(j, "load_seconds", json_real(t0 - started));
		json_object_set_new(j, "frames_seconds", json_real(took));
		json_object_set_new(j, "flush_seconds", json_real(flushed));
		json_object_set_new(j, "seconds", json_real(seconds() - started));
		json_object_set_new(j, "cpu_seconds", json_real(process_seconds()));
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
		putchar('\n');
		json_decref(j);
	} else {
		printf("%s: %ld frames, %ld swapped; flicker %.3f (swapped / original); seam %.3f (original %.3f); "
		       "identity margin %s; %.1f frames/s\n", o.out, st.frames, st.swapped, st.flicker, st.seam,
		       st.seam_original, margin_text(&st, buf), took > 0 ? st.frames / took : 0.0);
	}
out:
	if (finding) {   /* stopped by an earlier error, already reported */
		perform_swap_shots_stop(finding);
		(void)perform_swap_shots_finish(finding, &starts, &n_starts);
	}
	free(starts);
	perform_star_photos_free(photos);
	json_decref(frames);
	json_decref(shots);
	perform_swapper_free(s);
	perform_trained_free(trained);
	bj_pool_free(pool);
	vision_shape_model_free(m);
	vision_cascade_free(c);
	free(o.boxes);
	return status;
}
