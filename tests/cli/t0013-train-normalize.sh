#!/bin/sh
# benjamin train writer normalises plain-text screenplays to Fountain before
# learning them, takes *.fountain as it is, skips what is not a screenplay, and
# learns anything as it is with --as-is.
. tests/cli/lib.sh

scene() {
	printf 'INT. SHIP - NIGHT\n\nRipley walks to the airlock.\n\n'
	printf '                    RIPLEY\n          Open it. Now.\n\n'
	printf 'EXT. MOON - DAY\n\nDust. The sign flickers.\n\n'
}
for i in 1 2 3 4 5 6 7 8; do scene; done >"$tmp/alien.txt"
for i in 1 2 3 4 5 6 7 8; do echo "Shall I compare thee to a summer's day? Thou art more lovely."; done >"$tmp/sonnet.txt"
printf 'INT. SHIP - NIGHT\n\nRIPLEY\nOpen it.\n' >"$tmp/ship.fountain"
tiny="--steps 5 --hidden 16 --layers 1 --embed 8 --batch 2 --seq 16 --min-count 1"

run "$BENJAMIN" -q train writer --corpus "$tmp/alien.txt" -o "$tmp/a.safetensors" $tiny
expect "a plain-text screenplay" 0 ""
check "it is normalised" grep -q ", 1 screenplay normalised to Fountain" "$tmp/out"
check "the model says so" grep -aq '"writer.corpus.normalized":"1"' "$tmp/a.safetensors"

run "$BENJAMIN" -q train writer --corpus "$tmp/sonnet.txt" -o "$tmp/b.safetensors" $tiny
expect "no screenplay at all" 1 \
	"benjamin: error: '$tmp/sonnet.txt': not a screenplay: 0 character cues and 0 scene headings in 8 lines (--as-is learns any text)"
check "nothing written for it" test ! -e "$tmp/b.safetensors"

run "$BENJAMIN" -q train writer --corpus "$tmp/sonnet.txt" -o "$tmp/b.safetensors" $tiny --as-is
expect "any text --as-is" 0 ""
check "--as-is normalises nothing" test -z "$(grep normalised "$tmp/out")"

run "$BENJAMIN" train writer --corpus "$tmp/alien.txt" --corpus "$tmp/sonnet.txt" -o "$tmp/c.safetensors" $tiny
expect "a screenplay and a sonnet" 0 -
check "the sonnet is skipped with a warning" grep -qx \
	"benjamin: warning: skipped 1 file that did not read as screenplays, the first: '$tmp/sonnet.txt': not a screenplay: 0 character cues and 0 scene headings in 8 lines" "$tmp/err"

run "$BENJAMIN" -q train writer --corpus "$tmp/ship.fountain" -o "$tmp/d.safetensors" $tiny
expect "Fountain as it is" 0 ""
check "Fountain is not normalised" test -z "$(grep normalised "$tmp/out")"

finish
