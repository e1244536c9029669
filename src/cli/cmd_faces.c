/*
 * cmd_faces.c - `benjamin faces IMAGE_OR_VIDEO...`: every face the detector
 * finds, per image or per sampled video frame, as text or JSON, and drawn.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/progress.h"
#include "base/threads.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "media/resize.h"
#include "vision/detect.h"
#include "vision/align.h"
#include "vision/draw.h"
#include "vision/landmarks.h"

#define CASCADE_DIR "/usr/share/opencv4"
#define SHEET_TILE_WIDTH 320
#define SHEET_MAX_TILES 48
#define SHEET_COLUMNS 4
#define N_LANDMARKS 68

const char *const cmd_faces_usage[] = {
	"benjamin faces IMAGE_OR_VIDEO... [--json] [--cascade NAME|PATH] [--scale-factor F]",
	"               [--min-neighbors N] [--min-size PX] [--every SECONDS] [--draw OUT.jpg]",
	"               [--landmarks [--shape-model PATH]]",
	"",
	"Finds faces with OpenCV's trained cascades (opencv-data), evaluated by our",
	"own detector, which gives the boxes OpenCV's detectMultiScale gives with the",
	"same settings.  Prints every face box (x y width height, in pixels, and how",
	"many raw detections it merges) per image (PNG, JPEG) or per sampled frame of",
	"a video (any other file).",
	"",
	"  --json               JSON: one object per file, with its faces (images) or",
	"                       its sampled frames and their faces (videos)",
	"  --cascade NAME|PATH  haar (frontal faces, haarcascade_frontalface_alt2:",
	"                       the default), haar-default, profile, eyes, lbp",
	"                       (lbpcascade_frontalface_improved), or a cascade file",
	"  --scale-factor F     pyramid step, more than 1 (default 1.1)",
	"  --min-neighbors N    raw detections a face needs, 0 for all raw ones (default 3)",
	"  --min-size PX        ignore faces smaller than PX (default 0: the cascade's window)",
	"  --every SECONDS      video: look at one frame every SECONDS (default 1)",
	"  --landmarks          also fit dlib's 68 face landmarks to each face and",
	"                       estimate the head's pose (yaw, pitch, roll in degrees)",
	"  --shape-model PATH   dlib shape predictor for --landmarks (default",
	"                       " VISION_SHAPE_MODEL_68 ")",
	"  --draw OUT.jpg       write the picture with its boxes (a video: a contact",
	"                       sheet of its first 48 sampled frames); one input only",
	"  --threads N          threads to detect with (default 2)",
	"  -h, --help           show this help",
	"",
	"Cascades are read from " CASCADE_DIR "/haarcascades and lbpcascades.",
	NULL,
};

static const struct { const char *name, *file; } cascades[] = {
	{ "haar", "haarcascades/haarcascade_frontalface_alt2.xml" },
	{ "haar-default", "haarcascades/haarcascade_frontalface_default.xml" },
	{ "profile", "haarcascades/haarcascade_profileface.xml" },
	{ "eyes", "haarcascades/haarcascade_eye.xml" },
	{ "lbp", "lbpcascades/lbpcascade_frontalface_improved.xml" },
};

struct faces_options {
	int json;
	const char *cascade;
	vision_detect_params params;
	double every;
	const char *draw;
	long threads;
	int landmarks;
	const char *shape_model;
};

/* --landmarks: the fitted points and pose of each face of one picture. */
struct faces_fit {
	float *points;              /* n * 2 * N_LANDMARKS */
	vision_pose *poses;
	size_t cap;
};

/* The work shared by every file. */
struct faces_run {
	const struct faces_options *o;
	vision_detector *det;
	vision_shape_model *shape;  /* --landmarks, else NULL */
	bj_pool *pool;
	struct faces_fit fit;       /* the current picture's, when shape is set */
	json_t *out;                /* --json: the array of files */
	media_image *tiles[SHEET_MAX_TILES];
	size_t n_tiles;
};

static int is_image(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".png"));
}

/* --landmarks: fits the shape model to each box of img (dlib's inclusive
 * rectangle) and estimates each face's pose, into r->fit.  A pose that cannot
 * be estimated (degenerate points) is left all zero. */
