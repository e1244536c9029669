/*
 * report_models.h - the report's models: for each model the film used (the
 * writer, the composer, a swap ...), its size and training, and its learning
 * curve drawn as a PNG chart (report_plot.h).
 *
 *     const char *roles[] = { "writer" }, *paths[] = { "models/writer.safetensors" };
 *     film_report_models(&h, roles, paths, 1);
 *
 * The curve is the model's own "train.curve" metadata (nn/trainer.h) or, for
 * a model trained before curves were kept, the CSV `benjamin train` writes
 * beside it (MODEL without .safetensors, plus .csv).  A model that cannot be
 * read gets a line saying why.
 */
#pragma once

#include <stddef.h>

#include "film/report_html.h"

void film_report_models(text_buf *h, const char *const *roles, const char *const *paths,
                        size_t n);
