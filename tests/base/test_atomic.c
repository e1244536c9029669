#include "base/atomic.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/error.h"
#include "harness.h"


static void test_commit_replaces_whole_file(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s", test_path("out.txt"));
	test_write_file(path, "old", 3);
	bj_atomic *a;
	CHECK(bj_atomic_open(path, &a) == 0);
	fputs("new contents", bj_atomic_stream(a));
	char *before = test_read_file(path, NULL);
	CHECK_STR(before, "old");
	free(before);
	CHECK(strstr(bj_atomic_tmp_path(a), "out.txt.tmp.") != NULL);
	CHECK(bj_atomic_commit(a) == 0);
	char *after = test_read_file(path, NULL);
	CHECK_STR(after, "new contents");
	free(after);
	CHECK(test_count_entries(test_tmpdir()) == 1);
}

static void test_abort_keeps_old_file(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s", test_path("keep.txt"));
	test_write_file(path, "old", 3);
	bj_atomic *a;
	CHECK(bj_atomic_open(path, &a) == 0);
	fputs("half", bj_atomic_stream(a));
	bj_atomic_abort(a);
	char *after = test_read_file(path, NULL);
	CHECK_STR(after, "old");
	free(after);
	CHECK(test_count_entries(test_tmpdir()) == 1);
	bj_atomic_abort(NULL);
}

static void test_full_disk_is_an_error(void)
{
	bj_atomic *a;
	CHECK(bj_atomic_open("/dev/full", &a) == 0);
	fputs("anything", bj_atomic_stream(a));
	CHECK(bj_atomic_commit(a) == BJ_EIO);
	CHECK_STR(bj_error_message(), "'/dev/full': cannot write: No space left on device");
}

static void test_missing_folder_and_directory(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/no/such/dir/f.txt", test_tmpdir());
	bj_atomic *a = (bj_atomic *)1;
	CHECK(bj_atomic_open(path, &a) == BJ_ENOENT);
	CHECK(a == NULL);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': cannot create file: No such file or directory", path);
	CHECK_STR(bj_error_message(), want);

	CHECK(bj_atomic_open(test_tmpdir(), &a) == BJ_EIO);
	snprintf(want, sizeof(want), "'%s': cannot write: is a directory", test_tmpdir());
	CHECK_STR(bj_error_message(), want);
	CHECK(test_count_entries(test_tmpdir()) == 0);
}

static void test_signal_removes_temporary_file(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s", test_path("interrupted.bin"));
	pid_t pid = fork();
	if (pid == 0) {
		bj_atomic *a;
		if (bj_atomic_open(path, &a) != 0)
			_exit(3);
		fputs("partial", bj_atomic_stream(a));
		fflush(bj_atomic_stream(a));
		raise(SIGINT);
		_exit(4); /* not reached: SIGINT's default action ends the process */
	}
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "status %d", status);
	CHECK(test_count_entries(test_tmpdir()) == 0, "the temporary file was removed");
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_commit_replaces_whole_file),
		TEST_CASE(test_abort_keeps_old_file),
		TEST_CASE(test_full_disk_is_an_error),
		TEST_CASE(test_missing_folder_and_directory),
		TEST_CASE(test_signal_removes_temporary_file),
		{ 0 },
	};
	return test_main(cases);
}
