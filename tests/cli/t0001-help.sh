#!/bin/sh
# The command table, help and usage errors.
. tests/cli/lib.sh

run "$BENJAMIN" --version
expect "--version" 0 ""
check "--version prints the version" grep -q '^benjamin [0-9]' "$tmp/out"

run "$BENJAMIN" --help
expect "--help" 0 ""
check "--help lists probe" grep -q '^   probe ' "$tmp/out"
check "--help lists frames" grep -q '^   frames ' "$tmp/out"
check "--help lists compose" grep -q "^   compose " "$tmp/out"
check "--help lists score" grep -q "^   score " "$tmp/out"
check "--help lists write" grep -q '^   write ' "$tmp/out"
check "--help lists report" grep -q '^   report ' "$tmp/out"

run "$BENJAMIN"
expect "no command is a usage error" 2 -
check "no command prints the usage" grep -q '^usage: benjamin' "$tmp/err"

run "$BENJAMIN" fly
expect "unknown command" 2 "benjamin: error: 'fly' is not a benjamin command; see 'benjamin --help'"

run "$BENJAMIN" --frobnicate
expect "unknown global option" 2 -
check "unknown global option is named" grep -q "^benjamin: error: unknown option '--frobnicate'" "$tmp/err"

for cmd in probe frames faces crops swap render compose score write cut voices say voice strip make report cast; do
	run "$BENJAMIN" $cmd --help
	expect "$cmd --help" 0 ""
	check "$cmd --help shows its synopsis" grep -q "^usage: benjamin $cmd" "$tmp/out"
	run "$BENJAMIN" help $cmd
	expect "help $cmd" 0 ""
	check "help $cmd shows its synopsis" grep -q "^usage: benjamin $cmd" "$tmp/out"
done

run "$BENJAMIN" train swap --help
expect "train swap --help" 0 ""
check "train swap --help shows its synopsis" grep -q "^   benjamin train swap --star DIR --identity ID --library LIB" "$tmp/out"

"$BENJAMIN" --help >"$tmp/help"
run "$BENJAMIN" help --all
expect "help --all" 0 ""
n_commands=$("$BENJAMIN" --help | sed -n '/^commands:/,/^$/p' | grep -c '^   [a-z]')
check "help --all has every command" test "$(grep -c "^usage: benjamin [a-z]" "$tmp/out")" -eq "$n_commands"

run "$BENJAMIN" probe
expect "probe without files" 2 -
check "probe without files says why" grep -q "^benjamin: error: no files to probe$" "$tmp/err"

run "$BENJAMIN" frames x.mp4 --at 1 -o "$tmp" --width nine
expect "frames with a bad width" 2 -
check "frames with a bad width says why" grep -q "^benjamin: error: --width must be" "$tmp/err"

run "$BENJAMIN" frames x.mp4 --at soon -o "$tmp"
expect "frames with a bad time" 2 -
check "frames with a bad time says why" grep -q "^benjamin: error: 'soon' is not a time$" "$tmp/err"

run "$BENJAMIN" --version
"$BENJAMIN" --version >/dev/full 2>"$tmp/err"
status=$?
expect "output to a full disk is an error" 1 "benjamin: error: cannot write standard output: No space left on device"

finish
