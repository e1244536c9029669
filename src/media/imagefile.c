#include "media/imagefile.h"

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"

static int valid_side(long v)
{
	return v >= 1 && v <= MEDIA_IMAGE_MAX_SIDE;
}

/* ---- PNG, through libpng's simplified API (png.h, "simplified API") ---- */

static media_image *decode_png(const uint8_t *data, size_t size, const char *name, int channels)
{
	png_image pi;
	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&pi, data, size)) {
		bj_error_set(BJ_EFORMAT, "'%s': corrupt PNG: %s", name, pi.message);
		png_image_free(&pi);
		return NULL;
	}
	if (!valid_side(pi.width) || !valid_side(pi.height)) {
		bj_error_set(BJ_EFORMAT, "'%s': PNG is %ux%u, limit %dx%d", name, pi.width,
		             pi.height, MEDIA_IMAGE_MAX_SIDE, MEDIA_IMAGE_MAX_SIDE);
		png_image_free(&pi);
		return NULL;
	}
	if (channels == 0)
		channels = (pi.format & PNG_FORMAT_FLAG_COLOR) ? 3 : 1;
	pi.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
	media_image *img = media_image_new((int)pi.width, (int)pi.height, channels);
	if (!img) {
		png_image_free(&pi);
		return NULL;
	}
	png_color black = { 0, 0, 0 };
	if (!png_image_finish_read(&pi, &black, img->data, (png_int_32)img->stride, NULL)) {
		bj_error_set(BJ_EFORMAT, "'%s': corrupt PNG: %s", name, pi.message);
		png_image_free(&pi);
		media_image_free(img);
		return NULL;
	}
	return img;
}

uint8_t *media_image_encode_png(const media_image *img, size_t *size)
{
	png_image pi;
	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	pi.width = (png_uint_32)img->width;
	pi.height = (png_uint_32)img->height;
	pi.format = img->channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
	png_alloc_size_t n = 0;
	if (!png_image_write_to_memory(&pi, NULL, &n, 0, img->data, (png_int_32)img->stride, NULL)) {
		bj_error_set(BJ_EFORMAT, "cannot encode PNG: %s", pi.message);
		return NULL;
	}
	uint8_t *buf = bj_try_malloc(n);
	if (!buf)
		return NULL;
	if (!png_image_write_to_memory(&pi, buf, &n, 0, img->data, (png_int_32)img->stride, NULL)) {
		bj_error_set(BJ_EFORMAT, "cannot encode PNG: %s", pi.message);
		free(buf);
		return NULL;
	}
	*size = n;
	return buf;
}

/* ---- JPEG, through libjpeg(-turbo); errors longjmp back (libjpeg.txt, "Error handling") ---- */

struct jpeg_failure {
	struct jpeg_error_mgr mgr;
	jmp_buf back;
	char message[JMSG_LENGTH_MAX];
	int truncated;   /* the data ended early: libjpeg pads with grey, we refuse */
};

static void jpeg_fail(j_common_ptr c)
{
	struct jpeg_failure *f = (struct jpeg_failure *)c->err;
	c->err->format_message(c, f->message);
	longjmp(f->back, 1);
}

static void jpeg_note(j_common_ptr c, int level)
{
	struct jpeg_failure *f = (struct jpeg_failure *)c->err;
	/* level -1 is a warning about corrupt data; others are trace output. */
	if (level == -1 && c->err->msg_code == JWRN_JPEG_EOF && !f->truncated) {
		f->truncated = 1;
		c->err->format_message(c, f->message);
	}
}

