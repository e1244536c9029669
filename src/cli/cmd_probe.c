/*
 * cmd_probe.c - `benjamin probe FILE...`: what a media file holds.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "media/decoder.h"

const char *const cmd_probe_usage[] = {
	"benjamin probe [--json] FILE...",
	"",
	"Shows each file's container, duration and streams: codec, picture size,",
	"frame rate and count, rotation, sample rate and channels, and its tags.",
	"Files that cannot be read are reported and the others still shown.",
	"",
	"  --json      one JSON object per file, in a JSON array",
	"  -h, --help  show this help",
	NULL,
};

static const char *type_name(enum media_stream_type t)
{
	switch (t) {
	case MEDIA_STREAM_VIDEO: return "video";
	case MEDIA_STREAM_AUDIO: return "audio";
	case MEDIA_STREAM_SUBTITLE: return "subtitle";
	case MEDIA_STREAM_OTHER: break;
	}
	return "other";
}

static void print_text(const char *path, const media_info *info)
{
	printf("%s\n", path);
	printf("  format    %s, %.3f s, %lld kb/s, %lld bytes\n", info->format, info->duration,
	       (long long)(info->bit_rate / 1000), (long long)info->file_size);
	for (int i = 0; i < info->n_streams; i++) {
		const media_stream_info *s = &info->streams[i];
		printf("  stream %d  %-5s %s", s->index, type_name(s->type), s->codec);
		if (s->type == MEDIA_STREAM_VIDEO) {
			printf("  %dx%d", s->width, s->height);
			if (s->sar_num != s->sar_den)
				printf("  SAR %d:%d", s->sar_num, s->sar_den);
			if (s->fps_num > 0 && s->fps_den > 0)
				printf("  %.3f fps (%d/%d)", (double)s->fps_num / s->fps_den, s->fps_num, s->fps_den);
			if (s->frames > 0)
				printf("  %lld frames", (long long)s->frames);
			if (s->rotation)
				printf("  rotated %d", s->rotation);
			printf("  %s", s->pix_fmt);
		} else if (s->type == MEDIA_STREAM_AUDIO) {
			printf("  %d Hz  %d ch  %s", s->sample_rate, s->channels, s->sample_fmt);
		}
		if (s->duration > 0)
			printf("  %.3f s", s->duration);
		if (i == info->video || i == info->audio)
			printf("  (used)");
		putchar('\n');
	}
	for (int t = 0; t < info->n_tags; t++)
		printf("  tag       %s=%s\n", info->tags[2 * t], info->tags[2 * t + 1]);
}

static json_t *to_json(const char *path, const media_info *info)
{
	json_t *streams = json_array();
	for (int i = 0; i < info->n_streams; i++) {
		const media_stream_info *s = &info->streams[i];
		json_t *js = json_pack("{s:i, s:s, s:s, s:f, s:I}", "index", s->index, "type",
		                       type_name(s->type), "codec", s->codec, "duration", s->duration,
		                       "bit_rate", (json_int_t)s->bit_rate);
		if (s->type == MEDIA_STREAM_VIDEO) {
			json_object_set_new(js, "width", json_integer(s->width));
			json_object_set_new(js, "height", json_integer(s->height));
			json_object_set_new(js, "sample_aspect_ratio",
			                    json_pack("[i, i]", s->sar_num, s->sar_den));
			json_object_set_new(js, "frame_rate", json_pack("[i, i]", s->fps_num, s->fps_den));
			json_object_set_new(js, "frames", json_integer(s->frames));
			json_object_set_new(js, "rotation", json_integer(s->rotation));
			json_object_set_new(js, "pix_fmt", json_string(s->pix_fmt));
		} else if (s->type == MEDIA_STREAM_AUDIO) {
			json_object_set_new(js, "sample_rate", json_integer(s->sample_rate));
			json_object_set_new(js, "channels", json_integer(s->channels));
			json_object_set_new(js, "sample_fmt", json_string(s->sample_fmt));
		}
		json_array_append_new(streams, js);
	}
	json_t *tags = json_object();
	for (int t = 0; t < info->n_tags; t++)
		json_object_set_new(tags, info->tags[2 * t], json_string(info->tags[2 * t + 1]));
	return json_pack("{s:s, s:s, s:f, s:I, s:I, s:o, s:o}", "file", path, "format", info->format,
	                 "duration", info->duration, "bit_rate", (json_int_t)info->bit_rate,
	                 "size", (json_int_t)info->file_size, "streams", streams, "tags", tags);
}

int cmd_probe(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ 0 },
	};
	int json = 0, opt;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'j')
			json = 1;
		else
			return cli_usage_error(cmd_probe_usage, "unknown option '%s'", argv[optind - 1]);
	}
	if (optind == argc)
		return cli_usage_error(cmd_probe_usage, "no files to probe");

	int status = CLI_EXIT_OK;
	json_t *all = json ? json_array() : NULL;
	for (int i = optind; i < argc; i++) {
		media_decoder *d;
		if (media_decoder_open(argv[i], &d) < 0) {
			status = cli_error_bj();
			continue;
		}
		if (json)
			json_array_append_new(all, to_json(argv[i], media_decoder_info(d)));
		else
			print_text(argv[i], media_decoder_info(d));
		media_decoder_close(d);
	}
	if (json) {
		json_dumpf(all, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		putchar('\n');
		json_decref(all);
	}
	return status;
}
