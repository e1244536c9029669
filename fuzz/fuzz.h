/*
 * fuzz.h - what the fuzz targets share.  Each fuzz/fuzz_<parser>.c defines
 * LLVMFuzzerTestOneInput() for one parser of untrusted input; `make fuzz` builds
 * them with clang's libFuzzer, ASan and UBSan and runs each for FUZZ_SECONDS on
 * a corpus in build/fuzz/corpus/<name>/ seeded from fuzz/seeds.sh.
 *
 * A target must never crash, leak, or trip a sanitizer, whatever the bytes: a
 * parser either accepts the input or returns an error with a message set.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes the input to a private temporary file (for parsers that take a path)
 * and returns its name, valid until the next call. */
const char *fuzz_file(const uint8_t *data, size_t size);
