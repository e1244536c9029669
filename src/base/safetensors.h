/*
 * safetensors.h - read and write models in the safetensors format
 * (huggingface/safetensors), so benjamin's models load in the wider ML ecosystem.
 *
 *     bj_safetensors *st;                                        // reading
 *     if (bj_safetensors_load("writer.safetensors", &st) < 0)
 *         return bj_error_code();        // "'writer.safetensors': <problem>"
 *     ret = bj_safetensors_read_f32(st, "lstm.w_ih", 2, (int64_t[]){ 4 * H, I }, w_ih);
 *     bj_safetensors_free(st);
 *
 *     bj_st_writer *w = bj_st_writer_new();                      // writing
 *     bj_st_writer_set_meta(w, "vocab", vocab);
 *     bj_st_writer_add(w, "lstm.w_ih", BJ_DTYPE_F32, 2, (int64_t[]){ 4 * H, I }, w_ih);
 *     ret = bj_st_writer_save(w, "writer.safetensors");          // atomic
 *     bj_st_writer_free(w);
 *
 * Ownership: all a loaded file hands out (records, names, data, metadata) lives
 * until bj_safetensors_free().  The writer copies names and metadata but borrows
 * tensor data until the save.  Limits: see bj_dtype, BJ_ST_MAX_DIMS and
 * BJ_ST_MAX_HEADER; the file is read whole into memory with read(), not mmap, so
 * a file truncated under us cannot raise SIGBUS; little-endian hosts only.
 */

/*
 * The file, byte by byte (all integers little-endian):
 *
 *     offset  size  contents
 *     0       8     N, u64: length of the header in bytes
 *     8       N     header: UTF-8 JSON object, padded at the end with spaces;
 *                   benjamin pads so that 8 + N is a multiple of 8
 *     8+N     rest  data buffer: the tensors' raw bytes, row-major
 *
 *     header = {
 *       "__metadata__": { "<key>": "<string value>", ... },    (optional)
 *       "<tensor name>": {
 *         "dtype": "F32" | "F16" | "BF16" | "I32" | "U8" | ...,
 *         "shape": [d0, d1, ...],               ([] for a scalar; dims >= 0)
 *         "data_offsets": [begin, end]          (bytes, relative to byte 8+N)
 *       }, ...
 *     }
 *
 * end - begin is the element count times the dtype's size, and the tensors'
 * byte ranges must tile the data buffer exactly: no overlap, no hole, nothing
 * after the last one.  The loader checks all of this before it trusts any of it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Most dimensions a tensor may have. */
#define BJ_ST_MAX_DIMS 8

/* Largest header accepted or written, in bytes (the limit of the reference
 * implementation, MAX_HEADER_SIZE in safetensors/src/tensor.rs). */
#define BJ_ST_MAX_HEADER 100000000u

/* Element types benjamin reads and writes; the data is little-endian. */
typedef enum bj_dtype {
	BJ_DTYPE_F32,   /* IEEE 754 binary32 */
	BJ_DTYPE_F16,   /* IEEE 754 binary16, stored as its uint16_t bits */
	BJ_DTYPE_BF16,  /* bfloat16: the top 16 bits of a binary32, as uint16_t */
	BJ_DTYPE_I32,   /* int32_t */
	BJ_DTYPE_U8,    /* uint8_t */
	BJ_DTYPE_COUNT
} bj_dtype;

/* The dtype's name in the header ("F32", ...). */
const char *bj_dtype_name(bj_dtype dtype);

/* Bytes per element: 4, 2, 2, 4, 1. */
size_t bj_dtype_size(bj_dtype dtype);

/* One tensor of a loaded file.  Everything in it belongs to the file. */
typedef struct bj_st_tensor {
	const char *name;               /* UTF-8, NUL-terminated */
	bj_dtype dtype;
	int ndim;                       /* 0 (a scalar) to BJ_ST_MAX_DIMS */
	int64_t shape[BJ_ST_MAX_DIMS];  /* (ndim); entries past ndim are 0 */
	size_t count;                   /* elements: the product of shape, 1 if ndim is 0 */
	size_t nbytes;                  /* count * bj_dtype_size(dtype) */
	size_t offset;                  /* of the data from the start of the data buffer */
	const void *data;               /* (nbytes) raw little-endian bytes; not aligned */
} bj_st_tensor;

/* A loaded file (opaque). */
typedef struct bj_safetensors bj_safetensors;

