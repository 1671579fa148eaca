# ketenmonitor - build, test, benchmark. See README.md.
#
# Every filters/NAME.c is a program, built into bin/NAME and linked with the shared stream
# library (filters/lib). A program that needs more than one file keeps the rest in
# filters/NAME/*.c. Tests: tests/*/*.t scripts and tests/*/*_test.c programs, all speaking
# TAP ("ok - ..." / "not ok - ..."), run by tests/run, which ends with "N passed, N failed".

CC      ?= cc
OPT     ?= -O2
CFLAGS  = $(OPT) -g -std=c11 -D_GNU_SOURCE \
          -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2 -Werror \
          -Ifilters/lib $(EXTRA_CFLAGS)
# What every program links: the library's own needs (libcsv, zlib, libm; ISA-L below).
LDLIBS  = -lcsv -lz -lm
# What a program links besides (LIBS_NAME), and a unit test of tests/NAME/ (TESTLIBS_NAME):
# only what it uses - libsodium is synth's (its key and truth) and one test's (the pseudonym
# cross-check), libcrypto ingest's, GSL fit-models', synth's, calibrate-weights',
# cohort-tables' (the Kaplan-Meier module) and compare-runs' (the normal quantile of its
# test), GLPK tabulate's (its disclosure audit).
LIBS_fit-models     = -lgsl -lgslcblas
LIBS_synth          = -lgsl -lgslcblas -lsodium
LIBS_ingest         = -lcrypto
LIBS_calibrate-weights = -lgsl -lgslcblas
LIBS_cohort-tables  = -lgsl -lgslcblas
LIBS_tabulate       = -lglpk
LIBS_compare-runs   = -lgsl -lgslcblas
TESTLIBS_fit-models = $(LIBS_fit-models)
TESTLIBS_ingest     = -lcrypto -lsodium
TESTLIBS_calibrate-weights = $(LIBS_calibrate-weights)
TESTLIBS_tabulate   = $(LIBS_tabulate)
TESTLIBS_cohort-tables = $(LIBS_cohort-tables)
# ISA-L (libisal-dev) writes gzip level 1 about four times faster than zlib, in the same
# format; without it the library falls back to zlib.
ifneq ($(wildcard /usr/include/isa-l/igzip_lib.h),)
CFLAGS += -DHAVE_ISAL
LDLIBS += -lisal
endif
BUILD   ?= build
BIN     ?= bin

SCHEMAS = $(sort $(wildcard schemas/*.schema))
LIBSRC  = $(wildcard filters/lib/*.c)
LIBOBJ  = $(LIBSRC:filters/lib/%.c=$(BUILD)/lib/%.o) $(BUILD)/lib/schemas_gen.o
LIBHDR  = $(wildcard filters/lib/*.h)
PROGS   = $(patsubst filters/%.c,$(BIN)/%,$(wildcard filters/*.c))
TESTSRC = $(wildcard tests/*/*_test.c)
TESTBIN = $(patsubst tests/%.c,$(BUILD)/tests/%,$(TESTSRC))

.PHONY: all deps test check valgrind bench demo report-check clean
.SECONDARY:

all: deps $(PROGS) $(TESTBIN)

deps:
	@tools/need-packages build

$(BUILD)/lib/%.o: filters/lib/%.c $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/lib/schemas_gen.c: $(SCHEMAS) tools/embed-schemas
	@mkdir -p $(@D)
	tools/embed-schemas $(SCHEMAS) > $@.tmp && mv $@.tmp $@

$(BUILD)/lib/schemas_gen.o: $(BUILD)/lib/schemas_gen.c
	$(CC) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/libketen.a: $(LIBOBJ)
	rm -f $@ && ar rcs $@ $^

# A program: filters/NAME.c plus filters/NAME/*.c when that folder exists.
.SECONDEXPANSION:
$(BIN)/%: filters/%.c $$(wildcard filters/%/*.c) $$(wildcard filters/%/*.h) $(BUILD)/libketen.a $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ifilters/$* -o $@ filters/$*.c $(wildcard filters/$*/*.c) $(BUILD)/libketen.a $(LIBS_$*) $(LDLIBS)

# A unit test may include its program's own files (tests/NAME/x_test.c includes
# filters/NAME/*.c): those are prerequisites too, so a change there rebuilds the test.
$(BUILD)/tests/%: tests/%.c $(BUILD)/libketen.a $(LIBHDR) $(wildcard tests/lib/*.h) $$(wildcard filters/$$(*D)/*.c filters/$$(*D)/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/libketen.a $(TESTLIBS_$(*D)) $(LDLIBS)

test: all
	@tools/need-packages test
	@KETEN_BIN=$(abspath $(BIN)) KETEN_BUILD=$(abspath $(BUILD)) tests/run $(T)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, in its own tree.
check:
	$(MAKE) BUILD=build/san BIN=build/san/bin OPT=-O1 \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  KETEN_SANITIZED=1 test

# Library tests and the filters' own small cases under valgrind's leak checker.
valgrind: all
	@KETEN_BIN=$(abspath $(BIN)) KETEN_BUILD=$(abspath $(BUILD)) KETEN_VALGRIND=1 tests/run $(T)

bench: all
	@tools/need-packages bench
	@KETEN_BIN=$(abspath $(BIN)) bench/run $(B)

demo: all
	@pipelines/demo

report-check: all
	@KETEN_BIN=$(abspath $(BIN)) tests/report-check

clean:
	rm -rf $(BUILD) $(BIN)/*
