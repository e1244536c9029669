/*
 * cmd_index.c - `benjamin index PATH... [--library lib.db]`: cut films into shots
 * and describe them in the footage library.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/log.h"
#include "base/progress.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "library/identities.h"
#include "library/ingest.h"
#include "library/library.h"
#include "media/decoder.h"

const char *const cmd_index_usage[] = {
	"benjamin index PATH... [--library FILE] [--no-faces]",
	"",
	"Indexes every video under each PATH (files, or folders walked recursively)",
	"into the footage library: shots (cuts and gradual transitions), a keyframe",
	"per shot, its look (brightness, contrast, colour, black-and-white, motion,",
	"day/night and interior/exterior guesses) and its sound (loudness, speech).",
	"Files already indexed (same content) are skipped, so a second run only adds",
	"new or changed files; an interrupted run resumes at the film it stopped in.",
	"Files that are not video, or are damaged, are reported and skipped.  The",
	"footage is only read, never changed.  Faces are found in two frames a",
	"second (OpenCV's haarcascade_frontalface_alt2 and dlib's 68 landmarks, see",
	"`benjamin faces`), followed through each shot, and stored with their head",
	"pose.  Then the faces of the whole library are grouped by who they are",
	"(footage actors, see `benjamin library cast`).",
	"",
	"  --library FILE  the library (default ./library.db; created if missing)",
	"  --no-faces      do not look for faces (faster)",
	"  -h, --help      show this help",
	NULL,
};

struct overall {
	bj_progress *bar;
	double base;        /* seconds of footage in the films before this one */
	size_t film, films;
	const char *name;
};

static void on_progress(void *ctx, const library_index_progress *p)
{
	struct overall *o = ctx;
	char item[512];
	int pct = p->duration > 0 ? (int)(100 * p->seconds_done / p->duration) : 0;
	snprintf(item, sizeof(item), "film %zu/%zu %s %d%%", o->film + 1, o->films, o->name,
	         pct > 100 ? 100 : pct);
	double s = p->seconds_done < p->duration ? p->seconds_done : p->duration;
	bj_progress_set(o->bar, (uint64_t)(o->base + (s > 0 ? s : 0)), item);
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static int index_all(const char *db, char *const *paths, size_t n_paths, int faces)
{
	char **files;
	size_t n;
	if (library_collect_files(paths, n_paths, &files, &n) < 0)
		return cli_error_bj();
	library_faces *lf = NULL;
	if (faces && !(lf = library_faces_new())) {
		library_files_free(files, n);
		return cli_error_bj();
	}
	library *lib;
	if (library_open(db, &lib) < 0) {
		library_faces_free(lf);
		library_files_free(files, n);
		return cli_error_bj();
	}
	/* The footage to come, for the overall bar: a quick look at each file. */
	double *durations = calloc(n + 1, sizeof(double)), total = 0;
	for (size_t i = 0; i < n && durations; i++) {
		media_decoder *d;
		if (media_decoder_open(files[i], &d) == 0) {
			durations[i] = media_decoder_info(d)->duration;
			total += durations[i];
			media_decoder_close(d);
		}
	}
	bj_error_clear();
	struct overall o = { bj_progress_new("index", (uint64_t)total, "s of footage"), 0, 0, n, "" };
	int status = CLI_EXIT_OK;
	size_t indexed = 0, unchanged = 0, skipped = 0, shots = 0;
	double minutes = 0;
	library_index_options opts = { .progress = on_progress, .progress_ctx = &o, .faces = lf };
	for (size_t i = 0; i < n; i++) {
		o.film = i;
		o.name = base_name(files[i]);
		library_index_report r;
		if (library_index_file(lib, files[i], &opts, &r) < 0) {
			bj_progress_finish(o.bar);
			o.bar = NULL;
			status = cli_error_bj();
			break;
		}
		switch (r.status) {
		case LIBRARY_INDEXED:
			indexed++;
			shots += (size_t)r.shots;
			minutes += r.duration / 60;
			bj_log(BJ_LOG_INFO, "'%s': %d shots in %.1f s, %" PRId64 " faces in %" PRId64 " tracks", files[i],
			       r.shots, r.duration, r.faces, r.tracks);
			break;
		case LIBRARY_UNCHANGED:
			unchanged++;
			break;
		case LIBRARY_SKIPPED:
		case LIBRARY_DAMAGED:
			skipped++;
			bj_log(BJ_LOG_WARN, "%s; skipped", r.message);
			break;
		}
		o.base += durations ? durations[i] : 0;
		bj_progress_set(o.bar, (uint64_t)o.base, NULL);
	}
	bj_progress_finish(o.bar);
	/* who is who, across the whole library: re-clustered after every run */
	int identities = -1;
	if (status == CLI_EXIT_OK && lf && library_identities_update(lib, &identities) < 0)
		status = cli_error_bj();
	if (status == CLI_EXIT_OK) {
		printf("%zu indexed (%zu shots, %.1f min of footage), %zu unchanged, %zu skipped\n", indexed, shots,
		       minutes, unchanged, skipped);
		if (identities >= 0)
			printf("%d people in the library's footage (see 'benjamin library cast')\n", identities);
	}
	free(durations);
	library_close(lib);
	library_faces_free(lf);
	library_files_free(files, n);
	return status;
}

int cmd_index(int argc, char **argv)
{
	static const struct option options[] = {
		{ "library", required_argument, NULL, 'l' },
		{ "no-faces", no_argument, NULL, 'f' },
		{ 0 },
	};
	const char *db = "library.db";
	int opt, faces = 1;
	cli_args a;
	cli_args_init(&a, argc, argv, "", options, cmd_index_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case 'l':
			db = optarg;
			break;
		case 'f':
			faces = 0;
			break;
		}
	}
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if (optind == argc)
		return cli_usage_error(cmd_index_usage, "no file or folder given");
	return index_all(db, argv + optind, (size_t)(argc - optind), faces);
}