static int fit_faces(struct faces_run *r, const media_image *img, const vision_box *b, size_t n)
{
	if (!r->shape || n == 0)
		return 0;
	struct faces_fit *f = &r->fit;
	if (n > f->cap) {
		f->points = bj_xrealloc(f->points, n * 2 * N_LANDMARKS * sizeof *f->points);
		f->poses = bj_xrealloc(f->poses, n * sizeof *f->poses);
		f->cap = n;
	}
	float *boxes = bj_xmalloc(n * 4 * sizeof *boxes);
	for (size_t i = 0; i < n; i++) {
		boxes[4 * i] = (float)b[i].x;
		boxes[4 * i + 1] = (float)b[i].y;
		boxes[4 * i + 2] = (float)(b[i].x + b[i].width - 1);
		boxes[4 * i + 3] = (float)(b[i].y + b[i].height - 1);
	}
	int ret = vision_landmarks_fit_batch(r->shape, img, (int)n, boxes, f->points, r->pool);
	free(boxes);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < n; i++)
		if (vision_pose_estimate(f->points + i * 2 * N_LANDMARKS, &f->poses[i]) < 0)
			f->poses[i] = (vision_pose){ 0 };
	return 0;
}

/* Rounds to hundredths so that JSON and text stay short and stable. */
static double hundredths(float v)
{
	return round((double)v * 100.0) / 100.0;
}

static json_t *faces_json(const struct faces_run *r, const vision_box *b, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *face = json_pack("{s:i, s:i, s:i, s:i, s:i}", "x", b[i].x, "y", b[i].y, "width", b[i].width,
		                         "height", b[i].height, "neighbors", b[i].neighbors);
		if (r->shape) {
			const float *p = r->fit.points + i * 2 * N_LANDMARKS;
			const vision_pose *pose = &r->fit.poses[i];
			json_t *pts = json_array();
			for (int k = 0; k < N_LANDMARKS; k++)
				json_array_append_new(pts, json_pack("[f, f]", hundredths(p[2 * k]), hundredths(p[2 * k + 1])));
			json_object_set_new(face, "landmarks", pts);
			json_object_set_new(face, "pose", json_pack("{s:f, s:f, s:f}", "yaw", hundredths(pose->yaw),
			                                            "pitch", hundredths(pose->pitch),
			                                            "roll", hundredths(pose->roll)));
		}
		json_array_append_new(arr, face);
	}
	return arr;
}

static void print_faces(const struct faces_run *r, const char *what, const vision_box *b, size_t n)
{
	printf("%s: %zu face%s\n", what, n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		printf("  %d %d %d %d  (%d neighbours)\n", b[i].x, b[i].y, b[i].width, b[i].height, b[i].neighbors);
		if (!r->shape)
			continue;
		const vision_pose *pose = &r->fit.poses[i];
		printf("    pose: yaw %.1f pitch %.1f roll %.1f\n    landmarks:", pose->yaw, pose->pitch, pose->roll);
		const float *p = r->fit.points + i * 2 * N_LANDMARKS;
		for (int k = 0; k < N_LANDMARKS; k++)
			printf(" %.1f,%.1f", p[2 * k], p[2 * k + 1]);
		putchar('\n');
	}
}

/* Draws the boxes and, with --landmarks, the points of r->fit. */
static void draw_faces(const struct faces_run *r, media_image *img, const vision_box *b, size_t n, int thickness)
{
	vision_draw_boxes(img, b, n, thickness);
	if (r->shape)
		vision_draw_points(img, r->fit.points, n * N_LANDMARKS, thickness / 2);
}

static int run_image(struct faces_run *r, const char *path)
{
	media_image *img = media_image_load(path, 3);
	if (!img)
		return cli_error_bj();
	const vision_box *b;
	size_t n;
	int status = CLI_EXIT_OK;
	if (vision_detect(r->det, img, &r->o->params, &b, &n) < 0 || fit_faces(r, img, b, n) < 0) {
		status = cli_error_bj();
		goto out;
	}
	if (r->out)
		json_array_append_new(r->out, json_pack("{s:s, s:i, s:i, s:o}", "path", path, "width", img->width,
		                                        "height", img->height, "faces", faces_json(r, b, n)));
	else
		print_faces(r, path, b, n);
	if (r->o->draw) {
		draw_faces(r, img, b, n, img->width >= 800 ? 3 : 2);
		if (media_image_save(img, r->o->draw, 90) < 0)
			status = cli_error_bj();
	}
out:
	media_image_free(img);
	return status;
}

