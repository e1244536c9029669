/*
 * casting.c - characters to identities, stars and voices (see casting.h).
 */
#include "film/casting.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/json.h"
#include "library/screen.h"
#include "perform/swap_model.h"
#include "perform/voice_match.h"

int film_cast_voices(perform_cast *c, const film_dialogue *d, uint64_t seed,
                     void (*on_match)(void *ctx, const char *character, const char *description),
                     void *ctx)
{
	for (size_t i = 0; i < c->n; i++) {
		perform_cast_entry *e = &c->entries[i];
		if (!e->like)
			continue;
		double rate = e->voice.shift.rate;
		perform_match_report r;
		if (perform_voice_match_file(e->like, &e->voice, &r) < 0)
			return bj_error_code();
		e->voice.shift.rate = rate;
		if (on_match) {
			char buf[512];
			perform_match_describe(&e->voice, &r, buf, sizeof buf);
			on_match(ctx, e->name, buf);
		}
	}
	return perform_cast_assign(c, d->names, d->n_names, seed);
}

/* path made absolute and checked to be a folder (want_dir) or a file. */
static int absolute(const char *what, const char *path, int want_dir, char **out)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return bj_error_set_errno(errno, "%s '%s'", what, path);
	if (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		return bj_error_set(BJ_EINVAL, "%s '%s': not a %s", what, path,
		                    want_dir ? "folder" : "file");
	*out = realpath(path, NULL);
	return *out ? 0 : bj_error_set_errno(errno, "%s '%s'", what, path);
}

static film_role *role_of(film_roles *r, const char *what, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcasecmp(r->roles[i].character, name))
			return &r->roles[i];
	bj_error_set(BJ_EINVAL, "%s '%s': no character '%s' speaks in the screenplay", what, name,
	             name);
	return NULL;
}

static int bind_stars(film_roles *r, const film_cast_opts *o)
{
	/* Named ones first, so that an unnamed star goes to a lead left free. */
	for (int named = 1; named >= 0; named--) {
		for (size_t i = 0; i < o->n_stars; i++) {
			const film_binding *b = &o->stars[i];
			if (!!b->name != named)
				continue;
			film_role *role = NULL;
			if (b->name) {
				if (!(role = role_of(r, "star", b->name)))
					return bj_error_code();
			} else {
				for (size_t k = 0; k < r->n && !role; k++)
					if (!r->roles[k].star)
						role = &r->roles[k];
				if (!role)
					return bj_error_set(BJ_EINVAL, "star '%s': every character has a star "
					                    "already", b->path);
			}
			if (role->star)
				return bj_error_set(BJ_EINVAL, "star '%s': %s has a star already", b->path,
				                    role->character);
			if (absolute("star", b->path, 1, &role->star) < 0)
				return bj_error_code();
		}
	}
	return 0;
}

/* Each named model checked to be a trained swap that loads. */
static int bind_models(film_roles *r, const film_cast_opts *o)
{
	for (size_t i = 0; i < o->n_models; i++) {
		const film_binding *b = &o->models[i];
		film_role *role = role_of(r, "model", b->name);
		if (!role)
			return bj_error_code();
		if (role->model)
			return bj_error_set(BJ_EINVAL, "model '%s': %s has a model already", b->path, role->character);
		if (absolute("model", b->path, 0, &role->model) < 0)
			return bj_error_code();
		perform_swap_net *net;
		perform_swap_state st;
		if (perform_swap_model_load(b->path, 0, &net, &st) < 0)
			return bj_error_code();
		perform_swap_net_free(net);
	}
	return 0;
}

static int bind_identities(film_roles *r, library *lib)
{
	library_screen *s = NULL;
	size_t n = 0;
	if (lib && library_identity_screen(lib, &s, &n) < 0)
		return bj_error_code();
	/* Best first: those never on screen are at the end, and no use. */
	while (n > 0 && s[n - 1].seconds <= 0)
		free(s[--n].name);
	for (size_t i = 0; i < r->n && n > 0; i++) {
		r->roles[i].identity = s[i % n].identity;
		r->roles[i].identity_seconds = s[i % n].seconds;
	}
	library_screen_free(s, n);
	return 0;
}

static int bind_voices(film_roles *r, const film_dialogue *d, const film_cast_opts *o)
{
	perform_cast pc;
	perform_cast_init(&pc);
	int ret = 0;
	for (size_t i = 0; i < o->n_likes && ret == 0; i++) {
		film_role *role = role_of(r, "voice-like", o->likes[i].name);
		ret = role ? absolute("voice-like", o->likes[i].path, 0, &role->like) : bj_error_code();
		if (ret == 0)
			ret = perform_cast_pin_like(&pc, role->character, role->like);
	}
	if (ret == 0)
		ret = film_cast_voices(&pc, d, o->seed, o->on_match, o->ctx);
	for (size_t i = 0; ret == 0 && i < r->n; i++)
		r->roles[i].voice = *perform_cast_find(&pc, r->roles[i].character);
	perform_cast_release(&pc);
	return ret;
}

int film_cast_choose(const film_dialogue *d, library *lib, const film_cast_opts *o, film_roles *r)
{
	memset(r, 0, sizeof *r);
	r->roles = bj_xcalloc(d->n_names + 1, sizeof *r->roles);
	for (size_t i = 0; i < d->n_names; i++) {
		r->roles[i].character = bj_xstrdup(d->names[i]);
		r->roles[i].lines = d->counts[i];
		r->n = i + 1;
	}
	int ret = bind_identities(r, lib);
	if (ret == 0)
		ret = bind_stars(r, o);
	if (ret == 0)
		ret = bind_models(r, o);
	if (ret == 0)
		ret = bind_voices(r, d, o);
	if (ret < 0)
		film_roles_release(r);
	return ret;
}

int film_roles_save(const film_roles *r, const char *path)
{
	json_t *root = json_object(), *list = json_array();
	json_object_set_new(root, "format", json_string("benjamin-cast"));
	json_object_set_new(root, "version", json_integer(1));
	for (size_t i = 0; i < r->n; i++) {
		const film_role *x = &r->roles[i];
		json_t *o = json_object();
		json_object_set_new(o, "character", json_string(x->character));
		json_object_set_new(o, "lines", json_integer((json_int_t)x->lines));
		json_object_set_new(o, "identity", x->identity ? json_integer(x->identity) : json_null());
		if (x->identity)
			json_object_set_new(o, "identity_seconds", json_real(round(x->identity_seconds * 1e3) / 1e3));
		if (x->star)
			json_object_set_new(o, "star", json_string(x->star));
		if (x->model)
			json_object_set_new(o, "model", json_string(x->model));
		if (x->like)
			json_object_set_new(o, "like", json_string(x->like));
		json_object_set_new(o, "voice", json_string(x->voice.voice));
		json_object_set_new(o, "pitch", json_real(x->voice.shift.semitones));
		json_object_set_new(o, "formant", json_real(x->voice.shift.formant));
		json_object_set_new(o, "rate", json_real(x->voice.shift.rate));
		json_object_set_new(o, "range", json_real(x->voice.range));
		json_array_append_new(list, o);
	}
	json_object_set_new(root, "cast", list);
	int ret = bj_json_save(path, root, 0);
	json_decref(root);
	return ret;
}

void film_roles_release(film_roles *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->roles[i].character);
		free(r->roles[i].star);
		free(r->roles[i].like);
		free(r->roles[i].model);
	}
	free(r->roles);
	memset(r, 0, sizeof *r);
}
