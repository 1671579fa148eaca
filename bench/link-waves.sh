#!/usr/bin/env bash
# link-waves at 1 and 10 million applications: people per second, peak memory per person
# (/usr/bin/time %M), the bytes a person link-waves says it holds, and the gzip round trip
# (gzip -dc | gzip -1) of the same input measured in the same run.
#
# The input is ingest's sections as gzip, generated here (awk) so the benchmark does not
# depend on synth's speed: per person one granted application in the window, every 4th a
# second (refused, January) one -> 1.25 applications a person; one benefit spell each;
# a UWV handover row for WW people (half); 2 % in the sample, with waves 1/2/3 answered by
# 90/80/70 % of them. Person keys are random hex (the table's hash sees real spread).
#   bench/link-waves.sh                 the benchmark (BENCH_SIZE=small: 100 000 and 1 M)
#   bench/link-waves.sh --input N FILE  only write the input for N applications to FILE
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"

make_input() {  # applications, output file (gzip)
	local n=$1 out=$2 tmp
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/lw-gen.XXXXXX")
	awk -v napps="$n" -v dir="$tmp" '
	function d(day,   m, dd) {   # day 0 = 2006-03-01, up to 2006-12-31
		m = 3; dd = day + 1
		while (dd > ml[m]) { dd -= ml[m]; m++ }
		return sprintf("2006-%02d-%02d", m, dd)
	}
	BEGIN {
		split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " ")
		srand(7)
		np = int(napps / 1.25)
		A = dir "/a"; H = dir "/h"; S = dir "/s"; P = dir "/p"
		W1 = dir "/w1"; W2 = dir "/w2"; W3 = dir "/w3"
		print "#schema application/1" > A
		print "person_key,source_line,birth_date,sex,origin,education,application_date,benefit,phase,decision,decision_date,cwi_handover_date,office" > A
		print "#schema handover_uwv/1" > H
		print "person_key,source_line,received_date,phase_uwv" > H
		print "#schema benefit_spell/1" > S
		print "person_key,source_line,benefit,start_date,end_date,end_reason,extract_date" > S
		print "#schema sample/1" > P
		print "respondent_id,person_key,source_line,stratum,inclusion_prob" > P
		print "#schema wave1/1" > W1
		print "respondent_id,source_line,fill_date,work,looking,search_hours,applications,asked_help,obligation,health,prob_health,prob_addiction,prob_debt,prob_care,prob_housing,advice_vacancies,help_applying,help_own_business,programme,training,help_problems,contacts_work,household" > W1
		print "#schema wave2/1" > W2
		print "respondent_id,source_line,fill_date,on_benefit_now,benefit_end_month,work,looking,search_hours,applications,asked_help,obligation,health,prob_health,prob_addiction,prob_debt,prob_care,prob_housing,advice_vacancies,help_applying,help_own_business,programme,training,help_problems,contacts_work" > W2
		print "#schema wave3/1" > W3
		print "respondent_id,source_line,fill_date,on_benefit_now,benefit_end_month,work,looking,search_hours,applications,asked_help,obligation,health,prob_health,prob_addiction,prob_debt,prob_care,prob_housing,advice_vacancies,help_applying,help_own_business,programme,training,help_problems,guidance_work" > W3
		split("primary lower_secondary upper_secondary higher", edu, " ")
		split("native native native western non_western", ori, " ")
		al = 1; sl = 1; hl = 1; pl = 1; r = 0
		for (i = 1; i <= np; i++) {
			k = sprintf("%08x%08x%08x%08x", int(rand() * 4294967296), int(rand() * 4294967296), int(rand() * 4294967296), i)
			day = int(rand() * 61)
			ww = rand() < 0.5
			b = ww ? "ww" : "wwb"
			ph = 1 + int(rand() * 4)
			birth = sprintf("%d-%02d-%02d", 1945 + int(rand() * 43), 1 + int(rand() * 12), 1 + int(rand() * 28))
			sx = rand() < 0.5 ? "male" : "female"
			o = ori[1 + int(rand() * 5)]
			e = edu[1 + int(rand() * 4)]
			ho = rand() < 0.8 ? d(day + 10) : ""
			if (i % 4 == 0)
				printf "%s,%d,%s,%s,%s,%s,2006-01-10,%s,%d,refused,2006-01-20,,%04d\n", k, ++al, birth, sx, o, e, b, ph, 1 + int(rand() * 120) > A
			printf "%s,%d,%s,%s,%s,%s,%s,%s,%d,granted,%s,%s,%04d\n", k, ++al, birth, sx, o, e, d(day), b, ph, d(day + 7), ho, 1 + int(rand() * 120) > A
			len = int(rand() * 400)
			if (day + 5 + len > 305)
				printf "%s,%d,%s,%s,,,2006-12-31\n", k, ++sl, b, d(day + 5) > S
			else
				printf "%s,%d,%s,%s,%s,%s,2006-12-31\n", k, ++sl, b, d(day + 5), d(day + 5 + len), rand() < 0.6 ? "work" : "entitlement_ended" > S
			if (ww && rand() < 0.7)
				printf "%s,%d,%s,%s\n", k, ++hl, d(day + 12), rand() < 0.9 ? 1 + int(rand() * 4) : "" > H
			if (i % 50 == 0) {
				rid = sprintf("R%08d", ++r)
				printf "%s,%s,%d,%s fase %d,%.4f\n", rid, k, ++pl, b, ph, 0.0125 + rand() * 0.05 > P
				if (rand() < 0.9)
					printf "%s,%d,%s,none,1,%d,%d,1,yes,%d,0,0,1,0,0,yes,no,no,no,no,yes,%d,couple\n", rid, r + 1, d(day + 20), int(rand() * 20), int(rand() * 10), 1 + int(rand() * 5), int(rand() * 5) > W1
				if (rand() < 0.8)
					printf "%s,%d,%s,1,,partly,1,%d,%d,0,dont_know,%d,0,0,0,0,0,no,yes,no,yes,no,,%d\n", rid, r + 1, d(day + 170), int(rand() * 20), int(rand() * 10), 1 + int(rand() * 5), int(rand() * 5) > W2
				if (rand() < 0.7)
					printf "%s,%d,2007-04-02,0,9,full,0,,0,0,no,2,0,0,0,0,0,no,no,no,no,yes,,dont_know\n", rid, r + 1 > W3
			}
		}
	}'
	cat "$tmp"/a "$tmp"/h "$tmp"/s "$tmp"/p "$tmp"/w1 "$tmp"/w2 "$tmp"/w3 | gzip -1 > "$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$tmp"
}

