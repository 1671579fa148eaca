# tests/lib/valgrind.sh - for tests that run programs under valgrind (source it after tap.sh).
# Skips the test (exit 77) in the sanitizer build, where valgrind cannot run, and fails it
# when valgrind is missing; then
#   vg CMD...    runs CMD under valgrind --leak-check=full: exit 99 on an invalid access or
#                a definite or indirect leak, else CMD's own status.
#   vgx WANT DESCRIPTION CMD...
#                checks that CMD under vg exits WANT (so no valgrind error: 99), showing
#                valgrind's first lines when not; stdout to ./out, stderr to ./err.
if [ -n "${KETEN_SANITIZED:-}" ]; then
	echo "# valgrind cannot run sanitizer builds: this check belongs to the plain build (make test)"
	exit 77
fi
if ! command -v valgrind > /dev/null; then
	echo "not ok - valgrind is not installed (tools/need-packages test installs it)"
	exit 0
fi
vg() { valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$@"; }
vgx() {
	local want=$1 d=$2 rc; shift 2
	vg "$@" > out 2> err; rc=$?
	same_line "$d: exit $want under valgrind" "$want" "$rc"
	[ "$rc" = "$want" ] || grep '==[0-9]*==' err | head -5 | sed 's/^/#   /'
}
