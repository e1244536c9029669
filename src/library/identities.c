#include "library/identities.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/internal.h"
#include "vision/facedesc.h"
#include "vision/faceid.h"

#define DIM VISION_FACEDESC_DIM
#define SAMPLE_S 0.5         /* seconds between sampled frames (library/faces.h) */
/* Cosine distance under which two groups of tracks are one person: on the
 * talking heads (tests/cli/t0043-library-cast.sh) one person's tracks are
 * 0.06-0.17 apart (0.17: one woman in two different videos), two people's
 * 0.26 and more. */
#define THRESHOLD 0.21

struct track {
	int64_t id, shot, film, face;
	double start, end, portrait;
	char name[64];   /* its former identity's */
};

static int read_tracks(library *lib, struct track **out, float **desc, int *n)
{
	*out = NULL;
	*desc = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int ret = library_prepare(lib,
		"SELECT t.id, t.shot_id, s.film_id, coalesce(t.face_id, 0), coalesce(t.start_s, 0), coalesce(t.end_s, 0),"
		" coalesce(f.w, 0), coalesce(f.yaw, 90), coalesce(f.pitch, 90), coalesce(i.name, ''), t.embedding"
		" FROM tracks t JOIN shots s ON s.id = t.shot_id LEFT JOIN faces f ON f.id = t.face_id"
		" LEFT JOIN identities i ON i.id = t.identity_id"
		" WHERE length(t.embedding) = ? ORDER BY t.id", &st);
	if (ret < 0)
		return ret;
	sqlite3_bind_int(st, 1, DIM);
	size_t cap = 0, dcap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		BJ_GROW(*out, cap, (size_t)*n + 1);
		BJ_GROW(*desc, dcap, ((size_t)*n + 1) * DIM);
		struct track *t = &(*out)[*n];
		t->id = sqlite3_column_int64(st, 0);
		t->shot = sqlite3_column_int64(st, 1);
		t->film = sqlite3_column_int64(st, 2);
		t->face = sqlite3_column_int64(st, 3);
		t->start = sqlite3_column_double(st, 4);
		t->end = sqlite3_column_double(st, 5);
		double c = cos(sqlite3_column_double(st, 7) * M_PI / 180) * cos(sqlite3_column_double(st, 8) * M_PI / 180);
		t->portrait = sqlite3_column_double(st, 6) * c * c;
		const unsigned char *name = sqlite3_column_text(st, 9);
		snprintf(t->name, sizeof t->name, "%s", name ? (const char *)name : "");
		const uint8_t *bytes = sqlite3_column_blob(st, 10);
		float *d = *desc + (size_t)*n * DIM;
		for (int k = 0; k < DIM; k++)
			d[k] = bytes[k];
		vision_facedesc_normalise(d);
		(*n)++;
	}
	if (rc != SQLITE_DONE) {
		ret = library_sqlite_error(lib, "cannot read library");
		free(*out);
		free(*desc);
		*out = NULL;
		*desc = NULL;
		*n = 0;
	}
	sqlite3_finalize(st);
	return ret;
}

/* labels[i] for the n tracks: who is who.  Returns the number of groups. */
static int cluster(const struct track *t, const float *desc, int n, int *labels)
{
	unsigned char *apart = bj_xcalloc((size_t)n * n, 1);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			apart[(size_t)i * n + j] = i != j && t[i].shot == t[j].shot && t[i].start <= t[j].end &&
			                           t[j].start <= t[i].end;
	/* vision_faceid_project's whitening does not help here: averaged over
	 * a track, the descriptors already vary little within a person */
	int ret = vision_faceid_cluster(desc, n, DIM, THRESHOLD, apart, labels);
	free(apart);
	return ret;
}

struct group {
	int label;
	double screen_time, best;
	int n_tracks, n_films, n_shots, best_track;
	char name[64];
};

static int by_screen_time(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->screen_time != y->screen_time)
		return x->screen_time > y->screen_time ? -1 : 1;
	return x->label - y->label;
}

