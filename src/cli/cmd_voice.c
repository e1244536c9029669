/*
 * cmd_voice.c - `benjamin voice --script film.fountain -o voices/`: every line
 * of dialogue spoken, one WAV each, and lines.json with the timings.
 *
 * The screenplay is read here (text layer) and handed to perform as plain
 * lines, since perform may not use text.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "perform/voice_cast.h"
#include "perform/voice_match.h"
#include "perform/voice_script.h"
#include "text/fountain.h"
#include "text/markup.h"

const char *const cmd_voice_usage[] = {
	"benjamin voice --script FILE.fountain -o FOLDER [--cast cast.json] [--seed S]",
	"               [--extension-filter phone|radio|distance|none] [--threads N]",
	"",
	"Speaks every line of dialogue of a screenplay: one 48 kHz WAV per line in",
	"FOLDER (created if missing), normalised to -16 LUFS, and FOLDER/lines.json",
	"with each line's character, text, file, duration and word and phoneme",
	"timings.  Every character gets a voice of their own, kept for the whole",
	"film: base voices first, then voices derived by pitch and formant shifts,",
	"so that no two sound alike; --seed changes who gets which.  Parentheticals",
	"((whispering), (shouting), (quietly), (angry), (sad), (beat), ...) and",
	"punctuation (? ! ...) shape the delivery; other parentheticals are ignored.",
	"The same screenplay, cast and seed give the same files, byte for byte.",
	"",
	"  --script FILE          the screenplay (Fountain)",
	"  -o, --output FOLDER    where the WAVs and lines.json go",
	"  --cast FILE            cast.json: pin characters to voices or samples",
	"                         (format in the README, section \"Voices\")",
	"  --seed S               which character gets which voice (default 1)",
	"  --extension-filter F   colour (V.O.), (O.S.) and (O.C.) lines: phone, radio,",
	"                         distance or none (default none)",
	"  --threads N            lines spoken at once (default 2)",
	"  -h, --help             show this help",
	"",
	"example:",
	"  benjamin voice --script film.fountain --cast cast.json -o voices/",
	NULL,
};

/* The lines of a screenplay, with the strings they point to. */
struct script {
	perform_script_line *lines;
	size_t n, cap;
	char **strings; /* everything the lines point to, for freeing */
	size_t n_strings, cap_strings;
};

static char *keep(struct script *s, char *str)
{
	BJ_GROW(s->strings, s->cap_strings, s->n_strings + 1);
	s->strings[s->n_strings++] = str;
	return str;
}

static void script_release(struct script *s)
{
	for (size_t i = 0; i < s->n_strings; i++)
		free(s->strings[i]);
	free(s->strings);
	free(s->lines);
}

/* The extensions of a cue that change how it sounds: "V.O." from
 * "EVE (V.O.) (CONT'D)"; NULL when there is none. */
static char *extension(const char *cue)
{
	for (const char *p = strchr(cue, '('); p; p = strchr(p + 1, '(')) {
		const char *end = strchr(p, ')');
		if (!end)
			break;
		if (strncasecmp(p + 1, "CONT", 4) != 0)
			return bj_xasprintf("%.*s", (int)(end - p - 1), p + 1);
	}
	return NULL;
}

/* Dialogue as plain speech: markup removed, lines joined by spaces. */
static char *plain(const char *text)
{
	text_styled st;
	text_styled_init(&st, text);
	for (size_t i = 0; i < st.len; i++)
		if (st.plain[i] == '\n')
			st.plain[i] = ' ';
	char *s = bj_xstrdup(st.plain);
	text_styled_release(&st);
	return s;
}

/* One perform line per dialogue (or lyrics) element, with the parenthetical
 * just before it in the same speech. */
static void extract(const text_screenplay *sp, struct script *s)
{
	const char *who = NULL, *ext = NULL, *paren = NULL;
	for (size_t i = 0; i < sp->n_elements; i++) {
		const text_element *e = &sp->elements[i];
		switch (e->type) {
		case TEXT_CHARACTER: {
			char *x = extension(e->text);
			who = keep(s, text_character_name(e->text));
			ext = x ? keep(s, x) : NULL;
			paren = NULL;
			break;
		}
		case TEXT_PARENTHETICAL:
			paren = e->text;
			break;
		case TEXT_DIALOGUE:
		case TEXT_LYRICS:
			if (!who)
				break;
			BJ_GROW(s->lines, s->cap, s->n + 1);
			s->lines[s->n++] = (perform_script_line){ who, keep(s, plain(e->text)), paren, ext,
				                                  e->line };
			paren = NULL;
			break;
		default:
			who = NULL;
			break;
		}
	}
}

struct count {
	const char *name;
	size_t lines, first;
};

static int by_lines(const void *a, const void *b)
{
	const struct count *x = a, *y = b;
	if (x->lines != y->lines)
		return x->lines < y->lines ? 1 : -1;
	return (x->first > y->first) - (x->first < y->first);
}

