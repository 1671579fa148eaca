# ketenmonitor - build, test, benchmark. See README.md.
#
# Every filters/NAME.c is a program, built into bin/NAME and linked with the shared stream
# library (filters/lib). A program that needs more than one file keeps the rest in
# filters/NAME/*.c. Tests: tests/*/*.t scripts and tests/*/*_test.c programs, all speaking
# TAP ("ok - ..." / "not ok - ..."), run by tests/run, which ends with "N passed, N failed".

CC      ?= cc
# -O3, not -O2 (issue 22): 1.7 % fewer instructions over a whole report run (every stage
# 2-7 % fewer, the shell and openssl aside), every output byte-identical; no -ffast-math,
# so floating point is as at -O2. The sanitizer and fuzz builds keep -O1.
OPT     ?= -O3
CFLAGS  = $(OPT) -g -std=c11 -D_GNU_SOURCE \
          -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2 -Werror \
          -Ifilters/lib $(EXTRA_CFLAGS)
# What every program links: the library's own needs (libcsv, zlib, libm; ISA-L below).
LDLIBS  = -lcsv -lz -lm
# What a program links besides (LIBS_NAME), and a unit test of tests/NAME/ (TESTLIBS_NAME):
# only what it uses - libsodium is synth's (its key and truth) and one test's (the pseudonym
# cross-check), libcrypto ingest's, GSL fit-models', synth's, calibrate-weights',
# cohort-tables' (the Kaplan-Meier module) and compare-runs' (the normal quantile of its
# test), GLPK tabulate's (its disclosure audit), ReadStat rec-export's (SPSS and Stata
# files).
LIBS_fit-models     = -lgsl -lgslcblas
LIBS_synth          = -lgsl -lgslcblas -lsodium
LIBS_ingest         = -lcrypto
LIBS_calibrate-weights = -lgsl -lgslcblas
LIBS_cohort-tables  = -lgsl -lgslcblas
LIBS_tabulate       = -lglpk -lgsl -lgslcblas
LIBS_rec-export     = -lreadstat
LIBS_compare-runs   = -lgsl -lgslcblas
TESTLIBS_fit-models = $(LIBS_fit-models)
TESTLIBS_ingest     = -lcrypto -lsodium
TESTLIBS_calibrate-weights = $(LIBS_calibrate-weights)
TESTLIBS_tabulate   = $(LIBS_tabulate)
TESTLIBS_cohort-tables = $(LIBS_cohort-tables)
# The fuzz harnesses include the parsers of fit-models, calibrate-weights, gate-check and
# tabulate, and ingest's reader (whose files include their headers from filters/ingest)
# (tests/fuzz/README.md).
TESTLIBS_fuzz       = -lgsl -lgslcblas -lcrypto
TESTINC_fuzz        = -Ifilters/ingest
BUILD   ?= build
BIN     ?= bin

# What the machine offers is detected only after tools/need-packages has installed what is
# missing, or a first build on a fresh machine is made without it and kept (its objects
# are newer than their sources). So the detection writes $(CONFIG), a makefile make
# remakes - installing first - before it reads the rest, and every object depends on it:
# when what is detected changes, everything is rebuilt. So too when the flags change
# (OPT, EXTRA_CFLAGS): the file names them.
# ISA-L (libisal-dev) writes gzip level 1 about four times faster than zlib, in the same
# format; without it the library falls back to zlib.
.DEFAULT_GOAL := all
CONFIG = $(BUILD)/config.mk
ifneq ($(MAKECMDGOALS),clean)   # make clean alone needs no packages
include $(CONFIG)
endif
$(CONFIG): FORCE
	@tools/need-packages build
	@mkdir -p $(@D)
	@{ printf '# built with %s\n' '$(subst ','\'',$(OPT) $(EXTRA_CFLAGS))'; \
	  if [ -f /usr/include/isa-l/igzip_lib.h ]; then \
	  printf 'CFLAGS += -DHAVE_ISAL\nLDLIBS += -lisal\n'; else echo '# no ISA-L: zlib only'; fi; } > $@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi
FORCE:
.PHONY: FORCE   # always: the recipe decides (cmp) whether the file changes

