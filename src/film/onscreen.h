/*
 * onscreen.h - who is on screen in a shot, and how, from the library's face
 * samples (library/samples.h): how much of the shot shows the face, how large
 * and how frontal it is, whether its mouth moves (speaking), and when its eyes
 * are closed (blinks, to keep off the cut points).
 *
 *     film_onscreen any, eve;
 *     film_onscreen_of(s, n, shot, 0, &any);    // s: the shot's samples, n of them
 *     film_onscreen_of(s, n, shot, 7, &eve);    // identity 7's tracks only
 *     double t[16];
 *     size_t k = film_onscreen_blinks(s, n, shot, t, 16);   // times of closed eyes
 *
 * Faces are sampled twice a second, so a sample stands for half a second of
 * the shot (FILM_SAMPLE_SECONDS) and mouth movement is the change of the
 * mouth's opening from one sample to the next along a track: a speaking face
 * changes by 0.04 to 0.17 of its mouth's width (../shared/data/footage's
 * talking heads), a silent one by 0.001 to 0.015.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "library/library.h"
#include "library/samples.h"

/* The screen time a face sample stands for, seconds. */
#define FILM_SAMPLE_SECONDS 0.5
/* Mean change of mouth opening between samples that counts as fully speaking. */
#define FILM_MOUTH_TALK 0.06
/* Yaw or pitch (degrees) at which a face counts as not frontal at all. */
#define FILM_FRONTAL_LIMIT 45.0
/* A sample's eyes are closed below this fraction of its track's median. */
#define FILM_BLINK_RATIO 0.75

typedef struct film_onscreen {
	int samples;      /* face samples counted */
	double seen;      /* fraction of the shot's sampled frames showing such a face, 0..1 */
	double height;    /* the largest such face, fraction of the frame height */
	double frontal;   /* mean of (1 - |yaw| / limit)(1 - |pitch| / limit), 0..1 */
	double mouth;     /* mean change of mouth opening / FILM_MOUTH_TALK, at most 1 */
} film_onscreen;

/* Summarises the samples s[0..n) of one shot (by track and frame, as
 * library_face_samples orders them) of identity (0: every face). */
void film_onscreen_of(const library_face_sample *s, size_t n, const library_shot *shot,
                      int64_t identity, film_onscreen *o);

/* The film time of a sample's frame within shot. */
double film_onscreen_time(const library_shot *shot, int64_t frame);

/* Writes the times of up to max samples of the shot whose eyes are closed
 * (below FILM_BLINK_RATIO of their track's median openness, tracks of 3
 * samples or more) to times, in order; returns how many were found. */
size_t film_onscreen_blinks(const library_face_sample *s, size_t n, const library_shot *shot,
                            double *times, size_t max);
