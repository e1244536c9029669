/*
 * stage.h - a stage of `benjamin make` cached in a folder named by the hash of
 * its inputs and settings, so a second run skips it and a killed run redoes
 * only what was not finished.
 *
 *     film_stage s;
 *     film_stage_key_init(&s, "cut");
 *     film_stage_key_add(&s, "write", write_key);   // upstream keys, settings
 *     film_stage_key_add(&s, "seed", "7");
 *     if (film_stage_open(&s, "film/.stages", 0) < 0) ...   // s.done: skip it
 *     ... write the outputs into s.dir ...
 *     film_stage_commit(&s);                         // the marker, written last
 *
 * The folder is <root>/<name>-<first 16 digits of the key>.  Its marker
 * ".done" holds the whole key and is written atomically after every output, so
 * a folder without it is a stage that was killed: film_stage_open() empties it
 * (unless the stage resumes its own work, `keep`) and the stage runs again.
 */
#pragma once

#include <stddef.h>

#include "library/hash.h"

#define FILM_STAGE_MARKER ".done"

typedef struct film_stage {
	char name[32];
	char *material;                    /* the text hashed: "name\nk=v\n..." */
	size_t len;
	char key[LIBRARY_HASH_LEN + 1];    /* set by film_stage_open */
	char dir[4096];
	int done;                          /* the folder was complete */
} film_stage;

void film_stage_key_init(film_stage *s, const char *name);
/* Adds a setting or an upstream key (value NULL is written as "-").  Returns 0
 * or BJ_ENOMEM. */
int film_stage_key_add(film_stage *s, const char *what, const char *value);
/* Hashes the key, makes root and the stage folder; sets s->done when its marker
 * is there, else empties it (keep == 0).  Returns 0 or the error ("'<dir>':
 * ..."). */
int film_stage_open(film_stage *s, const char *root, int keep);
/* "<s->dir>/<file>" into buf (size bytes).  Returns buf. */
char *film_stage_path(const film_stage *s, const char *file, char *buf, size_t size);
/* Writes the marker.  Returns 0 or the error. */
int film_stage_commit(film_stage *s);
void film_stage_release(film_stage *s);

/* Places file as dest atomically: a hard link, or a copy where links fail.
 * Nothing is done when dest already is file.  Returns 0 or the error. */
int film_stage_publish(const char *file, const char *dest);
