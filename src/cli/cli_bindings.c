#include "cli/cli_bindings.h"

#include <getopt.h>
#include <stdlib.h>

#include "base/alloc.h"

int cli_args_binding(cli_args *a, const char *option, const char *what, cli_bindings *list)
{
	const char *path;
	char *name = cli_binding(optarg, &path);
	if (what && !name) {
		cli_args_error(a, "%s must be NAME=%s, not '%s'", option, what, optarg);
		return -1;
	}
	list->v = bj_xrealloc(list->v, (list->n + 1) * sizeof(*list->v));
	list->v[list->n++] = (film_binding){ name, path };
	return 0;
}

void cli_bindings_release(cli_bindings *list)
{
	for (size_t i = 0; i < list->n; i++)
		free((char *)list->v[i].name);
	free(list->v);
	*list = (cli_bindings){ 0 };
}