/* Keeps a small copy of a sampled frame, boxes drawn, for the contact sheet. */
static int add_tile(struct faces_run *r, const media_image *frame, const vision_box *b, size_t n)
{
	if (r->n_tiles == SHEET_MAX_TILES)
		return 0;
	media_image *copy = media_image_convert(frame, 3);
	if (!copy)
		return -1;
	draw_faces(r, copy, b, n, frame->width >= 800 ? 4 : 3);
	int h = (int)lrint((double)frame->height * SHEET_TILE_WIDTH / frame->width);
	media_image *tile = media_image_resize(copy, SHEET_TILE_WIDTH, h < 1 ? 1 : h);
	media_image_free(copy);
	if (!tile)
		return -1;
	r->tiles[r->n_tiles++] = tile;
	return 0;
}

static int run_video(struct faces_run *r, const char *path)
{
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return cli_error_bj();
	const media_info *info = media_decoder_info(d);
	int status = CLI_EXIT_OK;
	json_t *frames = NULL;
	bj_progress *bar = NULL;
	if (info->video < 0) {
		status = cli_error("'%s': no video stream", path);
		goto out;
	}
	if (media_decoder_set_output(d, 0, 0, 3) < 0) {
		status = cli_error_bj();
		goto out;
	}
	const media_stream_info *v = &info->streams[info->video];
	frames = json_array();
	bar = bj_progress_new("faces", (uint64_t)(info->duration / r->o->every) + 1, "frames");
	double next = 0.0;
	uint64_t done = 0;
	const media_frame *f;
	int ret;
	while ((ret = media_decoder_read(d, &f)) > 0) {
		if (f->time + 1e-6 < next)
			continue;
		while (next <= f->time + 1e-6)
			next += r->o->every;
		const vision_box *b;
		size_t n;
		if (vision_detect(r->det, &f->image, &r->o->params, &b, &n) < 0 || fit_faces(r, &f->image, b, n) < 0 ||
		    (r->o->draw && add_tile(r, &f->image, b, n) < 0)) {
			ret = -1;
			break;
		}
		if (r->out) {
			json_array_append_new(frames, json_pack("{s:f, s:o}", "time", f->time, "faces", faces_json(r, b, n)));
		} else {
			char *what = bj_xasprintf("%s at %.2f s", path, f->time);
			print_faces(r, what, b, n);
			free(what);
		}
		bj_progress_set(bar, ++done, NULL);
	}
	bj_progress_finish(bar);
	bar = NULL;
	if (ret < 0) {
		status = cli_error_bj();
		goto out;
	}
	if (r->out) {
		json_array_append_new(r->out, json_pack("{s:s, s:i, s:i, s:f, s:o}", "path", path, "width", v->width,
		                                        "height", v->height, "every", r->o->every, "frames", frames));
		frames = NULL;
	}
	if (r->o->draw) {
		media_image *sheet = r->n_tiles ? vision_sheet((const media_image *const *)r->tiles, r->n_tiles,
		                                               SHEET_COLUMNS) : NULL;
		if (!r->n_tiles)
			status = cli_error("'%s': no frames to draw", path);
		else if (!sheet || media_image_save(sheet, r->o->draw, 90) < 0)
			status = cli_error_bj();
		media_image_free(sheet);
	}
out:
	bj_progress_finish(bar);
	json_decref(frames);
	media_decoder_close(d);
	return status;
}

static char *cascade_path(const char *name)
{
	for (size_t i = 0; i < BJ_ARRAY_SIZE(cascades); i++)
		if (strcmp(name, cascades[i].name) == 0)
			return bj_xasprintf("%s/%s", CASCADE_DIR, cascades[i].file);
	return bj_xstrdup(name);
}

