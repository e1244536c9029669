/*
 * library.c - opening the library, its schema and migrations, and reading films and
 * shots back.
 */
#include "library/library.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/internal.h"

/* Migrations: migrations[v - 1] takes the schema from version v - 1 to v (0 is
 * an empty file).  Append; never edit one that has shipped. */
static const char *const migrations[] = {
	/* 1: films and shots */
	"CREATE TABLE schema_version (version INTEGER NOT NULL);"
	"INSERT INTO schema_version VALUES (0);"
	"CREATE TABLE films ("
	" id INTEGER PRIMARY KEY,"
	" path TEXT NOT NULL,"
	" hash TEXT NOT NULL UNIQUE,"
	" size INTEGER NOT NULL,"
	" duration REAL NOT NULL,"
	" fps REAL NOT NULL,"
	" width INTEGER NOT NULL,"
	" height INTEGER NOT NULL,"
	" frames INTEGER NOT NULL,"
	" indexed_at TEXT NOT NULL DEFAULT (datetime('now')));"
	"CREATE TABLE shots ("
	" id INTEGER PRIMARY KEY,"
	" film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,"
	" number INTEGER NOT NULL,"
	" start_frame INTEGER NOT NULL,"
	" end_frame INTEGER NOT NULL,"
	" start_s REAL NOT NULL,"
	" end_s REAL NOT NULL,"
	" thumbnail BLOB,"
	" UNIQUE (film_id, number));",

	/* 2: the look and sound of each shot; faces, tracks and identities (filled
	 * by the casting stage); indexes for `library query` */
	"ALTER TABLE films ADD COLUMN has_audio INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE shots ADD COLUMN transition_in TEXT NOT NULL DEFAULT 'cut';"
	"ALTER TABLE shots ADD COLUMN duration REAL GENERATED ALWAYS AS (end_s - start_s) VIRTUAL;"
	"ALTER TABLE shots ADD COLUMN brightness REAL;"
	"ALTER TABLE shots ADD COLUMN contrast REAL;"
	"ALTER TABLE shots ADD COLUMN colourfulness REAL;"
	"ALTER TABLE shots ADD COLUMN bw INTEGER;"
	"ALTER TABLE shots ADD COLUMN colours TEXT;"
	"ALTER TABLE shots ADD COLUMN motion REAL;"
	"ALTER TABLE shots ADD COLUMN camera_motion REAL;"
	"ALTER TABLE shots ADD COLUMN loudness REAL;"
	"ALTER TABLE shots ADD COLUMN speech REAL;"
	"ALTER TABLE shots ADD COLUMN daynight TEXT;"
	"ALTER TABLE shots ADD COLUMN place TEXT;"
	"ALTER TABLE shots ADD COLUMN keyframe INTEGER;"
	"CREATE INDEX films_path ON films(path);"
	"CREATE INDEX shots_duration ON shots(duration);"
	"CREATE INDEX shots_brightness ON shots(brightness);"
	"CREATE INDEX shots_bw ON shots(bw, duration);"
	"CREATE INDEX shots_speech ON shots(speech);"
	"CREATE INDEX shots_motion ON shots(motion);"
	"CREATE TABLE identities ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT,"
	" embedding BLOB,"
	" created_at TEXT NOT NULL DEFAULT (datetime('now')));"
	"CREATE TABLE tracks ("
	" id INTEGER PRIMARY KEY,"
	" shot_id INTEGER NOT NULL REFERENCES shots(id) ON DELETE CASCADE,"
	" identity_id INTEGER REFERENCES identities(id) ON DELETE SET NULL,"
	" start_frame INTEGER NOT NULL,"
	" end_frame INTEGER NOT NULL);"
	"CREATE INDEX tracks_shot ON tracks(shot_id);"
	"CREATE INDEX tracks_identity ON tracks(identity_id);"
	"CREATE TABLE faces ("
	" id INTEGER PRIMARY KEY,"
	" shot_id INTEGER NOT NULL REFERENCES shots(id) ON DELETE CASCADE,"
	" track_id INTEGER REFERENCES tracks(id) ON DELETE CASCADE,"
	" frame INTEGER NOT NULL,"
	" x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,"
	" score REAL,"
	" landmarks BLOB,"
	" embedding BLOB,"
	" thumbnail BLOB);"
	"CREATE INDEX faces_shot ON faces(shot_id, frame);"
	"CREATE INDEX faces_track ON faces(track_id);",

	/* 3: faces found while indexing: head pose, and whether a face was
	 * detected or filled in along its track; tracks' times */
	"ALTER TABLE faces ADD COLUMN yaw REAL;"
	"ALTER TABLE faces ADD COLUMN pitch REAL;"
	"ALTER TABLE faces ADD COLUMN roll REAL;"
	"ALTER TABLE faces ADD COLUMN detected INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE tracks ADD COLUMN start_s REAL;"
	"ALTER TABLE tracks ADD COLUMN end_s REAL;",

	/* 4: each shot's motion frame by frame (library/profile.h), for cut points
	 * on still moments */
	"ALTER TABLE shots ADD COLUMN motion_profile BLOB;",

	/* 5: who is who: each track's face descriptor (the mean of its faces',
	 * vision/facedesc.h, quantised to bytes) and best face; identities (footage
	 * actors: tracks clustered across the library, library/identities.h) with
	 * their screen time, counts and a representative face */
	"ALTER TABLE tracks ADD COLUMN embedding BLOB;"
	"ALTER TABLE tracks ADD COLUMN face_id INTEGER REFERENCES faces(id) ON DELETE SET NULL;"
	"ALTER TABLE identities ADD COLUMN screen_time REAL NOT NULL DEFAULT 0;"
	"ALTER TABLE identities ADD COLUMN n_tracks INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE identities ADD COLUMN n_films INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE identities ADD COLUMN n_shots INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE identities ADD COLUMN face_id INTEGER REFERENCES faces(id) ON DELETE SET NULL;"
	"ALTER TABLE identities ADD COLUMN thumbnail BLOB;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == LIBRARY_SCHEMA_VERSION,
               "one migration per schema version");

