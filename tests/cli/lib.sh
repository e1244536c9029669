# lib.sh - a small harness for shell tests of the `benjamin` command (git's t/ style).
#
#   . tests/cli/lib.sh
#   run "$BENJAMIN" probe "$tmp/missing.mp4"
#   expect "probe of a missing file" 1 "benjamin: error: '$tmp/missing.mp4': No such file or directory"
#   finish
#
# run captures stdout ($tmp/out), stderr ($tmp/err) and the exit status; expect
# checks the status and, unless given as '-', the exact stderr.  Each expect or
# check is one case, counted in the "# P ok, F failed, S skipped" line tests/run reads.
set -u
: "${BENJAMIN:=$PWD/build/benjamin}"
passed=0 failed=0 skipped=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/benjamin-cli-XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
status=0

run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

pass() {
	passed=$((passed + 1))
	echo "ok   $1"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL $1"
	shift
	for line in "$@"; do echo "    $line"; done
}

# expect NAME STATUS STDERR
expect() {
	if [ "$status" -ne "$2" ]; then
		fail "$1" "exit status $status, want $2" "stderr: $(head -c 2000 "$tmp/err")"
	elif [ "$3" != - ] && [ "$(cat "$tmp/err")" != "$3" ]; then
		fail "$1" "stderr:  $(cat "$tmp/err")" "wanted:  $3"
	else
		pass "$1"
	fi
}

# check NAME COMMAND... : passes when the command succeeds
check() {
	_name=$1
	shift
	if "$@"; then pass "$_name"; else fail "$_name" "failed: $*"; fi
}

# data RELPATH: sets $data to the path of shared test data and returns 0.  When it
# is missing, returns 1 after counting a skip, or a failure when CI is set:
#   data footage/x.mp4 || { finish; exit; }
#   clip=$data
data() {
	data="${BENJAMIN_DATA:-../shared/data}/$1"
	[ -e "$data" ] && return 0
	if [ -n "${CI:-}" ]; then
		fail "test data '$data' is missing (CI is set)"
	else
		skipped=$((skipped + 1))
		echo "skip test data '$data' is missing"
	fi
	return 1
}

# timeline_length FILE: prints the length of a timeline.json in seconds: the end
# of its last clip, title card or credits.
timeline_length() {
	/usr/bin/python3 -c "import json,sys; t=json.load(open(sys.argv[1]))
ends=[v['at']+(v['duration'] if 'duration' in v else v['out']-v['in']) for v in t['video']]
for k in ('title_card','credits'):
    if k in t: ends.append(t[k]['at']+t[k]['duration'])
print(max(ends))" "$1"
}

finish() {
	echo "# $passed ok, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}
