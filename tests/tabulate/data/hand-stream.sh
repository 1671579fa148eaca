# tests/tabulate/data/hand-stream.sh - source it: hand_stream writes hand.t's hand-made
# stream (person_support/1, model_fit/1, model_coef/1 of data/hand-*.csv) to stdout.
hand_stream() {
	local d=$KETEN_ROOT/tests/tabulate/data
	python3 "$d/mksection.py" "$d/hand-people.csv"
	python3 "$d/mksection.py" model_fit/1 "$d/hand-fit.csv"
	python3 "$d/mksection.py" model_coef/1 "$d/hand-coef.csv"
}
