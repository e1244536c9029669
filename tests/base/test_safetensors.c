#include "base/safetensors.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"

#define FIXTURE "tests/fixtures/base/ref.safetensors"

/* ---- helpers ---- */


static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const void *p)
{
	const unsigned char *b = p;
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* Writes a file by hand: the header length n, len bytes of header text, then
 * data_size bytes of data (a byte pattern). */
static void write_raw(const char *path, uint64_t n, const char *header, size_t len,
                      size_t data_size)
{
	size_t total = 8 + len + data_size;
	unsigned char *buf = bj_xmalloc(total);
	put_u64(buf, n);
	memcpy(buf + 8, header, len);
	for (size_t i = 0; i < data_size; i++)
		buf[8 + len + i] = (unsigned char)(i * 7 + 1);
	test_write_file(path, buf, total);
	free(buf);
}

/* Loads path and checks that it fails with code and the message
 * "'<path>': <tail>", and that nothing is handed out; what names the case. */
static void expect_error_in(const char *what, const char *path, int code, const char *tail)
{
	bj_safetensors *st = (bj_safetensors *)&st;
	int ret = bj_safetensors_load(path, &st);
	CHECK(ret == code, "%s: got %d (%s), want %d", what, ret, bj_error_message(), code);
	CHECK(st == NULL, "%s", what);
	char *want = bj_xasprintf("'%s': %s", path, tail);
	CHECK_STR(bj_error_message(), want);
	free(want);
	if (ret == 0)
		bj_safetensors_free(st);
}

#define expect_error(path, code, tail) expect_error_in(tail, path, code, tail)

static bj_safetensors *load_ok(const char *path)
{
	bj_safetensors *st = NULL;
	int ret = bj_safetensors_load(path, &st);
	CHECK(ret == 0 && st, "%s", bj_error_message());
	return ret == 0 ? st : NULL;
}

static uint32_t f32_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

/* ---- round trips ---- */

static const float f32_data[6] = { -1.5f, 0.0f, 0.25f, 3e38f, -1e-30f, 1.0f };
/* 1, -2, largest finite, smallest subnormal (2^-24), -0, inf, a quiet NaN */
static const uint16_t f16_data[7] = { 0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0x7e00 };
static const float f16_want[7] = { 1.0f, -2.0f, 65504.0f, 0x1p-24f, -0.0f, INFINITY, NAN };
/* 1, -2.5, 3.140625, smallest subnormal (2^-133) */
static const uint16_t bf16_data[4] = { 0x3f80, 0xc020, 0x4049, 0x0001 };
static const float bf16_want[4] = { 1.0f, -2.5f, 3.140625f, 0x1p-133f };
static const int32_t i32_data[4] = { -7, 0, INT32_MAX, INT32_MIN };
static const float i32_want[4] = { -7.0f, 0.0f, 2147483648.0f, -2147483648.0f };
static uint8_t u8_data[12];
static const float scalar_data = 42.0f;

static bj_st_writer *every_dtype_writer(void)
{
	for (int i = 0; i < 12; i++)
		u8_data[i] = (uint8_t)(i * 23);
	bj_st_writer *w = bj_st_writer_new();
	CHECK(bj_st_writer_set_meta(w, "vocab", "abc\n\"\xc3\xa9\"") == 0);
	CHECK(bj_st_writer_set_meta(w, "epoch", "2") == 0);
	CHECK(bj_st_writer_set_meta(w, "epoch", "3") == 0, "replaces in place");
	CHECK(bj_st_writer_add(w, "w", BJ_DTYPE_F32, 2, (int64_t[]){ 2, 3 }, f32_data) == 0);
	CHECK(bj_st_writer_add(w, "h", BJ_DTYPE_F16, 1, (int64_t[]){ 7 }, f16_data) == 0);
	CHECK(bj_st_writer_add(w, "b", BJ_DTYPE_BF16, 2, (int64_t[]){ 2, 2 }, bf16_data) == 0);
	CHECK(bj_st_writer_add(w, "i", BJ_DTYPE_I32, 1, (int64_t[]){ 4 }, i32_data) == 0);
	CHECK(bj_st_writer_add(w, "u", BJ_DTYPE_U8, 3, (int64_t[]){ 2, 2, 3 }, u8_data) == 0);
	CHECK(bj_st_writer_add(w, "s", BJ_DTYPE_F32, 0, NULL, &scalar_data) == 0);
	CHECK(bj_st_writer_add(w, "e", BJ_DTYPE_F32, 2, (int64_t[]){ 0, 5 }, NULL) == 0);
	CHECK(bj_st_writer_add(w, "\xc3\xa9t\xc3\xa9", BJ_DTYPE_U8, 1, (int64_t[]){ 1 },
	                       u8_data) == 0);
	return w;
}

static void check_tensor(const bj_safetensors *st, size_t i, const char *name, bj_dtype dtype,
                         int ndim, const int64_t *shape, const void *data, size_t nbytes)
{
	const bj_st_tensor *t = bj_safetensors_tensor(st, i);
	CHECK_STR(t->name, name);
	CHECK(bj_safetensors_find(st, name) == t, "%s", name);
	CHECK(t->dtype == dtype, "%s: dtype %d", name, (int)t->dtype);
	CHECK(t->ndim == ndim, "%s: ndim %d", name, t->ndim);
	size_t count = 1;
	for (int d = 0; d < ndim && d < t->ndim; d++) {
		CHECK(t->shape[d] == shape[d], "%s: shape[%d] %lld", name, d,
		      (long long)t->shape[d]);
		count *= (size_t)shape[d];
	}
	CHECK(t->count == count, "%s: count %zu", name, t->count);
	CHECK(t->nbytes == nbytes, "%s: nbytes %zu", name, t->nbytes);
	CHECK(nbytes == 0 || memcmp(t->data, data, nbytes) == 0, "%s: data differs", name);
}

static void test_roundtrip_every_dtype(void)
{
	bj_st_writer *w = every_dtype_writer();
	const char *path = test_path("every.safetensors");
	CHECK(bj_st_writer_save(w, path) == 0, "%s", bj_error_message());
	bj_st_writer_free(w);
	CHECK(test_count_entries(test_tmpdir()) == 1, "no temporary file left");

	bj_safetensors *st = load_ok(path);
	if (!st)
		return;
	CHECK_STR(bj_safetensors_path(st), path);
	CHECK(bj_safetensors_count(st) == 8, "count %zu", bj_safetensors_count(st));
	check_tensor(st, 0, "w", BJ_DTYPE_F32, 2, (int64_t[]){ 2, 3 }, f32_data, 24);
	check_tensor(st, 1, "h", BJ_DTYPE_F16, 1, (int64_t[]){ 7 }, f16_data, 14);
	check_tensor(st, 2, "b", BJ_DTYPE_BF16, 2, (int64_t[]){ 2, 2 }, bf16_data, 8);
	check_tensor(st, 3, "i", BJ_DTYPE_I32, 1, (int64_t[]){ 4 }, i32_data, 16);
	check_tensor(st, 4, "u", BJ_DTYPE_U8, 3, (int64_t[]){ 2, 2, 3 }, u8_data, 12);
	check_tensor(st, 5, "s", BJ_DTYPE_F32, 0, NULL, &scalar_data, 4);
	check_tensor(st, 6, "e", BJ_DTYPE_F32, 2, (int64_t[]){ 0, 5 }, NULL, 0);
	check_tensor(st, 7, "\xc3\xa9t\xc3\xa9", BJ_DTYPE_U8, 1, (int64_t[]){ 1 }, u8_data, 1);
	CHECK(bj_safetensors_find(st, "nope") == NULL);

	/* Data is contiguous in the order added. */
	size_t offset = 0;
	for (size_t i = 0; i < bj_safetensors_count(st); i++) {
		const bj_st_tensor *t = bj_safetensors_tensor(st, i);
		CHECK(t->offset == offset, "%s at %zu, want %zu", t->name, t->offset, offset);
		offset += t->nbytes;
	}

	CHECK_STR(bj_safetensors_meta(st, "vocab"), "abc\n\"\xc3\xa9\"");
	CHECK_STR(bj_safetensors_meta(st, "epoch"), "3");
	CHECK(bj_safetensors_meta(st, "missing") == NULL);
	CHECK(bj_safetensors_meta_count(st) == 2);
	const char *k, *v;
	bj_safetensors_meta_at(st, 0, &k, &v);
	CHECK_STR(k, "vocab");
	bj_safetensors_meta_at(st, 1, &k, &v);
	CHECK_STR(k, "epoch");
	CHECK_STR(v, "3");

	/* Every dtype converts to float32 exactly. */
	float out[12];
	CHECK(bj_safetensors_read_f32(st, "w", 2, (int64_t[]){ 2, 3 }, out) == 0);
	CHECK_CLOSE("w", out, f32_data, 6, 0, 0);
	CHECK(bj_safetensors_read_f32(st, "h", 1, (int64_t[]){ 7 }, out) == 0);
	CHECK_CLOSE("h", out, f16_want, 7, 0, 0);
	CHECK(signbit(out[4]) && isinf(out[5]) && out[5] > 0 && isnan(out[6]));
	CHECK(bj_safetensors_read_f32(st, "b", 2, (int64_t[]){ 2, 2 }, out) == 0);
	CHECK_CLOSE("b", out, bf16_want, 4, 0, 0);
	CHECK(bj_safetensors_read_f32(st, "i", 1, (int64_t[]){ 4 }, out) == 0);
	CHECK_CLOSE("i", out, i32_want, 4, 0, 0);
	CHECK(bj_safetensors_read_f32(st, "u", 3, (int64_t[]){ 2, 2, 3 }, out) == 0);
	for (int i = 0; i < 12; i++)
		CHECK(out[i] == (float)u8_data[i], "u[%d] = %g", i, out[i]);
	CHECK(bj_safetensors_read_f32(st, "s", 0, NULL, out) == 0 && out[0] == 42.0f);
	out[0] = 7;
	CHECK(bj_safetensors_read_f32(st, "e", 2, (int64_t[]){ 0, 5 }, out) == 0 && out[0] == 7);
	bj_safetensors_free(st);
}

static void test_f16_conversion_every_value(void)
{
	/* Each of the 65536 halves against the definition: (-1)^s 2^(e-15) (1 + m/1024),
	 * subnormals 2^-14 (m/1024), e = 31 inf or NaN. */
	static uint16_t all[65536];
	static float got[65536];
	for (uint32_t i = 0; i < 65536; i++)
		all[i] = (uint16_t)i;
	bj_st_tensor t = { .name = "all", .dtype = BJ_DTYPE_F16, .ndim = 1, .shape = { 65536 },
	                   .count = 65536, .nbytes = sizeof(all), .data = all };
	bj_st_tensor_to_f32(&t, got);
	int bad = 0;
	for (uint32_t i = 0; i < 65536; i++) {
		int s = i >> 15, e = (i >> 10) & 31, m = i & 1023;
		double want = e == 0 ? ldexp(m / 1024.0, -14) : ldexp(1 + m / 1024.0, e - 15);
		if (s)
			want = -want;
		bool ok;
		if (e == 31 && m == 0)
			ok = isinf(got[i]) && (signbit(got[i]) != 0) == s;
		else if (e == 31)
			ok = isnan(got[i]) && (f32_bits(got[i]) & 0x7fffff) == (uint32_t)m << 13;
		else
			ok = got[i] == want && (signbit(got[i]) != 0) == s;
		if (!ok && bad++ < 5)
			CHECK(ok, "half 0x%04x: got %.9g want %.9g", i, got[i], want);
	}
	CHECK(bad == 0, "%d halves wrong", bad);
}

static void test_empty_file_round_trip(void)
{
	bj_st_writer *w = bj_st_writer_new();
	const char *path = test_path("empty.safetensors");
	CHECK(bj_st_writer_save(w, path) == 0, "%s", bj_error_message());
	bj_st_writer_free(w);
	size_t size;
	char *bytes = test_read_file(path, &size);
	CHECK(size == 16 && get_u64(bytes) == 8 && memcmp(bytes + 8, "{}      ", 8) == 0,
	      "size %zu", size);
	free(bytes);
	bj_safetensors *st = load_ok(path);
	if (st) {
		CHECK(bj_safetensors_count(st) == 0 && bj_safetensors_meta_count(st) == 0);
		bj_safetensors_free(st);
	}
}

/* The small file of the golden test and the truncation tests. */
static const float small_embed[6] = { 0.5f, -0.25f, 1.0f, 2.0f, -3.0f, 0.125f };
static const uint16_t small_bias[4] = { 0x3c00, 0x0000, 0xbc00, 0x3800 };
static const int32_t small_step = 1000;

static void save_small(const char *path)
{
	bj_st_writer *w = bj_st_writer_new();
	CHECK(bj_st_writer_set_meta(w, "model", "writer") == 0);
	CHECK(bj_st_writer_set_meta(w, "vocab", "\n !'abc") == 0);
	CHECK(bj_st_writer_add(w, "embed.weight", BJ_DTYPE_F32, 2, (int64_t[]){ 3, 2 },
	                       small_embed) == 0);
	CHECK(bj_st_writer_add(w, "lstm.bias", BJ_DTYPE_F16, 1, (int64_t[]){ 4 }, small_bias) == 0);
	CHECK(bj_st_writer_add(w, "step", BJ_DTYPE_I32, 0, NULL, &small_step) == 0);
	CHECK(bj_st_writer_save(w, path) == 0, "%s", bj_error_message());
	bj_st_writer_free(w);
}

static void test_header_golden(void)
{
	char *a = bj_xstrdup(test_path("a.safetensors"));
	char *b = bj_xstrdup(test_path("b.safetensors"));
	save_small(a);
	save_small(b);
	size_t na, nb;
	char *fa = test_read_file(a, &na), *fb = test_read_file(b, &nb);
	CHECK(fa && fb && na == nb && memcmp(fa, fb, na) == 0, "same input, same bytes");
	if (fa && na >= 8) {
		uint64_t n = get_u64(fa);
		CHECK(n % 8 == 0, "data 8-byte aligned: N = %llu", (unsigned long long)n);
		CHECK(na == 8 + n + 24 + 8 + 4, "size %zu", na);
		if (8 + n <= na) {
			char *header = bj_xmalloc(n + 1);
			memcpy(header, fa + 8, n);
			header[n] = '\0';
			test_check_golden("base/small.safetensors.header", header);
			free(header);
			CHECK(memcmp(fa + 8 + n, small_embed, 24) == 0);
			CHECK(memcmp(fa + 8 + n + 24, small_bias, 8) == 0);
			CHECK(memcmp(fa + 8 + n + 32, &small_step, 4) == 0);
		}
	}
	free(fa);
	free(fb);
	free(a);
	free(b);
}

/* ---- bad files ---- */

static void test_truncated_at_every_header_byte(void)
{
	char *good = bj_xstrdup(test_path("good.safetensors"));
	save_small(good);
	size_t size;
	char *bytes = test_read_file(good, &size);
	if (!bytes || size < 8) {
		CHECK(0, "cannot read back '%s'", good);
		free(bytes);
		free(good);
		return;
	}
	uint64_t n = get_u64(bytes);
	const char *path = test_path("cut.safetensors");
	for (size_t k = 0; k < 8 + n; k++) {
		test_write_file(path, bytes, k);
		char *tail = k < 8
			? bj_xasprintf("file is %zu bytes, too short for the 8-byte header length", k)
			: bj_xasprintf("header length is %llu bytes, but only %zu bytes follow",
			               (unsigned long long)n, k - 8);
		expect_error(path, BJ_EFORMAT, tail);
		free(tail);
	}
	free(bytes);
	free(good);
}

static void test_truncated_in_data(void)
{
	char *good = bj_xstrdup(test_path("good.safetensors"));
	save_small(good);
	size_t size;
	char *bytes = test_read_file(good, &size);
	bj_safetensors *st = load_ok(good);
	if (!bytes || !st) {
		free(bytes);
		free(good);
		bj_safetensors_free(st);
		return;
	}
	size_t start = 8 + (size_t)get_u64(bytes), data = size - start;
	const char *path = test_path("cut.safetensors");
	const size_t cuts[] = { 0, 1, 23, 24, 25, data / 2, data - 4, data - 1 };
	for (size_t c = 0; c < BJ_ARRAY_SIZE(cuts); c++) {
		size_t keep = cuts[c];
		test_write_file(path, bytes, start + keep);
		/* The first tensor (in file order) that no longer fits is named. */
		const bj_st_tensor *t = NULL;
		for (size_t i = 0; i < bj_safetensors_count(st) && !t; i++) {
			const bj_st_tensor *u = bj_safetensors_tensor(st, i);
			if (u->offset + u->nbytes > keep)
				t = u;
		}
		char *tail = bj_xasprintf("tensor '%s' ends at byte %zu, data has %zu bytes", t->name,
		                          t->offset + t->nbytes, keep);
		expect_error(path, BJ_EFORMAT, tail);
		free(tail);
	}
	/* One byte too many is a hole at the end. */
	char *longer = bj_xmalloc(size + 1);
	memcpy(longer, bytes, size);
	longer[size] = 0;
	test_write_file(path, longer, size + 1);
	char *tail = bj_xasprintf("bytes %zu to %zu of the data belong to no tensor", data, data + 1);
	expect_error(path, BJ_EFORMAT, tail);
	free(tail);
	free(longer);
	bj_safetensors_free(st);
	free(bytes);
	free(good);
}

/* Writes the n bytes over path's first n without truncating it first: with
 * the same size every time, the file is the bytes, and ext4 does not flush a
 * file truncated with data in it (auto_da_alloc) 3000 times over. */
static void overwrite(const char *path, const void *bytes, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	CHECK(fd >= 0 && write(fd, bytes, n) == (ssize_t)n, "cannot write '%s'", path);
	if (fd >= 0)
		close(fd);
}

static void test_mutated_files(void)
{
	/* A small fuzz run with a fixed seed: change 1-3 random bytes of a good file
	 * (mostly in the header) and load it.  Every result must be a success or a
	 * proper error naming the file; ASan and UBSan watch for the rest. */
	char *good = bj_xstrdup(test_path("good.safetensors"));
	save_small(good);
	size_t size;
	unsigned char *bytes = (unsigned char *)test_read_file(good, &size);
	if (!bytes) {
		CHECK(0, "cannot read back '%s'", good);
		free(good);
		return;
	}
	unsigned char *copy = bj_xmalloc(size);
	const char *path = test_path("mutant.safetensors");
	char *prefix = bj_xasprintf("'%s': ", path);
	uint64_t x = 0x9e3779b97f4a7c15u;  /* xorshift64 state */
	int loaded = 0, rejected = 0;
	for (int iter = 0; iter < 3000; iter++) {
		memcpy(copy, bytes, size);
		int changes = 1 + iter % 3;
		for (int c = 0; c < changes; c++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t at = (x >> 8) % (iter % 4 == 0 ? size : 8 + 64);
			copy[at] = (unsigned char)(x >> 56);
		}
		overwrite(path, copy, size);
		bj_safetensors *st = NULL;
		int ret = bj_safetensors_load(path, &st);
		if (ret == 0) {
			loaded++;
			CHECK(st != NULL);
			bj_safetensors_free(st);
			continue;
		}
		rejected++;
		CHECK(st == NULL && (ret == BJ_EFORMAT || ret == BJ_EUNSUPPORTED),
		      "iteration %d: %d %s", iter, ret, bj_error_message());
		CHECK(strncmp(bj_error_message(), prefix, strlen(prefix)) == 0,
		      "iteration %d: %s", iter, bj_error_message());
	}
	CHECK(rejected > 1000 && loaded > 0, "%d rejected, %d loaded", rejected, loaded);
	free(prefix);
	free(copy);
	free(bytes);
	free(good);
}

#define T(dtype, shape, offsets) \
	"{\"dtype\":\"" dtype "\",\"shape\":" shape ",\"data_offsets\":" offsets "}"

static const struct bad_header {
	const char *what;
	const char *header;
	size_t data;  /* bytes of data after the header */
	int code;
	const char *tail;
} bad_headers[] = {
	{ "overlap", "{\"a\":" T("F32", "[2]", "[0,8]") ",\"b\":" T("F32", "[2]", "[4,12]") "}",
	  12, BJ_EFORMAT, "tensors 'a' and 'b' overlap at byte 4 of the data" },
	{ "overlap, listed in reverse", "{\"b\":" T("F32", "[2]", "[4,12]") ",\"a\":"
	  T("F32", "[2]", "[0,8]") "}", 12, BJ_EFORMAT,
	  "tensors 'a' and 'b' overlap at byte 4 of the data" },
	{ "same bytes twice", "{\"a\":" T("U8", "[4]", "[0,4]") ",\"b\":" T("U8", "[4]", "[0,4]") "}",
	  4, BJ_EFORMAT, "tensors 'a' and 'b' overlap at byte 0 of the data" },
	{ "empty tensor inside another", "{\"a\":" T("U8", "[4]", "[0,4]") ",\"b\":"
	  T("U8", "[0]", "[2,2]") "}", 4, BJ_EFORMAT,
	  "tensors 'a' and 'b' overlap at byte 2 of the data" },
	{ "hole", "{\"a\":" T("F32", "[2]", "[0,8]") ",\"b\":" T("F32", "[2]", "[12,20]") "}",
	  20, BJ_EFORMAT, "bytes 8 to 12 of the data belong to no tensor" },
	{ "hole at the start", "{\"a\":" T("F32", "[2]", "[4,12]") "}", 12, BJ_EFORMAT,
	  "bytes 0 to 4 of the data belong to no tensor" },
	{ "bytes after the last tensor", "{\"a\":" T("F32", "[2]", "[0,8]") "}", 12, BJ_EFORMAT,
	  "bytes 8 to 12 of the data belong to no tensor" },
	{ "data but no tensors", "{}", 3, BJ_EFORMAT,
	  "bytes 0 to 3 of the data belong to no tensor" },
	{ "past the end", "{\"a\":" T("F32", "[2]", "[8,16]") "}", 8, BJ_EFORMAT,
	  "tensor 'a' ends at byte 16, data has 8 bytes" },
	{ "far past the end", "{\"a\":" T("U8", "[1]", "[9223372036854775806,9223372036854775807]")
	  "}", 8, BJ_EFORMAT, "tensor 'a' ends at byte 9223372036854775807, data has 8 bytes" },
	{ "begin after end", "{\"a\":" T("F32", "[2]", "[8,0]") "}", 8, BJ_EFORMAT,
	  "tensor 'a' begins at byte 8 after it ends at byte 0" },
	{ "size not shape", "{\"a\":" T("F32", "[3]", "[0,8]") "}", 8, BJ_EFORMAT,
	  "tensor 'a' has 8 bytes of data, but F32 [3] needs 12" },
	{ "count overflows", "{\"a\":" T("F32", "[1099511627776,1099511627776]", "[0,0]") "}", 0,
	  BJ_EFORMAT, "tensor 'a' has shape [1099511627776, 1099511627776], whose size overflows" },
	{ "bytes overflow", "{\"a\":" T("F32", "[4611686018427387904]", "[0,0]") "}", 0,
	  BJ_EFORMAT, "tensor 'a' has shape [4611686018427387904], whose size overflows" },
	{ "product wraps to a small size", "{\"a\":" T("U8", "[4294967296,4294967296,2]", "[0,0]")
	  "}", 0, BJ_EFORMAT, "tensor 'a' has shape [4294967296, 4294967296, 2], whose size overflows" },
	{ "negative dimension", "{\"a\":" T("F32", "[2,-3]", "[0,0]") "}", 0, BJ_EFORMAT,
	  "tensor 'a': shape[1] is -3, expected 0 or more" },
	{ "nine dimensions", "{\"a\":" T("U8", "[1,1,1,1,1,1,1,1,1]", "[0,1]") "}", 1, BJ_EFORMAT,
	  "tensor 'a' has 9 dimensions, limit 8" },
	{ "real dimension", "{\"a\":" T("F32", "[2.0]", "[0,8]") "}", 8, BJ_EFORMAT,
	  "tensor 'a': expected an integer for shape[0], got real" },
	{ "shape not an array", "{\"a\":" T("F32", "2", "[0,8]") "}", 8, BJ_EFORMAT,
	  "tensor 'a': expected an array for 'shape', got integer" },
	{ "unknown dtype", "{\"a\":" T("F99", "[2]", "[0,8]") "}", 8, BJ_EFORMAT,
	  "tensor 'a' has unknown dtype 'F99'" },
	{ "lowercase dtype", "{\"a\":" T("f32", "[2]", "[0,8]") "}", 8, BJ_EFORMAT,
	  "tensor 'a' has unknown dtype 'f32'" },
	{ "dtype of the format we do not read", "{\"a\":" T("F64", "[1]", "[0,8]") "}", 8,
	  BJ_EUNSUPPORTED, "tensor 'a' has dtype 'F64'; benjamin reads F32, F16, BF16, I32 and U8" },
	{ "dtype not a string", "{\"a\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
	  BJ_EFORMAT, "tensor 'a': expected a string for 'dtype', got integer" },
	{ "no dtype", "{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, BJ_EFORMAT,
	  "tensor 'a' has no 'dtype'" },
	{ "no shape", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, BJ_EFORMAT,
	  "tensor 'a' has no 'shape'" },
	{ "no offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, BJ_EFORMAT,
	  "tensor 'a' has no 'data_offsets'" },
	{ "unknown key", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"offsets\":[0,4]}}", 4,
	  BJ_EFORMAT, "tensor 'a' has unknown key 'offsets'" },
	{ "extra key", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}",
	  4, BJ_EFORMAT, "tensor 'a' has unknown key 'x'" },
	{ "one offset", "{\"a\":" T("F32", "[1]", "[4]") "}", 4, BJ_EFORMAT,
	  "tensor 'a': 'data_offsets' is not a pair of byte offsets" },
	{ "negative offset", "{\"a\":" T("F32", "[1]", "[-4,0]") "}", 4, BJ_EFORMAT,
	  "tensor 'a': 'data_offsets' is not a pair of byte offsets" },
	{ "string offsets", "{\"a\":" T("F32", "[1]", "[\"0\",\"4\"]") "}", 4, BJ_EFORMAT,
	  "tensor 'a': 'data_offsets' is not a pair of byte offsets" },
	{ "tensor not an object", "{\"a\":[1,2]}", 0, BJ_EFORMAT,
	  "tensor 'a': expected an object, got array" },
	{ "header an array", "[{\"a\":1}]", 0, BJ_EFORMAT, "header: expected a JSON object, got array" },
	{ "header not JSON", "dtype: F32", 0, BJ_EFORMAT,
	  "cannot parse header: line 1 column 5: '[' or '{' expected near 'dtype'" },
	{ "header cut in the middle", "{\"a\":{\"dtype\":\"F3", 0, BJ_EFORMAT,
	  "cannot parse header: line 1 column 17: premature end of input near '\"F3'" },
	{ "two JSON values", "{} {}", 0, BJ_EFORMAT,
	  "cannot parse header: line 1 column 4: end of file expected near '{'" },
	{ "not UTF-8", "{\"caf\xe9\":" T("U8", "[1]", "[0,1]") "}", 1, BJ_EFORMAT,
	  "header is not valid UTF-8 (byte 13 of the file)" },
	{ "overlong UTF-8", "{\"\xc0\xaf\":" T("U8", "[1]", "[0,1]") "}", 1, BJ_EFORMAT,
	  "header is not valid UTF-8 (byte 10 of the file)" },
	{ "UTF-16 surrogate", "{\"\xed\xa0\x80\":" T("U8", "[1]", "[0,1]") "}", 1, BJ_EFORMAT,
	  "header is not valid UTF-8 (byte 10 of the file)" },
	{ "duplicate names", "{\"a\":" T("U8", "[1]", "[0,1]") ",\"a\":" T("U8", "[1]", "[1,2]") "}",
	  2, BJ_EFORMAT, "cannot parse header: line 1 column 56: duplicate object key near '\"a\"'" },
	{ "offset too big for JSON", "{\"a\":" T("U8", "[1]", "[0,99999999999999999999]") "}", 1,
	  BJ_EFORMAT, "cannot parse header: line 1 column 69: too big integer near "
	  "'99999999999999999999'" },
	{ "metadata value a number", "{\"__metadata__\":{\"name\":\"x\",\"epoch\":3}}", 0, BJ_EFORMAT,
	  "metadata 'epoch': expected a string, got integer" },
	{ "metadata value null", "{\"__metadata__\":{\"epoch\":null}}", 0, BJ_EFORMAT,
	  "metadata 'epoch': expected a string, got null" },
	{ "metadata not an object", "{\"__metadata__\":[\"a\",\"b\"]}", 0, BJ_EFORMAT,
	  "'__metadata__': expected an object, got array" },
};