/* Counts the distinct values among n (sorting them). */
static int distinct(int64_t *v, int n)
{
	int count = 0;
	for (int i = 0; i < n; i++) {
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = v[j] == v[i];
		count += !seen;
	}
	return count;
}

static void summarise(const struct track *t, int n, const int *labels, int groups, struct group *g)
{
	int64_t *films = bj_xmalloc((size_t)n * sizeof *films), *shots = bj_xmalloc((size_t)n * sizeof *shots);
	for (int c = 0; c < groups; c++) {
		struct group *G = &g[c];
		memset(G, 0, sizeof *G);
		G->label = c;
		G->best = -1;
		int m = 0;
		for (int i = 0; i < n; i++) {
			if (labels[i] != c)
				continue;
			films[m] = t[i].film;
			shots[m++] = t[i].shot;
			G->screen_time += t[i].end - t[i].start + SAMPLE_S;
			if (t[i].portrait > G->best)
				G->best = t[i].portrait, G->best_track = i;
		}
		G->n_tracks = m;
		G->n_films = distinct(films, m);
		G->n_shots = distinct(shots, m);
		/* the name most of its tracks' former identities had */
		int most = 0;
		for (int i = 0; i < n; i++) {
			if (labels[i] != c || !t[i].name[0])
				continue;
			int votes = 0;
			for (int j = 0; j < n; j++)
				votes += labels[j] == c && strcmp(t[j].name, t[i].name) == 0;
			if (votes > most)
				most = votes, snprintf(G->name, sizeof G->name, "%s", t[i].name);
		}
	}
	free(films);
	free(shots);
}

static int write_identities(library *lib, const struct track *t, const float *desc, int n, const int *labels,
                            const struct group *g, int groups)
{
	sqlite3_stmt *ins = NULL, *upd = NULL;
	int ret;
	if ((ret = library_exec(lib, "UPDATE tracks SET identity_id = NULL; DELETE FROM identities;")) < 0 ||
	    (ret = library_prepare(lib, "INSERT INTO identities (id, name, embedding, screen_time, n_tracks, n_films,"
	                                " n_shots, face_id, thumbnail) VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, 0),"
	                                " (SELECT thumbnail FROM faces WHERE id = ?))", &ins)) < 0 ||
	    (ret = library_prepare(lib, "UPDATE tracks SET identity_id = ? WHERE id = ?", &upd)) < 0)
		goto out;
	uint8_t *bytes = bj_xmalloc(DIM);
	float *mean = bj_xmalloc(DIM * sizeof *mean);
	for (int k = 0; k < groups && ret == 0; k++) {
		const struct group *G = &g[k];
		int64_t id = k + 1;
		/* the identity's descriptor: its tracks' mean, stored as theirs are */
		memset(mean, 0, DIM * sizeof *mean);
		for (int i = 0; i < n; i++)
			if (labels[i] == G->label)
				for (int d = 0; d < DIM; d++)
					mean[d] += desc[(size_t)i * DIM + d];
		vision_facedesc_normalise(mean);
		double scale = sqrt((double)DIM / VISION_FACEDESC_BINS) * 255.0;
		for (int d = 0; d < DIM; d++) {
			double v = mean[d] * scale;
			bytes[d] = (uint8_t)(v > 255 ? 255 : lrint(v));
		}
		const struct track *best = &t[G->best_track];
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, id);
		if (G->name[0])
			sqlite3_bind_text(ins, 2, G->name, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(ins, 2);
		sqlite3_bind_blob(ins, 3, bytes, DIM, SQLITE_TRANSIENT);
		sqlite3_bind_double(ins, 4, G->screen_time);
		sqlite3_bind_int(ins, 5, G->n_tracks);
		sqlite3_bind_int(ins, 6, G->n_films);
		sqlite3_bind_int(ins, 7, G->n_shots);
		sqlite3_bind_int64(ins, 8, best->face);
		sqlite3_bind_int64(ins, 9, best->face);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			ret = library_sqlite_error(lib, "cannot write library");
			break;
		}
		for (int i = 0; i < n && ret == 0; i++) {
			if (labels[i] != G->label)
				continue;
			sqlite3_reset(upd);
			sqlite3_bind_int64(upd, 1, id);
			sqlite3_bind_int64(upd, 2, t[i].id);
			if (sqlite3_step(upd) != SQLITE_DONE)
				ret = library_sqlite_error(lib, "cannot write library");
		}
	}
	free(bytes);
	free(mean);
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	return ret;
}

