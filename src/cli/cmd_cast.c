/*
 * cmd_cast.c - `benjamin cast --screenplay F --library LIB -o cast.json`: each
 * speaking character given a footage identity, a star's face and a voice
 * (film/casting.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "cli/cli.h"
#include "cli/cli_bindings.h"
#include "cli/commands.h"
#include "film/casting.h"
#include "film/dialogue.h"
#include "library/library.h"
#include "text/fountain.h"

const char *const cmd_cast_usage[] = {
	"benjamin cast --screenplay FILE.fountain --library LIB -o cast.json",
	"              [--star [NAME=]DIR]... [--model NAME=SWAP]... [--voice-like NAME=WAV]...",
	"              [--seed S]",
	"",
	"Casts every character who speaks in the screenplay, most lines first: a",
	"footage identity of the library to play them (the one with the most screen",
	"time, frontal close-ups and speech in its shots; each used once while there",
	"are enough), a star's face to wear (--star: the star's photos, used only for",
	"that character; --model: a trained swap, benjamin train swap, used instead",
	"of the photos where it was trained on the character's identity) and a voice (as `benjamin voice` chooses it; --voice-like:",
	"one like a recording).  Writes cast.json, which a director may edit and give",
	"to `benjamin voice --cast`, `benjamin cut --cast` and `benjamin make --cast`.",
	"The same screenplay, library, options and seed give the same file.",
	"",
	"  --screenplay FILE      the screenplay (Fountain)",
	"  --library LIB          the footage library (benjamin index); without one no",
	"                         character has an identity",
	"  -o, --output FILE      cast.json to write",
	"  --star [NAME=]DIR      NAME wears the face of the photos in DIR; without",
	"                         NAME, the lead still without a star (repeatable)",
	"  --model NAME=SWAP      NAME's face redrawn by this trained swap model",
	"                         (repeatable); the file is checked to load",
	"  --voice-like NAME=WAV  NAME's voice matched to a recording (repeatable)",
	"  --seed S               which character gets which voice (default 1)",
	"  -h, --help             show this help",
	"",
	"example:",
	"  benjamin cast --screenplay film.fountain --library library.db \\",
	"      --star H=faces/star_George_W_Bush -o cast.json",
	"  benjamin cast --screenplay film.fountain --library library.db \\",
	"      --model H=swap-bush-2.safetensors -o cast.json",
	NULL,
};

static void on_match(void *ctx, const char *character, const char *description)
{
	(void)ctx;
	fprintf(stderr, "%s: %s\n", character, description);
}

static int run(const char *script, const char *db, const char *out, film_cast_opts *o)
{
	text_screenplay *sp = NULL;
	library *lib = NULL;
	film_dialogue d = { 0 };
	film_roles r = { 0 };
	int status = CLI_EXIT_OK;
	if (text_fountain_load(script, &sp) < 0 || (db && library_open_readonly(db, &lib) < 0)) {
		status = cli_error_bj();
		goto out;
	}
	film_dialogue_extract(sp, &d);
	if (d.n_names == 0) {
		status = cli_error("'%s': nobody speaks: no one to cast", script);
		goto out;
	}
	if (film_cast_choose(&d, lib, o, &r) < 0 || film_roles_save(&r, out) < 0) {
		status = cli_error_bj();
		goto out;
	}
	for (size_t i = 0; i < r.n; i++) {
		char voice[128], id[32] = "-";
		perform_voice_setting_describe(&r.roles[i].voice, voice, sizeof voice);
		if (r.roles[i].identity)
			snprintf(id, sizeof id, "%lld", (long long)r.roles[i].identity);
		printf("%-20s %3zu lines  identity %-5s star %s  model %s  voice %s\n", r.roles[i].character,
		       r.roles[i].lines, id, r.roles[i].star ? r.roles[i].star : "-",
		       r.roles[i].model ? r.roles[i].model : "-", voice);
	}
	printf("cast %zu characters into %s\n", r.n, out);
out:
	film_roles_release(&r);
	film_dialogue_release(&d);
	library_close(lib);
	text_screenplay_free(sp);
	return status;
}

int cmd_cast(int argc, char **argv)
{
	enum { O_SCREENPLAY = 256, O_LIBRARY, O_STAR, O_LIKE, O_SEED, O_MODEL };
	static const struct option options[] = {
		{ "screenplay", required_argument, NULL, O_SCREENPLAY },
		{ "library", required_argument, NULL, O_LIBRARY },
		{ "output", required_argument, NULL, 'o' },
		{ "star", required_argument, NULL, O_STAR },
		{ "voice-like", required_argument, NULL, O_LIKE },
		{ "model", required_argument, NULL, O_MODEL },
		{ "seed", required_argument, NULL, O_SEED },
		{ 0 },
	};
	if (cli_wants_help(argc, argv, cmd_cast_usage))
		return CLI_EXIT_OK;
	const char *script = NULL, *db = NULL, *out = NULL;
	cli_bindings stars = { 0 }, likes = { 0 }, models = { 0 };
	uint64_t seed = 1;
	cli_args a;
	int opt;
	cli_args_init(&a, argc, argv, "o:", options, cmd_cast_usage);
	while ((opt = cli_args_next(&a)) != -1) {
		switch (opt) {
		case O_SCREENPLAY: script = optarg; break;
		case O_LIBRARY: db = optarg; break;
		case 'o': out = optarg; break;
		case O_STAR: cli_args_binding(&a, "--star", NULL, &stars); break;
		case O_LIKE: cli_args_binding(&a, "--voice-like", "WAV", &likes); break;
		case O_MODEL: cli_args_binding(&a, "--model", "SWAP", &models); break;
		case O_SEED: cli_args_seed(&a, &seed); break;
		}
	}
	cli_args_no_operands(&a);
	cli_args_require(&a, script, "no screenplay given (--screenplay)");
	cli_args_require(&a, out, "no output file given (-o)");
	int status = a.status;
	if (status == CLI_EXIT_OK) {
		film_cast_opts o = { stars.v, stars.n, likes.v, likes.n, seed, on_match, NULL,
			             models.v, models.n };
		status = run(script, db, out, &o);
	}
	cli_bindings_release(&stars);
	cli_bindings_release(&likes);
	cli_bindings_release(&models);
	return status;
}
