/*
 * banned.h - functions we do not use, made into compile errors (after git's banned.h).
 * Force-included into every .c file by the Makefile (-include src/base/banned.h).
 *   strcpy, strcat, sprintf, vsprintf: unbounded writes; use snprintf or bj_xasprintf.
 *   strtok: hidden global state; use strtok_r or strsep.
 *   atoi, atol, atof: no error reporting; use strtol/strtod with checks.
 *   rand, srand: a global, unseeded generator; pass a bj_rng.
 */
#pragma once

/* The standard headers first, so their own declarations are seen before the macros. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atof
#define atof(x) BANNED(atof)
#undef rand
#define rand() BANNED(rand)
#undef srand
#define srand(x) BANNED(srand)
