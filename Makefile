# benjamin - one non-recursive Makefile.
#
#   make              build/benjamin
#   make check        build and run every test (tests/run); closing line "N passed, N failed"
#   make check-asan   the same under AddressSanitizer + UBSan, in build/asan/
#   make bench        build and run the benchmarks in bench/ (never part of check)
#   make fuzz         fuzz every parser of untrusted input with libFuzzer (clang), in
#                     build/fuzz/, FUZZ_SECONDS each (default 60)
#   make install      PREFIX=/usr/local; installs the binary, its --help text and
#                     the default writer model (share/benjamin/writer.safetensors)
#   make clean
#
# Each src/<layer>/ becomes $(B)/lib<layer>.a.  A binary links only its own layer and
# the layers below it (LAYER_DEPS), so a call upwards fails to link: the layer rule
# of DESIGN.md is enforced by the linker, and scripts/check-layers checks #includes.

.DEFAULT_GOAL := all

B ?= build
PREFIX ?= /usr/local

CC ?= cc
# OPTFLAGS sets optimisation; CFLAGS and LDFLAGS from the command line are added
# after ours, so they refine the build instead of replacing it.
OPTFLAGS ?= -O2 -g
BJ_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -MMD -MP -Isrc -include src/base/banned.h
BJ_LDFLAGS :=
ifdef WERROR
BJ_CFLAGS += -Werror
endif
ifdef SANITIZE
BJ_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
BJ_LDFLAGS += -fsanitize=address,undefined
endif
ifdef FUZZ
BJ_CFLAGS += -fsanitize=fuzzer-no-link
# Clang refuses the 64-byte vectors of the LSTM's non-AVX-512 clone ("changes
# the ABI") where GCC splits them.  No fuzz target runs the LSTM, so the fuzz
# build compiles it for AVX-512 only.
$(B)/obj/src/nn/lstm.o: BJ_CFLAGS += -mavx512f
endif

# Libraries with a usable .pc file, by the layer that uses them.
PKGS_base    := jansson
PKGS_media   := libavformat libavcodec libswscale libswresample libavutil libpng libjpeg
PKGS_text    := pangocairo pangoft2 cairo fontconfig
PKGS_library := sqlite3 libebur128 pangocairo cairo
PKGS_perform := rubberband libebur128
PKGS_score   := fluidsynth libebur128
PKGS_film    := libass pangocairo cairo libebur128 jansson

# Libraries without one on Debian 12, listed here and nowhere else.
# OpenBLAS's pthread build keeps its .pc file outside the default search path.
OPENBLAS_PC := /usr/lib/x86_64-linux-gnu/openblas-pthread/pkgconfig/openblas.pc
OPENBLAS_CFLAGS := $(shell pkg-config --cflags $(OPENBLAS_PC) 2>/dev/null)
OPENBLAS_LIBS := $(shell pkg-config --libs $(OPENBLAS_PC) 2>/dev/null)
FLITE_CFLAGS := -I/usr/include/flite
FLITE_LIBS := -lflite_cmu_us_slt -lflite_cmu_us_kal16 -lflite_cmu_us_kal -lflite_cmu_us_awb \
	-lflite_cmu_us_rms -lflite_usenglish -lflite_cmulex -lflite

EXTRA_LIBS_base    := -lpthread -lm
EXTRA_LIBS_nn      := $(OPENBLAS_LIBS)
EXTRA_LIBS_perform := $(FLITE_LIBS)

# Each layer and the layers it may use, lowest last (static link order).
LAYERS := base nn media text vision writer library perform score film cli
LAYER_DEPS_base    :=
LAYER_DEPS_nn      := base
LAYER_DEPS_media   := base
LAYER_DEPS_text    := base
LAYER_DEPS_vision  := nn media base
LAYER_DEPS_writer  := nn text base
LAYER_DEPS_library := vision nn media base
LAYER_DEPS_perform := vision nn media base
LAYER_DEPS_score   := nn media base
LAYER_DEPS_film    := library perform score writer text vision nn media base
LAYER_DEPS_cli     := film library perform score writer text vision nn media base

EXTRA_CFLAGS_nn      := $(OPENBLAS_CFLAGS)
EXTRA_CFLAGS_perform := $(FLITE_CFLAGS)

# A layer's sources (and its tests) see only their own layer's third-party headers.
layer_cflags = $(shell pkg-config --cflags $(PKGS_$(1)) 2>/dev/null) $(EXTRA_CFLAGS_$(1))
$(foreach l,$(LAYERS),$(eval $(B)/obj/src/$(l)/%.o: LAYER_CFLAGS := $(call layer_cflags,$(l))))
$(foreach l,$(LAYERS),$(eval $(B)/obj/tests/$(l)/%.o: LAYER_CFLAGS := $(call layer_cflags,$(l))))

ifdef V
Q :=
else
Q := @
endif

