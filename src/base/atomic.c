#include "base/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"

struct bj_atomic {
	char *path;
	char *tmp_path;  /* NULL when writing directly to a non-regular file */
	FILE *stream;
	struct bj_atomic *next;
};

/* Pending files, for the exit and signal cleanup.  The signal handler only reads
 * the list and calls unlink(), which is async-signal-safe. */
static struct bj_atomic *volatile pending;
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

void bj_atomic_cleanup_all(void)
{
	for (struct bj_atomic *a = pending; a; a = a->next)
		if (a->tmp_path)
			unlink(a->tmp_path);
}

static void on_signal(int sig)
{
	bj_atomic_cleanup_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	for (size_t i = 0; i < BJ_ARRAY_SIZE(sigs); i++) {
		struct sigaction old;
		/* Leave alone a signal the program chose to ignore or handle itself. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			signal(sigs[i], on_signal);
	}
	atexit(bj_atomic_cleanup_all);
}

static void unlist(struct bj_atomic *a)
{
	pthread_mutex_lock(&pending_lock);
	for (struct bj_atomic *volatile *p = &pending; *p; p = &(*p)->next)
		if (*p == a) {
			*p = a->next;
			break;
		}
	pthread_mutex_unlock(&pending_lock);
}

static void atomic_free(struct bj_atomic *a)
{
	unlist(a);
	free(a->path);
	free(a->tmp_path);
	free(a);
}

int bj_atomic_open(const char *path, bj_atomic **out)
{
	*out = NULL;
	pthread_once(&handlers_once, install_handlers);

	struct bj_atomic *a = bj_xcalloc(1, sizeof(*a));
	a->path = bj_xstrdup(path);

	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		atomic_free(a);
		return bj_error_set(BJ_EIO, "'%s': cannot write: is a directory", path);
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		a->stream = fopen(path, "wb");
		if (!a->stream) {
			int e = errno;
			atomic_free(a);
			return bj_error_set_errno(e, "'%s': cannot open for writing", path);
		}
		*out = a;
		return 0;
	}

	a->tmp_path = bj_xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(a->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST) {
		/* Left by a crashed run of ours with the same pid; it is ours to replace. */
		unlink(a->tmp_path);
		fd = open(a->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	}
	if (fd < 0) {
		int e = errno;
		free(a->tmp_path);
		a->tmp_path = NULL;
		atomic_free(a);
		return bj_error_set_errno(e, "'%s': cannot create file", path);
	}
	a->stream = fdopen(fd, "wb");
	BJ_ASSERT(a->stream);

	pthread_mutex_lock(&pending_lock);
	a->next = pending;
	pending = a;
	pthread_mutex_unlock(&pending_lock);
	*out = a;
	return 0;
}

FILE *bj_atomic_stream(bj_atomic *a)
{
	return a->stream;
}

const char *bj_atomic_tmp_path(const bj_atomic *a)
{
	return a->tmp_path ? a->tmp_path : a->path;
}

const char *bj_atomic_path(const bj_atomic *a)
{
	return a->path;
}

/* fsync the folder so the rename itself survives a crash. */
static void sync_parent(const char *path)
{
	char *dir = bj_xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int bj_atomic_commit(bj_atomic *a)
{
	if (!a)
		return bj_error_set(BJ_EINVAL, "no file to commit");
	int e = 0;
	if (fflush(a->stream) != 0 || ferror(a->stream))
		e = errno ? errno : EIO;
	if (!e && a->tmp_path && fsync(fileno(a->stream)) != 0)
		e = errno;
	if (fclose(a->stream) != 0 && !e)
		e = errno ? errno : EIO;
	a->stream = NULL;
	if (!e && a->tmp_path && rename(a->tmp_path, a->path) != 0)
		e = errno;
	if (e) {
		if (a->tmp_path)
			unlink(a->tmp_path);
		int code = bj_error_set_errno(e, "'%s': cannot write", a->path);
		atomic_free(a);
		return code;
	}
	if (a->tmp_path)
		sync_parent(a->path);
	atomic_free(a);
	return 0;
}

void bj_atomic_abort(bj_atomic *a)
{
	if (!a)
		return;
	if (a->stream)
		fclose(a->stream);
	if (a->tmp_path)
		unlink(a->tmp_path);
	atomic_free(a);
}
