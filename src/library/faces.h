/*
 * faces.h - the faces of a film while it is indexed: found in each sampled
 * frame (haar alt2 cascade, dlib's 68 landmarks), followed through each shot
 * (vision/track.h), and written to the faces and tracks tables.
 *
 *     library_faces *f = library_faces_new();        // loads the two models
 *     library_index_options o = { .faces = f };      // once per run, any films
 *     library_index_file(lib, path, &o, &report);
 *     library_faces_free(f);
 *
 * The indexer calls library_faces_frame for each sampled frame (320 pixels wide,
 * twice a second; after a frame without faces the next is passed over) and
 * library_faces_write in the film's transaction once its
 * shots are written.  Faces smaller than a sixth of the frame's height (30
 * pixels at 180 high) are not looked for: too small for landmarks, and the
 * smallest scales are most of the detector's work.  The pyramid steps by 1.2
 * (not 1.1): fewer levels; 1.25 would halve the time again but missed 5 of
 * 13 frames of a frontal talking head.  Detection uses 2 threads.
 * Stored boxes and landmarks are in the video's pixels; landmarks are a blob of
 * 136 little-endian float32 (x y x y ...), smoothed along the track; the pose
 * (yaw, pitch, roll, degrees, vision/align.h) is estimated from them.  Frames a
 * track missed and that were filled in have detected = 0 and no score.
 * Each face's aligned 64-pixel crop is kept until the film is written: a track
 * gets the mean descriptor (vision/facedesc.h) of up to 8 of its detected
 * faces in tracks.embedding (bytes: value x 255 over the cells' scale), its
 * largest most frontal face in tracks.face_id, and 4 faces a JPEG thumbnail
 * (faces.thumbnail); library/identities.h groups tracks into people.
 */
#pragma once

#include <stdint.h>

#include "library/library.h"
#include "media/image.h"

#define LIBRARY_FACES_CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"

typedef struct library_faces library_faces;

/* Loads the cascade (LIBRARY_FACES_CASCADE) and dlib's 68-point shape model
 * (VISION_SHAPE_MODEL_68).  NULL with the loader's error. */
library_faces *library_faces_new(void);

/* Forgets the frames of the previous film. */
void library_faces_reset(library_faces *f);

/* Finds the faces of one sampled frame (RGB), in order of frames. */
int library_faces_frame(library_faces *f, int64_t frame, double time, const media_image *img);

/* Tracks the faces of the film's shots (read back from the shots table) and
 * inserts its tracks and faces; video_w x video_h is the video's size.  Runs
 * inside the caller's transaction. */
int library_faces_write(library_faces *f, library *lib, int64_t film_id, int video_w, int video_h);

/* Faces and tracks found since the last reset (for reports). */
void library_faces_counts(const library_faces *f, int64_t *faces, int64_t *tracks);

void library_faces_free(library_faces *f);
