/*
 * demo.c - the demo footage Debian packages ship (see demo.h).
 */
#include "film/demo.h"

#include <stdlib.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"

#define SKIMAGE "/usr/lib/python3/dist-packages/skimage/data/"

static const char *const demo_files[] = {
	SKIMAGE "astronaut.png",
	"/usr/share/doc/opencv-doc/examples/data/vtest.avi",
	"/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg",
	SKIMAGE "hubble_deep_field.jpg",
	SKIMAGE "camera.png",
	SKIMAGE "rocket.jpg",
	SKIMAGE "coffee.png",
	SKIMAGE "chelsea.png",
};

int film_demo_footage(const char *root, char ***files, size_t *n)
{
	size_t count = sizeof(demo_files) / sizeof(demo_files[0]);
	*files = bj_xcalloc(count, sizeof(**files));
	*n = 0;
	for (size_t i = 0; i < count; i++)
	{
		char *path = bj_xasprintf("%s%s", root ? root : "", demo_files[i]);
		if (access(path, R_OK) == 0)
			(*files)[(*n)++] = path;
		else
			free(path);
	}
	if (*n == 0) {
		free(*files);
		*files = NULL;
		return bj_error_set(BJ_ENOENT, "no footage given (--footage) and no demo footage "
		                    "installed (scripts/setup installs it: python3-skimage, "
		                    "python-matplotlib-data, opencv-doc)");
	}
	return 0;
}
