/*
 * cast.c - the director's reading of cast.json: character -> library identity,
 * star folder and trained swap model.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/json.h"
#include "film/cut.h"

/* name, relative to the folder of path, as a path. */
static char *beside(const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');
	return name[0] == '/' || !slash ? bj_xstrdup(name)
	                                : bj_xasprintf("%.*s/%s", (int)(slash - path), path, name);
}

int film_cast_load(const char *path, film_cast *c)
{
	memset(c, 0, sizeof *c);
	json_t *root;
	int ret = bj_json_load(path, &root);
	if (ret < 0)
		return ret;
	const json_t *arr = json_object_get(root, "cast");
	if (!json_is_array(arr)) {
		json_decref(root);
		return bj_error_set(BJ_EFORMAT, "'%s': no \"cast\" array", path);
	}
	size_t n = json_array_size(arr);
	c->characters = bj_xcalloc(n + 1, sizeof *c->characters);
	c->identities = bj_xcalloc(n + 1, sizeof *c->identities);
	c->stars = bj_xcalloc(n + 1, sizeof *c->stars);
	c->models = bj_xcalloc(n + 1, sizeof *c->models);
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);
		const json_t *who = json_object_get(o, "character"), *id = json_object_get(o, "identity");
		if (!json_is_string(who) || !*json_string_value(who)) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': cast[%zu].character: missing", path, i);
			break;
		}
		if (id && !json_is_null(id) && (!json_is_integer(id) || json_integer_value(id) < 0)) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': cast[%zu].identity: not an identity id "
			                   "(a whole number >= 0)", path, i);
			break;
		}
		const json_t *star = json_object_get(o, "star"), *model = json_object_get(o, "model");
		if (star && (!json_is_string(star) || !*json_string_value(star))) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': cast[%zu].star: not a folder name", path, i);
			break;
		}
		if (model && (!json_is_string(model) || !*json_string_value(model))) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': cast[%zu].model: not a file name", path, i);
			break;
		}
		c->characters[i] = bj_xstrdup(json_string_value(who));
		c->identities[i] = json_is_integer(id) ? (int64_t)json_integer_value(id) : 0;
		c->stars[i] = star ? beside(path, json_string_value(star)) : NULL;
		c->models[i] = model ? beside(path, json_string_value(model)) : NULL;
		c->n = i + 1;
	}
	json_decref(root);
	if (ret < 0)
		film_cast_release(c);
	return ret;
}

int64_t film_cast_identity(const film_cast *c, const char *character)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (!strcmp(c->characters[i], character))
			return c->identities[i];
	return 0;
}

const char *film_cast_star(const film_cast *c, const char *character)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (!strcmp(c->characters[i], character))
			return c->stars[i];
	return NULL;
}

const char *film_cast_model(const film_cast *c, const char *character)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (!strcmp(c->characters[i], character))
			return c->models[i];
	return NULL;
}

void film_cast_release(film_cast *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->characters[i]);
		free(c->stars[i]);
		free(c->models[i]);
	}
	free(c->characters);
	free(c->stars);
	free(c->models);
	free(c->identities);
	memset(c, 0, sizeof *c);
}