static int parse_args(int argc, char **argv, struct faces_options *o)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "cascade", required_argument, NULL, 'c' },
		{ "scale-factor", required_argument, NULL, 's' },
		{ "min-neighbors", required_argument, NULL, 'n' },
		{ "min-size", required_argument, NULL, 'm' },
		{ "every", required_argument, NULL, 'e' },
		{ "draw", required_argument, NULL, 'd' },
		{ "threads", required_argument, NULL, 't' },
		{ "landmarks", no_argument, NULL, 'l' },
		{ "shape-model", required_argument, NULL, 'p' },
		{ 0 },
	};
	int opt;
	long v;
	cli_args a;
	cli_args_init(&a, argc, argv, "", options, cmd_faces_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case 'j':
			o->json = 1;
			break;
		case 'c':
			o->cascade = optarg;
			break;
		case 's':
			if (cli_parse_real(optarg, 1.0001, 10, &o->params.scale_factor) < 0)
				return cli_usage_error(cmd_faces_usage, "--scale-factor must be a number above 1 and at most 10");
			break;
		case 'n':
			if (cli_parse_int(optarg, 0, 1000, &v) < 0)
				return cli_usage_error(cmd_faces_usage, "--min-neighbors must be a whole number from 0 to 1000");
			o->params.min_neighbors = (int)v;
			break;
		case 'm':
			if (cli_parse_int(optarg, 0, MEDIA_IMAGE_MAX_SIDE, &v) < 0)
				return cli_usage_error(cmd_faces_usage, "--min-size must be a whole number of pixels");
			o->params.min_width = o->params.min_height = (int)v;
			break;
		case 'e':
			if (cli_parse_time(optarg, &o->every) < 0 || o->every < 0.01)
				return cli_usage_error(cmd_faces_usage, "--every must be a time of at least 0.01 s");
			break;
		case 'd':
			o->draw = optarg;
			break;
		case 'l':
			o->landmarks = 1;
			break;
		case 'p':
			o->shape_model = optarg;
			break;
		case 't':
			if (cli_parse_int(optarg, 1, BJ_POOL_MAX_THREADS, &o->threads) < 0)
				return cli_usage_error(cmd_faces_usage, "--threads must be a whole number from 1 to %d",
				                       BJ_POOL_MAX_THREADS);
			break;
		}
	}
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if (optind == argc)
		return cli_usage_error(cmd_faces_usage, "no images or videos given");
	if (o->shape_model && !o->landmarks)
		return cli_usage_error(cmd_faces_usage, "--shape-model needs --landmarks");
	if (o->draw && optind + 1 != argc)
		return cli_usage_error(cmd_faces_usage, "--draw takes one image or video");
	return CLI_EXIT_OK;
}

int cmd_faces(int argc, char **argv)
{
	struct faces_options o = { .cascade = "haar", .params = VISION_DETECT_DEFAULTS, .every = 1.0, .threads = 2 };
	int status = parse_args(argc, argv, &o);
	if (status != CLI_EXIT_OK)
		return status;
	char *path = cascade_path(o.cascade);
	vision_cascade *c = vision_cascade_load(path);
	free(path);
	if (!c)
		return cli_error_bj();
	vision_shape_model *shape = NULL;
	if (o.landmarks && !(shape = vision_shape_model_load(o.shape_model ? o.shape_model : VISION_SHAPE_MODEL_68))) {
		vision_cascade_free(c);
		return cli_error_bj();
	}
	bj_pool *pool = bj_pool_new((int)o.threads);
	if (!pool) {
		vision_shape_model_free(shape);
		vision_cascade_free(c);
		return cli_error_bj();
	}
	struct faces_run r = { .o = &o, .det = vision_detector_new(c, pool), .shape = shape, .pool = pool,
	                       .out = o.json ? json_array() : NULL };
	for (int i = optind; i < argc && status == CLI_EXIT_OK; i++)
		status = is_image(argv[i]) ? run_image(&r, argv[i]) : run_video(&r, argv[i]);
	if (status == CLI_EXIT_OK && r.out) {
		json_dumpf(r.out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		putchar('\n');
	}
	for (size_t i = 0; i < r.n_tiles; i++)
		media_image_free(r.tiles[i]);
	json_decref(r.out);
	free(r.fit.points);
	free(r.fit.poses);
	vision_shape_model_free(shape);
	vision_detector_free(r.det);
	bj_pool_free(pool);
	vision_cascade_free(c);
	return status;
}
