#!/bin/sh
# benjamin train composer and benjamin compose: a tiny composer learns three
# tunes; a cue of an exact length, as MIDI and WAV, the same bytes for the
# same seed; --check; bad input with exact messages.
. tests/cli/lib.sh

abc=tests/fixtures/score/tiny.abc
tiny="--hidden 48 --layers 1 --embed 16 --batch 8 --seq 64 --val-fraction 0 --min-count 1 --lr 0.01"
model="$tmp/c.safetensors"

run "$BENJAMIN" train composer --abc "$abc" -o "$model" --steps 300 $tiny
expect "train composer" 0 -
check "train composer says what it did" grep -q "^trained 300 steps" "$tmp/out"
run "$BENJAMIN" train composer -o "$tmp/x.safetensors" --steps 3
expect "train composer without tunes" 2 -
check "train composer without tunes says why" \
	test "$(head -n 1 "$tmp/err")" = "benjamin: error: no corpus given (--abc)"
printf 'no tunes here\n' >"$tmp/none.abc"
run "$BENJAMIN" train composer --abc "$tmp/none.abc" -o "$tmp/x.safetensors" --steps 3
expect "an ABC file without tunes" 1 "benjamin: error: '$tmp/none.abc': no tunes (no X: line)"
printf 'X:1\nK:C\n\303\251\303\251\n' >"$tmp/utf8.abc"
run "$BENJAMIN" train composer --abc "$tmp/utf8.abc" -o "$tmp/x.safetensors" --steps 3
expect "no tune that parses" 1 "benjamin: error: no tunes to learn from in '$tmp/utf8.abc'"
printf 'X:1\n\000K:C\n' >"$tmp/bin.abc"
run "$BENJAMIN" train composer --abc "$tmp/bin.abc" -o "$tmp/x.safetensors" --steps 3
expect "a binary file" 1 "benjamin: error: '$tmp/bin.abc': binary file, not ABC"
check "no model is left behind" test ! -e "$tmp/x.safetensors"

# 7.5 s in the waltz's key and meter (calm: D, 3/4).
run "$BENJAMIN" compose --model "$model" --seconds 7.5 --mood calm --seed 3 \
	-o "$tmp/a.mid" --wav "$tmp/a.wav" --abc "$tmp/a.abc"
expect "compose" 0 ""
check "compose writes MIDI" test "$(head -c 4 "$tmp/a.mid")" = MThd
check "the cue is exactly 7.5 s (360000 frames)" \
	test "$(od -An -tu4 -j40 -N4 "$tmp/a.wav" | tr -d ' ')" -eq $((360000 * 4))
check "the tunes are written" grep -q "^K:D" "$tmp/a.abc"
run "$BENJAMIN" compose --model "$model" --seconds 7.5 --mood calm --seed 3 \
	-o "$tmp/b.mid" --wav "$tmp/b.wav"
check "the same seed gives the same MIDI" cmp -s "$tmp/a.mid" "$tmp/b.mid"
check "the same seed gives the same WAV" cmp -s "$tmp/a.wav" "$tmp/b.wav"
run "$BENJAMIN" compose --model "$model" --seconds 2.25 --mood calm --tempo 90 -o "$tmp/d.mid" \
	--wav "$tmp/d.wav"
check "a short cue is exact too (108000 frames)" \
	test "$(od -An -tu4 -j40 -N4 "$tmp/d.wav" | tr -d ' ')" -eq $((108000 * 4))

run "$BENJAMIN" compose --model "$model" --check 20 --mood calm
expect "compose --check" 0 -
check "--check counts the tunes" grep -q "^20 tunes drawn: [0-9]* parse" "$tmp/out"

run "$BENJAMIN" compose --model "$model" --seconds 5 --mood angry -o "$tmp/x.mid"
expect "an unknown mood" 2 -
check "an unknown mood is named" test "$(head -n 1 "$tmp/err")" = \
	"benjamin: error: unknown mood 'angry' (calm, tense, sad, joyful, eerie, triumphant)"
run "$BENJAMIN" compose --model "$model" --seconds 5 --mood calm --key H -o "$tmp/x.mid"
expect "an unknown key" 1 "benjamin: error: unknown key 'H'"
printf 'INT. SHIP - NIGHT\n\nRipley waits.\n\n' >"$tmp/scene.txt"
"$BENJAMIN" train writer --as-is --corpus "$tmp/scene.txt" -o "$tmp/w.safetensors" --steps 2 --hidden 8 \
	--layers 1 --embed 4 --batch 2 --seq 8 --val-fraction 0 --min-count 1 >/dev/null 2>&1
run "$BENJAMIN" compose --model "$tmp/w.safetensors" --seconds 5 --mood calm -o "$tmp/x.mid"
expect "a writer model" 1 "benjamin: error: '$tmp/w.safetensors': not a composer model (no composer.format)"
head -c 300 "$model" >"$tmp/cut.safetensors"
run "$BENJAMIN" compose --model "$tmp/cut.safetensors" --seconds 5 --mood calm -o "$tmp/x.mid"
expect "a truncated model" 1 -
check "a truncated model is one line naming it" \
	sh -c "test \$(wc -l <'$tmp/err') -eq 1 && grep -q \"^benjamin: error: '$tmp/cut.safetensors': \" '$tmp/err'"
check "no MIDI is left behind" test ! -e "$tmp/x.mid"
finish