static void test_bad_headers(void)
{
	const char *path = test_path("bad.safetensors");
	for (size_t i = 0; i < BJ_ARRAY_SIZE(bad_headers); i++) {
		const struct bad_header *b = &bad_headers[i];
		size_t len = strlen(b->header);
		write_raw(path, len, b->header, len, b->data);
		expect_error_in(b->what, path, b->code, b->tail);
	}
}

static void test_bad_lengths(void)
{
	const char *path = test_path("len.safetensors");
	const char *h = "{}      ";
	write_raw(path, 0, h, 0, 0);
	expect_error(path, BJ_EFORMAT, "header is empty");
	write_raw(path, 9, h, 8, 0);
	expect_error(path, BJ_EFORMAT, "header length is 9 bytes, but only 8 bytes follow");
	write_raw(path, UINT64_MAX, h, 8, 0);
	expect_error(path, BJ_EFORMAT,
	             "header length is 18446744073709551615 bytes, but only 8 bytes follow");
	write_raw(path, 1ull << 63, h, 8, 0);
	expect_error(path, BJ_EFORMAT,
	             "header length is 9223372036854775808 bytes, but only 8 bytes follow");
	/* Shorter than the length itself, and an empty file. */
	test_write_file(path, "\x08\0\0", 3);
	expect_error(path, BJ_EFORMAT, "file is 3 bytes, too short for the 8-byte header length");
	test_write_file(path, "", 0);
	expect_error(path, BJ_EFORMAT, "file is 0 bytes, too short for the 8-byte header length");
	/* Padding is spaces, and JSON allows space before the object too. */
	write_raw(path, 8, " {}     ", 8, 0);
	bj_safetensors *st = load_ok(path);
	bj_safetensors_free(st);
	/* A NUL byte is not padding. */
	write_raw(path, 8, "{}\0     ", 8, 0);
	expect_error(path, BJ_EFORMAT,
	             "header contains a NUL byte (byte 10 of the file)");
}

