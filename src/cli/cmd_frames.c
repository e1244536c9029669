/*
 * cmd_frames.c - `benjamin frames FILE --at T... -o DIR`: still frames as images.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "media/decoder.h"
#include "media/imagefile.h"

const char *const cmd_frames_usage[] = {
	"benjamin frames FILE --at TIME... -o DIR [--width W] [--format png|jpg]",
	"",
	"Saves the frame shown at each TIME as DIR/<name>-<seconds>s.<format>, and",
	"prints each path written.  TIME is seconds (12.5) or [H:]M:S (1:02.5); give",
	"--at several times or a comma-separated list.  DIR is created if needed.",
	"",
	"  --at TIME[,TIME...]  times to extract",
	"  -o, --output DIR     folder for the images",
	"  --width W            scale to W pixels wide, keeping the aspect ratio",
	"  --format FMT         png (default) or jpg",
	"  -h, --help           show this help",
	NULL,
};

struct frames_options {
	double *times;
	size_t n_times, cap_times;
	const char *dir;
	long width;
	const char *format;
};

static void add_times(cli_args *a, struct frames_options *o, const char *list)
{
	char *copy = bj_xstrdup(list), *rest = copy, *item;
	while ((item = strsep(&rest, ",")) != NULL) {
		double t;
		if (cli_parse_time(item, &t) < 0) {
			cli_args_error(a, "'%s' is not a time", item);
			break;
		}
		BJ_GROW(o->times, o->cap_times, o->n_times + 1);
		o->times[o->n_times++] = t;
	}
	free(copy);
}

/* "reels/nosferatu.mp4" -> "nosferatu" */
static char *stem(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *s = bj_xstrdup(base);
	char *dot = strrchr(s, '.');
	if (dot && dot != s)
		*dot = '\0';
	return s;
}

static int extract(const char *path, const struct frames_options *o)
{
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return cli_error_bj();
	int status = CLI_EXIT_OK;
	char *name = stem(path);
	const media_info *info = media_decoder_info(d);
	if (info->video < 0) {
		status = cli_error("'%s': no video stream", path);
		goto out;
	}
	if (media_decoder_set_output(d, (int)o->width, 0, 3) < 0) {
		status = cli_error_bj();
		goto out;
	}
	for (size_t i = 0; i < o->n_times; i++) {
		const media_frame *f;
		int ret = media_decoder_seek(d, o->times[i]);
		if (ret >= 0)
			ret = media_decoder_read(d, &f);
		if (ret < 0) {
			status = cli_error_bj();
			goto out;
		}
		if (ret == 0) {
			status = cli_error("'%s': no frame at %.3f s (the video ends at %.3f s)", path,
			                   o->times[i], info->duration);
			goto out;
		}
		char *out = bj_xasprintf("%s/%s-%.3fs.%s", o->dir, name, o->times[i], o->format);
		ret = media_image_save(&f->image, out, 92);
		if (ret == 0)
			printf("%s\n", out);
		free(out);
		if (ret < 0) {
			status = cli_error_bj();
			goto out;
		}
	}
out:
	free(name);
	media_decoder_close(d);
	return status;
}

int cmd_frames(int argc, char **argv)
{
	static const struct option options[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "width", required_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' },
		{ 0 },
	};
	struct frames_options o = { .format = "png" };
	int opt, status = CLI_EXIT_OK;
	cli_args a;
	cli_args_init(&a, argc, argv, "o:", options, cmd_frames_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case 'a':
			add_times(&a, &o, optarg);
			break;
		case 'o':
			o.dir = optarg;
			break;
		case 'w':
			if (cli_parse_int(optarg, 2, MEDIA_IMAGE_MAX_SIDE, &o.width) < 0)
				cli_args_error(&a, "--width must be a whole number of pixels from 2 to %d", MEDIA_IMAGE_MAX_SIDE);
			break;
		case 'f':
			if (strcmp(optarg, "png") && strcmp(optarg, "jpg"))
				cli_args_error(&a, "--format must be png or jpg, not '%s'", optarg);
			o.format = optarg;
			break;
		}
	}
	status = a.status;
	if (status == CLI_EXIT_OK) {
		if (optind + 1 != argc)
			status = cli_usage_error(cmd_frames_usage, optind == argc ? "no file given" : "give one file");
		else if (!o.n_times)
			status = cli_usage_error(cmd_frames_usage, "no times given (--at)");
		else if (!o.dir)
			status = cli_usage_error(cmd_frames_usage, "no output folder given (-o)");
	}
	if (status == CLI_EXIT_OK) {
		if (mkdir(o.dir, 0777) != 0 && errno != EEXIST)
			status = cli_error("'%s': cannot create folder: %s", o.dir, strerror(errno));
		else
			status = extract(argv[optind], &o);
	}
	free(o.times);
	return status;
}
