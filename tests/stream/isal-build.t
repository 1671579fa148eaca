#!/usr/bin/env bash
# isal-build.t - the programs are built with ISA-L when it is installed. tools/need-packages
# installs libisal-dev before the build detects it (Makefile, build/config.mk); once the
# detection ran before the install, and every program of a fresh machine's first build
# used zlib: the figures were right and each stage twice as slow, which no other test sees.
source "$KETEN_ROOT/tests/lib/tap.sh"

ok_if "ISA-L's header is installed (tools/need-packages build)" test -f /usr/include/isa-l/igzip_lib.h
has_text "the build's configuration names ISA-L" "$KETEN_BUILD/config.mk" '^CFLAGS \+= -DHAVE_ISAL$'
for p in ingest link-waves derive-status classify-support fit-models tabulate rec-cat; do
	ldd "$KETEN_BIN/$p" > ldd.$p 2>&1
	has_text "$p is linked with ISA-L" ldd.$p 'libisal\.so'
done
done_testing