int library_sqlite_error(library *lib, const char *what)
{
	int rc = lib->db ? sqlite3_errcode(lib->db) : SQLITE_CANTOPEN;
	const char *msg = lib->db ? sqlite3_errmsg(lib->db) : "out of memory";
	if (rc == SQLITE_NOTADB)
		return bj_error_set(BJ_EFORMAT, "'%s': not a benjamin library (file is not a database)",
		                    lib->path);
	return bj_error_set(BJ_EIO, "'%s': %s: %s", lib->path, what, msg);
}

int library_prepare(library *lib, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(lib->db, sql, -1, st, NULL) != SQLITE_OK)
		return library_sqlite_error(lib, "cannot read library");
	return 0;
}

int library_exec(library *lib, const char *sql)
{
	if (sqlite3_exec(lib->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return library_sqlite_error(lib, "cannot write library");
	return 0;
}

static int query_int(library *lib, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	int ret = library_prepare(lib, sql, &st);
	if (ret < 0)
		return ret;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		ret = rc == SQLITE_DONE ? BJ_ENOENT : library_sqlite_error(lib, "cannot read library");
	sqlite3_finalize(st);
	return ret;
}

const char *library_path(library *lib)
{
	return lib->path;
}

int library_schema_version(library *lib)
{
	int64_t v = -1;
	if (query_int(lib, "SELECT version FROM schema_version", &v) < 0)
		return -1;
	return (int)v;
}

/* Brings the schema from its version to target, one transaction per step, so a
 * run killed halfway leaves a database at some whole version. */
static int migrate(library *lib, int target)
{
	int64_t tables = 0;
	int ret = query_int(lib, "SELECT count(*) FROM sqlite_master", &tables);
	if (ret < 0)
		return ret;
	int version = 0;
	if (tables > 0) {
		int64_t has = 0;
		ret = query_int(lib, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'", &has);
		if (ret < 0)
			return ret;
		if (!has)
			return bj_error_set(BJ_EFORMAT, "'%s': not a benjamin library (no schema_version table)",
			                    lib->path);
		version = library_schema_version(lib);
		if (version < 0)
			return bj_error_set(BJ_EFORMAT, "'%s': not a benjamin library (no schema version)",
			                    lib->path);
	}
	if (version > LIBRARY_SCHEMA_VERSION)
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': library schema version %d is newer than this benjamin (%d)",
		                    lib->path, version, LIBRARY_SCHEMA_VERSION);
	while (version < target) {
		char bump[64];
		snprintf(bump, sizeof(bump), "UPDATE schema_version SET version = %d;", version + 1);
		if ((ret = library_exec(lib, "BEGIN IMMEDIATE")) < 0)
			return ret;
		if ((ret = library_exec(lib, migrations[version])) < 0 ||
		    (ret = library_exec(lib, bump)) < 0 || (ret = library_exec(lib, "COMMIT")) < 0) {
			sqlite3_exec(lib->db, "ROLLBACK", NULL, NULL, NULL);
			return bj_error_prefix("migrating to schema version %d", version + 1);
		}
		version++;
	}
	return 0;
}

static int open_db(const char *path, int flags, int version, library **out)
{
	*out = NULL;
	library *lib = bj_xcalloc(1, sizeof(*lib));
	lib->path = bj_xstrdup(path);
	int ret;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		ret = bj_error_set(BJ_EIO, "'%s': is a directory", path);
		goto fail;
	}
	if (!(flags & SQLITE_OPEN_CREATE) && stat(path, &st) != 0) {
		ret = bj_error_set_errno(errno, "'%s'", path);
		goto fail;
	}
	if (sqlite3_open_v2(path, &lib->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		ret = bj_error_set(BJ_EIO, "'%s': cannot open library: %s", path,
		                   lib->db ? sqlite3_errmsg(lib->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(lib->db, 10000);
	sqlite3_extended_result_codes(lib->db, 0);
	if ((ret = library_exec(lib, "PRAGMA foreign_keys = ON")) < 0)
		goto fail;
	if (flags & SQLITE_OPEN_READWRITE) {
		/* WAL: a killed run loses only its open transaction; readers do not block
		 * the indexer. */
		int64_t dummy;
		if ((ret = query_int(lib, "PRAGMA journal_mode = WAL", &dummy)) < 0 && ret != BJ_ENOENT)
			goto fail;
		if ((ret = library_exec(lib, "PRAGMA synchronous = NORMAL")) < 0)
			goto fail;
		if ((ret = migrate(lib, version)) < 0)
			goto fail;
	} else {
		int v = library_schema_version(lib);
		if (v < 0) {
			ret = bj_error_code() == BJ_EFORMAT ? BJ_EFORMAT :
			      bj_error_set(BJ_EFORMAT, "'%s': not a benjamin library (no schema version)", path);
			goto fail;
		}
		if (v != LIBRARY_SCHEMA_VERSION) {
			ret = bj_error_set(BJ_EUNSUPPORTED, "'%s': library schema version %d, this benjamin reads %d (index into it once to migrate)",
			                   path, v, LIBRARY_SCHEMA_VERSION);
			goto fail;
		}
	}
	*out = lib;
	return 0;
fail:
	library_close(lib);
	return ret;
}

int library_open_version(const char *path, int version, library **out)
{
	BJ_ASSERT(version >= 1 && version <= LIBRARY_SCHEMA_VERSION);
	return open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, version, out);
}

int library_open(const char *path, library **out)
{
	return library_open_version(path, LIBRARY_SCHEMA_VERSION, out);
}

int library_open_readonly(const char *path, library **out)
{
	return open_db(path, SQLITE_OPEN_READONLY, LIBRARY_SCHEMA_VERSION, out);
}

void library_close(library *lib)
{
	if (!lib)
		return;
	sqlite3_close(lib->db);
	free(lib->path);
	free(lib);
}

int library_count(library *lib, const char *table, int64_t *n)
{
	static const char *const tables[] = { "films", "shots", "faces", "tracks", "identities" };
	for (size_t i = 0; i < BJ_ARRAY_SIZE(tables); i++)
		if (strcmp(table, tables[i]) == 0) {
			char sql[64];
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
			return query_int(lib, sql, n);
		}
	return bj_error_set(BJ_EINVAL, "no table '%s' in the library", table);
}

/* ---- films ---------------------------------------------------------------- */

#define FILM_COLUMNS \
	"f.id, f.path, f.hash, f.size, f.duration, f.fps, f.width, f.height, f.frames, " \
	"f.has_audio, f.indexed_at, (SELECT count(*) FROM shots s WHERE s.film_id = f.id)"

static char *column_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return bj_xstrdup(t ? (const char *)t : "");
}

static void film_from_row(sqlite3_stmt *st, library_film *f)
{
	f->id = sqlite3_column_int64(st, 0);
	f->path = column_text(st, 1);
	f->hash = column_text(st, 2);
	f->size = sqlite3_column_int64(st, 3);
	f->duration = sqlite3_column_double(st, 4);
	f->fps = sqlite3_column_double(st, 5);
	f->width = sqlite3_column_int(st, 6);
	f->height = sqlite3_column_int(st, 7);
	f->frames = sqlite3_column_int64(st, 8);
	f->has_audio = sqlite3_column_int(st, 9);
	f->indexed_at = column_text(st, 10);
	f->n_shots = sqlite3_column_int(st, 11);
}

void library_film_release(library_film *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->hash);
	free(f->indexed_at);
	memset(f, 0, sizeof(*f));
}

void library_films_free(library_film *films, size_t n)
{
	for (size_t i = 0; films && i < n; i++)
		library_film_release(&films[i]);
	free(films);
}

int library_films(library *lib, library_film **films, size_t *n)
{
	*films = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int ret = library_prepare(lib, "SELECT " FILM_COLUMNS " FROM films f ORDER BY f.path, f.id", &st);
	if (ret < 0)
		return ret;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		BJ_GROW(*films, cap, *n + 1);
		film_from_row(st, &(*films)[(*n)++]);
	}
	if (rc != SQLITE_DONE) {
		ret = library_sqlite_error(lib, "cannot read library");
		library_films_free(*films, *n);
		*films = NULL;
		*n = 0;
	}
	sqlite3_finalize(st);
	return ret;
}

static int film_where(library *lib, const char *where, const char *arg, int64_t id,
                      library_film *film)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT " FILM_COLUMNS " FROM films f WHERE %s", where);
	sqlite3_stmt *st;
	int ret = library_prepare(lib, sql, &st);
	if (ret < 0)
		return ret;
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		film_from_row(st, film);
		ret = 0;
	} else {
		ret = rc == SQLITE_DONE ? BJ_ENOENT : library_sqlite_error(lib, "cannot read library");
	}
	sqlite3_finalize(st);
	return ret;
}

