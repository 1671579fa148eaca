#!/usr/bin/env bash
# make-data.sh - write the hand-made raw files of ingest's tests (run from anywhere; the
# files are committed, this script says how they were made). R1-R4 as the registries
# deliver them: Windows-1252, CRLF. R5-R7 as the research bureau does: UTF-8, LF, golf2
# with a BOM. Valid BSNs used (11-check worked by hand):
#   291417772  9*2+8*9+7*1+6*4+5*1+4*7+3*7+2*7 - 2 = 187 = 17*11
#   631706690  9*6+8*3+7*1+6*7+5*0+4*6+3*6+2*9 - 0 = 187
#   074391501  9*0+8*7+7*4+6*3+5*9+4*1+3*5+2*0 - 1 = 165 = 15*11 (delivered as 74391501 in R1/R4)
#   837783537  9*8+8*3+7*7+6*7+5*8+4*3+3*5+2*3 - 7 = 253 = 23*11
set -eu
cd "$(dirname "$0")"
crlf() { printf '%s\r\n' "$@"; }

printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f > test.key
printf '%s\n' ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100 > other.key

crlf 'bsn;geboortedatum;geslacht;herkomst;opleiding;aanvraagdatum;uitkering;fase;beslissing;beslisdatum;overdracht_datum;vestiging' \
     '291417772;15-06-1970;M;A;3;01-03-2006;WW;2;T;15-03-2006;20-03-2006;0363' \
     '74391501;29-02-1984;V;N;9;13-03-2006;WWB;4;;;;0518' \
     '631706690;31-12-1985;V;W;1;28-04-2006;WW;1;A;10-05-2006;;1234' \
     '837783537;01-01-1950;M;A;;03-04-2006;WW;3;T;03-04-2006;;0363' > cwi_aanvragen.csv

crlf 'bsn;ontvangstdatum;fase_uwv' \
     '291417772;22-03-2006;2' \
     '837783537;10-04-2006;' > uwv_overdracht.csv

crlf 'bsn;uitkering;ingangsdatum;einddatum;einde_reden;peildatum' \
     '291417772;WW;01-03-2006;31-08-2006;1;01-07-2007' \
     '074391501;WWB;13-03-2006;;;01-07-2007' \
     '837783537;WW;03-04-2006;02-04-2007;2;01-07-2007' > uitkeringen.csv

# "Frysl\342n" is Frysl U+00E2 n; \222 is U+2019 (right single quote) in Windows-1252.
{ crlf 'respnr;bsn;stratum;trekkingskans'
  printf '100001;291417772;WW Frysl\342n;0,0125\r\n'
  printf '100002;74391501;"WWB \222s-Hertogenbosch";0,25\r\n'
  crlf '100003;837783537;WW overig;1'; } > steekproef.csv

# The same sample delivered as UTF-8 with a BOM (DOMAIN.md: then it is read as UTF-8).
{ printf '\357\273\277'
  crlf 'respnr;bsn;stratum;trekkingskans'
  printf '100001;291417772;WW Frysl\303\242n;0,0125\r\n'
  printf '100002;74391501;"WWB \342\200\231s-Hertogenbosch";0,25\r\n'
  crlf '100003;837783537;WW overig;1'; } > steekproef-bom.csv

printf '%s\n' 'respnr;invuldatum;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;contacten_werk;huishouden' \
     '100001;20-03-2006;1;1;12;5;1;1;2;2;2;2;2;2;1;2;2;2;2;;3;2' \
     '100002;;3;2;;0;2;8;4;1;2;2;2;2;8;9;2;2;1;1;0;4' \
     '100003;25-03-2006;9;8;99;999;9;9;9;9;9;9;9;9;9;9;9;9;9;9;98;9' > golf1.csv

{ printf '\357\273\277'
  printf '%s\n' 'respnr;invuldatum;uitkering_nu;einde_maand;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;contacten_werk' \
     '100001;15-09-2006;2;5;3;2;;0;2;2;1;2;2;2;2;2;2;2;2;2;2;;0' \
     '100002;20-09-2006;1;;1;1;07;12;1;1;5;1;1;1;1;1;1;1;1;1;1;2;97' \
     '100003;22-09-2006;1;98;2;1;98;998;1;1;3;2;2;2;2;2;1;2;2;2;2;;12'; } > golf2.csv

printf '%s\n' 'respnr;invuldatum;uitkering_nu;einde_maand;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;begeleiding_werk' \
     '100001;15-03-2007;2;12;3;2;;0;2;2;1;2;2;2;2;2;;;;;;;' \
     '100002;20-03-2007;1;;1;1;10;3;1;1;4;2;2;1;2;2;1;2;2;1;2;8;8' > golf3.csv