static void test_header_over_limit(void)
{
	/* A sparse file: a 100 MB header of nothing is rejected before it is read. */
	const char *path = test_path("huge.safetensors");
	uint64_t n = BJ_ST_MAX_HEADER + 8;
	unsigned char len8[8];
	put_u64(len8, n);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	CHECK(fd >= 0 && write(fd, len8, 8) == 8 && ftruncate(fd, (off_t)(8 + n)) == 0);
	close(fd);
	expect_error(path, BJ_EFORMAT, "header length is 100000008 bytes, limit 100000000");
}

static void test_missing_file_directory_device(void)
{
	const char *missing = test_path("missing.safetensors");
	char *want = bj_xasprintf("cannot open: No such file or directory");
	expect_error(missing, BJ_ENOENT, want);
	free(want);
	char *in_file = bj_xasprintf("%s/x", FIXTURE);
	expect_error(in_file, BJ_ENOENT, "cannot open: Not a directory");
	free(in_file);
	expect_error(test_tmpdir(), BJ_EIO, "cannot read: is a directory");
	expect_error("/dev/null", BJ_EIO, "cannot read: not a regular file");
}

/* ---- read_f32 ---- */

static void test_read_f32_checks_name_and_shape(void)
{
	const char *path = test_path("small.safetensors");
	save_small(path);
	bj_safetensors *st = load_ok(path);
	if (!st)
		return;
	float out[6] = { 9, 9, 9, 9, 9, 9 };
	char *want = bj_xasprintf("'%s': no tensor 'lstm.weight'", path);
	CHECK(bj_safetensors_read_f32(st, "lstm.weight", 1, (int64_t[]){ 4 }, out) == BJ_ENOENT);
	CHECK_STR(bj_error_message(), want);
	free(want);

	want = bj_xasprintf("'%s': tensor 'embed.weight' has shape [3, 2], expected [2, 3]", path);
	CHECK(bj_safetensors_read_f32(st, "embed.weight", 2, (int64_t[]){ 2, 3 }, out)
	      == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), want);
	free(want);

	want = bj_xasprintf("'%s': tensor 'embed.weight' has shape [3, 2], expected [6]", path);
	CHECK(bj_safetensors_read_f32(st, "embed.weight", 1, (int64_t[]){ 6 }, out) == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), want);
	free(want);

	want = bj_xasprintf("'%s': tensor 'step' has shape [], expected [1]", path);
	CHECK(bj_safetensors_read_f32(st, "step", 1, (int64_t[]){ 1 }, out) == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), want);
	free(want);
	CHECK(out[0] == 9, "out untouched on failure");

	CHECK(bj_safetensors_read_f32(st, "embed.weight", 2, (int64_t[]){ 3, 2 }, out) == 0);
	CHECK_CLOSE("embed.weight", out, small_embed, 6, 0, 0);
	CHECK(bj_safetensors_read_f32(st, "lstm.bias", 1, (int64_t[]){ 4 }, out) == 0);
	CHECK_CLOSE("lstm.bias", out, ((float[]){ 1.0f, 0.0f, -1.0f, 0.5f }), 4, 0, 0);
	CHECK(bj_safetensors_read_f32(st, "step", 0, NULL, out) == 0 && out[0] == 1000.0f);
	bj_safetensors_free(st);
}

