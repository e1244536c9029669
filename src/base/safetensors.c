#include "base/safetensors.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"
#include "base/utf8.h"
#include "base/json.h"

/* Tensor data is handed out and written as the host's bytes; the format is
 * little-endian. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "safetensors.c assumes a little-endian host");

static const struct {
	const char *name;
	size_t size;
} dtypes[BJ_DTYPE_COUNT] = {
	[BJ_DTYPE_F32] = { "F32", 4 },
	[BJ_DTYPE_F16] = { "F16", 2 },
	[BJ_DTYPE_BF16] = { "BF16", 2 },
	[BJ_DTYPE_I32] = { "I32", 4 },
	[BJ_DTYPE_U8] = { "U8", 1 },
};

/* The other dtypes of the format (safetensors/src/tensor.rs, enum Dtype): a
 * file using them is valid but not for us, so it is BJ_EUNSUPPORTED rather
 * than BJ_EFORMAT. */
static const char *const other_dtypes[] = {
	"BOOL", "I8", "I16", "U16", "U32", "I64", "U64", "F64", "C64",
	"F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4",
};

const char *bj_dtype_name(bj_dtype dtype)
{
	BJ_ASSERT((unsigned)dtype < BJ_DTYPE_COUNT);
	return dtypes[dtype].name;
}

size_t bj_dtype_size(bj_dtype dtype)
{
	BJ_ASSERT((unsigned)dtype < BJ_DTYPE_COUNT);
	return dtypes[dtype].size;
}

/* "[2, 3]" for messages; s holds BJ_ST_MAX_DIMS 20-character numbers. */
struct shape_str {
	char s[BJ_ST_MAX_DIMS * 22 + 3];
};

static struct shape_str format_shape(int ndim, const int64_t *shape)
{
	struct shape_str r;
	size_t n = 0;
	r.s[n++] = '[';
	for (int i = 0; i < ndim; i++)
		n += (size_t)snprintf(r.s + n, sizeof(r.s) - n, "%s%" PRId64, i ? ", " : "",
		                      shape[i]);
	snprintf(r.s + n, sizeof(r.s) - n, "]");
	return r;
}

/* ---- reading ---- */

struct bj_safetensors {
	char *path;
	json_t *header;          /* owns the names and metadata strings */
	bj_st_tensor *tensors;   /* (count), sorted by offset */
	size_t count;
	const char **meta_keys;  /* (meta_count) */
	const char **meta_values;
	size_t meta_count;
	unsigned char *data;     /* (data_size) the data buffer */
	size_t data_size;
};

