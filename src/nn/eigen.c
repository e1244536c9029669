#include "nn/eigen.h"

#include <stdlib.h>

#include "base/alloc.h"
#include "base/error.h"

/* LAPACK's Fortran entry point (OpenBLAS exports it; Debian ships no
 * lapack.h with it). */
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info);

int nn_eigen_symmetric(int n, double *a, double *w)
{
	if (n < 1)
		return bj_error_set(BJ_EINVAL, "eigen-decomposition of an empty matrix");
	/* Column-major LAPACK sees the row-major symmetric matrix unchanged, and
	 * its column eigenvectors come back as our rows. */
	int info = 0, lwork = -1, liwork = -1, iwork_size;
	double work_size;
	dsyevd_("V", "U", &n, a, &n, w, &work_size, &lwork, &iwork_size, &liwork, &info);
	if (info != 0)
		return bj_error_set(BJ_EINVAL, "eigen-decomposition: LAPACK dsyevd says %d", info);
	lwork = (int)work_size;
	liwork = iwork_size;
	double *work = bj_try_malloc((size_t)lwork * sizeof *work);
	int *iwork = bj_try_malloc((size_t)liwork * sizeof *iwork);
	if (!work || !iwork) {
		free(work);
		free(iwork);
		return BJ_ENOMEM;
	}
	dsyevd_("V", "U", &n, a, &n, w, work, &lwork, iwork, &liwork, &info);
	free(work);
	free(iwork);
	if (info != 0)
		return bj_error_set(BJ_EINVAL, "eigen-decomposition did not converge (LAPACK dsyevd says %d)", info);
	return 0;
}
