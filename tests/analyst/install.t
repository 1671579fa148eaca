#!/usr/bin/env bash
# make install DESTDIR=... puts programs, scripts, specs, schemas and pages in place; the
# installed pipeline, called from another folder with nothing of the checkout on PATH,
# makes the same tables as the checkout's; it writes nothing into the installed tree;
# the pages are found by man; make uninstall removes every file it installed.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/analyst/world.sh"
dest=$PWD/dest
make_() { make -s -C "$KETEN_ROOT" BIN="$KETEN_BIN" BUILD="$KETEN_BUILD" DESTDIR="$dest" PREFIX=/opt/keten "$@"; }
expect_exit 0 "make install DESTDIR=... PREFIX=/opt/keten" make_ install
p=$dest/opt/keten
for f in bin/eerste-jaar bin/eerste-jaar-refresh bin/eerste-jaar-sharded bin/keten-cohorts bin/keten-demo bin/keten-checksums bin/keten-headline bin/rec-cat \
	bin/tabulate lib/ketenmonitor/pipelines/eerste-jaar/tables.spec share/ketenmonitor/schemas/person_support-1.labels \
	share/man/man1/eerste-jaar.1 share/man/man1/rec-export.1 share/doc/ketenmonitor/codebook.html; do
	ok_if "installed: $f" test -e "$p/$f"
done
same_line "every program is installed" "$(ls "$KETEN_ROOT"/filters/*.c | wc -l)" \
	"$(cd "$KETEN_ROOT/filters" && for f in *.c; do [ -x "$p/bin/${f%.c}" ] && echo; done | wc -l)"

ok_if "the checkout's pipeline makes a report" report_folder here
find "$dest" | sort > tree.before
mkdir -p elsewhere/deeper
# from another folder, PATH without the checkout, no KETEN_BIN: only the installed tree
(cd elsewhere/deeper && env -u KETEN_BIN -u KETEN_ROOT PATH=/usr/bin:/bin "$p/bin/eerste-jaar" ../../world out \
	> ../../inst.out 2> ../../inst.err)
same_line "the installed eerste-jaar runs from another folder (exit 0)" 0 "$?"
sed 's/^/# /' inst.err | tail -3
for f in tables.csv tables.rec.gz persons.csv.gz model_coef.csv; do
	ok_if "the installed pipeline's $f equals the checkout's" cmp -s <(gzip -dcf here/$f) <(gzip -dcf elsewhere/deeper/out/$f)
done
same_line "the run wrote nothing into the installed tree" "" "$(find "$dest" | sort | diff tree.before - | head -3)"
(cd elsewhere && env -u KETEN_BIN PATH=/usr/bin:/bin "$p/bin/eerste-jaar-sharded" --version > ../sharded.version)
same_line "the installed sharded script finds its library" "sharded ketenmonitor" "$(cut -d' ' -f1,2 sharded.version)"
same_line "man finds an installed page" "$p/share/man/man1/rec-cat.1" "$(MANPATH=$p/share/man man -w rec-cat 2>&1)"

expect_exit 0 "make uninstall" make_ uninstall
same_line "make uninstall leaves no file (only the folders PREFIX had)" "" "$(find "$dest" ! -type d)"
done_testing
