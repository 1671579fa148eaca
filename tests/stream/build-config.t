#!/usr/bin/env bash
# build-config.t - build/config.mk is remade by every make, and changes (rebuilding every
# object, which depends on it) exactly when what it records changes: what the machine
# offers (ISA-L) and the flags (OPT, EXTRA_CFLAGS). Until issue 22's session 17 make took
# the file's FORCE prerequisite for an intermediate file and never remade the file once it
# existed: a build made before libisal-dev was installed, or with other flags, was kept.
# Only the configuration file is made here (a folder of its own as BUILD): nothing compiles.
source "$KETEN_ROOT/tests/lib/tap.sh"

unset MAKEFLAGS MAKELEVEL MFLAGS   # not the jobserver of a make that runs this suite
# nor its flags: make puts the variables of its command line in the environment of what it
# runs, so under `make check` (EXTRA_CFLAGS=-fsanitize=...) the file would name them too
unset OPT EXTRA_CFLAGS CC BIN BUILD
b=$PWD/b
conf=$b/config.mk
config() { make -s -C "$KETEN_ROOT" BUILD="$b" "$@" "$conf" > make.out 2>&1; }
isal_line='^CFLAGS \+= -DHAVE_ISAL$'
[ -f /usr/include/isa-l/igzip_lib.h ] || isal_line='^# no ISA-L: zlib only$'

mkdir -p "$b"
echo '# stale: written by hand' > "$conf"
ok_if "make remakes a configuration that exists" config OPT=-O2
has_text "... with what the machine offers" "$conf" "$isal_line"
has_text "... and the flags" "$conf" '^# built with -O2 $'
ok_if "... and nothing stale" sh -c "! grep -q stale '$conf'"

long_ago=$(date -d '2000-01-01' +%s)
touch -d "@$long_ago" "$conf"
config OPT=-O2
ok_if "the same flags again: the file is left as it was (nothing rebuilds)" \
	test "$(stat -c %Y "$conf")" = "$long_ago"

config OPT=-O1
has_text "other flags: the file says so (everything rebuilds)" "$conf" '^# built with -O1 $'
ok_if "... written anew" test "$(stat -c %Y "$conf")" != "$long_ago"

config OPT=-O1 EXTRA_CFLAGS="-DQUOTED='a b'"
has_text "a quote in EXTRA_CFLAGS is written as given" "$conf" "^# built with -O1 -DQUOTED='a b'\$"
has_text "... and the rest of the file is whole" "$conf" "$isal_line"
done_testing
