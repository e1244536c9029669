/*
 * cmd_library.c - `benjamin library ls|shots|sheet|query|cast`: browse the footage
 * library that `benjamin index` builds.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "library/castsheet.h"
#include "library/identities.h"
#include "library/library.h"
#include "library/query.h"
#include "library/sheet.h"

const char *const cmd_library_usage[] = {
	"benjamin library ls [--library FILE]",
	"   or: benjamin library shots FILM [--json] [--library FILE]",
	"   or: benjamin library sheet FILM -o SHEET.jpg [--columns N] [--library FILE]",
	"   or: benjamin library query [filters] [--json] [--library FILE]",
	"   or: benjamin library cast [LIBRARY] [--json] [--sheet CAST.jpg] [--faces N]",
	"",
	"Browses the footage library built by 'benjamin index'.  FILM is a film's id",
	"(from 'ls') or its path.",
	"",
	"  ls      films: id, duration, shots, size, date indexed, path",
	"  shots   a film's shots: times, how each begins, look and sound",
	"  sheet   a contact sheet: every shot's keyframe with its number and time",
	"  query   shots across the library that match all the filters given:",
	"    --min-duration S, --max-duration S   shot length in seconds",
	"    --bw | --color                       black-and-white or colour",
	"    --min-brightness B, --max-brightness B   mean brightness, 0..1",
	"    --speech | --no-speech               someone speaks (voice >= 30% of the shot)",
	"    --motion | --still                   subject or camera moves",
	"    --day | --night, --interior | --exterior   guesses from the look",
	"    --limit N                            at most N shots",
	"  cast    the footage actors: the people whose faces 'benjamin index' found,",
	"          grouped by who they are across the library; id, screen time,",
	"          tracks, shots and films, the most screen time first",
	"",
	"  --library FILE  the library (default ./library.db)",
	"  --json          JSON instead of a table (shots, query)",
	"  -o, --output    the sheet's file (.jpg or .png)",
	"  --columns N     keyframes a row on the sheet (default 4)",
	"  --sheet FILE    cast: also draw each actor's faces on a sheet (.jpg, .png)",
	"  --faces N       faces an actor on the cast sheet, 1..16 (default 6)",
	"  -h, --help      show this help",
	NULL,
};

static void clock_text(char *buf, size_t size, double t)
{
	int m = (int)(t / 60);
	snprintf(buf, size, "%d:%05.2f", m, t - 60.0 * m);
}

static void colours_text(char *buf, size_t size, const library_shot *s)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int k = 0; k < LIBRARY_COLOURS && s->colour_share[k] > 0; k++)
		len += (size_t)snprintf(buf + len, size - len, "%s#%06x", k ? "," : "", s->colours[k]);
}

static void print_table(const library_shot *shots, size_t n, library *lib, int with_film)
{
	printf("%s%5s %10s %8s %-8s %5s %5s %5s %3s %-23s %6s %6s %6s %6s %-5s %s\n",
	       with_film ? "film  " : "", "shot", "start", "length", "in", "light", "contr", "colr", "bw",
	       "colours", "motion", "camera", "LUFS", "speech", "day", "place");
	for (size_t i = 0; i < n; i++) {
		const library_shot *s = &shots[i];
		char t0[32], col[64], lufs[16], speech[16];
		clock_text(t0, sizeof(t0), s->start);
		colours_text(col, sizeof(col), s);
		if (s->speech < 0) {
			snprintf(lufs, sizeof(lufs), "-");
			snprintf(speech, sizeof(speech), "-");
		} else {
			snprintf(lufs, sizeof(lufs), "%.1f", s->loudness);
			snprintf(speech, sizeof(speech), "%.2f", s->speech);
		}
		if (with_film)
			printf("%-5" PRId64 " ", s->film_id);
		printf("%5d %10s %7.2fs %-8s %5.2f %5.2f %5.1f %3s %-23s %6.3f %6.2f %6s %6s %-5s %s\n", s->number, t0,
		       s->end - s->start, s->transition_in, s->brightness, s->contrast, s->colourfulness,
		       s->bw ? "yes" : "no", col, s->motion, s->camera_motion, lufs, speech, s->daynight, s->place);
	}
	(void)lib;
}

static int print_json(const library_shot *shots, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const library_shot *s = &shots[i];
		json_t *cols = json_array();
		for (int k = 0; k < LIBRARY_COLOURS && s->colour_share[k] > 0; k++) {
			char hex[16];
			snprintf(hex, sizeof(hex), "#%06x", s->colours[k]);
			json_array_append_new(cols, json_pack("{s:s, s:f}", "rgb", hex, "share", s->colour_share[k]));
		}
		json_t *o = json_pack("{s:I, s:I, s:i, s:I, s:I, s:f, s:f, s:s, s:f, s:f, s:f, s:b, s:o, s:f, s:f, s:s, s:s, s:I}",
		                      "id", (json_int_t)s->id, "film", (json_int_t)s->film_id, "shot", s->number,
		                      "start_frame", (json_int_t)s->start_frame, "end_frame", (json_int_t)s->end_frame,
		                      "start", s->start, "end", s->end, "transition_in", s->transition_in,
		                      "brightness", s->brightness, "contrast", s->contrast,
		                      "colourfulness", s->colourfulness, "bw", s->bw, "colours", cols,
		                      "motion", s->motion, "camera_motion", s->camera_motion,
		                      "daynight", s->daynight, "place", s->place, "keyframe", (json_int_t)s->keyframe);
		if (s->speech >= 0) {
			json_object_set_new(o, "loudness", json_real(s->loudness));
			json_object_set_new(o, "speech", json_real(s->speech));
		} else {
			json_object_set_new(o, "loudness", json_null());
			json_object_set_new(o, "speech", json_null());
		}
		json_array_append_new(arr, o);
	}
	char *text = json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	json_decref(arr);
	if (!text)
		return cli_error("out of memory");
	puts(text);
	free(text);
	return CLI_EXIT_OK;
}

static int do_ls(library *lib)
{
	library_film *films;
	size_t n;
	if (library_films(lib, &films, &n) < 0)
		return cli_error_bj();
	printf("%-5s %10s %6s %9s %6s %-19s %s\n", "id", "duration", "shots", "size", "fps", "indexed", "path");
	double total = 0;
	size_t shots = 0;
	for (size_t i = 0; i < n; i++) {
		char dur[32];
		clock_text(dur, sizeof(dur), films[i].duration);
		printf("%-5" PRId64 " %10s %6d %7.1fMB %6.2f %-19s %s\n", films[i].id, dur, films[i].n_shots,
		       (double)films[i].size / 1e6, films[i].fps, films[i].indexed_at, films[i].path);
		total += films[i].duration;
		shots += (size_t)films[i].n_shots;
	}
	printf("%zu films, %zu shots, %.1f min of footage\n", n, shots, total / 60);
	library_films_free(films, n);
	return CLI_EXIT_OK;
}

static int do_shots(library *lib, const char *name, int json)
{
	library_film film;
	if (library_film_find(lib, name, &film) < 0)
		return cli_error_bj();
	library_shot *shots;
	size_t n;
	int status = CLI_EXIT_OK;
	if (library_shots(lib, film.id, &shots, &n) < 0) {
		status = cli_error_bj();
	} else {
		if (json) {
			status = print_json(shots, n);
		} else {
			printf("%s: %zu shots\n", film.path, n);
			print_table(shots, n, lib, 0);
		}
		free(shots);
	}
	library_film_release(&film);
	return status;
}

static int do_sheet(library *lib, const char *name, const char *out, int columns)
{
	library_film film;
	if (library_film_find(lib, name, &film) < 0)
		return cli_error_bj();
	int status = CLI_EXIT_OK;
	if (library_sheet_save(lib, film.id, out, columns) < 0)
		status = cli_error_bj();
	else
		printf("%s\n", out);
	library_film_release(&film);
	return status;
}

static int do_cast(library *lib, int json, const char *sheet, int faces)
{
	library_identity *ids;
	size_t n;
	if (library_identities(lib, &ids, &n) < 0)
		return cli_error_bj();
	int status = CLI_EXIT_OK;
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:I, s:s?, s:f, s:i, s:i, s:i, s:I}", "id", (json_int_t)ids[i].id,
			                                     "name", ids[i].name[0] ? ids[i].name : NULL,
			                                     "screen_time", ids[i].screen_time, "tracks", ids[i].n_tracks,
			                                     "shots", ids[i].n_shots, "films", ids[i].n_films,
			                                     "face", (json_int_t)ids[i].face_id));
		char *text = json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
		json_decref(arr);
		if (!text)
			status = cli_error("out of memory");
		else
			puts(text);
		free(text);
	} else {
		printf("%-5s %10s %6s %6s %6s  %s\n", "id", "on screen", "tracks", "shots", "films", "name");
		double total = 0;
		for (size_t i = 0; i < n; i++) {
			char t[32];
			clock_text(t, sizeof t, ids[i].screen_time);
			printf("%-5" PRId64 " %10s %6d %6d %6d  %s\n", ids[i].id, t, ids[i].n_tracks, ids[i].n_shots,
			       ids[i].n_films, ids[i].name);
			total += ids[i].screen_time;
		}
		printf("%zu footage actors, %.1f s of faces on screen\n", n, total);
	}
	free(ids);
	if (status == CLI_EXIT_OK && sheet) {
		if (library_cast_sheet_save(lib, sheet, faces) < 0)
			status = cli_error_bj();
		else if (!json)
			printf("%s\n", sheet);
	}
	return status;
}

int cmd_library(int argc, char **argv)
{
	enum { O_LIB = 256, O_JSON, O_COLS, O_MIND, O_MAXD, O_BW, O_COLOR, O_MINB, O_MAXB, O_SPEECH,
	       O_NOSPEECH, O_MOTION, O_STILL, O_DAY, O_NIGHT, O_INT, O_EXT, O_LIMIT, O_SHEET, O_FACES };
	static const struct option options[] = {
		{ "library", required_argument, NULL, O_LIB },
		{ "json", no_argument, NULL, O_JSON },
		{ "output", required_argument, NULL, 'o' },
		{ "columns", required_argument, NULL, O_COLS },
		{ "min-duration", required_argument, NULL, O_MIND },
		{ "max-duration", required_argument, NULL, O_MAXD },
		{ "bw", no_argument, NULL, O_BW },
		{ "color", no_argument, NULL, O_COLOR },
		{ "colour", no_argument, NULL, O_COLOR },
		{ "min-brightness", required_argument, NULL, O_MINB },
		{ "max-brightness", required_argument, NULL, O_MAXB },
		{ "speech", no_argument, NULL, O_SPEECH },
		{ "no-speech", no_argument, NULL, O_NOSPEECH },
		{ "motion", no_argument, NULL, O_MOTION },
		{ "still", no_argument, NULL, O_STILL },
		{ "day", no_argument, NULL, O_DAY },
		{ "night", no_argument, NULL, O_NIGHT },
		{ "interior", no_argument, NULL, O_INT },
		{ "exterior", no_argument, NULL, O_EXT },
		{ "limit", required_argument, NULL, O_LIMIT },
		{ "sheet", required_argument, NULL, O_SHEET },
		{ "faces", required_argument, NULL, O_FACES },
		{ 0 },
	};
	const char *db = "library.db", *out = NULL, *sheet = NULL;
	int json = 0, filters = 0;
	long columns = 4, limit = 0, faces = 6;
	library_query q;
	library_query_init(&q);
	int opt;
	cli_args a;
	cli_args_init(&a, argc, argv, "o:", options, cmd_library_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		if (opt >= O_MIND && opt <= O_LIMIT)
			filters = 1;
		switch (opt) {
		case O_LIB: db = optarg; break;
		case O_JSON: json = 1; break;
		case 'o': out = optarg; break;
		case O_COLS:
			if (cli_parse_int(optarg, 1, 16, &columns) < 0)
				return cli_usage_error(cmd_library_usage, "--columns must be a whole number from 1 to 16");
			break;
		case O_MIND:
		case O_MAXD:
			if (cli_parse_real(optarg, 0, 1e9, opt == O_MIND ? &q.min_duration : &q.max_duration) < 0)
				return cli_usage_error(cmd_library_usage, "--%s must be a number of seconds, not '%s'",
				                       opt == O_MIND ? "min-duration" : "max-duration", optarg);
			break;
		case O_MINB:
		case O_MAXB:
			if (cli_parse_real(optarg, 0, 1, opt == O_MINB ? &q.min_brightness : &q.max_brightness) < 0)
				return cli_usage_error(cmd_library_usage, "--%s must be a number from 0 to 1, not '%s'",
				                       opt == O_MINB ? "min-brightness" : "max-brightness", optarg);
			break;
		case O_BW: q.bw = 1; break;
		case O_COLOR: q.bw = 0; break;
		case O_SPEECH: q.speech = 1; break;
		case O_NOSPEECH: q.speech = 0; break;
		case O_MOTION: q.motion = 1; break;
		case O_STILL: q.motion = 0; break;
		case O_DAY: q.daynight = "day"; break;
		case O_NIGHT: q.daynight = "night"; break;
		case O_INT: q.place = "interior"; break;
		case O_EXT: q.place = "exterior"; break;
		case O_LIMIT:
			if (cli_parse_int(optarg, 1, 1000000000, &limit) < 0)
				return cli_usage_error(cmd_library_usage, "--limit must be a positive whole number");
			q.limit = (int)limit;
			break;
		case O_SHEET: sheet = optarg; break;
		case O_FACES:
			if (cli_parse_int(optarg, 1, 16, &faces) < 0)
				return cli_usage_error(cmd_library_usage, "--faces must be a whole number from 1 to 16");
			break;
		}
	}
	if (a.status != CLI_EXIT_OK)
		return a.status;
	if (optind == argc)
		return cli_usage_error(cmd_library_usage, "no subcommand given (ls, shots, sheet, query or cast)");
	const char *sub = argv[optind++];
	int nargs = argc - optind;
	int want = strcmp(sub, "shots") == 0 || strcmp(sub, "sheet") == 0 ? 1 : 0;
	if (strcmp(sub, "ls") && strcmp(sub, "shots") && strcmp(sub, "sheet") && strcmp(sub, "query") &&
	    strcmp(sub, "cast"))
		return cli_usage_error(cmd_library_usage, "'%s' is not a library subcommand (ls, shots, sheet, query, cast)",
		                       sub);
	if (strcmp(sub, "cast") == 0 && nargs == 1)   /* the library may be named without --library */
		db = argv[optind], nargs = 0;
	if ((sheet || faces != 6) && strcmp(sub, "cast"))
		return cli_usage_error(cmd_library_usage, "--sheet and --faces are for 'library cast' only");
	if (nargs != want)
		return cli_usage_error(cmd_library_usage, want ? "'library %s' takes one film" :
		                       "'library %s' takes no arguments", sub);
	if (filters && strcmp(sub, "query"))
		return cli_usage_error(cmd_library_usage, "filters apply to 'library query' only");
	if (strcmp(sub, "sheet") == 0 && !out)
		return cli_usage_error(cmd_library_usage, "no output file given (-o)");
	library *lib;
	if (library_open_readonly(db, &lib) < 0)
		return cli_error_bj();
	int status;
	if (strcmp(sub, "ls") == 0) {
		status = do_ls(lib);
	} else if (strcmp(sub, "shots") == 0) {
		status = do_shots(lib, argv[optind], json);
	} else if (strcmp(sub, "sheet") == 0) {
		status = do_sheet(lib, argv[optind], out, (int)columns);
	} else if (strcmp(sub, "cast") == 0) {
		status = do_cast(lib, json, sheet, (int)faces);
	} else {
		library_shot *shots;
		size_t n;
		if (library_query_shots(lib, &q, &shots, &n) < 0) {
			status = cli_error_bj();
		} else {
			status = json ? print_json(shots, n) : CLI_EXIT_OK;
			if (!json) {
				print_table(shots, n, lib, 1);
				printf("%zu shots\n", n);
			}
			free(shots);
		}
	}
	library_close(lib);
	return status;
}