/* Sets the error to BJ_EFORMAT, "'<path>': <message>", and returns it. */
static int malformed(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int malformed(const char *path, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bj_error_set(BJ_EFORMAT, "'%s': %s", path, msg);
}

/* Reads exactly n bytes at the current position, pos in the file: a short file
 * is the file's fault (it shrank since fstat), a failed read the system's. */
static int read_exact(int fd, const char *path, void *buf, size_t n, uint64_t pos)
{
	size_t done = 0;
	while (done < n) {
		ssize_t got = read(fd, (char *)buf + done, n - done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return bj_error_set_errno(errno, "'%s': cannot read", path);
		if (got == 0)
			return malformed(path, "file ends at byte %" PRIu64 " while reading, "
			                 "expected %" PRIu64 " bytes (truncated?)", pos + done,
			                 pos + n);
		done += (size_t)got;
	}
	return 0;
}

static int check_metadata(bj_safetensors *st, json_t *meta)
{
	const char *path = st->path;
	if (!json_is_object(meta))
		return malformed(path, "'__metadata__': expected an object, got %s",
		                 bj_json_type_name(meta));
	size_t n = json_object_size(meta);
	st->meta_keys = bj_try_calloc(n, sizeof(*st->meta_keys));
	st->meta_values = bj_try_calloc(n, sizeof(*st->meta_values));
	if (!st->meta_keys || !st->meta_values)
		return bj_error_prefix("'%s'", path);
	const char *key;
	json_t *value;
	json_object_foreach(meta, key, value) {
		if (!json_is_string(value))
			return malformed(path, "metadata '%s': expected a string, got %s", key,
			                 bj_json_type_name(value));
		st->meta_keys[st->meta_count] = key;
		st->meta_values[st->meta_count] = json_string_value(value);
		st->meta_count++;
	}
	return 0;
}

static int parse_dtype(const char *path, const char *name, json_t *v, bj_dtype *out)
{
	if (!v)
		return malformed(path, "tensor '%s' has no 'dtype'", name);
	if (!json_is_string(v))
		return malformed(path, "tensor '%s': expected a string for 'dtype', got %s", name,
		                 bj_json_type_name(v));
	const char *s = json_string_value(v);
	for (int i = 0; i < BJ_DTYPE_COUNT; i++)
		if (strcmp(s, dtypes[i].name) == 0) {
			*out = (bj_dtype)i;
			return 0;
		}
	for (size_t i = 0; i < BJ_ARRAY_SIZE(other_dtypes); i++)
		if (strcmp(s, other_dtypes[i]) == 0)
			return bj_error_set(BJ_EUNSUPPORTED, "'%s': tensor '%s' has dtype '%s'; "
			                    "benjamin reads F32, F16, BF16, I32 and U8", path,
			                    name, s);
	return malformed(path, "tensor '%s' has unknown dtype '%s'", name, s);
}

static int parse_shape(const char *path, const char *name, json_t *v, bj_st_tensor *t)
{
	if (!v)
		return malformed(path, "tensor '%s' has no 'shape'", name);
	if (!json_is_array(v))
		return malformed(path, "tensor '%s': expected an array for 'shape', got %s", name,
		                 bj_json_type_name(v));
	size_t ndim = json_array_size(v);
	if (ndim > BJ_ST_MAX_DIMS)
		return malformed(path, "tensor '%s' has %zu dimensions, limit %d", name, ndim,
		                 BJ_ST_MAX_DIMS);
	t->ndim = (int)ndim;
	for (size_t i = 0; i < ndim; i++) {
		json_t *d = json_array_get(v, i);
		if (!json_is_integer(d))
			return malformed(path, "tensor '%s': expected an integer for shape[%zu], "
			                 "got %s", name, i, bj_json_type_name(d));
		json_int_t x = json_integer_value(d);
		if (x < 0)
			return malformed(path, "tensor '%s': shape[%zu] is %" JSON_INTEGER_FORMAT
			                 ", expected 0 or more", name, i, x);
		t->shape[i] = x;
	}
	/* Element count and byte size, checked for overflow before anything trusts
	 * them (stb's stbi__mad3sizes_valid, gguf.cpp). */
	size_t count = 1;
	bool ok = true;
	for (size_t i = 0; i < ndim && ok; i++) {
		uint64_t d = (uint64_t)t->shape[i];
		ok = d <= SIZE_MAX && bj_size_mul(&count, count, (size_t)d);
	}
	if (ok)
		ok = bj_size_mul(&t->nbytes, count, dtypes[t->dtype].size);
	if (!ok)
		return malformed(path, "tensor '%s' has shape %s, whose size overflows", name,
		                 format_shape(t->ndim, t->shape).s);
	t->count = count;
	return 0;
}

static int parse_offsets(const char *path, const char *name, json_t *v, size_t data_size,
                         bj_st_tensor *t)
{
	if (!v)
		return malformed(path, "tensor '%s' has no 'data_offsets'", name);
	json_t *jb = json_array_get(v, 0), *je = json_array_get(v, 1);
	if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_integer(jb) ||
	    !json_is_integer(je) || json_integer_value(jb) < 0 || json_integer_value(je) < 0)
		return malformed(path, "tensor '%s': 'data_offsets' is not a pair of byte offsets",
		                 name);
	uint64_t begin = (uint64_t)json_integer_value(jb);
	uint64_t end = (uint64_t)json_integer_value(je);
	if (begin > end)
		return malformed(path, "tensor '%s' begins at byte %" PRIu64 " after it ends "
		                 "at byte %" PRIu64, name, begin, end);
	if (end > data_size)
		return malformed(path, "tensor '%s' ends at byte %" PRIu64 ", data has %zu bytes",
		                 name, end, data_size);
	if (end - begin != t->nbytes)
		return malformed(path, "tensor '%s' has %" PRIu64 " bytes of data, but %s %s "
		                 "needs %zu", name, end - begin, dtypes[t->dtype].name,
		                 format_shape(t->ndim, t->shape).s, t->nbytes);
	t->offset = (size_t)begin;
	return 0;
}

static int parse_tensor(const char *path, const char *name, json_t *v, size_t data_size,
                        bj_st_tensor *t)
{
	if (!json_is_object(v))
		return malformed(path, "tensor '%s': expected an object, got %s", name,
		                 bj_json_type_name(v));
	const char *key;
	json_t *value;
	json_object_foreach(v, key, value) {
		if (strcmp(key, "dtype") != 0 && strcmp(key, "shape") != 0 &&
		    strcmp(key, "data_offsets") != 0)
			return malformed(path, "tensor '%s' has unknown key '%s'", name, key);
	}
	t->name = name;
	int ret = parse_dtype(path, name, json_object_get(v, "dtype"), &t->dtype);
	if (ret == 0)
		ret = parse_shape(path, name, json_object_get(v, "shape"), t);
	if (ret == 0)
		ret = parse_offsets(path, name, json_object_get(v, "data_offsets"), data_size, t);
	return ret;
}

static int by_offset(const void *pa, const void *pb)
{
	const bj_st_tensor *a = pa, *b = pb;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	if (a->nbytes != b->nbytes)
		return a->nbytes < b->nbytes ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* The format requires the tensors to tile the data buffer (tensor.rs,
 * Metadata::validate and MetadataIncompleteBuffer): sorted by offset, each must
 * start where the previous one ended, and the last must end the buffer. */
static int check_layout(bj_safetensors *st)
{
	qsort(st->tensors, st->count, sizeof(*st->tensors), by_offset);
	size_t end = 0;
	const bj_st_tensor *prev = NULL;
	for (size_t i = 0; i < st->count; i++) {
		const bj_st_tensor *t = &st->tensors[i];
		if (t->offset < end)
			return malformed(st->path, "tensors '%s' and '%s' overlap at byte %zu of "
			                 "the data", prev->name, t->name, t->offset);
		if (t->offset > end)
			return malformed(st->path, "bytes %zu to %zu of the data belong to no "
			                 "tensor", end, t->offset);
		end = t->offset + t->nbytes;
		prev = t;
	}
	if (end != st->data_size)
		return malformed(st->path, "bytes %zu to %zu of the data belong to no tensor", end,
		                 st->data_size);
	return 0;
}

static int parse_header(bj_safetensors *st, const char *text, size_t n)
{
	const char *path = st->path;
	if (n == 0)
		return malformed(path, "header is empty");
	size_t bad;
	if (!bj_utf8_validate(text, n, &bad))
		return malformed(path, "header is not valid UTF-8 (byte %zu of the file)", 8 + bad);
	/* jansson takes a NUL byte for the end of the input, which makes a
	 * confusing message; say what it is. */
	const char *nul = memchr(text, '\0', n);
	if (nul)
		return malformed(path, "header contains a NUL byte (byte %zu of the file)",
		                 8 + (size_t)(nul - text));
	json_error_t err;
	st->header = json_loadb(text, n, JSON_REJECT_DUPLICATES, &err);
	if (!st->header)
		return malformed(path, "cannot parse header: line %d column %d: %s", err.line,
		                 err.column, err.text);
	if (!json_is_object(st->header))
		return malformed(path, "header: expected a JSON object, got %s",
		                 bj_json_type_name(st->header));

	json_t *meta = json_object_get(st->header, "__metadata__");
	if (meta) {
		int ret = check_metadata(st, meta);
		if (ret < 0)
			return ret;
	}
	size_t n_tensors = json_object_size(st->header) - (meta ? 1 : 0);
	st->tensors = bj_try_calloc(n_tensors, sizeof(*st->tensors));
	if (!st->tensors)
		return bj_error_prefix("'%s'", path);
	const char *name;
	json_t *value;
	json_object_foreach(st->header, name, value) {
		if (value == meta)
			continue;
		int ret = parse_tensor(path, name, value, st->data_size, &st->tensors[st->count]);
		if (ret < 0)
			return ret;
		st->count++;
	}
	return check_layout(st);
}

int bj_safetensors_load(const char *path, bj_safetensors **out)
{
	*out = NULL;
	int ret;
	char *header = NULL;
	bj_safetensors *st = bj_xcalloc(1, sizeof(*st));
	st->path = bj_xstrdup(path);

	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = bj_error_set_errno(errno, "'%s': cannot open", path);
		goto fail;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0) {
		ret = bj_error_set_errno(errno, "'%s': cannot read", path);
		goto fail;
	}
	if (S_ISDIR(sb.st_mode)) {
		ret = bj_error_set(BJ_EIO, "'%s': cannot read: is a directory", path);
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		ret = bj_error_set(BJ_EIO, "'%s': cannot read: not a regular file", path);
		goto fail;
	}
	uint64_t file_size = (uint64_t)sb.st_size;
	if (file_size < 8) {
		ret = malformed(path, "file is %" PRIu64 " bytes, too short for the 8-byte header "
		                "length", file_size);
		goto fail;
	}
	unsigned char len8[8];
	ret = read_exact(fd, path, len8, 8, 0);
	if (ret < 0)
		goto fail;
	uint64_t n = 0;
	for (int i = 7; i >= 0; i--)
		n = n << 8 | len8[i];
	if (n > file_size - 8) {
		ret = malformed(path, "header length is %" PRIu64 " bytes, but only %" PRIu64
		                " bytes follow", n, file_size - 8);
		goto fail;
	}
	if (n > BJ_ST_MAX_HEADER) {
		ret = malformed(path, "header length is %" PRIu64 " bytes, limit %u", n,
		                BJ_ST_MAX_HEADER);
		goto fail;
	}
	if (file_size - 8 - n > SIZE_MAX) {
		ret = bj_error_set(BJ_ENOMEM, "'%s': data of %" PRIu64 " bytes does not fit in "
		                   "memory", path, file_size - 8 - n);
		goto fail;
	}
	st->data_size = (size_t)(file_size - 8 - n);

	/* The header is validated completely before the data buffer is allocated. */
	header = bj_try_malloc((size_t)n);
	if (!header) {
		ret = bj_error_prefix("'%s'", path);
		goto fail;
	}
	ret = read_exact(fd, path, header, (size_t)n, 8);
	if (ret < 0)
		goto fail;
	ret = parse_header(st, header, (size_t)n);
	if (ret < 0)
		goto fail;

	st->data = bj_try_malloc(st->data_size);
	if (!st->data) {
		ret = bj_error_prefix("'%s'", path);
		goto fail;
	}
	ret = read_exact(fd, path, st->data, st->data_size, 8 + n);
	if (ret < 0)
		goto fail;
	for (size_t i = 0; i < st->count; i++)
		st->tensors[i].data = st->data + st->tensors[i].offset;

	close(fd);
	free(header);
	*out = st;
	return 0;

fail:
	if (fd >= 0)
		close(fd);
	free(header);
	bj_safetensors_free(st);
	return ret;
}

void bj_safetensors_free(bj_safetensors *st)
{
	if (!st)
		return;
	free(st->path);
	json_decref(st->header);
	free(st->tensors);
	free(st->meta_keys);
	free(st->meta_values);
	free(st->data);
	free(st);
}

const char *bj_safetensors_path(const bj_safetensors *st)
{
	return st->path;
}

size_t bj_safetensors_count(const bj_safetensors *st)
{
	return st->count;
}

const bj_st_tensor *bj_safetensors_tensor(const bj_safetensors *st, size_t i)
{
	BJ_ASSERT(i < st->count);
	return &st->tensors[i];
}

const bj_st_tensor *bj_safetensors_find(const bj_safetensors *st, const char *name)
{
	for (size_t i = 0; i < st->count; i++)
		if (strcmp(st->tensors[i].name, name) == 0)
			return &st->tensors[i];
	return NULL;
}

const char *bj_safetensors_meta(const bj_safetensors *st, const char *key)
{
	for (size_t i = 0; i < st->meta_count; i++)
		if (strcmp(st->meta_keys[i], key) == 0)
			return st->meta_values[i];
	return NULL;
}

size_t bj_safetensors_meta_count(const bj_safetensors *st)
{
	return st->meta_count;
}

void bj_safetensors_meta_at(const bj_safetensors *st, size_t i, const char **key,
                            const char **value)
{
	BJ_ASSERT(i < st->meta_count);
	*key = st->meta_keys[i];
	*value = st->meta_values[i];
}

/* IEEE 754 binary16 to binary32; every half is exactly representable. */
static float half_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000) << 16;
	uint32_t exp = (h >> 10) & 0x1f;
	uint32_t man = h & 0x3ff;
	uint32_t bits;
	if (exp == 0x1f) {
		bits = sign | 0x7f800000u | man << 13;  /* inf, or NaN keeping its payload */
	} else if (exp != 0) {
		bits = sign | (exp + 127 - 15) << 23 | man << 13;
	} else {
		/* Zero or subnormal: man * 2^-24, exact in binary32. */
		float f = (float)man * 0x1p-24f;
		return sign ? -f : f;
	}
	float f;
	memcpy(&f, &bits, sizeof(f));
	return f;
}

