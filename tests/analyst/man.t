#!/usr/bin/env bash
# The manual pages (man/*.1) cannot drift from --help: they equal what tools/man-pages
# makes from the programs' --help now; `man -l` renders each without a warning; every
# option --help names (found in the --help text here, independently of the generator) is in
# the rendered page; every program and script has its page.
. "$KETEN_ROOT/tests/lib/tap.sh"
cd "$KETEN_ROOT" || exit 1
here=$OLDPWD
python3 tools/man-pages --out "$here/gen" || echo "not ok - tools/man-pages failed"
ok_if "man/ is what tools/man-pages makes from --help now (run it and commit man/)" diff -r man "$here/gen"
# every program (filters/NAME.c) and script has a page
want=$( { ls filters/*.c | sed 's#filters/\(.*\)\.c#\1#'; printf '%s\n' eerste-jaar eerste-jaar-refresh eerste-jaar-sharded keten-cohorts keten-demo keten-checksums keten-headline classify-support.py; } | sort)
same_line "one page per program and script" "$(echo $want)" "$(ls man | sed 's/\.1$//' | sort | tr '\n' ' ' | sed 's/ $//')"
help_of() {   # help_of PAGE: the --help text of the program or script the page is for
	case $1 in
	eerste-jaar) pipelines/eerste-jaar/run --help ;;
	eerste-jaar-refresh) pipelines/refresh --help ;;
	eerste-jaar-sharded) pipelines/sharded --help ;;
	keten-demo) pipelines/demo --help ;;
	keten-cohorts) pipelines/cohorts/run --help ;;
	keten-checksums) pipelines/checksums --help ;;
	keten-headline) pipelines/headline --help ;;
	classify-support.py) python3 pipelines/swap/classify-support.py --help ;;
	*) "$KETEN_BIN/$1" --help ;;
	esac
}
for page in man/*.1; do
	name=$(basename "$page" .1)
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" > "$here/$name.txt" 2> "$here/$name.warn"
	ok_if "$name: man -l renders it, no warning" test $? -eq 0 -a -s "$here/$name.txt" -a ! -s "$here/$name.warn"
	help_of "$name" > "$here/$name.help"
	# options: --word and -x as --help writes them; the page's text without white space
	# (a long line may break anywhere between words)
	missing=$(grep -oE '(^|[^[:alnum:]-])--?[[:alpha:]][[:alnum:]-]*' "$here/$name.help" | sed 's/^[^-]*//' | sort -u |
		while read -r opt; do tr -d ' \n\t' < "$here/$name.txt" | grep -qF -- "$opt" || echo "$opt"; done | tr '\n' ' ')
	same_line "$name: every option of --help is in the page" "" "$missing"
done
done_testing