int library_film_find(library *lib, const char *name, library_film *film)
{
	memset(film, 0, sizeof(*film));
	char *end;
	errno = 0;
	long long id = strtoll(name, &end, 10);
	int ret = BJ_ENOENT;
	if (*name && !*end && errno == 0)
		ret = film_where(lib, "f.id = ?", NULL, id, film);
	if (ret == BJ_ENOENT)
		ret = film_where(lib, "f.path = ?", name, 0, film);
	if (ret == BJ_ENOENT) {
		/* Another path to the same file: compare real paths. */
		char *want = realpath(name, NULL);
		library_film *films;
		size_t n;
		if (want && library_films(lib, &films, &n) == 0) {
			for (size_t i = 0; i < n && ret == BJ_ENOENT; i++) {
				char *have = realpath(films[i].path, NULL);
				if (have && strcmp(have, want) == 0) {
					*film = films[i];
					memset(&films[i], 0, sizeof(films[i]));
					ret = 0;
				}
				free(have);
			}
			library_films_free(films, n);
		}
		free(want);
	}
	if (ret == BJ_ENOENT)
		return bj_error_set(BJ_ENOENT, "'%s': no such film in the library", name);
	return ret;
}

/* ---- shots ---------------------------------------------------------------- */

/* Colours are stored as text: "#rrggbb share" items separated by commas. */
static void parse_colours(const char *text, library_shot *s)
{
	for (int i = 0; text && *text && i < LIBRARY_COLOURS; i++) {
		unsigned rgb;
		double share;
		if (sscanf(text, "#%6x %lf", &rgb, &share) != 2)
			break;
		s->colours[i] = rgb;
		s->colour_share[i] = share;
		text = strchr(text, ',');
		if (!text)
			break;
		text++;
	}
}