/* ---- the reference fixture (scripts/ref/safetensors_fixture.py) ---- */

static void check_twin(const bj_safetensors *st, const char *name)
{
	char twin[64];
	snprintf(twin, sizeof(twin), "%s.f32", name);
	const bj_st_tensor *t = bj_safetensors_find(st, name), *f = bj_safetensors_find(st, twin);
	CHECK(t && f, "%s and %s present", name, twin);
	if (!t || !f)
		return;
	CHECK(f->dtype == BJ_DTYPE_F32 && f->count == t->count);
	float *got = bj_xcalloc(t->count, sizeof(float));
	float *want = bj_xcalloc(t->count, sizeof(float));
	CHECK(bj_safetensors_read_f32(st, name, t->ndim, t->shape, got) == 0, "%s",
	      bj_error_message());
	CHECK(bj_safetensors_read_f32(st, twin, f->ndim, f->shape, want) == 0, "%s",
	      bj_error_message());
	CHECK_CLOSE(name, got, want, t->count, 0, 0);
	free(got);
	free(want);
}

static void test_reference_fixture(void)
{
	bj_safetensors *st = load_ok(FIXTURE);
	if (!st)
		return;
	CHECK(bj_safetensors_count(st) == 11, "count %zu", bj_safetensors_count(st));
	CHECK_STR(bj_safetensors_meta(st, "format"), "pt");
	CHECK_STR(bj_safetensors_meta(st, "note"), "benjamin reference fixture");
	CHECK_STR(bj_safetensors_meta(st, "vocab"),
	          "abc \xc3\xbc\xc3\xb1\xc3\xae \xe2\x80\x94 \"quoted\"\n");

	/* Values from the script's formulas. */
	float m[6];
	CHECK(bj_safetensors_read_f32(st, "f32.matrix", 2, (int64_t[]){ 2, 3 }, m) == 0,
	      "%s", bj_error_message());
	for (int k = 0; k < 6; k++)
		CHECK(m[k] == k / 4.0f - 0.5f, "f32.matrix[%d] = %g", k, m[k]);
	float s = 0;
	CHECK(bj_safetensors_read_f32(st, "f32.scalar", 0, NULL, &s) == 0 && s == -1.5f);
	const bj_st_tensor *e = bj_safetensors_find(st, "f32.empty");
	CHECK(e && e->ndim == 2 && e->shape[0] == 0 && e->shape[1] == 4 && e->nbytes == 0);

	float h[6];
	CHECK(bj_safetensors_read_f32(st, "f16.vector", 1, (int64_t[]){ 6 }, h) == 0);
	const float h_approx[6] = { 0.1f, -0.3f, 1.0f / 3.0f, 65504.0f, 0x1p-24f, 0.0f };
	CHECK_CLOSE("f16.vector ~ source", h, h_approx, 6, 0, 1e-3);
	CHECK(signbit(h[5]), "-0 keeps its sign");

	float b[4];
	CHECK(bj_safetensors_read_f32(st, "bf16.matrix", 2, (int64_t[]){ 2, 2 }, b) == 0);
	const float b_approx[4] = { 1.0f, -2.5f, 3.14159265f, 1e-3f };
	CHECK_CLOSE("bf16.matrix ~ source", b, b_approx, 4, 0, 1.0 / 256);

	float iv[4];
	CHECK(bj_safetensors_read_f32(st, "i32.vector", 1, (int64_t[]){ 4 }, iv) == 0);
	CHECK(iv[0] == -7 && iv[1] == 0 && iv[2] == 123456 && iv[3] == 2147483648.0f);

	float u[12];
	CHECK(bj_safetensors_read_f32(st, "u8.image", 3, (int64_t[]){ 2, 2, 3 }, u) == 0);
	for (int k = 0; k < 12; k++)
		CHECK(u[k] == (float)(k * 23 % 256), "u8.image[%d] = %g", k, u[k]);

	/* Our conversions against numpy's, bit for bit. */
	check_twin(st, "f16.vector");
	check_twin(st, "bf16.matrix");
	check_twin(st, "i32.vector");
	check_twin(st, "u8.image");
	bj_safetensors_free(st);
}

