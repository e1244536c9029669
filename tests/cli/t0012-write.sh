#!/bin/sh
# benjamin write: the "done when" of the writer, fast.  A small model trained
# for a few seconds on the Fountain samples writes 50 screenplays of 1-3 pages
# with different seeds and briefs; every one must parse, hold every prompt
# where it belongs (write --check, our parser), run the pages asked within one,
# and print to a PDF whose pages and indents are right (pdftotext -bbox).
# Then usage errors and bad input, with exact messages.
. tests/cli/lib.sh

run "$BENJAMIN" write --help
expect "write --help" 0 ""
check "write --help shows its synopsis" grep -q "^usage: benjamin write \[--model MODEL\]" "$tmp/out"

data text/fountain/big_fish.fountain || { finish; exit; }
fountain=${data%/*}
"$BENJAMIN" -q train writer --corpus "$fountain/big_fish.fountain" \
	--corpus "$fountain/brick_and_steel.fountain" --corpus "$fountain/my_living_memory.fountain" \
	--corpus "$fountain/printing_trouble.fountain" -o "$tmp/w.safetensors" --steps 300 \
	--hidden 96 --layers 1 --embed 16 --batch 16 --seq 64 --lr 0.01 --min-count 1 >/dev/null
model=$tmp/w.safetensors
check "a small model trains on the Fountain samples" test -s "$model"

# Briefs: lines start with a word found nowhere else, so that its place in the
# PDF is the line's.
set -- "Xylophones never lie." "Quixotic, aren't we?" "Zeppelins fly at dawn, Edward." \
	"Wolfram is heavier than you think." "Yesterday I was a cat."
lines=$#
line_of() { shift $(($1 % lines)); echo "$1"; }
prop_of() { case $(($1 % 4)) in 0) echo "a red umbrella";; 1) echo "knife";;
	2) echo "the lantern";; *) echo "Grandfather's pocket watch";; esac; }
action_of() { case $(($1 % 3)) in 0) echo "Quentin sits down slowly.";;
	1) echo "Jupiter rises over the parking lot.";; *) echo "Kettles whistle everywhere.";; esac; }

# The PDF's pages, margins and indents (write-pdf.awk says which).
pdf_ok() { # pages line-word action-word
	pdftotext -bbox "$tmp/s.pdf" - | awk -f tests/cli/write-pdf.awk -v pages="$1" -v lw="$2" \
		-v aw="$3" >"$tmp/pdf.log"
}

parsed=0 met=0 on_length=0 printed=0 exact=0
for seed in $(seq 1 50); do
	pages=$((1 + seed % 3))
	line=$(line_of "$seed" "$@")
	prop=$(prop_of "$seed")
	action=$(action_of "$seed")
	"$BENJAMIN" -q write --model "$model" -o "$tmp/s.fountain" --pdf "$tmp/s.pdf" \
		--title "Film $seed" --line "$line" --prop "$prop" --action "$action" \
		--pages "$pages" --cast $((1 + seed % 4)) --seed "$seed" --threads 1 >"$tmp/out" 2>"$tmp/err" ||
		{ fail "write seed $seed" "$(cat "$tmp/err")"; continue; }
	# The pages of the layout, as write reports them; the PDF's are counted below.
	got=$(sed -n 's/^wrote .*: \([0-9]*\) pages\?, .*/\1/p' "$tmp/out")
	[ "$got" = "$pages" ] && exact=$((exact + 1))
	"$BENJAMIN" write --check "$tmp/s.fountain" --title "Film $seed" --line "$line" \
		--prop "$prop" --action "$action" --cast $((1 + seed % 4)) >"$tmp/check" 2>&1
	case $? in
	0) parsed=$((parsed + 1)) met=$((met + 1)) ;;
	1) grep -q '^FAIL' "$tmp/check" && parsed=$((parsed + 1))
	   fail "the brief of seed $seed" "$(cat "$tmp/check")" ;;
	*) fail "the check of seed $seed" "$(cat "$tmp/check")" ;;
	esac
	if [ -n "$got" ] && [ "$got" -ge $((pages - 1)) ] && [ "$got" -le $((pages + 1)) ]; then
		on_length=$((on_length + 1))
	else
		fail "the length of seed $seed" "$got pages, asked $pages"
	fi
	if pdf_ok "$got" "${line%% *}" "${action%% *}"; then
		printed=$((printed + 1))
	else
		fail "the PDF of seed $seed" "$(cat "$tmp/pdf.log")"
	fi