#define SHOT_COLUMNS \
	"s.id, s.film_id, s.number, s.start_frame, s.end_frame, s.start_s, s.end_s, s.transition_in, " \
	"s.brightness, s.contrast, s.colourfulness, s.bw, s.colours, s.motion, s.camera_motion, " \
	"s.loudness, s.speech, s.daynight, s.place, s.keyframe"

void library_shot_from_row(sqlite3_stmt *st, library_shot *s)
{
	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	s->film_id = sqlite3_column_int64(st, 1);
	s->number = sqlite3_column_int(st, 2);
	s->start_frame = sqlite3_column_int64(st, 3);
	s->end_frame = sqlite3_column_int64(st, 4);
	s->start = sqlite3_column_double(st, 5);
	s->end = sqlite3_column_double(st, 6);
	const unsigned char *t = sqlite3_column_text(st, 7);
	snprintf(s->transition_in, sizeof(s->transition_in), "%s", t ? (const char *)t : "");
	s->brightness = sqlite3_column_double(st, 8);
	s->contrast = sqlite3_column_double(st, 9);
	s->colourfulness = sqlite3_column_double(st, 10);
	s->bw = sqlite3_column_int(st, 11);
	parse_colours((const char *)sqlite3_column_text(st, 12), s);
	s->motion = sqlite3_column_double(st, 13);
	s->camera_motion = sqlite3_column_double(st, 14);
	s->loudness = sqlite3_column_type(st, 15) == SQLITE_NULL ? -70 : sqlite3_column_double(st, 15);
	s->speech = sqlite3_column_type(st, 16) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 16);
	t = sqlite3_column_text(st, 17);
	snprintf(s->daynight, sizeof(s->daynight), "%s", t ? (const char *)t : "");
	t = sqlite3_column_text(st, 18);
	snprintf(s->place, sizeof(s->place), "%s", t ? (const char *)t : "");
	s->keyframe = sqlite3_column_int64(st, 19);
}