# Layers that have sources; the others are skipped until they do.
layer_srcs = $(wildcard src/$(1)/*.c)
BUILT_LAYERS := $(foreach l,$(filter-out cli,$(LAYERS)),$(if $(call layer_srcs,$(l)),$(l)))
layer_lib = $(B)/lib$(1).a
# The archives and libraries a binary of layer $(1) links against.
link_layers = $(filter $(BUILT_LAYERS),$(1) $(LAYER_DEPS_$(1)))
link_archives = $(foreach l,$(call link_layers,$(1)),$(call layer_lib,$(l)))
link_libs = $(shell pkg-config --libs $(sort $(foreach l,$(call link_layers,$(1)),$(PKGS_$(l)))) 2>/dev/null) \
	$(foreach l,$(call link_layers,$(1)),$(EXTRA_LIBS_$(l)))

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))

define LAYER_RULES
$(call layer_lib,$(1)): $(call obj,$(call layer_srcs,$(1)))
	@mkdir -p $$(@D)
	@$(if $(Q),echo "  AR      $$@")
	$(Q)rm -f $$@ && $(AR) rcs $$@ $$^
endef
$(foreach l,$(BUILT_LAYERS),$(eval $(call LAYER_RULES,$(l))))

CLI_SRCS := $(wildcard src/cli/*.c)
BIN := $(B)/benjamin

all: $(BIN)

$(BIN): $(call obj,$(CLI_SRCS)) $(call link_archives,cli)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(BJ_LDFLAGS) $(LDFLAGS) -o $@ $(call obj,$(CLI_SRCS)) $(call link_archives,cli) $(call link_libs,cli)

# GCC 12 vectorises at -O2 only loops without a remainder; the image layers'
# loops over rows and planes of any width need -O3 (exact: no reassociation).
$(B)/obj/src/nn/activation.o $(B)/obj/src/nn/norm.o $(B)/obj/src/nn/ssim.o: OPTFLAGS += -O3
$(B)/obj/src/media/rgb_yuv.o $(B)/obj/src/vision/detail.o $(B)/obj/src/vision/tone.o: OPTFLAGS += -O3

# The LSTM's 64-byte vectors are passed between always-inline helpers that never
# exist as calls, so GCC's note about their calling convention says nothing.
$(B)/obj/src/nn/lstm.o: BJ_CFLAGS += -Wno-psabi

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BJ_CFLAGS) $(OPTFLAGS) $(CFLAGS) $(LAYER_CFLAGS) -Itests -Ibench -Ifuzz -c -o $@ $<

# Tests: every tests/<layer>/test_*.c is one binary linked with tests/harness.c and
# the archives its layer may use.
HARNESS_OBJ := $(call obj,tests/harness.c)
TEST_SRCS := $(wildcard $(foreach l,$(LAYERS),tests/$(l)/test_*.c))
TEST_BINS := $(patsubst %.c,$(B)/%,$(TEST_SRCS))
test_layer = $(word 2,$(subst /, ,$(1)))

define TEST_RULE
$(patsubst %.c,$(B)/%,$(1)): $(call obj,$(1)) $(HARNESS_OBJ) $(call link_archives,$(call test_layer,$(1)))
	@mkdir -p $$(@D)
	@$(if $(Q),echo "  LINK    $$@")
	$(Q)$(CC) $(BJ_LDFLAGS) $(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(call link_archives,$(call test_layer,$(1))) \
		$(call link_libs,$(call test_layer,$(1)))
endef
$(foreach t,$(TEST_SRCS),$(eval $(call TEST_RULE,$(t))))

# Benchmarks: every bench/bench_*.c is one binary, with bench/bench.c's timing helpers.
# bench_voice_wer needs PocketSphinx (scripts/setup --bench) and is left out without it.
HAVE_POCKETSPHINX := $(shell pkg-config --exists pocketsphinx 2>/dev/null && echo yes)
BENCH_SRCS := $(filter-out $(if $(HAVE_POCKETSPHINX),,bench/bench_voice_wer.c),$(wildcard bench/bench_*.c))
BENCH_BINS := $(patsubst %.c,$(B)/%,$(BENCH_SRCS))
BENCH_OBJ := $(call obj,bench/bench.c)
$(B)/obj/bench/bench_voice_wer.o: LAYER_CFLAGS := $(shell pkg-config --cflags pocketsphinx 2>/dev/null)
$(B)/bench/bench_voice_wer: BENCH_LIBS := $(shell pkg-config --libs pocketsphinx 2>/dev/null)
$(B)/bench/%: $(B)/obj/bench/%.o $(BENCH_OBJ) $(call link_archives,cli)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(BJ_LDFLAGS) $(LDFLAGS) -o $@ $< $(BENCH_OBJ) $(call link_archives,cli) $(call link_libs,cli) \
		$(BENCH_LIBS)

# Fuzz targets: every fuzz/fuzz_*.c is one libFuzzer binary (clang only).
FUZZ_SRCS := $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst %.c,$(B)/%,$(FUZZ_SRCS))
FUZZ_OBJ := $(call obj,fuzz/fuzz.c)
FUZZ_SECONDS ?= 60
$(B)/fuzz/%: $(B)/obj/fuzz/%.o $(FUZZ_OBJ) $(call link_archives,cli)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(BJ_LDFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(FUZZ_OBJ) \
		$(call link_archives,cli) $(call link_libs,cli)

check: $(BIN) $(TEST_BINS)
	@scripts/check-layers $(B)
	@tests/run $(B)

check-asan:
	ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		$(MAKE) B=build/asan SANITIZE=1 OPTFLAGS="-O1 -g" check

bench: $(BIN) $(BENCH_BINS)
	@bench/run $(B)

fuzz:
	$(MAKE) B=build/fuzz CC=clang SANITIZE=1 FUZZ=1 OPTFLAGS="-O1 -g" fuzz-run

fuzz-run: $(FUZZ_BINS)
	@fuzz/run $(B) $(FUZZ_SECONDS)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/doc/benjamin \
	    $(DESTDIR)$(PREFIX)/share/benjamin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/benjamin
	install -m 644 models/writer.safetensors $(DESTDIR)$(PREFIX)/share/benjamin/writer.safetensors
	$(BIN) help --all > $(DESTDIR)$(PREFIX)/share/doc/benjamin/help.txt

clean:
	rm -rf build

.PHONY: all check check-asan bench fuzz fuzz-run install clean
.DELETE_ON_ERROR:
.SECONDARY:

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