uint16_t bj_f16_from_f32(float f)
{
	uint32_t x;
	memcpy(&x, &f, sizeof(x));
	uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
	uint32_t a = x & 0x7fffffffu;
	if (a > 0x7f800000u)
		return (uint16_t)(sign | 0x7e00);   /* NaN */
	if (a >= 0x477ff000u)
		return (uint16_t)(sign | 0x7c00);   /* rounds beyond 65504: infinity */
	if (a < 0x38800000u) {
		/* A subnormal half: units of 2^-24, rounded to nearest even. */
		float q = fabsf(f) * 0x1p24f;       /* exact */
		return (uint16_t)(sign | (uint16_t)lrintf(q));
	}
	/* Normal: rebias the exponent and round the 23-bit mantissa to 10. */
	uint32_t h = ((a >> 13) - ((127u - 15u) << 10));
	uint32_t rest = a & 0x1fffu;
	if (rest > 0x1000u || (rest == 0x1000u && (h & 1u)))
		h++;                                /* may carry into the exponent: right */
	return (uint16_t)(sign | h);
}

void bj_st_tensor_to_f32(const bj_st_tensor *t, float *out)
{
	const unsigned char *p = t->data;  /* not aligned: read through memcpy */
	switch (t->dtype) {
	case BJ_DTYPE_F32:
		memcpy(out, p, t->count * sizeof(float));
		break;
	case BJ_DTYPE_F16:
		for (size_t i = 0; i < t->count; i++) {
			uint16_t h;
			memcpy(&h, p + 2 * i, 2);
			out[i] = half_to_float(h);
		}
		break;
	case BJ_DTYPE_BF16:
		for (size_t i = 0; i < t->count; i++) {
			uint16_t h;
			memcpy(&h, p + 2 * i, 2);
			uint32_t bits = (uint32_t)h << 16;
			memcpy(&out[i], &bits, sizeof(float));
		}
		break;
	case BJ_DTYPE_I32:
		for (size_t i = 0; i < t->count; i++) {
			int32_t x;
			memcpy(&x, p + 4 * i, 4);
			out[i] = (float)x;
		}
		break;
	case BJ_DTYPE_U8:
		for (size_t i = 0; i < t->count; i++)
			out[i] = (float)p[i];
		break;
	default:
		BJ_ASSERT(!"unknown dtype");
	}
}

