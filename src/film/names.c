#include "film/names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

void film_names_init(film_names *n, size_t width)
{
	memset(n, 0, sizeof *n);
	n->width = width < 4 ? 4 : width;
}

static int taken(const film_names *n, const char *name)
{
	for (size_t i = 0; i < n->n; i++)
		if (!strcmp(n->names[i], name))
			return 1;
	return 0;
}

const char *film_names_get(film_names *n, const char *path)
{
	for (size_t i = 0; i < n->n; i++)
		if (!strcmp(n->paths[i], path))
			return n->names[i];
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	char *name = bj_xcalloc(n->width + 1, 1);
	size_t k = 0;
	for (size_t i = 0; i < len && k < n->width; i++)
		if (isalnum((unsigned char)base[i]))
			name[k++] = (char)toupper((unsigned char)base[i]);
	if (k == 0)
		name[k++] = 'X';
	for (int serial = 2; taken(n, name); serial++) {
		char num[16];
		int d = snprintf(num, sizeof num, "%d", serial);
		size_t keep = k + (size_t)d > n->width ? n->width - (size_t)d : k;
		memcpy(name + keep, num, (size_t)d + 1);
	}
	BJ_GROW(n->paths, n->cap, n->n + 1);
	n->names = bj_xrealloc(n->names, n->cap * sizeof *n->names);
	n->paths[n->n] = bj_xstrdup(path);
	n->names[n->n] = name;
	return n->names[n->n++];
}

void film_names_release(film_names *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		free(n->paths[i]);
		free(n->names[i]);
	}
	free(n->paths);
	free(n->names);
	memset(n, 0, sizeof *n);
}
