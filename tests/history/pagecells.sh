# pagecells.sh - sourced by the history tests: the records of a change/1 CSV that the pages'
# section "Sinds het vorige rapport" counts. The pipeline publishes each survey cell
# weighted and unweighted (run --weights both; change/1's last column, weighted, tells the
# twins apart) and the pages show the weighted figures: an unweighted record whose key has
# a weighted twin is in changes.csv and the run's summary line, not on the page.
# page_cells CHANGES.csv: its header and the records the page counts, on stdout.
page_cells() {
	awk -F, 'NR == FNR { if (FNR > 1 && $24 == "1") w[$1 FS $2 FS $3 FS $4 FS $5 FS $6] = 1; next }
		!($24 == "0" && (($1 FS $2 FS $3 FS $4 FS $5 FS $6) in w))' "$1" "$1"
}