int bj_safetensors_read_f32(const bj_safetensors *st, const char *name, int ndim,
                            const int64_t *shape, float *out)
{
	BJ_ASSERT(ndim >= 0 && ndim <= BJ_ST_MAX_DIMS);
	const bj_st_tensor *t = bj_safetensors_find(st, name);
	if (!t)
		return bj_error_set(BJ_ENOENT, "'%s': no tensor '%s'", st->path, name);
	bool same = t->ndim == ndim;
	for (int i = 0; same && i < ndim; i++)
		same = t->shape[i] == shape[i];
	if (!same)
		return malformed(st->path, "tensor '%s' has shape %s, expected %s", name,
		                 format_shape(t->ndim, t->shape).s, format_shape(ndim, shape).s);
	bj_st_tensor_to_f32(t, out);
	return 0;
}

/* ---- writing ---- */

struct entry {
	char *name;
	bj_dtype dtype;
	int ndim;
	int64_t shape[BJ_ST_MAX_DIMS];
	size_t nbytes;
	const void *data;  /* borrowed */
};

struct bj_st_writer {
	struct entry *entries;  /* (count) in the order added */
	size_t count, cap;
	json_t *meta;           /* string -> string, in the order first set */
};

bj_st_writer *bj_st_writer_new(void)
{
	return bj_xcalloc(1, sizeof(struct bj_st_writer));
}

