/*
 * commands.h - every subcommand of `benjamin`: one cmd_<name>.c file each.
 * Adding a command takes its file, a declaration here, a row in main.c's table
 * and a line in the README.
 */
#pragma once

int cmd_probe(int argc, char **argv);
extern const char *const cmd_probe_usage[];

int cmd_frames(int argc, char **argv);
extern const char *const cmd_frames_usage[];

int cmd_screenplay(int argc, char **argv);
extern const char *const cmd_screenplay_usage[];

int cmd_corpus(int argc, char **argv);
extern const char *const cmd_corpus_usage[];

int cmd_faces(int argc, char **argv);
extern const char *const cmd_faces_usage[];

int cmd_crops(int argc, char **argv);
extern const char *const cmd_crops_usage[];

int cmd_swap(int argc, char **argv);
extern const char *const cmd_swap_usage[];

int cmd_index(int argc, char **argv);
extern const char *const cmd_index_usage[];

int cmd_library(int argc, char **argv);
extern const char *const cmd_library_usage[];

int cmd_train(int argc, char **argv);
extern const char *const cmd_train_usage[];
int cmd_train_swap(int argc, char **argv);   /* `train swap`, with cmd_train_usage */

int cmd_strip(int argc, char **argv);
extern const char *const cmd_strip_usage[];

int cmd_sample(int argc, char **argv);
extern const char *const cmd_sample_usage[];

int cmd_cut(int argc, char **argv);
extern const char *const cmd_cut_usage[];

int cmd_render(int argc, char **argv);
extern const char *const cmd_render_usage[];
int cmd_compose(int argc, char **argv);
extern const char *const cmd_compose_usage[];

int cmd_score(int argc, char **argv);
extern const char *const cmd_score_usage[];
int cmd_write(int argc, char **argv);
extern const char *const cmd_write_usage[];
int cmd_voices(int argc, char **argv);
extern const char *const cmd_voices_usage[];

int cmd_say(int argc, char **argv);
extern const char *const cmd_say_usage[];

int cmd_voice(int argc, char **argv);
extern const char *const cmd_voice_usage[];

int cmd_make(int argc, char **argv);
extern const char *const cmd_make_usage[];

int cmd_cast(int argc, char **argv);
extern const char *const cmd_cast_usage[];

int cmd_report(int argc, char **argv);
extern const char *const cmd_report_usage[];