/* The characters, most lines first, then by first appearance. */
static const char **characters(const struct script *s, size_t *n)
{
	struct count *c = bj_xcalloc(s->n + 1, sizeof *c);
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++) {
		size_t j = 0;
		while (j < k && strcasecmp(c[j].name, s->lines[i].character) != 0)
			j++;
		if (j == k)
			c[k++] = (struct count){ s->lines[i].character, 0, i };
		c[j].lines++;
	}
	qsort(c, k, sizeof *c, by_lines);
	const char **names = bj_xcalloc(k + 1, sizeof *names);
	for (size_t i = 0; i < k; i++)
		names[i] = c[i].name;
	free(c);
	*n = k;
	return names;
}

static int make_folder(const char *path)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST) {
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		return bj_error_set(BJ_EIO, "'%s': not a folder", path);
	}
	return bj_error_set_errno(errno, "'%s': cannot create folder", path);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static int run(const char *script_path, const char *cast_path, const char *folder, uint64_t seed,
               const perform_script_options *o)
{
	text_screenplay *sp;
	if (text_fountain_load(script_path, &sp) < 0)
		return cli_error_bj();
	struct script s = { 0 };
	extract(sp, &s);
	perform_cast cast;
	perform_cast_init(&cast);
	int status = CLI_EXIT_OK;
	size_t n_names = 0;
	const char **names = characters(&s, &n_names);
	double t0 = now();
	if (s.n == 0) {
		status = cli_error("'%s': no dialogue to voice", script_path);
		goto out;
	}
	if (cast_path && perform_cast_load(&cast, cast_path) < 0) {
		status = cli_error_bj();
		goto out;
	}
	for (size_t i = 0; i < cast.n; i++) {
		perform_cast_entry *e = &cast.entries[i];
		if (!e->like)
			continue;
		double rate = e->voice.shift.rate;
		perform_match_report r;
		if (perform_voice_match_file(e->like, &e->voice, &r) < 0) {
			status = cli_error_bj();
			goto out;
		}
		e->voice.shift.rate = rate;
		char buf[512];
		perform_match_describe(&e->voice, &r, buf, sizeof buf);
		fprintf(stderr, "%s: %s\n", e->name, buf);
	}
	perform_cast_assign(&cast, names, n_names, seed);
	for (size_t i = 0; i < n_names; i++) {
		char buf[128];
		perform_voice_setting_describe(perform_cast_find(&cast, names[i]), buf, sizeof buf);
		printf("%-20s %s\n", names[i], buf);
	}
	if (make_folder(folder) < 0 ||
	    perform_script_voice(script_path, s.lines, s.n, &cast, o, folder) < 0) {
		status = cli_error_bj();
		goto out;
	}
	printf("voiced %zu lines of %zu characters in %.1f s\n", s.n, n_names, now() - t0);
out:
	free(names);
	perform_cast_release(&cast);
	script_release(&s);
	text_screenplay_free(sp);
	return status;
}

int cmd_voice(int argc, char **argv)
{
	enum { O_SCRIPT = 256, O_CAST, O_SEED, O_FILTER, O_THREADS };
	static const struct option options[] = {
		{ "script", required_argument, NULL, O_SCRIPT },
		{ "output", required_argument, NULL, 'o' },
		{ "cast", required_argument, NULL, O_CAST },
		{ "seed", required_argument, NULL, O_SEED },
		{ "extension-filter", required_argument, NULL, O_FILTER },
		{ "threads", required_argument, NULL, O_THREADS },
		{ 0 },
	};
	const char *const *usage = cmd_voice_usage;
	if (cli_wants_help(argc, argv, usage))
		return CLI_EXIT_OK;
	const char *script = NULL, *cast = NULL, *folder = NULL;
	perform_script_options o = PERFORM_SCRIPT_DEFAULTS;
	o.threads = 2;
	long v, seed = 1;
	int opt, f, status = CLI_EXIT_OK;
	optind = 0;
	opterr = 0;
	while (status == CLI_EXIT_OK && (opt = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (opt) {
		case O_SCRIPT:
			script = optarg;
			break;
		case 'o':
			folder = optarg;
			break;
		case O_CAST:
			cast = optarg;
			break;
		case O_SEED:
			status = cli_int_arg(usage, "--seed", optarg, 0, 2147483647L, &seed);
			break;
		case O_FILTER:
			if ((f = perform_filter_parse(optarg)) < 0)
				status = cli_usage_error(usage, "--extension-filter must be phone, radio, "
				                         "distance or none, not '%s'", optarg);
			o.extension_filter = (perform_filter)f;
			break;
		case O_THREADS:
			status = cli_int_arg(usage, "--threads", optarg, 1, 256, &v);
			o.threads = (int)v;
			break;
		default:
			status = cli_usage_error(usage, "unknown option or missing value in '%s'",
			                         argv[optind - 1]);
		}
	}
	if (status != CLI_EXIT_OK)
		return status;
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (!script)
		return cli_usage_error(usage, "no screenplay given (--script)");
	if (!folder)
		return cli_usage_error(usage, "no output folder given (-o)");
	return run(script, cast, folder, (uint64_t)seed, &o);
}