void bj_st_writer_free(bj_st_writer *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->count; i++)
		free(w->entries[i].name);
	free(w->entries);
	json_decref(w->meta);
	free(w);
}

static bool valid_string(const char *s)
{
	size_t bad;
	return bj_utf8_validate(s, strlen(s), &bad);
}

int bj_st_writer_add(bj_st_writer *w, const char *name, bj_dtype dtype, int ndim,
                     const int64_t *shape, const void *data)
{
	BJ_ASSERT(w && name && (unsigned)dtype < BJ_DTYPE_COUNT);
	if (!*name)
		return bj_error_set(BJ_EINVAL, "tensor name is empty");
	if (!valid_string(name))
		return bj_error_set(BJ_EINVAL, "tensor name '%s' is not valid UTF-8", name);
	if (strcmp(name, "__metadata__") == 0)
		return bj_error_set(BJ_EINVAL, "tensor name '__metadata__' is reserved");
	for (size_t i = 0; i < w->count; i++)
		if (strcmp(w->entries[i].name, name) == 0)
			return bj_error_set(BJ_EINVAL, "tensor '%s' added twice", name);
	if (ndim < 0 || ndim > BJ_ST_MAX_DIMS)
		return bj_error_set(BJ_EINVAL, "tensor '%s' has %d dimensions, limit %d", name,
		                    ndim, BJ_ST_MAX_DIMS);
	size_t nbytes = dtypes[dtype].size;
	for (int i = 0; i < ndim; i++) {
		if (shape[i] < 0)
			return bj_error_set(BJ_EINVAL, "tensor '%s' has shape %s: negative "
			                    "dimension", name, format_shape(ndim, shape).s);
		/* The size must also fit a JSON integer (int64) in the header. */
		uint64_t d = (uint64_t)shape[i];
		if (d > SIZE_MAX || !bj_size_mul(&nbytes, nbytes, (size_t)d) || nbytes > INT64_MAX)
			return bj_error_set(BJ_EINVAL, "tensor '%s' has shape %s, whose size "
			                    "overflows", name, format_shape(ndim, shape).s);
	}
	BJ_ASSERT(data || nbytes == 0);

	BJ_GROW(w->entries, w->cap, w->count + 1);
	struct entry *e = &w->entries[w->count++];
	memset(e, 0, sizeof(*e));
	e->name = bj_xstrdup(name);
	e->dtype = dtype;
	e->ndim = ndim;
	if (ndim > 0)
		memcpy(e->shape, shape, (size_t)ndim * sizeof(*shape));
	e->nbytes = nbytes;
	e->data = data;
	return 0;
}