const char *library_shot_columns(void)
{
	return SHOT_COLUMNS;
}

int library_shots(library *lib, int64_t film_id, library_shot **shots, size_t *n)
{
	*shots = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int ret = library_prepare(lib, "SELECT " SHOT_COLUMNS " FROM shots s WHERE s.film_id = ? ORDER BY s.number", &st);
	if (ret < 0)
		return ret;
	sqlite3_bind_int64(st, 1, film_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		BJ_GROW(*shots, cap, *n + 1);
		library_shot_from_row(st, &(*shots)[(*n)++]);
	}
	if (rc != SQLITE_DONE) {
		ret = library_sqlite_error(lib, "cannot read library");
		free(*shots);
		*shots = NULL;
		*n = 0;
	}
	sqlite3_finalize(st);
	return ret;
}

int library_shot_thumbnail(library *lib, int64_t shot_id, uint8_t **jpeg, size_t *size)
{
	*jpeg = NULL;
	*size = 0;
	sqlite3_stmt *st;
	int ret = library_prepare(lib, "SELECT thumbnail FROM shots WHERE id = ?", &st);
	if (ret < 0)
		return ret;
	sqlite3_bind_int64(st, 1, shot_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) > 0) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		*jpeg = bj_xmalloc(n);
		memcpy(*jpeg, sqlite3_column_blob(st, 0), n);
		*size = n;
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		ret = bj_error_set(BJ_ENOENT, "'%s': shot %" PRId64 " has no thumbnail", lib->path, shot_id);
	} else {
		ret = library_sqlite_error(lib, "cannot read library");
	}
	sqlite3_finalize(st);
	return ret;
}
