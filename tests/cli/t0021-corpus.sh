#!/bin/sh
# benjamin corpus normalize: plain-text screenplays to one Fountain corpus; bad input.
. tests/cli/lib.sh

data text/screenplays/alien.txt || { finish; exit; }
alien=$data
data text/screenplays/adjustment-bureau-the.txt || { finish; exit; }
flat=$data

printf 'It was a dark and stormy night.\n\nThe rain fell in torrents.\n' >"$tmp/novel.txt"

run "$BENJAMIN" corpus normalize "$alien" "$tmp/novel.txt" "$flat" -o "$tmp/corpus.fountain"
expect "a corpus, one file skipped" 0 "benjamin: warning: skipped '$tmp/novel.txt': not a screenplay: 0 character cues and 0 scene headings in 3 lines"
check "the report has a row per file and a total" test "$(wc -l <"$tmp/out")" -eq 5
check "the report says how alien.txt was read" grep -q '^alien.txt  *6098  *221  *1312  *877  *1647  *188  *3  *5  *6  *1  indented$' "$tmp/out"
check "the report says the novel was skipped" grep -q '^novel.txt .* skipped$' "$tmp/out"
check "the report reads the PDF conversion as flat" grep -q '^adjustment-bureau-the.txt .* flat$' "$tmp/out"
check "the total" grep -q '^total: 2 read, 1 skipped ' "$tmp/out"
check "two screenplays, each ending in a page break" test "$(grep -c '^===$' "$tmp/corpus.fountain")" -eq 2
check "alien's title page comes first" test "$(head -n 1 "$tmp/corpus.fountain")" = "Title: ALIEN"
check "no page furniture in the corpus" test -z "$(grep -E '^\(?CONTINUED|^\(MORE\)|^2/12/09' "$tmp/corpus.fountain")"

# the corpus is Fountain that benjamin reads
run "$BENJAMIN" screenplay stats "$tmp/corpus.fountain"
expect "the corpus parses" 0 ""
check "with both scripts' scenes" grep -q '^  scenes       482$' "$tmp/out"

# bad input: exact messages, exit 1, nothing left behind
run "$BENJAMIN" corpus normalize "$alien" "$tmp/missing.txt" -o "$tmp/c1.fountain"
expect "a missing screenplay" 1 "benjamin: error: '$tmp/missing.txt': No such file or directory"

printf 'INT. HOUSE - DAY\n\nA caf\351.\n' >"$tmp/latin1.txt"
run "$BENJAMIN" corpus normalize "$tmp/latin1.txt" -o "$tmp/c2.fountain"
expect "a screenplay that is not UTF-8" 1 "benjamin: error: '$tmp/latin1.txt': line 3: invalid UTF-8"

run "$BENJAMIN" corpus normalize "$tmp/novel.txt" -o "$tmp/c3.fountain"
expect "nothing to write" 1 "benjamin: warning: skipped '$tmp/novel.txt': not a screenplay: 0 character cues and 0 scene headings in 3 lines
benjamin: error: no screenplay to write: every file was skipped"

run "$BENJAMIN" corpus normalize "$alien" -o /dev/full
expect "a corpus to a full disk" 1 "benjamin: error: '/dev/full': cannot write: No space left on device"

mkdir "$tmp/locked" && chmod 0555 "$tmp/locked"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 0755 "$tmp" && chmod o+r "$alien" 2>/dev/null
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$BENJAMIN" corpus normalize "$alien" -o "$tmp/locked/c.fountain"
else
	run "$BENJAMIN" corpus normalize "$alien" -o "$tmp/locked/c.fountain"
fi
expect "a corpus into an unwritable folder" 1 "benjamin: error: '$tmp/locked/c.fountain': cannot create file: Permission denied"

check "failed runs leave no partial files" test -z "$(find "$tmp" -name '*.tmp.*')"
check "failed runs write no corpus" test ! -e "$tmp/c1.fountain" -a ! -e "$tmp/c2.fountain" -a ! -e "$tmp/c3.fountain" -a -z "$(ls -A "$tmp/locked")"

# usage errors
run "$BENJAMIN" corpus normalize "$alien"
expect "normalize without -o" 2 -
check "normalize without -o says why" grep -q "^benjamin: error: no output file given (-o)$" "$tmp/err"
run "$BENJAMIN" corpus normalize -o "$tmp/c.fountain"
expect "normalize without files" 2 -
check "normalize without files says why" grep -q "^benjamin: error: no screenplay given$" "$tmp/err"
run "$BENJAMIN" corpus tidy "$alien"
expect "an unknown subcommand" 2 -
check "an unknown subcommand says why" grep -q "^benjamin: error: 'tidy' is not a corpus subcommand (normalize)$" "$tmp/err"

finish