done
echo "    50 screenplays: $parsed parse, $met meet the brief, $on_length within a page" \
	"($exact exactly), $printed PDFs laid out right"
check "50 screenplays parse" test "$parsed" -eq 50
check "50 screenplays hold every prompt" test "$met" -eq 50
check "50 screenplays run the pages asked, within one" test "$on_length" -eq 50
check "50 PDFs have the pages and indents" test "$printed" -eq 50

# Without a title the model writes one; the same seed writes the same screenplay.
run "$BENJAMIN" -q write --model "$model" -o "$tmp/a.fountain" --seed 3
expect "a screenplay with no brief" 0 ""
check "it says what it wrote" grep -q "^wrote '$tmp/a.fountain': [0-9]* pages\?, [0-9]* scenes\?, cast " "$tmp/out"
check "it has a title page" grep -q "^Title: ." "$tmp/a.fountain"
check "written by benjamin" grep -q "^Author: benjamin$" "$tmp/a.fountain"
run "$BENJAMIN" write --model "$model" -o "$tmp/b.fountain" --seed 3 --threads 1
check "the same seed writes the same screenplay" cmp -s "$tmp/a.fountain" "$tmp/b.fountain"
run "$BENJAMIN" write --model "$model" -o "$tmp/c.fountain" --seed 4
check "another seed writes another" test -n "$(cmp "$tmp/a.fountain" "$tmp/c.fountain" 2>&1)"

# --check says what is missing.
run "$BENJAMIN" write --check "$tmp/a.fountain" --line "Never said." --pages 9
expect "a brief not met" 1 ""
check "the missing line is named" grep -q "^FAIL line: not a line of dialogue$" "$tmp/out"
check "the length is named" grep -q "^FAIL pages: [0-9]* pages\?$" "$tmp/out"

# Usage errors.
run "$BENJAMIN" write --model "$model"
expect "no output" 2 -
check "no output says why" test "$(head -n 1 "$tmp/err")" = "benjamin: error: no output file given (-o)"
run "$BENJAMIN" write --model "$model" -o "$tmp/x.fountain" --pages 0
expect "--pages 0" 2 -
check "--pages 0 says why" test "$(head -n 1 "$tmp/err")" = \
	"benjamin: error: --pages must be a whole number from 1 to 200, not '0'"
run "$BENJAMIN" write --model "$model" -o "$tmp/x.fountain" --line "(beat)"
expect "a parenthetical for a line" 2 -
check "the line that cannot stand is named" test "$(head -n 1 "$tmp/err")" = \
	"benjamin: error: the line '(beat)' would not read back as a line of dialogue in Fountain"
run "$BENJAMIN" write --model "$model" -o "$tmp/x.fountain" --paper legal
expect "a bad --paper" 2 -
run "$BENJAMIN" write --check "$tmp/a.fountain" --model "$model"
expect "--check with a model" 2 -

# Bad input: a missing or broken model, an unwritable output; nothing half-written.
run "$BENJAMIN" write --model "$tmp/missing.safetensors" -o "$tmp/x.fountain"
expect "a missing model" 1 "benjamin: error: '$tmp/missing.safetensors': cannot open: No such file or directory"
head -c 1000 "$model" >"$tmp/cut.safetensors"
run "$BENJAMIN" write --model "$tmp/cut.safetensors" -o "$tmp/x.fountain"
expect "a truncated model" 1 -
check "a truncated model is named" grep -q "^benjamin: error: '$tmp/cut.safetensors': " "$tmp/err"
run "$BENJAMIN" -q write --model "$model" -o "$tmp/no/x.fountain"
expect "an output in a missing folder" 1 \
	"benjamin: error: '$tmp/no/x.fountain': cannot create file: No such file or directory"
run "$BENJAMIN" -q write --model "$model" -o "$tmp/x.fountain" --pdf "$tmp/no/x.pdf"
expect "a PDF in a missing folder" 1 -
check "no screenplay is left half-written" test -z "$(find "$tmp" -name '*.tmp.*')"
check "nothing written where it failed" test ! -e "$tmp/no"

finish