static void test_writer_reproduces_fixture(void)
{
	/* Written back in the same order, the reference file comes out byte for byte:
	 * our header is the reference writer's compact JSON, padded the same way. */
	bj_safetensors *st = load_ok(FIXTURE);
	if (!st)
		return;
	bj_st_writer *w = bj_st_writer_new();
	for (size_t i = 0; i < bj_safetensors_meta_count(st); i++) {
		const char *k, *v;
		bj_safetensors_meta_at(st, i, &k, &v);
		CHECK(bj_st_writer_set_meta(w, k, v) == 0);
	}
	for (size_t i = 0; i < bj_safetensors_count(st); i++) {
		const bj_st_tensor *t = bj_safetensors_tensor(st, i);
		CHECK(bj_st_writer_add(w, t->name, t->dtype, t->ndim, t->shape, t->data) == 0,
		      "%s", bj_error_message());
	}
	const char *path = test_path("again.safetensors");
	CHECK(bj_st_writer_save(w, path) == 0, "%s", bj_error_message());
	bj_st_writer_free(w);
	bj_safetensors_free(st);
	size_t n_ref, n_ours;
	char *ref = test_read_file(FIXTURE, &n_ref), *ours = test_read_file(path, &n_ours);
	CHECK(ref && ours && n_ref == n_ours && memcmp(ref, ours, n_ref) == 0,
	      "%zu bytes, reference %zu", n_ours, n_ref);
	free(ref);
	free(ours);
}

