#!/usr/bin/env bash
# tests/run itself: a test passes only when it prints its plan and runs exactly the checks
# it planned, so a script that stops early with exit 0 fails (issue 16). The runner is run
# on a small tree of made-up tests, each with a known verdict.
. "$KETEN_ROOT/tests/lib/tap.sh"
mkdir -p tree/tests/x tree/tests/lib build
cp "$KETEN_ROOT/tests/run" tree/tests/run
cp "$KETEN_ROOT/tests/lib/tap.sh" tree/tests/lib/tap.sh
t() { printf '#!/usr/bin/env bash\n%s\n' "$2" > "tree/tests/x/$1.t"; chmod +x "tree/tests/x/$1.t"; }
t complete '. "$KETEN_ROOT/tests/lib/tap.sh"
ok_if "one" true
ok_if "two" true
done_testing'
t stops-early '. "$KETEN_ROOT/tests/lib/tap.sh"
ok_if "one" true
exit 0
ok_if "two" true
done_testing'
t short-of-plan 'echo 1..3; echo "ok - one"; echo "ok - two"'
t plan-first 'echo 1..2; echo "ok - one"; echo "ok - two"'
t python-checks '. "$KETEN_ROOT/tests/lib/tap.sh"
python3 -c "print(\"ok - from python\"); print(\"ok - again\")"
done_testing'
t fails '. "$KETEN_ROOT/tests/lib/tap.sh"
ok_if "false" false
done_testing'
verdict() { KETEN_BUILD=$PWD/build tree/tests/run "x/$1" | head -1 | cut -d' ' -f1-2; }
same_line "a test that reaches done_testing passes" "PASS x/complete.t" "$(verdict complete)"
same_line "a test that exits 0 before its end fails" "FAIL x/stops-early.t" "$(verdict stops-early)"
has_text "... saying it printed no plan" <(KETEN_BUILD=$PWD/build tree/tests/run x/stops-early) 'printed no plan'
same_line "a test that runs fewer checks than it planned fails" "FAIL x/short-of-plan.t" "$(verdict short-of-plan)"
has_text "... saying how many of how many" <(KETEN_BUILD=$PWD/build tree/tests/run x/short-of-plan) 'ran 2 checks of the 3 it planned'
same_line "a plan printed first is taken" "PASS x/plan-first.t" "$(verdict plan-first)"
same_line "checks printed by a program the script runs are counted" "PASS x/python-checks.t" "$(verdict python-checks)"
same_line "a failing check fails the test" "FAIL x/fails.t" "$(verdict fails)"
same_line "the last line counts the checks of both, and one failure each" "3 passed, 2 failed" "$(KETEN_BUILD=$PWD/build tree/tests/run x/s | tail -1)"
done_testing
