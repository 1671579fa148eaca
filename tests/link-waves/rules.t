#!/usr/bin/env bash
# link-waves on hand-made sections (data/*.csv), one case per rule; the expected output was
# worked out by hand (data/expected-*.csv), the reasoning is here.
#
# Persons (keys 111..1 to 555..5; K1 is 32 ones, and so on):
# K1  index application choice. Eight applications (file order differs from line order):
#       line 2 2006-04-15 granted ww   - in the window, but later than line 5
#       line 3 2006-01-05 refused      - refused before the index           -> counted
#       line 4 2006-03-20 refused      - same day as the index, lower line  -> counted
#       line 5 2006-03-20 granted ww   - THE INDEX: earliest granted in 2006-03-01..04-30
#       line 6 2006-03-20 granted wwb  - same day, higher line: the tie goes to line 5
#       line 7 2006-04-30 refused      - after the index                    -> not counted
#       line 8 2006-02-28 granted ww   - before the window
#       line 9 2006-03-20 refused      - same day, higher line              -> not counted
#     so n_applications 8, n_refused_before 2, and every column from line 5 (origin
#     western, education missing, phase 2, office 0202, handover 2006-03-30).
#     Spells: ww 03-01..03-15 (starts before the application), wwb 03-25 running (other
#     benefit), ww 04-01..10-15 work (THE INDEX SPELL: earliest ww on or after 03-20), ww
#     2007-01-01 running (later). UWV rows 04-10 phase 2 and 04-05 phase 3: uwv_rows 2,
#     the earliest is 04-05 with phase 3. Sample R001 (line 2, p 0.25 -> weight 4, stratum
#     with a non-ASCII letter); a second sample row R006 (line 7) for K1 is a duplicate
#     person, and R006's wave-3 row goes with it. Waves: w1 line 2, w2 line 5 (a second
#     R001 row at line 9 comes first in the file and is the duplicate), w3 line 2.
# K2  one granted wwb on 2006-04-30 (the window's last day counts); its row appears twice
#     (line 10): the second is duplicate_key and n_applications stays 1. No spell, no UWV
#     row; a sample row R001 (line 8) loses to K1's R001 (line 2): K2 is not in the sample.
# K3  applications refused (03-05), granted outside the window (05-01), pending (04-01):
#     no index application: all its rows (3 applications, spell, UWV row, sample row R003,
#     R003's wave-1 row) are unlinked as no_index_application.
# K4  no application at all: spell_without_application, handover_without_application,
#     sample_without_application for its sample row R004 and R004's wave-2 row.
# K5  granted ww on 2006-03-01 (the window's first day counts). Spells (ww):
#       30 03-05..06-30   kept, THE INDEX SPELL
#       31 06-30..12-31   overlaps 30 by one day (end days count)   -> overlapping_spells
#       32 07-01..08-31   overlaps only 31, which is gone: kept (other)
#       33 09-15 running  kept (other); a running spell is open-ended
#       34 2007-02-01..   overlaps the running 33                     -> overlapping_spells
#     Its UWV row appears twice with line 30 (received 03-10 without phase, 03-09 phase 4):
#     the smaller content is kept whatever the order -> 2006-03-09, phase 4.
# R999 answers wave 1 but is not in the sample: wave_not_in_sample.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/link-waves/lib.sh"
mkinput > in.csv

expect_exit 0 "runs on the hand-made sections" link-waves --unlinked unl.csv in.csv
mv out person.csv; mv err stderr.txt
same_line "one person/1 section" "#schema person/1" "$(head -1 person.csv)"
fixed_cols person.csv > got.csv
same_text "person/1: index application, spell, UWV, sample columns as worked out by hand" \
	"$D/expected-person.csv" got.csv
same_text "unlinked/1: every unused row with its reason, sorted by section and line" \
	"$D/expected-unlinked.csv" unl.csv
counts stderr.txt > got.txt
same_text "stderr: per section read = index/linked + other + unlinked, per reason" \
	"$D/expected-stderr.txt" got.txt
has_text "stderr: memory held, in bytes a person" stderr.txt \
	'^link-waves: memory: [0-9]+ bytes held for 5 person keys \([0-9]+ bytes a person\)$'
ok_if "output is a valid person/1 stream (rec-check)" rec-check -q person.csv
ok_if "unlinked is a valid unlinked/1 stream (rec-check)" rec-check -q unl.csv