/* ---- writer errors ---- */

static void test_writer_rejects_bad_tensors(void)
{
	bj_st_writer *w = bj_st_writer_new();
	float x[2] = { 0 };
	CHECK(bj_st_writer_add(w, "a", BJ_DTYPE_F32, 1, (int64_t[]){ 2 }, x) == 0);
	CHECK(bj_st_writer_add(w, "a", BJ_DTYPE_F32, 1, (int64_t[]){ 2 }, x) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "tensor 'a' added twice");
	CHECK(bj_st_writer_add(w, "", BJ_DTYPE_F32, 1, (int64_t[]){ 2 }, x) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "tensor name is empty");
	CHECK(bj_st_writer_add(w, "__metadata__", BJ_DTYPE_F32, 1, (int64_t[]){ 2 }, x)
	      == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "tensor name '__metadata__' is reserved");
	CHECK(bj_st_writer_add(w, "caf\xe9", BJ_DTYPE_F32, 1, (int64_t[]){ 2 }, x) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "tensor name 'caf\xe9' is not valid UTF-8");
	CHECK(bj_st_writer_add(w, "b", BJ_DTYPE_F32, 9, (int64_t[]){ 1, 1, 1, 1, 1, 1, 1, 1, 1 }, x)
	      == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "tensor 'b' has 9 dimensions, limit 8");
	CHECK(bj_st_writer_add(w, "b", BJ_DTYPE_F32, 2, (int64_t[]){ 2, -1 }, x) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "tensor 'b' has shape [2, -1]: negative dimension");
	CHECK(bj_st_writer_add(w, "b", BJ_DTYPE_F32, 2, (int64_t[]){ 1ll << 40, 1ll << 40 }, x)
	      == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "tensor 'b' has shape [1099511627776, 1099511627776], "
	          "whose size overflows");
	CHECK(bj_st_writer_add(w, "b", BJ_DTYPE_U8, 1, (int64_t[]){ INT64_MAX }, x) == 0,
	      "INT64_MAX bytes fit the format");
	CHECK(bj_st_writer_add(w, "c", BJ_DTYPE_F16, 1, (int64_t[]){ INT64_MAX }, x) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "tensor 'c' has shape [9223372036854775807], whose size overflows");
	CHECK(bj_st_writer_set_meta(w, "k", "\xff") == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "metadata 'k' is not valid UTF-8");
	CHECK(bj_st_writer_set_meta(w, "\xff", "v") == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "metadata key '\xff' is not valid UTF-8");

	/* a (8 bytes) then b (INT64_MAX bytes) end past INT64_MAX: refused before
	 * anything is written. */
	const char *path = test_path("too-big.safetensors");
	CHECK(bj_st_writer_save(w, path) == BJ_EINVAL);
	char *want = bj_xasprintf("'%s': tensors total more than 9223372036854775807 bytes", path);
	CHECK_STR(bj_error_message(), want);
	free(want);
	CHECK(test_count_entries(test_tmpdir()) == 0);
	bj_st_writer_free(w);
	bj_st_writer_free(NULL);
	bj_safetensors_free(NULL);
}