int bj_st_writer_set_meta(bj_st_writer *w, const char *key, const char *value)
{
	BJ_ASSERT(w && key && value);
	if (!valid_string(key))
		return bj_error_set(BJ_EINVAL, "metadata key '%s' is not valid UTF-8", key);
	if (!valid_string(value))
		return bj_error_set(BJ_EINVAL, "metadata '%s' is not valid UTF-8", key);
	if (!w->meta)
		w->meta = json_object();
	json_t *s = json_string(value);
	if (!w->meta || !s || json_object_set_new(w->meta, key, s) != 0)
		return bj_error_set(BJ_ENOMEM, "out of memory setting metadata '%s'", key);
	return 0;
}

/* Appends j (a new reference, NULL when jansson ran out of memory) to arr;
 * returns false if anything failed. */
static bool append(json_t *arr, json_t *j)
{
	return j && json_array_append_new(arr, j) == 0;
}

/* The header as compact JSON, mirroring the reference writer (tensor.rs,
 * prepare): metadata first, then each tensor {"dtype","shape","data_offsets"}. */
static json_t *build_header(const bj_st_writer *w, const char *path)
{
	json_t *root = json_object();
	if (!root)
		goto nomem;
	if (w->meta && json_object_size(w->meta) > 0 &&
	    json_object_set(root, "__metadata__", w->meta) != 0)
		goto nomem;
	size_t offset = 0;
	for (size_t i = 0; i < w->count; i++) {
		const struct entry *e = &w->entries[i];
		size_t end;
		if (!bj_size_add(&end, offset, e->nbytes) || end > INT64_MAX) {
			json_decref(root);
			bj_error_set(BJ_EINVAL, "'%s': tensors total more than %" PRId64 " bytes",
			             path, INT64_MAX);
			return NULL;
		}
		json_t *t = json_object(), *shape = json_array(), *offsets = json_array();
		bool ok = t && shape && offsets &&
		          json_object_set_new(t, "dtype", json_string(dtypes[e->dtype].name)) == 0;
		for (int d = 0; ok && d < e->ndim; d++)
			ok = append(shape, json_integer(e->shape[d]));
		ok = ok && append(offsets, json_integer((json_int_t)offset)) &&
		     append(offsets, json_integer((json_int_t)end));
		ok = ok && json_object_set(t, "shape", shape) == 0 &&
		     json_object_set(t, "data_offsets", offsets) == 0 &&
		     json_object_set(root, e->name, t) == 0;
		json_decref(t);
		json_decref(shape);
		json_decref(offsets);
		if (!ok)
			goto nomem;
		offset = end;
	}
	return root;

nomem:
	json_decref(root);
	bj_error_set(BJ_ENOMEM, "'%s': out of memory building the header", path);
	return NULL;
}

