#!/usr/bin/env bash
# inflate.t - the reader inflates gzip with ISA-L when built in and with zlib when REC_ZLIB=1
# (or without ISA-L): both must give the same records and the same diagnostics. The known
# answers are the text gzip(1) compressed and gzip(1)'s own view of each damaged file.
source "$KETEN_ROOT/tests/lib/tap.sh"

# the library's own unit tests again, reading through zlib
REC_ZLIB=1 "$KETEN_BUILD/tests/stream/rec_test" > zlib.tap 2>&1
rc=$?
sed 's/^ok - /ok - REC_ZLIB=1: /; s/^not ok - /not ok - REC_ZLIB=1: /' zlib.tap | grep -E '^(not )?ok - '
same_line "rec_test passes with REC_ZLIB=1" 0 "$rc"

{
	echo '#schema single/1'
	echo 'v'
	seq -f '"value %05g, with a comma"' 1 20000
} > text.csv
cat > single.schema <<'S'
schema single/1
v text opt the value
S
mkdir schemas && mv single.schema schemas/single-1.schema
export REC_SCHEMA_PATH=$PWD/schemas
gzip -1 -c text.csv > good.gz
size=$(stat -c %s good.gz)
cp good.gz crc.gz;  printf '\377' | dd of=crc.gz bs=1 seek=$((size - 8)) conv=notrunc 2>/dev/null
cp good.gz cut.gz;  truncate -s $((size - 3)) cut.gz
{ cat good.gz; printf 'xx'; } > garbage.gz
{ cat good.gz good.gz; } > two.gz

# rec-merge of one sorted file writes its records back as read: the text itself
for z in 0 1; do
	REC_ZLIB=$z REC_LEVEL=0 rec-merge --key v good.gz > good.$z.out 2> good.$z.err
	same_line "good.gz, REC_ZLIB=$z: exit 0" 0 $?
	REC_ZLIB=$z rec-check two.gz > two.$z.out 2> two.$z.err
	same_line "two.gz, REC_ZLIB=$z: exit 0" 0 $?
done
same_text "good.gz: the text gzip compressed, through ISA-L" text.csv good.0.out
same_text "good.gz: the text gzip compressed, through zlib" text.csv good.1.out
has_text "two members: two sections of 20000 records each, through ISA-L" two.0.out 'ok: 2 sections, 40000 records'
has_text "two members: two sections of 20000 records each, through zlib" two.1.out 'ok: 2 sections, 40000 records'

for f in crc cut garbage; do
	gzip -t $f.gz 2>/dev/null && echo "not ok - gzip(1) finds $f.gz whole (the damage did not take)"
	for z in 0 1; do
		REC_ZLIB=$z rec-check $f.gz > /dev/null 2> $f.$z.err
		same_line "$f.gz, REC_ZLIB=$z: exit 1" 1 $?
	done
	same_text "$f.gz: ISA-L and zlib give the same diagnostic" $f.1.err $f.0.err
done
has_text "a checksum mismatch is named" crc.0.err 'corrupt gzip stream: incorrect data check'
has_text "a cut member is named, with its line" cut.0.err 'cut.gz:[0-9]+: truncated gzip stream'
has_text "garbage after a member is named" garbage.0.err 'corrupt gzip stream: bytes after the end of a member'
done_testing