static void test_save_to_missing_folder_and_dev_full(void)
{
	bj_st_writer *w = every_dtype_writer();
	char *path = bj_xasprintf("%s/no/such/m.safetensors", test_tmpdir());
	CHECK(bj_st_writer_save(w, path) == BJ_ENOENT);
	char *want = bj_xasprintf("'%s': cannot create file: No such file or directory", path);
	CHECK_STR(bj_error_message(), want);
	free(want);
	free(path);
	CHECK(test_count_entries(test_tmpdir()) == 0);

	CHECK(bj_st_writer_save(w, "/dev/full") == BJ_EIO);
	CHECK_STR(bj_error_message(), "'/dev/full': cannot write: No space left on device");
	bj_st_writer_free(w);
}

/* In the unprivileged child: 0 if saving into the read-only folder fails with EIO. */
static int save_st_unprivileged(void *path, const char **msg)
{
	bj_st_writer *w = every_dtype_writer();
	int ret = bj_st_writer_save(w, path);
	bj_st_writer_free(w);
	*msg = bj_error_message();
	return ret == BJ_EIO ? 0 : 2;
}

static void test_save_to_unwritable_folder(void)
{
	/* Root ignores folder permissions, so the save runs in a child that gives
	 * root's power up first. */
	test_check_unwritable_folder("m.safetensors", save_st_unprivileged);
}