int bj_st_writer_save(const bj_st_writer *w, const char *path)
{
	int ret;
	char *text = NULL;
	bj_atomic *a = NULL;
	json_t *header = build_header(w, path);
	if (!header) {
		ret = bj_error_code();
		goto out;
	}
	text = json_dumps(header, JSON_COMPACT);
	if (!text) {
		ret = bj_error_set(BJ_ENOMEM, "'%s': out of memory writing the header", path);
		goto out;
	}
	size_t len = strlen(text);
	size_t padded = (len + 7) / 8 * 8;  /* 8 + N a multiple of 8: aligned data */
	if (padded > BJ_ST_MAX_HEADER) {
		ret = bj_error_set(BJ_EINVAL, "'%s': header would be %zu bytes, limit %u", path,
		                   padded, BJ_ST_MAX_HEADER);
		goto out;
	}
	ret = bj_atomic_open(path, &a);
	if (ret < 0)
		goto out;

	FILE *f = bj_atomic_stream(a);
	unsigned char len8[8];
	for (int i = 0; i < 8; i++)
		len8[i] = (unsigned char)((uint64_t)padded >> (8 * i));
	static const char spaces[] = "       ";  /* the most padding needed */
	errno = 0;
	bool ok = fwrite(len8, 1, 8, f) == 8 && fwrite(text, 1, len, f) == len &&
	          fwrite(spaces, 1, padded - len, f) == padded - len;
	for (size_t i = 0; ok && i < w->count; i++)
		ok = w->entries[i].nbytes == 0 ||
		     fwrite(w->entries[i].data, 1, w->entries[i].nbytes, f) == w->entries[i].nbytes;
	if (!ok) {
		ret = bj_error_set_errno(errno ? errno : EIO, "'%s': cannot write", path);
		goto out;
	}
	ret = bj_atomic_commit(a);
	a = NULL;

out:
	bj_atomic_abort(a);
	free(text);
	json_decref(header);
	return ret;
}