/* Reads and validates the file at path.  Stores a new bj_safetensors in *out
 * (free with bj_safetensors_free()) and returns 0, or stores NULL and returns
 * BJ_ENOENT/BJ_EIO when the file cannot be read, BJ_EFORMAT when it is not a
 * valid safetensors file, BJ_EUNSUPPORTED for a dtype benjamin does not read, or
 * BJ_ENOMEM; the error is set to "'<path>': <problem>", e.g. "'m.safetensors':
 * tensor 'lstm.w' ends at byte 4096, data has 4000 bytes". */
int bj_safetensors_load(const char *path, bj_safetensors **out);

/* Frees st and everything it handed out.  NULL-safe. */
void bj_safetensors_free(bj_safetensors *st);

/* The path st was loaded from (for messages). */
const char *bj_safetensors_path(const bj_safetensors *st);

/* Number of tensors. */
size_t bj_safetensors_count(const bj_safetensors *st);

/* Tensor i, 0 <= i < count, in the order of their data in the file. */
const bj_st_tensor *bj_safetensors_tensor(const bj_safetensors *st, size_t i);

/* The tensor called name, or NULL (no error set) if there is none.  Linear in
 * the number of tensors. */
const bj_st_tensor *bj_safetensors_find(const bj_safetensors *st, const char *name);

/* The metadata value for key, or NULL if there is none. */
const char *bj_safetensors_meta(const bj_safetensors *st, const char *key);

/* Number of metadata entries. */
size_t bj_safetensors_meta_count(const bj_safetensors *st);

/* Metadata entry i, 0 <= i < meta_count, in file order: stores its key and
 * value (owned by st) in *key and *value. */
void bj_safetensors_meta_at(const bj_safetensors *st, size_t i, const char **key,
                            const char **value);

/* Converts t's t->count elements to float32 in out (t->count floats).  I32
 * values beyond 2^24 round to the nearest float; F16 and BF16 convert exactly. */
void bj_st_tensor_to_f32(const bj_st_tensor *t, float *out);

/* The IEEE binary16 bits nearest to f (ties to even): beyond the largest half
 * (65504) infinity, below the smallest subnormal zero, NaN stays NaN. */
uint16_t bj_f16_from_f32(float f);

/* Copies the tensor name, converted to float32, into out, after checking that it
 * has ndim dimensions of the given shape (ndim) - out holds their product.
 * Returns 0, or BJ_ENOENT ("'<path>': no tensor '<name>'") or BJ_EFORMAT
 * ("'<path>': tensor '<name>' has shape [3, 4], expected [4, 3]") with the error
 * set and out untouched. */
int bj_safetensors_read_f32(const bj_safetensors *st, const char *name, int ndim,
                            const int64_t *shape, float *out);

/* A file being assembled (opaque). */
typedef struct bj_st_writer bj_st_writer;

/* A new, empty writer.  Free with bj_st_writer_free(). */
bj_st_writer *bj_st_writer_new(void);

/* Frees w and its copies of names and metadata (not the tensors' data).
 * NULL-safe. */
void bj_st_writer_free(bj_st_writer *w);

/* Adds a tensor after those already added: name (UTF-8, copied), dtype, ndim
 * (0 to BJ_ST_MAX_DIMS) dimensions shape (copied), and data: the raw
 * little-endian bytes, product(shape) * bj_dtype_size(dtype) of them, borrowed
 * until bj_st_writer_save()/_free() and not copied.  Returns 0, or BJ_EINVAL with
 * the error set when the name is empty, not UTF-8, "__metadata__" or already
 * added, or the shape is negative, too long or too large. */
int bj_st_writer_add(bj_st_writer *w, const char *name, bj_dtype dtype, int ndim,
                     const int64_t *shape, const void *data);

/* Sets metadata key to value (both UTF-8, copied), replacing an earlier value
 * in place.  Entries are written in the order first set.  Returns 0, or
 * BJ_EINVAL with the error set when either is not valid UTF-8. */
int bj_st_writer_set_meta(bj_st_writer *w, const char *key, const char *value);

/* Writes everything added to path atomically (base/atomic.h): the header lists
 * "__metadata__" (when set) and then the tensors in the order added, compact,
 * padded with spaces so the data starts 8-byte aligned; the data follows in the
 * same order, contiguous.  The same calls give the same bytes.  Returns 0, or
 * with the error set BJ_EIO/BJ_ENOENT ("'<path>': cannot write: <reason>"),
 * BJ_EINVAL (a header over BJ_ST_MAX_HEADER, data over INT64_MAX bytes) or
 * BJ_ENOMEM; on failure path is left as it was.  w is unchanged and may be
 * saved again. */
int bj_st_writer_save(const bj_st_writer *w, const char *path);
