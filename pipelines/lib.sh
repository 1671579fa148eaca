# pipelines/lib.sh - what the pipeline scripts share (source it; it runs nothing itself).
#
# Every script checks its options the same way: an option that takes a value and has
# none, or has another option in its place (`run --key-file --min-n 5 ...`), is a usage
# error - "PROG: --key-file needs a value", then "Try 'PROG --help'." and exit 2 - not a
# bash error about an unbound $2 or a file called "--min-n".
#
# The caller sets PROG (the name in messages) before using these.

# The version every program and script of ketenmonitor prints (the C programs' is
# FILTER_VERSION of filters/lib/filter.h; tests/analyst/help.t checks they agree).
KETEN_VERSION=0.1

# print_version: "PROG ketenmonitor VERSION", as the C programs write it; exit 0.
print_version() {
	printf '%s ketenmonitor %s\n' "$PROG" "$KETEN_VERSION"
	exit 0
}

# usage_error MESSAGE: the message, the hint, exit 2.
usage_error() {
	printf '%s: %s\n' "$PROG" "$1" >&2
	printf "Try '%s --help'.\n" "$PROG" >&2
	exit 2
}

# need_value "$@": the option in $1 must be followed by a value in $2.
need_value() {
	[ $# -ge 2 ] || usage_error "$1 needs a value"
	case $2 in
	'') usage_error "$1 needs a value, not an empty word" ;;
	--) usage_error "$1 needs a value" ;;   # the end of the options came first
	--*) usage_error "$1 needs a value, not the option $2" ;;
	esac
}

# is_count WORD: a whole number >= 1.
is_count() {
	case $1 in ''|*[!0-9]*|0*) return 1 ;; esac
}

# is_share WORD: a number between 0 and 1 (0, 1, 0.05, .5).
is_share() {
	case $1 in ''|.|*[!0-9.]*|*.*.*) return 1 ;; esac
	awk -v v="$1" 'BEGIN { exit !(v + 0 >= 0 && v + 0 <= 1) }'
}

# safe_name WORD: a raw file name the scripts can pass through CSV and logs unquoted
# (letters, digits, '.', '_', '-'; not starting with '-').
safe_name() {
	case $1 in ''|-*|*[!A-Za-z0-9._-]*) return 1 ;; esac
}

# checksums DIR FILE...: the SHA-256 of each FILE as `sha256sum` writes it ("HASH  NAME",
# NAME without DIR/), sorted by name (pipelines/checksums is this, as a command). A
# function, so that a run calls openssl without a shell of its own around it (openssl,
# not sha256sum, for the CPU's SHA instructions: see pipelines/checksums).
checksums() {
	local dir=$1; shift
	if command -v openssl >/dev/null; then
		# openssl -r: "HASH *PATH"
		openssl dgst -sha256 -r "$@" | sed "s|^\([0-9a-f]*\) \*$dir/|\1  |"
	else
		sha256sum "$@" | sed "s|  $dir/|  |"
	fi | sort -k2
}

# Background work that must stop whole (the run's stages, the test runner's tests): a job
# started by start_group leads a process group of its own (set -m), and what it starts
# stays in that group, so one kill to the group reaches all of it.
start_group() {   # start_group VAR CMD...: run CMD in the background in a new group
	local var=$1; shift
	set -m
	"$@" &
	printf -v "$var" '%s' $!
	set +m
}
group_alive() {   # group_alive PGID: a process of the group is still there (not a zombie)
	ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}
stop_group() {   # stop_group PID: end a group started by start_group, every process of it
	local i
	[ -n "$1" ] || return 0
	kill -TERM -- "-$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	# the leader is gone; the rest may take a moment (up to 5 s, then SIGKILL)
	for i in $(seq 100); do group_alive "$1" || return 0; sleep 0.05; done
	kill -KILL -- "-$1" 2>/dev/null || true
}
