#!/usr/bin/env bash
# checksums.t - pipelines/checksums writes what `sha256sum` writes (the known answer),
# names relative to the folder and sorted, with openssl and without it.
source "$KETEN_ROOT/tests/lib/tap.sh"
mkdir raw
printf 'a;b\r\n1;2\r\n' > raw/b.csv
printf 'x\n' > raw/a.csv
printf '' > raw/empty.csv
printf 'spaces\n' > "raw/with space.csv"
(cd raw && sha256sum b.csv a.csv empty.csv "with space.csv" | sort -k2) > want
# names are given as DIR/NAME; the lines name NAME only
"$KETEN_ROOT/pipelines/checksums" raw raw/b.csv raw/a.csv raw/empty.csv "raw/with space.csv" > got 2>err
same_text "with openssl (when installed): sha256sum's lines, sorted by name" want got
# a PATH without openssl: only the tools the script needs
mkdir tools
for t in bash sha256sum sed sort env readlink dirname; do ln -s "$(command -v $t)" tools/$t; done
PATH=$PWD/tools "$KETEN_ROOT/pipelines/checksums" raw raw/b.csv raw/a.csv raw/empty.csv "raw/with space.csv" > got2 2>err2
same_text "without openssl: the same lines from sha256sum" want got2
expect_exit 2 "no files: usage error" "$KETEN_ROOT/pipelines/checksums" raw
done_testing