int library_identities_update(library *lib, int *count)
{
	struct track *t;
	float *desc;
	int n, ret = read_tracks(lib, &t, &desc, &n);
	if (ret < 0)
		return ret;
	int *labels = bj_xmalloc(((size_t)n + 1) * sizeof *labels);
	int groups = n ? cluster(t, desc, n, labels) : 0;
	if (groups < 0) {
		ret = groups;
		goto out;
	}
	struct group *g = bj_xmalloc(((size_t)groups + 1) * sizeof *g);
	summarise(t, n, labels, groups, g);
	qsort(g, (size_t)groups, sizeof *g, by_screen_time);
	if ((ret = library_exec(lib, "BEGIN IMMEDIATE")) == 0) {
		ret = write_identities(lib, t, desc, n, labels, g, groups);
		if (ret == 0)
			ret = library_exec(lib, "COMMIT");
		if (ret < 0)
			sqlite3_exec(lib->db, "ROLLBACK", NULL, NULL, NULL);
	}
	free(g);
	if (ret == 0 && count)
		*count = groups;
out:
	free(labels);
	free(t);
	free(desc);
	return ret;
}

int library_identities(library *lib, library_identity **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int ret = library_prepare(lib, "SELECT id, coalesce(name, ''), screen_time, n_tracks, n_films, n_shots,"
	                               " coalesce(face_id, 0) FROM identities ORDER BY screen_time DESC, id", &st);
	if (ret < 0)
		return ret;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		BJ_GROW(*ids, cap, *n + 1);
		library_identity *d = &(*ids)[(*n)++];
		d->id = sqlite3_column_int64(st, 0);
		snprintf(d->name, sizeof d->name, "%s", (const char *)sqlite3_column_text(st, 1));
		d->screen_time = sqlite3_column_double(st, 2);
		d->n_tracks = sqlite3_column_int(st, 3);
		d->n_films = sqlite3_column_int(st, 4);
		d->n_shots = sqlite3_column_int(st, 5);
		d->face_id = sqlite3_column_int64(st, 6);
	}
	if (rc != SQLITE_DONE) {
		ret = library_sqlite_error(lib, "cannot read library");
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	sqlite3_finalize(st);
	return ret;
}

int library_identity_thumbnails(library *lib, int64_t id, int max, uint8_t **jpegs, size_t *sizes)
{
	sqlite3_stmt *st;
	int ret = library_prepare(lib, "SELECT f.thumbnail FROM faces f JOIN tracks t ON t.id = f.track_id"
	                               " WHERE t.identity_id = ?1 AND f.thumbnail IS NOT NULL"
	                               " ORDER BY f.id = (SELECT face_id FROM identities WHERE id = ?1) DESC,"
	                               " t.end_s - t.start_s DESC, t.id, f.id LIMIT ?2", &st);
	if (ret < 0)
		return ret;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, max);
	int found = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && found < max) {
		size_t size = (size_t)sqlite3_column_bytes(st, 0);
		jpegs[found] = bj_xmalloc(size ? size : 1);
		memcpy(jpegs[found], sqlite3_column_blob(st, 0), size);
		sizes[found++] = size;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		while (found > 0)
			free(jpegs[--found]);
		ret = library_sqlite_error(lib, "cannot read library");
	}
	sqlite3_finalize(st);
	return ret < 0 ? ret : found;
}