static void test_failed_save_keeps_old_file(void)
{
	/* A file size limit makes the write fail half way (EFBIG), as a full disk
	 * would: the old file must survive whole and no temporary file remain. */
	const char *path = test_path("model.safetensors");
	save_small(path);
	size_t old_size;
	char *old = test_read_file(path, &old_size);

	static float big[16384];
	bj_st_writer *w = bj_st_writer_new();
	CHECK(bj_st_writer_add(w, "big", BJ_DTYPE_F32, 1, (int64_t[]){ 16384 }, big) == 0);

	struct rlimit saved, small;
	CHECK(getrlimit(RLIMIT_FSIZE, &saved) == 0);
	small = saved;
	small.rlim_cur = 4096;
	void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
	CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
	int ret = bj_st_writer_save(w, path);
	CHECK(setrlimit(RLIMIT_FSIZE, &saved) == 0);
	signal(SIGXFSZ, old_handler);

	CHECK(ret == BJ_EIO, "got %d (%s)", ret, bj_error_message());
	char *want = bj_xasprintf("'%s': cannot write: File too large", path);
	CHECK_STR(bj_error_message(), want);
	free(want);
	size_t now_size;
	char *now = test_read_file(path, &now_size);
	CHECK(old && now && old_size == now_size && memcmp(old, now, old_size) == 0,
	      "old file intact");
	CHECK(test_count_entries(test_tmpdir()) == 1, "no temporary file left");
	free(old);
	free(now);
	bj_st_writer_free(w);
}

/* bj_f16_from_f32: every half back to itself through float32, and rounding to
 * nearest even between them, overflow and underflow at the edges. */
static void test_f32_to_f16(void)
{
	for (uint32_t h = 0; h < 0x10000u; h++) {
		if ((h & 0x7c00u) == 0x7c00u && (h & 0x3ffu))
			continue;   /* NaNs: checked below */
		uint16_t bits = (uint16_t)h;
		bj_st_tensor t = { .dtype = BJ_DTYPE_F16, .count = 1, .data = &bits };
		float f;
		bj_st_tensor_to_f32(&t, &f);
		uint16_t back = bj_f16_from_f32(f);
		CHECK(back == h, "0x%04x -> %g -> 0x%04x", (unsigned)h, (double)f, (unsigned)back);
		if (back != h)
			return;
	}
	struct { float f; uint16_t h; } cases[] = {
		{ 1.0f, 0x3c00 }, { -2.0f, 0xc000 }, { 65504.0f, 0x7bff },
		{ 65519.0f, 0x7bff }, { 65520.0f, 0x7c00 }, { 1e9f, 0x7c00 }, { -INFINITY, 0xfc00 },
		{ 1.0f + 0x1p-11f, 0x3c00 },             /* a tie: to even, down */
		{ 1.0f + 3 * 0x1p-11f, 0x3c02 },         /* a tie: to even, up */
		{ 1.0f + 0x1p-11f + 0x1p-20f, 0x3c01 },  /* above the tie */
		{ 0x1p-24f, 0x0001 }, { 0x1p-25f, 0x0000 }, { 0x1.8p-25f, 0x0001 },
		{ 0x1p-14f - 0x1p-26f, 0x0400 },         /* rounds up to the least normal */
		{ -0.0f, 0x8000 },
	};
	for (size_t i = 0; i < BJ_ARRAY_SIZE(cases); i++)
		CHECK(bj_f16_from_f32(cases[i].f) == cases[i].h, "%a -> 0x%04x, want 0x%04x",
		      (double)cases[i].f, (unsigned)bj_f16_from_f32(cases[i].f), (unsigned)cases[i].h);
	uint16_t nan = bj_f16_from_f32(NAN);
	CHECK((nan & 0x7c00) == 0x7c00 && (nan & 0x3ff), "NaN -> 0x%04x", (unsigned)nan);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_roundtrip_every_dtype),
		TEST_CASE(test_f16_conversion_every_value),
		TEST_CASE(test_f32_to_f16),
		TEST_CASE(test_empty_file_round_trip),
		TEST_CASE(test_header_golden),
		TEST_CASE(test_truncated_at_every_header_byte),
		TEST_CASE(test_truncated_in_data),
		TEST_CASE(test_bad_headers),
		TEST_CASE(test_mutated_files),
		TEST_CASE(test_bad_lengths),
		TEST_CASE(test_header_over_limit),
		TEST_CASE(test_missing_file_directory_device),
		TEST_CASE(test_read_f32_checks_name_and_shape),
		TEST_CASE(test_reference_fixture),
		TEST_CASE(test_writer_reproduces_fixture),
		TEST_CASE(test_writer_rejects_bad_tensors),
		TEST_CASE(test_save_to_missing_folder_and_dev_full),
		TEST_CASE(test_save_to_unwritable_folder),
		TEST_CASE(test_failed_save_keeps_old_file),
		{ 0 },
	};
	return test_main(cases);
}