SCHEMAS = $(sort $(wildcard schemas/*.schema schemas/*.labels))
LIBSRC  = $(wildcard filters/lib/*.c)
LIBOBJ  = $(LIBSRC:filters/lib/%.c=$(BUILD)/lib/%.o) $(BUILD)/lib/schemas_gen.o
LIBHDR  = $(wildcard filters/lib/*.h)
PROGS   = $(patsubst filters/%.c,$(BIN)/%,$(wildcard filters/*.c))
TESTSRC = $(wildcard tests/*/*_test.c)
TESTBIN = $(patsubst tests/%.c,$(BUILD)/tests/%,$(TESTSRC))

.PHONY: all test check valgrind bench demo report-check clean man install uninstall fuzz fuzz-build fuzz-planted
.SECONDARY:

# The fault-injection shim of tests/fault/faults.t (an LD_PRELOAD library).
FAULTSHIM = $(BUILD)/fault/shim.so

all: $(PROGS) $(TESTBIN) $(FAULTSHIM)

$(FAULTSHIM): tests/fault/shim.c $(CONFIG)
	@mkdir -p $(@D)
	$(CC) $(OPT) -g -Wall -Wextra -Werror -shared -fPIC -o $@ $<

$(BUILD)/lib/%.o: filters/lib/%.c $(LIBHDR) $(CONFIG)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/lib/schemas_gen.c: $(SCHEMAS) tools/embed-schemas
	@mkdir -p $(@D)
	tools/embed-schemas $(SCHEMAS) > $@.tmp && mv $@.tmp $@

$(BUILD)/lib/schemas_gen.o: $(BUILD)/lib/schemas_gen.c $(CONFIG)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/libketen.a: $(LIBOBJ)
	rm -f $@ && ar rcs $@ $^

# A program: filters/NAME.c plus filters/NAME/*.c when that folder exists.
.SECONDEXPANSION:
$(BIN)/%: filters/%.c $$(wildcard filters/%/*.c) $$(wildcard filters/%/*.h) $(BUILD)/libketen.a $(LIBHDR) $(CONFIG)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ifilters/$* -o $@ filters/$*.c $(wildcard filters/$*/*.c) $(BUILD)/libketen.a $(LIBS_$*) $(LDLIBS)

# A unit test may include its program's own files (tests/NAME/x_test.c includes
# filters/NAME/*.c) and its folder's (tests/fuzz/fuzz.h): those are prerequisites too, so a
# change there rebuilds the test.
$(BUILD)/tests/%: tests/%.c $(BUILD)/libketen.a $(LIBHDR) $(wildcard tests/lib/*.h) $$(wildcard filters/$$(*D)/*.c filters/$$(*D)/*.h) $$(wildcard tests/$$(*D)/*.h tests/$$(*D)/*.c) $(CONFIG)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(TESTINC_$(*D)) -Wno-missing-prototypes -o $@ $< $(BUILD)/libketen.a $(TESTLIBS_$(*D)) $(LDLIBS)

test: all
	@tools/need-packages test
	@KETEN_BIN=$(abspath $(BIN)) KETEN_BUILD=$(abspath $(BUILD)) tests/run $(T)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, in its own tree.
check:
	$(MAKE) BUILD=build/san BIN=build/san/bin OPT=-O1 \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  KETEN_SANITIZED=1 test

# libFuzzer on every harness of tests/fuzz/ (tests/fuzz/README.md): clang 14, the library
# built with coverage and ASan+UBSan in its own tree; each target runs FUZZ_SECONDS
# (default 60) on its committed corpus; new inputs go to build/fuzz/corpus/, a crash to
# build/fuzz/crashes/. FUZZ_FLAGS adds to the harnesses' flags (-DFUZZ_PLANTED_BUG: the
# planted bug; `make fuzz-planted` builds the reader with it in build/fuzz-planted and
# fails unless the fuzzer finds it within a minute, tests/fuzz/planted).
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build/fuzz
FUZZ_TARGETS = $(patsubst tests/fuzz/%_test.c,%,$(wildcard tests/fuzz/*_test.c))
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
               -Wno-format-nonliteral   # clang counts vfprintf(fmt) wrappers gcc accepts
fuzz-build:
	@tools/need-packages fuzz
	$(MAKE) CC=clang-14 BUILD=$(FUZZ_BUILD) OPT=-O1 EXTRA_CFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN) -DREC_IO_SIZE=512 $(FUZZ_FLAGS)" $(FUZZ_BUILD)/libketen.a
	@mkdir -p $(FUZZ_BUILD)/bin
	for t in $(FUZZ_TARGETS); do \
	  clang-14 $(filter-out $(OPT),$(CFLAGS)) -O1 -Wno-missing-prototypes -DKETEN_LIBFUZZER $(TESTINC_fuzz) $(FUZZ_FLAGS) -fsanitize=fuzzer $(FUZZ_SAN) \
	    -o $(FUZZ_BUILD)/bin/$$t tests/fuzz/$${t}_test.c $(FUZZ_BUILD)/libketen.a $(TESTLIBS_fuzz) $(LDLIBS) || exit 1; \
	done
fuzz: fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_TARGETS)
fuzz-planted:
	$(MAKE) fuzz-build FUZZ_BUILD=build/fuzz-planted FUZZ_FLAGS=-DFUZZ_PLANTED_BUG FUZZ_TARGETS=reader
	@FUZZ_BUILD=build/fuzz-planted tests/fuzz/planted 60

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

# The manual pages (man/*.1) and the codebook under doc/ are made from the programs'
# --help and from schemas/; they are committed (make install needs no python3), and
# tests/analyst/man.t and codebook.t fail when they are not what these rules make now.
man: all
	tools/man-pages
	$(BIN)/codebook > doc/codebook.md
	$(BIN)/codebook --format html > doc/codebook.html

# make install [PREFIX=/usr/local] [DESTDIR=]: the programs into PREFIX/bin; the scripts
# with their specs into PREFIX/lib/ketenmonitor/pipelines (as in the checkout, beside a
# link bin -> PREFIX/bin, so they find the programs and specs wherever they are called
# from) and linked from PREFIX/bin under the names of their pages; the schemas, the
# codebook and the README into PREFIX/share; the pages into PREFIX/share/man/man1; VERSION
# (git describe of the checkout installed) for the runs' code.version.
# (The programs carry the schemas built in; the installed copies are for reading.)
PREFIX  ?= /usr/local
KETENLIB = $(PREFIX)/lib/ketenmonitor
PIPELINE_FILES = lib.sh checksums demo headline refresh sharded swap/classify-support.py \
          $(patsubst pipelines/%,%,$(wildcard pipelines/eerste-jaar/* pipelines/cohorts/*))
SCRIPT_LINKS = eerste-jaar:eerste-jaar/run eerste-jaar-refresh:refresh eerste-jaar-sharded:sharded keten-cohorts:cohorts/run \
          keten-demo:demo keten-checksums:checksums keten-headline:headline
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(KETENLIB)/pipelines/eerste-jaar $(DESTDIR)$(KETENLIB)/pipelines/swap \
	  $(DESTDIR)$(KETENLIB)/pipelines/cohorts \
	  $(DESTDIR)$(PREFIX)/share/ketenmonitor/schemas $(DESTDIR)$(PREFIX)/share/doc/ketenmonitor $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	for f in $(PIPELINE_FILES); do \
	  if [ -x pipelines/$$f ]; then m=755; else m=644; fi; \
	  install -m $$m pipelines/$$f $(DESTDIR)$(KETENLIB)/pipelines/$$f || exit 1; done
	ln -sfn ../../bin $(DESTDIR)$(KETENLIB)/bin
	(git describe --always --dirty 2>/dev/null || $(BIN)/rec-check --version | cut -d' ' -f2-) \
	  > $(DESTDIR)$(KETENLIB)/VERSION   # the run's code.version where there is no git
	for l in $(SCRIPT_LINKS); do \
	  ln -sfn ../lib/ketenmonitor/pipelines/$${l#*:} $(DESTDIR)$(PREFIX)/bin/$${l%%:*} || exit 1; done
	install -m 644 $(SCHEMAS) schemas/README.md $(DESTDIR)$(PREFIX)/share/ketenmonitor/schemas/
	install -m 644 README.md doc/codebook.md doc/codebook.html $(DESTDIR)$(PREFIX)/share/doc/ketenmonitor/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/

# make uninstall [PREFIX=] [DESTDIR=]: removes what make install put there, nothing else.
uninstall:
	rm -f $(patsubst $(BIN)/%,$(DESTDIR)$(PREFIX)/bin/%,$(PROGS))
	for l in $(SCRIPT_LINKS); do rm -f $(DESTDIR)$(PREFIX)/bin/$${l%%:*}; done
	rm -f $(patsubst man/%,$(DESTDIR)$(PREFIX)/share/man/man1/%,$(wildcard man/*.1))
	rm -rf $(DESTDIR)$(KETENLIB) $(DESTDIR)$(PREFIX)/share/ketenmonitor $(DESTDIR)$(PREFIX)/share/doc/ketenmonitor
