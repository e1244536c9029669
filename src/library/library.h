/*
 * library.h - the footage library: an SQLite file of films, their shots and
 * what each shot looks and sounds like (and, from a later stage, faces, tracks
 * and identities).
 *
 *     library *lib;
 *     if (library_open("library.db", &lib) < 0)        // created and migrated as needed
 *         return bj_error_code();
 *     library_film *films; size_t n;
 *     library_films(lib, &films, &n);                    // free with library_films_free
 *     library_shot *shots; size_t k;
 *     library_shots(lib, films[0].id, &shots, &k);       // free with library_shots_free
 *     library_close(lib);
 *
 * Indexing is in library/ingest.h, searching in library/query.h, contact sheets in
 * library/sheet.h.  The schema has a version (table schema_version) and migrations
 * from version 1 on; foreign keys are on, so deleting a film deletes its shots.
 * Films are keyed by a content hash (library/hash.h).  The database is the only file
 * written; footage is opened read-only.  Every function returns 0 or a negative BJ_E*
 * code with the error set; nothing here prints.  One library handle is for one
 * thread at a time.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The schema version this code writes. */
#define LIBRARY_SCHEMA_VERSION 5

typedef struct library library;

typedef struct library_film {
	int64_t id;
	char *path;            /* as given when indexed */
	char *hash;            /* 32 hex digits (library_hash_file) */
	int64_t size;          /* bytes */
	double duration;       /* seconds */
	double fps;
	int width, height;
	int64_t frames;        /* decoded */
	int has_audio;
	int n_shots;
	char *indexed_at;      /* "2024-05-01 12:00:00" UTC */
} library_film;

/* Up to LIBRARY_COLOURS dominant colours of a shot, largest share first. */
#define LIBRARY_COLOURS 3

typedef struct library_shot {
	int64_t id;
	int64_t film_id;
	int number;             /* 1-based within the film */
	int64_t start_frame;    /* first frame */
	int64_t end_frame;      /* last frame (inclusive) */
	double start, end;      /* seconds: start of the first frame, end of the last */
	char transition_in[8];  /* "start", "cut" or "gradual": how the shot begins */
	double brightness;      /* mean luma, 0..1 */
	double contrast;        /* luma standard deviation, 0..1 */
	double colourfulness;   /* Hasler-Suesstrunk M, on 0..255 pixel values */
	int bw;                 /* black-and-white (toned or tinted counts as bw) */
	uint32_t colours[LIBRARY_COLOURS];  /* 0xRRGGBB */
	double colour_share[LIBRARY_COLOURS];  /* fraction of pixels, 0 if fewer colours */
	double motion;          /* mean frame difference after camera motion, 0..1 */
	double camera_motion;   /* mean global shift, in frame widths per second */
	double loudness;        /* integrated loudness, LUFS; -70 when silent or no audio */
	double speech;          /* fraction of the shot's audio judged voice, 0..1; -1 no audio */
	char daynight[8];       /* "day", "night" (a guess from the look) */
	char place[9];          /* "interior", "exterior" (a guess from the look) */
	int64_t keyframe;       /* frame index of the thumbnail */
} library_shot;

/* Opens (creating if needed) the library at path and migrates it to
 * LIBRARY_SCHEMA_VERSION.  Errors: "'<path>': cannot open library: ...",
 * "'<path>': not a benjamin library (...)", "'<path>': library schema version 9
 * is newer than this benjamin (2)".  Close with library_close(). */
int library_open(const char *path, library **out);

/* Opens an existing library without creating or migrating it, read-only. */
int library_open_readonly(const char *path, library **out);

/* NULL-safe. */
void library_close(library *lib);

/* The path the library was opened with (for messages). */
const char *library_path(library *lib);

/* The schema version of the open database. */
int library_schema_version(library *lib);

/* Every film, by path.  *films is a new array (library_films_free). */
int library_films(library *lib, library_film **films, size_t *n);

/* A film named by its id (decimal) or path (as indexed, or any path to the same
 * file).  BJ_ENOENT: "'<name>': no such film in the library". */
int library_film_find(library *lib, const char *name, library_film *film);

void library_film_release(library_film *f);
void library_films_free(library_film *films, size_t n);

/* The shots of a film in order.  *shots is a new array (free()). */
int library_shots(library *lib, int64_t film_id, library_shot **shots, size_t *n);

/* The keyframe JPEG of a shot: a new buffer (free()) of *size bytes. */
int library_shot_thumbnail(library *lib, int64_t shot_id, uint8_t **jpeg, size_t *size);

/* Counts of rows in each table, for tests and `library ls`. */
int library_count(library *lib, const char *table, int64_t *n);