if [ "${1:-}" = --input ]; then
	make_input "$2" "$3"
	exit 0
fi

dir=${BENCH_DIR:-/tmp/keten-bench}/link-waves; mkdir -p "$dir"
sizes="1000000 10000000"
[ "${BENCH_SIZE:-}" = small ] && sizes="100000 1000000"
t() { /usr/bin/time -f '%e %M %U %S' -o "$dir/time" "$@" >/dev/null 2>"$dir/stderr" || { echo "bench: failed: $*" >&2; cat "$dir/stderr" >&2; exit 1; }; cat "$dir/time"; }

echo "### link-waves: people per second and memory per person"
echo
echo "| applications | people | seconds | people/s | gzip -dc \| gzip -1 (s) | ratio | CPU s | CPU ratio | peak RSS | RSS bytes/person | held bytes/person (stderr) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for n in $sizes; do
	f=$dir/sections-$n.gz
	[ -s "$f" ] || make_input "$n" "$f"
	read -r t_gzip _ u s < <(t sh -c "gzip -dc '$f' | gzip -1"); c_gzip=$(awk -v u="$u" -v s="$s" "BEGIN { print u + s }")
	read -r t_lw m_lw u s < <(t sh -c "link-waves --unlinked '$dir/unlinked.gz' '$f' > '$dir/person-$n.gz'"); c_lw=$(awk -v u="$u" -v s="$s" "BEGIN { print u + s }")
	people=$(grep -o 'person/1: [0-9]* persons written' "$dir/stderr" | awk '{ print $2 }')
	held=$(sed -n 's/.*(\([0-9]*\) bytes a person).*/\1/p' "$dir/stderr")
	awk -v n="$n" -v p="$people" -v s="$t_lw" -v g="$t_gzip" -v c="$c_lw" -v cg="$c_gzip" -v m="$m_lw" -v h="$held" 'BEGIN {
		printf "| %d | %d | %.2f | %.0f | %.2f | %.2f | %.2f | %.2f | %.0f MB | %.0f | %s |\n", n, p, s, p / s, g, s / g, c, c / cg, m / 1024, m * 1024 / p, h }'
done
echo
echo "Input: ingest's sections, gzip -1, generated by this script (1.25 applications, one spell a"
echo "person; 2 % sampled). ratio = link-waves seconds / gzip round-trip seconds of the same input;"
echo "CPU = user+system seconds. link-waves must read everything before it writes, so it cannot"
echo "overlap inflating its input with deflating its output as the two gzip processes do."
echo "Extrapolation to the budget: 10 million people at the measured RSS bytes/person must stay under 24 GiB."
