/*
 * eigen.h - eigenvalues and eigenvectors of a symmetric matrix (LAPACK's
 * dsyevd, which OpenBLAS carries), for principal components and whitening.
 *
 *     double a[n * n] = ...;    // symmetric, row-major; overwritten
 *     double w[n];
 *     if (nn_eigen_symmetric(n, a, w) < 0) ...
 *     // w ascending; row i of a is the unit eigenvector of w[i]
 */
#pragma once

/* Decomposes the symmetric n x n matrix a (row-major, only symmetric input
 * makes sense): on return w holds the eigenvalues in ascending order and row
 * i of a the unit eigenvector of w[i].  Returns 0, BJ_ENOMEM, or BJ_EINVAL if
 * LAPACK reports that it did not converge or n < 1. */
int nn_eigen_symmetric(int n, double *a, double *w);