# Wave columns: K1's wK_NAME equal the NAME column of the kept row (w1 line 2, w2 line 5,
# w3 line 2), read straight from the input files; K2 and K5 have every wave column empty.
python3 - "$D" person.csv > got.txt <<'PY' || echo "not ok - wave columns: the Python check stopped before its end"
import csv, sys
d, out = sys.argv[1], sys.argv[2]
def rows(f):
    return list(csv.DictReader(l for l in open(f, encoding="utf-8") if not l.startswith("#")))
kept = {1: ("w1.csv", "2"), 2: ("w2.csv", "5"), 3: ("w3.csv", "2")}
people = {r["person_key"][0]: r for r in rows(out)}
bad = []
for k, (f, line) in kept.items():
    src = [r for r in rows(d + "/" + f) if r["respondent_id"] == "R001" and r["source_line"] == line][0]
    for name, v in src.items():
        if name in ("respondent_id", "source_line"): continue
        col = "w%d_%s" % (k, name)
        if people["1"][col] != v: bad.append("K1 %s: %r != %r" % (col, people["1"][col], v))
        for p in "25":
            if people[p][col] != "": bad.append("K%s %s not empty" % (p, col))
print("\n".join(bad) or "same")
PY
same_line "wave columns: K1's copied from the kept rows, others empty" same "$(cat got.txt)"

# Without --unlinked the rows are still counted on stderr, and person/1 is the same.
link-waves in.csv > p2.csv 2> e2.txt
same_text "without --unlinked: the same person/1" person.csv p2.csv
counts e2.txt > got.txt
same_text "without --unlinked: the same counts on stderr" "$D/expected-stderr.txt" got.txt

# The window is an option. --window-start 2006-02-01: K1's index becomes line 8 (granted
# ww 2006-02-28), and only line 3 (2006-01-05) was refused before it; K3 still has none.
link-waves --window-start 2006-02-01 in.csv 2>/dev/null > p3.csv
fixed_cols p3.csv 4 | grep '^1' > got.txt
same_line "--window-start 2006-02-01: K1's index is line 8, one refusal before" \
	"11111111111111111111111111111111,8,1,8" "$(cat got.txt)"
# --window-end 2006-05-31: K3's granted 2006-05-01 (line 21) becomes its index, the refusal
# of 03-05 (line 20) came before it; its spell 03-10 starts before 05-01: no index spell.
link-waves --window-end 2006-05-31 --unlinked u3.csv in.csv 2>/dev/null > p3.csv
fixed_cols p3.csv 18 | grep '^3' > got.txt
same_line "--window-end 2006-05-31: K3 enters with line 21, one refusal before, no spell" \
	"33333333333333333333333333333333,3,1,21,1960-01-01,female,native,lower_secondary,2006-05-01,ww,1,2006-05-03,,0101,,,," \
	"$(cat got.txt)"
same_line "... and its rows are no longer unlinked" 0 "$(grep -c ',3333' u3.csv)"

# gzip input, several members and several files; '-' is stdin.
mkinput app ho spell | gzip -c > a.gz
mkinput sample w1 | gzip -c > b.gz
mkinput w2 w3 | gzip -c > c.gz
cat a.gz b.gz > ab.gz
link-waves --unlinked u4.gz ab.gz - < c.gz 2>/dev/null > p4.csv
same_text "gzip members, two files and stdin: the same person/1" person.csv p4.csv
zcat_any u4.gz > u4.csv
same_text "... and the same unlinked rows" unl.csv u4.csv

# Sections without rows are fine (a shard may get none): a header-only person/1.
for s in $SECTIONS; do head -2 "$D/$s.csv"; done > empty.csv
expect_exit 0 "sections without rows are fine" link-waves empty.csv
same_line "... and give a header-only person/1" 2 "$(wc -l < out)"

# determinism
link-waves --unlinked unl2.csv in.csv 2>/dev/null > again.csv
same_text "same input -> byte-identical output" person.csv again.csv

# --unlinked FILE.gz is gzip even at REC_LEVEL=0 (lib.sh sets it), the pipeline's case:
# the same rows, and the stdout stream stays plain
link-waves --unlinked unl3.rec.gz in.csv 2>/dev/null > plain3.csv
same_line "--unlinked x.gz at REC_LEVEL=0: gzip (magic 1f 8b)" "1f8b" "$(od -An -N2 -tx1 unl3.rec.gz | tr -d ' ')"
same_text "... holding the same unlinked/1 rows" unl.csv <(gzip -dc unl3.rec.gz)
same_text "... while stdout stays plain text" person.csv plain3.csv
done_testing
