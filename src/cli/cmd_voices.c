/*
 * cmd_voices.c - `benjamin voices`: the base voices.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "perform/voice.h"

const char *const cmd_voices_usage[] = {
	"benjamin voices",
	"",
	"Lists the base voices (Flite's, as Debian ships them) with a short",
	"description and their typical median pitch.  `benjamin say` and",
	"`benjamin voice` derive more voices from these by pitch and formant shifts.",
	"",
	"  -h, --help   show this help",
	NULL,
};

int cmd_voices(int argc, char **argv)
{
	if (cli_wants_help(argc, argv, cmd_voices_usage))
		return CLI_EXIT_OK;
	if (argc > 1)
		return cli_usage_error(cmd_voices_usage, "unexpected argument '%s'", argv[1]);
	for (size_t i = 0; i < perform_voice_count(); i++) {
		const perform_voice_info *v = perform_voice_at(i);
		printf("%-6s %s  %3.0f Hz  %s\n", v->name, v->sex == 'f' ? "female" : "male  ", v->f0,
		       v->description);
	}
	return CLI_EXIT_OK;
}
