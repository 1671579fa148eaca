#!/usr/bin/env bash
# tests/run itself: a test passes only when it prints its plan and runs exactly the checks
# it planned, so a script that stops early with exit 0 fails (issue 16). The runner is run
# on a small tree of made-up tests, each with a known verdict.
. "$KETEN_ROOT/tests/lib/tap.sh"
mkdir -p tree/tests/x tree/tests/lib build
cp "$KETEN_ROOT/tests/run" tree/tests/run
cp "$KETEN_ROOT/tests/lib/tap.sh" tree/tests/lib/tap.sh
mkdir -p tree/pipelines && cp "$KETEN_ROOT/pipelines/lib.sh" tree/pipelines/lib.sh
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
t leaves-a-writer 'echo 1..1; (sleep 1; echo "ok - from a process that outlives the test") & exit 0'
# a waits (10 s at most) for b to start: it passes only when the two run at the same time
t order-a-waits "for i in \$(seq 100); do [ -e '$PWD/b-started' ] && break; sleep 0.1; done
[ -e '$PWD/b-started' ] && echo 'ok - b started while a ran' || echo 'not ok - b did not start while a ran'
echo 1..1"
t order-b-starts "touch '$PWD/b-started'; echo 'ok - b'; echo 1..1"
# it starts a process that would write s-orphan 2 s later and one that ignores SIGTERM
# (its pid in s-stubborn), says it started, and runs for 4 s
t long-running "(sleep 2; touch '$PWD/s-orphan') &
(trap '' TERM; sleep 60 & echo \$! > '$PWD/s-stubborn'; wait) &
for i in \$(seq 100); do [ -s '$PWD/s-stubborn' ] && break; sleep 0.1; done
touch '$PWD/s-started'; sleep 4; echo 'ok - s'; echo 1..1"
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
# tap.sh's counting awk is such a writer: its last lines can come after the script's exit
same_line "a check printed after the test's exit, by a process it left, is counted" "PASS x/leaves-a-writer.t" \
	"$(verdict leaves-a-writer)"
KETEN_JOBS=2 KETEN_BUILD=$PWD/build tree/tests/run x/order- > order.out
same_line "two at a time (KETEN_JOBS=2): both pass, b having started while a ran" "2 passed, 0 failed" "$(tail -n 1 order.out)"
same_line "... reported in the tests' order, a (which ended last) first" "x/order-a-waits.t x/order-b-starts.t" \
	"$(grep '^PASS' order.out | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"
expect_exit 2 "KETEN_JOBS that is not a number: exit 2" env KETEN_JOBS=two KETEN_BUILD=$PWD/build tree/tests/run x/order-
# the runner stopped by a signal while a test runs: the test and what it started stop too
mkdir stop-tmp
KETEN_BUILD=$PWD/build TMPDIR=$PWD/stop-tmp tree/tests/run x/long-running > stopped.out 2>&1 &
runner=$!
for i in $(seq 100); do [ -e s-started ] && break; sleep 0.1; done
kill -TERM "$runner"; wait "$runner"; stopped_rc=$?
same_line "a runner stopped by TERM while a test runs dies of TERM (status 143)" 143 "$stopped_rc"
sleep 3
ok_if "... the test's own processes were stopped with it (no s-orphan 3 s later)" test ! -e s-orphan
same_line "... and its folder is gone" "" "$(ls stop-tmp)"
alive() { local st; st=$(ps -o stat= -p "$1") && [[ $st != Z* ]]; }
ok_if "... a process of the test that ignores TERM was killed too" eval '[ -s s-stubborn ] && ! alive "$(cat s-stubborn)"'
done_testing
