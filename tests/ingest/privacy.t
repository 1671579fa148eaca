#!/usr/bin/env bash
# No BSN leaves ingest: every BSN value of the input (the bsn column of every row, good or
# bad, also with a lost leading 0 restored) is searched for in the decompressed output and
# reject stream. The list is made by python3 from the raw files, not by ingest.
source "$KETEN_ROOT/tests/lib/tap.sh"
data=$KETEN_ROOT/tests/ingest/data
cp "$data/test.key" key && chmod 600 key
for f in cwi_aanvragen uwv_overdracht uitkeringen steekproef golf1 golf2 golf3; do cp "$data/$f.csv" .; done
# Bad rows that still carry a BSN: a failed 11-check, a wrong field count, a stray quote, a
# bad date, a bad encoding; and a good 8-digit BSN (its 9-digit form is searched too).
{ cat cwi_aanvragen.csv
  printf '%s\r\n' '631706691;31-12-1985;V;W;1;28-04-2006;WW;1;A;10-05-2006;;1234' \
                  '366258515;31-12-1985;V;W;1;28-04-2006;WW;1;A;10-05-2006;1234' \
                  '415868348;31-12-1985;"V;W;1;28-04-2006;WW;1;A;10-05-2006;;1234' \
                  '781286578;31-02-1985;V;W;1;28-04-2006;WW;1;A;10-05-2006;;1234' \
                  '70499962;31-12-1985;V;W;1;28-04-2006;WW;1;A;10-05-2006;;1234'
  printf '228303886;31-12-1985;V;\201;1;28-04-2006;WW;1;A;10-05-2006;;1234\r\n'
} > r1.csv
{ cat steekproef.csv; printf '%s\r\n' '100004;368595742;;0,5' '100005;368595742;WW;x;0,5' '100001;631706690;WW overig;0,5'; } > r4.csv
files="r1.csv uwv_overdracht.csv uitkeringen.csv r4.csv golf1.csv golf2.csv golf3.csv"
# shellcheck disable=SC2086
expect_exit 0 "ingest with rejects: exit 0" ingest --key-file key --rejects rej.gz --max-reject-rate 1 $files
python3 - $files > bsns <<'PY' || echo "not ok - the input's BSNs: the Python that lists them stopped before its end"
import sys
seen = set()
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        lines = f.read().split(b'\n')
    head = lines[0].strip(b'\r\xef\xbb\xbf').split(b';')
    if b'bsn' not in head:
        continue
    col = head.index(b'bsn')
    for line in lines[1:]:
        parts = line.rstrip(b'\r').split(b';')
        if len(parts) > col:
            v = parts[col].decode('latin-1').strip('"')
            if len(v) >= 7:
                seen.add(v)
                if len(v) == 8:
                    seen.add('0' + v)
for v in sorted(seen):
    print(v)
PY
same_line "the input holds 13 distinct BSN values (8-digit ones twice)" 13 "$(wc -l < bsns)"
zcat_any out > out.txt
zcat_any rej.gz > rej.txt
same_line "rows were rejected (8), so the reject stream is tested too" 8 "$(tail -n +3 rej.txt | wc -l)"
same_line "no input BSN in the output" 0 "$(grep -c -F -f bsns out.txt)"
same_line "no input BSN in the reject stream" 0 "$(grep -c -F -f bsns rej.txt)"
same_line "no run of 8+ digits in the reject stream" 0 "$(grep -c -E '[0-9]{8}' rej.txt)"
# shellcheck disable=SC2086
expect_exit 0 "--keep-bsn: exit 0" ingest --key-file key --rejects rej2.gz --keep-bsn --max-reject-rate 1 $files
zcat_any out > out2.txt
same_line "--keep-bsn: still no BSN in the output" 0 "$(grep -c -F -f bsns out2.txt)"
same_line "--keep-bsn: the reject stream keeps them (in all 8 rows)" 8 "$(zcat_any rej2.gz | grep -c -F -f bsns)"

# BSNs written with separators, in every field of every raw kind. For each kind, for each
# of its columns, for each way of writing a BSN (dots, spaces, dashes, 4-2-3, 8 digits with
# dots, plain), a row of that kind with the BSN in that column and one other field broken,
# so that every row is rejected and lands in the reject stream. python3 makes the rows and
# the BSNs (11-check written out from DOMAIN.md) and searches the reject stream afterwards,
# with the separators taken out, for the digits of every BSN it planted.
mkdir -p sep
python3 - sep > sep/planted <<'PY' || echo "not ok - separators: the Python that plants the BSNs stopped before its end"
import os, sys
out = sys.argv[1]
def valid(d):
    d = d.rjust(9, '0')
    s = sum(int(c) * w for c, w in zip(d, [9, 8, 7, 6, 5, 4, 3, 2, -1]))
    return s % 11 == 0 and int(d) != 0
bsns = [n for n in (str(x) for x in range(874942000, 874943000)) if valid(n)][:40]
assert len(bsns) == 40 and all(valid(b) for b in bsns)
def styles(b):
    return [b[0:3] + '.' + b[3:6] + '.' + b[6:9], b[0:3] + ' ' + b[3:6] + ' ' + b[6:9],
            b[0:3] + '-' + b[3:6] + '-' + b[6:9], b[0:4] + '.' + b[4:6] + '.' + b[6:9], b]
