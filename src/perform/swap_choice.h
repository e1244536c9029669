/*
 * swap_choice.h - which star photo the swap warps onto a face: not simply the
 * one nearest its head pose, but of the photos about as near, the one that
 * carries the star's identity onto this actor best.
 *
 *     at loading, for each star photo:
 *         detail = perform_photo_detail(photo, landmarks);
 *     when a face is first followed:
 *         vision_facedesc(frame, pts, actor);
 *     when a photo is to be chosen (nearest: the photo of least turn):
 *         for each photo i: fit = perform_photo_fit(&c[i], &c[nearest], actor, star);
 *         the photo of the highest fit (never -INFINITY for the nearest)
 *
 * The swap (perform/swap.c) gives as a photo's turn its distance in head pose
 * plus what it counts the photo's expression as (a shouting photo is
 * "further"), and as the nearest's detail that of the photo nearest in pose
 * alone.
 *
 * Photos of about one pose carry the star's identity very unequally onto one
 * actor: on Casablanca 3.9 s, the photos within 9 degrees of its pose gave
 * identity margins from -0.057 to +0.017.  The margin followed how much
 * nearer a photo's own face descriptor is to the star's (the photos' mean)
 * than to the actor's.  Of the photos within PERFORM_CHOICE_WINDOW degrees of the
 * nearest one's pose, the fit is that difference less CHOICE_PER_DEGREE a
 * degree of pose, so a photo further round must carry clearly more of the
 * star.  Its fine detail, as it will be once warped onto the face, must be
 * within CHOICE_LESS..CHOICE_MORE of the nearest photo's: more detail made
 * the face flicker (videoretalking_face_1: 1.08 with a photo 1.6 times as
 * detailed), less raised the seam score, whose inside then has less contrast
 * (grid_pwij3p 0.86 against 0.71).
 */
#pragma once

#include "media/image.h"

#define PERFORM_CHOICE_WINDOW 8.0   /* degrees beyond the nearest photo's pose a photo may be from */

/* A star photo as the choice sees it. */
typedef struct perform_photo_choice {
	const float *desc;   /* its face descriptor (vision/facedesc.h) */
	double detail;       /* perform_photo_detail */
	double turn;         /* degrees from the face: of head pose, and what the swap counts its expression as */
} perform_photo_choice;

/* The photo's fine detail at one eye span: the mean difference of
 * neighbouring pixels inside its face mask (landmarks lm, 68 points) times
 * its eye span, so that photos of faces of different sizes compare as they
 * will once warped onto one face.  0 if the mask is empty. */
double perform_photo_detail(const media_image *photo, const float *lm);

/* How well photo carries the star (star: the photos' mean descriptor) onto
 * the actor (actor: the face's descriptor), beside the photo nearest the
 * pose; -INFINITY for a photo outside the window or the detail limits (the
 * nearest itself is always within them). */
double perform_photo_fit(const perform_photo_choice *photo, const perform_photo_choice *nearest,
                         const float *actor, const float *star);
