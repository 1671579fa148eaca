#!/usr/bin/env bash
# tabulate --csv F --md F --html F: the three renderings of one pass equal the three
# separate --format runs, and a file that cannot be written is an error.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
export REC_LEVEL=0
E2E_PERSONS=3000 E2E_SAMPLE=800 make_world world
ingest --key-file world/pseudonym.key world/cwi_aanvragen.csv world/uwv_overdracht.csv world/uitkeringen.csv \
	world/steekproef.csv world/golf1.csv world/golf2.csv world/golf3.csv 2>/dev/null | link-waves 2>/dev/null |
	derive-status | classify-support | fit-models "$KETEN_ROOT/pipelines/eerste-jaar/models.spec" > stream 2>/dev/null
spec=$KETEN_ROOT/pipelines/eerste-jaar/tables.spec
expect_exit 0 "one pass writes all three" tabulate --csv t.csv --md t.md --html t.html --lang en "$spec" stream
tabulate --format csv --lang en "$spec" stream > s.csv 2>/dev/null
tabulate --format md --lang en "$spec" stream > s.md 2>/dev/null
tabulate --format html --lang en "$spec" stream > s.html 2>/dev/null
same_text "--csv equals --format csv" s.csv t.csv
same_text "--md equals --format md" s.md t.md
same_text "--html equals --format html" s.html t.html
same_line "nothing goes to stdout" "" "$(cat out)"
expect_exit 1 "an unwritable --md is an error" tabulate --md /nonexistent/x.md "$spec" stream
has_text "naming the file" err '^tabulate: /nonexistent/x.md: cannot write'
done_testing
