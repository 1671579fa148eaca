# tests/lib/tap.sh - helpers for shell tests (source it). Each helper prints one TAP line.
# Tests run in their own empty working folder ($PWD) with $KETEN_BIN first on PATH.
#
# The plan: a test ends with `done_testing`, which prints the closing plan "1..N", N the
# check lines the script printed (its own, its helpers', or a program's it ran, such as a
# python check). A script that stops before its end prints no plan, and tests/run fails
# it. A script may print its plan first instead ("1..N" as its first line).
#
#   done_testing                                        the closing plan (last line of a test)
#   ok_if "description" COMMAND...       ok when COMMAND succeeds
#   expect_exit CODE "description" COMMAND...   runs COMMAND (stdout > out, stderr > err) and checks its exit code
#   same_text "description" EXPECTED_FILE ACTUAL_FILE   byte-equal, else prints a diff
#   same_line "description" EXPECTED ACTUAL             string equality
#   golden "description" EXPECTED_FILE ACTUAL_FILE      like same_text; KETEN_ACCEPT=1 overwrites EXPECTED
#                                                       (review the diff before committing it)
#   has_text "description" FILE PATTERN                 grep -E finds PATTERN in FILE
#   zcat_any FILE                                       decompress a stream (gzip or plain) to stdout

ok_if() {
	local d=$1; shift
	if "$@"; then echo "ok - $d"; else echo "not ok - $d"; fi
}
expect_exit() {
	local want=$1 d=$2 rc; shift 2
	"$@" >out 2>err; rc=$?
	if [ "$rc" -eq "$want" ]; then echo "ok - $d"
	else echo "not ok - $d: exit $rc, wanted $want"; sed 's/^/#   stderr: /' err | head -5; fi
}
same_text() {
	local d=$1 want=$2 got=$3
	if cmp -s "$want" "$got"; then echo "ok - $d"
	else echo "not ok - $d"; diff -u "$want" "$got" | head -40 | sed 's/^/#   /'; fi
}
golden() {
	local d=$1 want=$2 got=$3
	if [ "${KETEN_ACCEPT:-0}" = 1 ] && ! cmp -s "$want" "$got"; then
		cp "$got" "$want"; echo "ok - $d (accepted new output)"; return
	fi
	same_text "$d" "$want" "$got"
}
same_line() {
	local d=$1 want=$2 got=$3
	if [ "$want" = "$got" ]; then echo "ok - $d"
	else echo "not ok - $d"; echo "#   wanted: $want"; echo "#   got:    $got"; fi
}
has_text() {
	local d=$1 f=$2 pat=$3
	if grep -Eq -- "$pat" "$f"; then echo "ok - $d"
	else echo "not ok - $d: /$pat/ not in $f"; head -5 "$f" | sed 's/^/#   /'; fi
}
zcat_any() { gzip -dcf "$@"; }

# Count the check lines as they pass (the script's stdout goes through this awk); the plan
# comes out at the end only after done_testing's marker, and not when the script printed
# its own.
exec 9>&1
exec > >(awk '/^1\.\.[0-9]+$/ { planned = 1 }
	$0 == "#tap-done-testing" { done = 1; next }
	{ print; fflush() }
	/^(not )?ok([ \t]|$)/ { n++ }
	END { if (done && !planned) print "1.." n }' >&9)
done_testing() { echo "#tap-done-testing"; }