static media_image *decode_jpeg(const uint8_t *data, size_t size, const char *name,
                                int want_channels)
{
	/* Locals live across setjmp are volatile (C11 7.13.2.1). */
	volatile int channels = want_channels;
	struct jpeg_decompress_struct cinfo;
	struct jpeg_failure fail;
	media_image *volatile img = NULL;
	memset(&fail, 0, sizeof(fail));
	cinfo.err = jpeg_std_error(&fail.mgr);
	fail.mgr.error_exit = jpeg_fail;
	fail.mgr.emit_message = jpeg_note;
	if (setjmp(fail.back)) {
		bj_error_set(BJ_EFORMAT, "'%s': corrupt JPEG: %s", name, fail.message);
		goto fail;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, data, (unsigned long)size);
	jpeg_read_header(&cinfo, TRUE);
	if (!valid_side(cinfo.image_width) || !valid_side(cinfo.image_height)) {
		bj_error_set(BJ_EFORMAT, "'%s': JPEG is %ux%u, limit %dx%d", name, cinfo.image_width,
		             cinfo.image_height, MEDIA_IMAGE_MAX_SIDE, MEDIA_IMAGE_MAX_SIDE);
		goto fail;
	}
	if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
		bj_error_set(BJ_EUNSUPPORTED, "'%s': CMYK JPEG images are not supported", name);
		goto fail;
	}
	if (channels == 0)
		channels = cinfo.jpeg_color_space == JCS_GRAYSCALE ? 1 : 3;
	cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_start_decompress(&cinfo);
	BJ_ASSERT(cinfo.output_components == channels);
	img = media_image_new((int)cinfo.output_width, (int)cinfo.output_height, channels);
	if (!img)
		goto fail;
	while (cinfo.output_scanline < cinfo.output_height) {
		JSAMPROW row = img->data + (size_t)cinfo.output_scanline * img->stride;
		jpeg_read_scanlines(&cinfo, &row, 1);
	}
	if (fail.truncated) {
		bj_error_set(BJ_EFORMAT, "'%s': corrupt JPEG: %s", name, fail.message);
		goto fail;
	}
	jpeg_finish_decompress(&cinfo);
	jpeg_destroy_decompress(&cinfo);
	return img;
fail:
	jpeg_destroy_decompress(&cinfo);
	media_image_free(img);
	return NULL;
}

uint8_t *media_image_encode_jpeg(const media_image *img, int quality, size_t *size)
{
	struct jpeg_compress_struct cinfo;
	struct jpeg_failure fail;
	unsigned char *volatile out = NULL;
	unsigned long out_size = 0;
	memset(&fail, 0, sizeof(fail));
	cinfo.err = jpeg_std_error(&fail.mgr);
	fail.mgr.error_exit = jpeg_fail;
	fail.mgr.emit_message = jpeg_note;
	if (setjmp(fail.back)) {
		bj_error_set(BJ_EFORMAT, "cannot encode JPEG: %s", fail.message);
		jpeg_destroy_compress(&cinfo);
		free(out);
		return NULL;
	}
	jpeg_create_compress(&cinfo);
	jpeg_mem_dest(&cinfo, (unsigned char **)&out, &out_size);
	cinfo.image_width = (JDIMENSION)img->width;
	cinfo.image_height = (JDIMENSION)img->height;
	cinfo.input_components = img->channels;
	cinfo.in_color_space = img->channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&cinfo);
	jpeg_set_quality(&cinfo, quality > 0 ? (quality > 100 ? 100 : quality) : 90, TRUE);
	jpeg_start_compress(&cinfo, TRUE);
	while (cinfo.next_scanline < cinfo.image_height) {
		JSAMPROW row = img->data + (size_t)cinfo.next_scanline * img->stride;
		jpeg_write_scanlines(&cinfo, &row, 1);
	}
	jpeg_finish_compress(&cinfo);
	jpeg_destroy_compress(&cinfo);
	*size = out_size;
	return out;
}

/* ---- by content and by name ---- */

media_image *media_image_decode(const uint8_t *data, size_t size, const char *name, int channels)
{
	BJ_ASSERT(channels == 0 || channels == 1 || channels == 3);
	static const uint8_t png_magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	if (size >= 8 && memcmp(data, png_magic, 8) == 0)
		return decode_png(data, size, name, channels);
	if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
		return decode_jpeg(data, size, name, channels);
	bj_error_set(BJ_EFORMAT, "'%s': not a PNG or JPEG image", name);
	return NULL;
}

media_image *media_image_load(const char *path, int channels)
{
	uint8_t *data;
	size_t size;
	if (bj_file_read(path, MEDIA_IMAGE_MAX_FILE, &data, &size) < 0)
		return NULL;
	media_image *img = media_image_decode(data, size, path, channels);
	free(data);
	return img;
}

static int has_extension(const char *path, const char *ext)
{
	size_t n = strlen(path), m = strlen(ext);
	return n > m && strcasecmp(path + n - m, ext) == 0;
}

int media_image_save(const media_image *img, const char *path, int quality)
{
	uint8_t *buf;
	size_t size = 0;
	if (has_extension(path, ".png"))
		buf = media_image_encode_png(img, &size);
	else if (has_extension(path, ".jpg") || has_extension(path, ".jpeg"))
		buf = media_image_encode_jpeg(img, quality, &size);
	else
		return bj_error_set(BJ_EINVAL, "'%s': unknown image type (use .png, .jpg or .jpeg)", path);
	if (!buf)
		return bj_error_prefix("'%s'", path);
	int ret = bj_file_write(path, buf, size);
	free(buf);
	return ret;
}
