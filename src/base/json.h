/*
 * json.h - load and save JSON files people edit (cast.json, timeline.json, ...),
 * over jansson, with benjamin's error messages and atomic writes.
 *
 * Calling sequence:
 *
 *     struct json_t *cast;
 *     if (bj_json_load("cast.json", &cast) < 0)
 *         return bj_error_code();   // "'cast.json': line 3 column 7: <jansson's text>"
 *     ... read and change it with jansson's API (json_object_get, ...) ...
 *     int ret = bj_json_save("cast.json", cast, 0);
 *     json_decref(cast);
 *
 * Ownership: a loaded value is a new reference; the caller drops it with
 * json_decref().  Saving borrows the value.  Duplicate keys in an object are an
 * error when loading; saved files keep the objects' key order (jansson keeps
 * insertion order) unless BJ_JSON_SORT_KEYS is given, are indented by two
 * spaces and end with a newline.  Real numbers are written with 17 significant
 * digits so they load back bit for bit.
 *
 * jansson's header is not included here: callers that build or walk values
 * include <jansson.h> themselves.
 */
#pragma once

#include <stddef.h>

struct json_t;

/* bj_json_save() flag: write every object's keys in byte order instead of
 * insertion order. */
#define BJ_JSON_SORT_KEYS 1

/* Reads and parses the JSON file path (an object or an array at the top).
 * Stores a new reference in *out and returns 0, or stores NULL and returns
 * BJ_ENOENT/BJ_EIO ("'<path>': cannot open: <reason>"), BJ_EFORMAT ("'<path>':
 * line L column C: <problem>") or BJ_ENOMEM, with the error set. */
int bj_json_load(const char *path, struct json_t **out);

/* As bj_json_load(), for len bytes at buf; name is the subject of messages
 * (a file name, "stdin", ...).  buf need not be NUL-terminated. */
int bj_json_parse(const char *name, const void *buf, size_t len, struct json_t **out);

/* Writes value to path atomically (base/atomic.h): two-space indent, a final
 * newline, flags a combination of BJ_JSON_* (0 for none).  Returns 0, or
 * BJ_EIO/BJ_ENOENT with the error set ("'<path>': cannot write: <reason>");
 * on failure path is left as it was. */
int bj_json_save(const char *path, const struct json_t *value, int flags);

/* The JSON type of value as a word for messages: "object", "array", "string",
 * "integer", "real", "true", "false", "null" ("nothing" for NULL). */
const char *bj_json_type_name(const struct json_t *value);
