#!/bin/sh
# benjamin screenplay pdf|stats: a PDF in screenplay layout, the counts, bad input.
. tests/cli/lib.sh

data text/fountain/brick_and_steel.fountain || { finish; exit; }
sample=$data

run "$BENJAMIN" screenplay pdf "$sample" -o "$tmp/film.pdf"
expect "a PDF" 0 ""
check "nothing on standard output" test ! -s "$tmp/out"
if command -v pdfinfo >/dev/null; then
	pdfinfo "$tmp/film.pdf" >"$tmp/info"
	check "a title page and four pages" grep -q '^Pages: *5$' "$tmp/info"
	check "US Letter" grep -q '^Page size: *612 x 792 pts (letter)' "$tmp/info"
	check "the title in the metadata" grep -q '^Title: *BRICK & STEEL$' "$tmp/info"
	run "$BENJAMIN" screenplay pdf "$sample" --paper a4 -o "$tmp/a4.pdf"
	expect "an A4 PDF" 0 ""
	check "A4" grep -q '^Page size: *595.276 x 841.89 pts (A4)' "$(pdfinfo "$tmp/a4.pdf" >"$tmp/info4"; echo "$tmp/info4")"
	check "four pages on A4" grep -q '^Pages: *4$' "$tmp/info4"
else
	skipped=$((skipped + 1))
	echo "skip pdfinfo is not installed (poppler-utils)"
fi

run "$BENJAMIN" screenplay stats "$sample"
expect "stats" 0 ""
cat >"$tmp/want" <<END
$sample
  scenes       8
  pages        4 (3.0 pages of text: about 3 minutes)
  characters   7
  speeches     20
  words        104 of dialogue, 254 of action

  character      lines   words  scenes
  STEEL              9      40       5
  COGNITO            3      27       1
  BRICK              4      14       2
  JACK               1       8       1
  DAN                1       5       1
  HANDSOME MAN       1       5       1
  MINION             1       5       1
END
check "stats counts scenes, pages and who speaks" cmp -s "$tmp/out" "$tmp/want"

run "$BENJAMIN" screenplay stats --json "$sample"
expect "stats --json" 0 ""
check "stats --json is JSON" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["scenes"] == 8 and d["pages"] == 4 and d["characters"][0] == {"name": "STEEL", "lines": 9, "words": 40, "scenes": 5}' "$tmp/out"

# bad input: exact messages, exit 1, nothing left behind
run "$BENJAMIN" screenplay pdf "$tmp/missing.fountain" -o "$tmp/missing.pdf"
expect "a missing screenplay" 1 "benjamin: error: '$tmp/missing.fountain': No such file or directory"
run "$BENJAMIN" screenplay stats "$tmp/missing.fountain"
expect "stats of a missing screenplay" 1 "benjamin: error: '$tmp/missing.fountain': No such file or directory"

printf 'INT. HOUSE - DAY\n\nA caf\351.\n' >"$tmp/latin1.fountain"
run "$BENJAMIN" screenplay pdf "$tmp/latin1.fountain" -o "$tmp/latin1.pdf"
expect "a screenplay that is not UTF-8" 1 "benjamin: error: '$tmp/latin1.fountain': line 3: invalid UTF-8"
run "$BENJAMIN" screenplay stats "$tmp/latin1.fountain"
expect "stats of a screenplay that is not UTF-8" 1 "benjamin: error: '$tmp/latin1.fountain': line 3: invalid UTF-8"

run "$BENJAMIN" screenplay pdf "$sample" -o /dev/full
expect "a PDF to a full disk" 1 "benjamin: error: '/dev/full': cannot write: No space left on device"

run "$BENJAMIN" screenplay pdf "$sample" -o "$tmp/no/such/film.pdf"
expect "a PDF into a missing folder" 1 "benjamin: error: '$tmp/no/such/film.pdf': cannot create file: No such file or directory"

# A folder that cannot be written to (root ignores permissions, so the test runs
# the command as nobody where it can).
mkdir "$tmp/locked" && chmod 0555 "$tmp/locked"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 0755 "$tmp" && chmod o+r "$sample" 2>/dev/null
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$BENJAMIN" screenplay pdf "$sample" -o "$tmp/locked/film.pdf"
else
	run "$BENJAMIN" screenplay pdf "$sample" -o "$tmp/locked/film.pdf"
fi
expect "a PDF into an unwritable folder" 1 "benjamin: error: '$tmp/locked/film.pdf': cannot create file: Permission denied"

check "failed runs leave no partial files" test -z "$(find "$tmp" -name '*.tmp.*')"
check "failed runs write no PDF" test ! -e "$tmp/missing.pdf" -a ! -e "$tmp/latin1.pdf" -a -z "$(ls -A "$tmp/locked")"

# usage errors
run "$BENJAMIN" screenplay pdf "$sample"
expect "pdf without -o" 2 -
check "pdf without -o says why" grep -q "^benjamin: error: no output file given (-o)$" "$tmp/err"
run "$BENJAMIN" screenplay pdf "$sample" -o "$tmp/x.pdf" --paper legal
expect "an unknown paper size" 2 -
check "an unknown paper size says why" grep -q "^benjamin: error: --paper must be letter or a4, not 'legal'$" "$tmp/err"
run "$BENJAMIN" screenplay print "$sample"
expect "an unknown subcommand" 2 -
check "an unknown subcommand says why" grep -q "^benjamin: error: 'print' is not a screenplay subcommand (pdf or stats)$" "$tmp/err"
run "$BENJAMIN" screenplay stats
expect "stats without a screenplay" 2 -
check "stats without a screenplay says why" grep -q "^benjamin: error: no screenplay given$" "$tmp/err"

run "$BENJAMIN" screenplay --help
expect "screenplay --help" 0 ""
check "screenplay --help shows its synopsis" grep -q "^usage: benjamin screenplay pdf" "$tmp/out"

finish