eight = [n for n in (str(x) for x in range(74391000, 74392000)) if valid(n)][:5]
kinds = {  # file: (header, a good row, the field to break, another when that one holds the BSN, bad value)
  'cwi_aanvragen': ('bsn;geboortedatum;geslacht;herkomst;opleiding;aanvraagdatum;uitkering;fase;beslissing;beslisdatum;overdracht_datum;vestiging',
                    '291417772;15-06-1970;M;A;3;01-03-2006;WW;2;T;15-03-2006;20-03-2006;0363', 'aanvraagdatum', 'geboortedatum', '31-02-2006', '\r\n', 'cp1252'),
  'uwv_overdracht': ('bsn;ontvangstdatum;fase_uwv', '291417772;22-03-2006;2', 'ontvangstdatum', 'fase_uwv', '7', '\r\n', 'cp1252'),
  'uitkeringen': ('bsn;uitkering;ingangsdatum;einddatum;einde_reden;peildatum', '291417772;WW;01-03-2006;31-08-2006;1;01-07-2007',
                  'ingangsdatum', 'peildatum', '31-02-2006', '\r\n', 'cp1252'),
  'steekproef': ('respnr;bsn;stratum;trekkingskans', '100001;291417772;WW Noord;0,0125', 'trekkingskans', 'stratum', '', '\r\n', 'cp1252'),
  'golf1': ('respnr;invuldatum;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;contacten_werk;huishouden',
            '100001;20-03-2006;1;1;12;5;1;1;2;2;2;2;2;2;1;2;2;2;2;;3;2', 'invuldatum', 'werk', '7', '\n', 'utf-8'),
  'golf2': ('respnr;invuldatum;uitkering_nu;einde_maand;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;contacten_werk',
            '100001;15-09-2006;2;5;3;2;;0;2;2;1;2;2;2;2;2;2;2;2;2;2;;0', 'invuldatum', 'werk', '7', '\n', 'utf-8'),
  'golf3': ('respnr;invuldatum;uitkering_nu;einde_maand;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;begeleiding_werk',
            '100001;15-03-2007;2;12;3;2;;0;2;2;1;2;2;2;2;2;;;;;;;', 'invuldatum', 'werk', '7', '\n', 'utf-8'),
}
i = 0
for kind, (head, good, brk, brk2, bad, eol, enc) in kinds.items():
    cols = head.split(';')
    rows = []
    for c in range(len(cols)):
        forms = styles(bsns[i % len(bsns)]) + [eight[i % len(eight)][0:2] + '.' + eight[i % len(eight)][2:5] + '.' + eight[i % len(eight)][5:8]]
        i += 1
        for form in forms:
            f = good.split(';')
            f[c] = form
            f[cols.index(brk2 if cols[c] == brk else brk)] = bad
            rows.append(';'.join(f))
            print(''.join(ch for ch in form if ch.isdigit()))
    with open(os.path.join(out, kind + '.csv'), 'w', encoding=enc, newline='') as fp:
        fp.write(head + eol + ''.join(r + eol for r in rows))
PY
nplanted=$(wc -l < sep/planted)
same_line "separators: 93 columns x 6 ways = 558 planted BSNs" 558 "$nplanted"
expect_exit 0 "separators: ingest rejects every planted row" ingest --key-file key --rejects sep/rej.gz --max-reject-rate 1 \
	sep/cwi_aanvragen.csv sep/uwv_overdracht.csv sep/uitkeringen.csv sep/steekproef.csv sep/golf1.csv sep/golf2.csv sep/golf3.csv
zcat_any sep/rej.gz > sep/rej.txt
same_line "separators: every row is in the reject stream" 558 "$(tail -n +3 sep/rej.txt | wc -l)"
python3 - sep/planted sep/rej.txt > sep/found <<'PY' || echo "not ok - separators: the Python search of the reject stream stopped before its end"
import re, sys
planted = set(open(sys.argv[1]).read().split())
for line in open(sys.argv[2], encoding='utf-8'):
    digits = re.sub(r'[.\- ]', '', line)
    for b in planted:
        if b in digits or (len(b) == 8 and '0' + b in digits):
            print(b, line.strip()[:120])
PY
same_line "separators: no planted BSN in the reject stream, separators taken out" 0 "$(wc -l < sep/found)"
head -3 sep/found | sed 's/^/#   /'
same_line "separators: dates stay readable in the reject rows (31-02-2006 is there)" 1 \
	"$(grep -c -m1 '31-02-2006' sep/rej.txt)"
# a file given as steekproef whose first line is data: the header message names its first
# column, here a BSN written with spaces; the message must not show it
printf '305 720 028;100001;WW Noord;0,0125\r\n' > sep/headless.csv
expect_exit 1 "a headerless file: refused" ingest --key-file key --kind steekproef sep/headless.csv
ok_if "a headerless file: the message masks the BSN written with spaces" sh -c '! grep -q "305 720 028" err && grep -q "\*\*\*\*\*\*\*\*\*\*\*" err'
done_testing
