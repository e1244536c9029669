#include "media/ffmpeg.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>

#include <libavformat/avformat.h>
#include <libavutil/log.h>

#include "base/alloc.h"
#include "base/error.h"

/* FFmpeg's logging is one process-wide setting, so it is set here once.  Level
 * AV_LOG_QUIET makes av_log() return before formatting anything, which is both
 * silent and cheap; a caller wanting FFmpeg's messages back (a --debug flag) can
 * raise the level with av_log_set_level() after the first media call. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_ffmpeg(void)
{
	av_log_set_level(AV_LOG_QUIET);
}

void media_ffmpeg_init(void)
{
	pthread_once(&init_once, init_ffmpeg);
}

/* System errors that mean "cannot open the file" rather than "cannot read its
 * content": reported with strerror(), as git does. */
static int is_open_errno(int e)
{
	switch (e) {
	case ENOENT: case ENOTDIR: case EACCES: case EPERM: case EIO: case EISDIR:
	case ELOOP: case ENAMETOOLONG: case EMFILE: case ENFILE: case ENXIO: case ENODEV:
		return 1;
	}
	return 0;
}

int media_ffmpeg_open(const char *path, AVFormatContext **out, int64_t *file_size)
{
	*out = NULL;
	*file_size = 0;
	media_ffmpeg_init();

	struct stat st;
	if (stat(path, &st) < 0)
		return bj_error_set_errno(errno, "'%s'", path);
	if (S_ISDIR(st.st_mode))
		return bj_error_set(BJ_EIO, "'%s': is a directory", path);
	if (S_ISREG(st.st_mode) && st.st_size == 0)
		return bj_error_set(BJ_EFORMAT, "'%s': empty file", path);
	*file_size = S_ISREG(st.st_mode) ? (int64_t)st.st_size : 0;

	/* "file:" makes FFmpeg treat the name as a local file even when it contains a
	 * colon ("take:2.mp4" is not a URL), and the whitelist keeps playlists and
	 * concat lists inside the file system: reading footage never opens a socket.
	 * The file protocol opens with O_RDONLY. */
	char *url = bj_xasprintf("file:%s", path);
	AVDictionary *opts = NULL;
	av_dict_set(&opts, "protocol_whitelist", "file", 0);
	AVFormatContext *fmt = NULL;
	int ret = avformat_open_input(&fmt, url, NULL, &opts);
	av_dict_free(&opts);
	free(url);
	if (ret >= 0)
		ret = avformat_find_stream_info(fmt, NULL);
	if (ret >= 0 && fmt->nb_streams == 0)
		ret = AVERROR_INVALIDDATA;
	if (ret < 0) {
		avformat_close_input(&fmt);
		if (ret == AVERROR(ENOMEM))
			return bj_error_set(BJ_ENOMEM, "'%s': out of memory", path);
		if (is_open_errno(AVUNERROR(ret)))
			return bj_error_set_errno(AVUNERROR(ret), "'%s'", path);
		return bj_error_set(BJ_EFORMAT, "'%s': not a media file FFmpeg can read", path);
	}
	*out = fmt;
	return 0;
}

int media_ffmpeg_error(int averr, const char *what, ...)
{
	char msg[512], reason[AV_ERROR_MAX_STRING_SIZE];
	va_list ap;
	va_start(ap, what);
	vsnprintf(msg, sizeof(msg), what, ap);
	va_end(ap);
	av_strerror(averr, reason, sizeof(reason));
	int code = BJ_EFORMAT;
	if (averr == AVERROR(ENOMEM))
		code = BJ_ENOMEM;
	else if (averr == AVERROR_DECODER_NOT_FOUND || averr == AVERROR_PATCHWELCOME ||
	         averr == AVERROR(ENOSYS))
		code = BJ_EUNSUPPORTED;
	else if (averr != AVERROR(EINVAL) && AVUNERROR(averr) > 0 && AVUNERROR(averr) < 4096)
		code = BJ_EIO;
	return bj_error_set(code, "%s: %s", msg, reason);
}

double media_ffmpeg_truncated_at(AVStream *st, int64_t file_size)
{
	int n = avformat_index_get_entries_count(st);
	if (n <= 0 || file_size <= 0)
		return -1;
	int64_t first = INT64_MAX;
	for (int i = 0; i < n; i++) {
		const AVIndexEntry *e = avformat_index_get_entry(st, i);
		if (e->pos >= 0 && e->pos + e->size > file_size && e->timestamp < first)
			first = e->timestamp;
	}
	if (first == INT64_MAX)
		return -1;
	int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
	double t = (double)(first - start) * av_q2d(st->time_base);
	return t > 0 ? t : 0;
}
