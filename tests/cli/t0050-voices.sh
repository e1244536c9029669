#!/bin/sh
# benjamin voices, say and voice: the voice list, one line, a whole screenplay.
. tests/cli/lib.sh

run "$BENJAMIN" voices
expect "voices" 0 ""
check "voices lists slt with a description" grep -q '^slt    female  163 Hz  US English female' "$tmp/out"
check "voices lists five voices" test "$(wc -l <"$tmp/out")" -eq 5

# say
run "$BENJAMIN" say "Dr. Smith, it's 3:45." --voice awb --pitch -2 --rate 1.1 --formant 0.95 \
	-o "$tmp/line.wav" --timings "$tmp/line.json"
expect "say" 0 ""
check "say writes a WAVE file" test "$(head -c 4 "$tmp/line.wav")" = RIFF
check "the timings name the words as spoken" grep -q '"text": "doctor"' "$tmp/line.json"
run "$BENJAMIN" say "Dr. Smith, it's 3:45." --voice awb --pitch -2 --rate 1.1 --formant 0.95 -o "$tmp/again.wav"
check "say gives the same bytes twice" cmp -s "$tmp/line.wav" "$tmp/again.wav"

run "$BENJAMIN" say "" -o "$tmp/empty.wav"
expect "say nothing" 1 "benjamin: error: nothing to say"
check "no file for nothing" test ! -e "$tmp/empty.wav"
run "$BENJAMIN" say "你好" -o "$tmp/zh.wav"
expect "say in another script" 1 "benjamin: error: cannot speak '你好': no English reading for '你' (U+4F60)"
run "$BENJAMIN" say "Hello" --pitch 30 -o "$tmp/x.wav"
expect "say with a pitch out of range" 2 -
check "the pitch range is named" grep -q "^benjamin: error: --pitch must be a number from -24 to 24, not '30'$" "$tmp/err"
run "$BENJAMIN" say "Hello" --voice hal -o "$tmp/x.wav"
expect "say with an unknown voice" 2 -
check "the unknown voice is named" grep -q "^benjamin: error: no voice 'hal'; see 'benjamin voices'$" "$tmp/err"
run "$BENJAMIN" say "Hello" --like "$tmp/x.wav" --voice slt -o "$tmp/x.wav"
expect "say --like with --voice" 2 -
run "$BENJAMIN" say "Hello" --like "$tmp/missing.wav" -o "$tmp/x.wav"
expect "say --like a missing sample" 1 "benjamin: error: '$tmp/missing.wav': No such file or directory"
run "$BENJAMIN" say "Hello"
expect "say without -o" 2 -

# voice: a screenplay of eight characters
cat >"$tmp/film.fountain" <<'END'
Title: Eight

INT. STATION - NIGHT

ANNA
(whispering)
Is anyone there?

BEN
Twelve trains, 3 platforms... and nobody.

CLARA (V.O.)
This is the 11:45 to Dr. Mabuse's house.

DAVID
(shouting)
Get down!

ÉLODIE
(in French, subtitled)
Où est la gare?

FRANK
(beat)
...

GRACE
We should go. *Now.*

HUGO
I'm staying.

ANNA
(sad)
Then stay.
END
run "$BENJAMIN" voice --script "$tmp/film.fountain" -o "$tmp/v1" --extension-filter phone
expect "voice a screenplay" 0 -
check "eight characters in the cast" test "$(grep -c ' formant ' "$tmp/out")" -eq 8
check "eight different voices" test "$(grep ' formant ' "$tmp/out" | cut -c22- | sort -u | wc -l)" -eq 8
check "the summary line" grep -q '^voiced 9 lines of 8 characters in ' "$tmp/out"
check "one WAV per line" test "$(ls "$tmp/v1"/*.wav | wc -l)" -eq 9
check "lines.json" grep -q '"file": "0005-elodie.wav"' "$tmp/v1/lines.json"
check "the accented name is kept in lines.json" grep -q '"character": "ÉLODIE"' "$tmp/v1/lines.json"
check "markup is not spoken" grep -q '"text": "We should go. Now."' "$tmp/v1/lines.json"
check "the extension is recorded" grep -q '"extension": "V.O."' "$tmp/v1/lines.json"
check "progress lines when not on a terminal" grep -q '^voice: 9/9 lines' "$tmp/err"
run "$BENJAMIN" -q voice --script "$tmp/film.fountain" -o "$tmp/v2" --extension-filter phone --threads 1
expect "voice again on one thread" 0 ""
same=1
for f in "$tmp/v1"/*; do cmp -s "$f" "$tmp/v2/$(basename "$f")" || same=0; done
check "the same screenplay and seed give the same bytes" test $same -eq 1
run "$BENJAMIN" -q voice --script "$tmp/film.fountain" -o "$tmp/v3" --seed 2
check "another seed casts differently" sh -c "! cmp -s '$tmp/v1/lines.json' '$tmp/v3/lines.json'"

cat >"$tmp/cast.json" <<'END'
{ "characters": { "Hugo": { "voice": "kal16", "pitch": -3, "rate": 0.9 } } }
END
run "$BENJAMIN" -q voice --script "$tmp/film.fountain" --cast "$tmp/cast.json" -o "$tmp/v4"
expect "voice with a cast" 0 ""
check "the pinned voice is used" grep -q '^HUGO  *kal16 -3.0st formant 1.00 rate 0.90' "$tmp/out"

echo '{ "characters": { "HUGO": { "voice": "hal" } } }' >"$tmp/bad.json"
run "$BENJAMIN" voice --script "$tmp/film.fountain" --cast "$tmp/bad.json" -o "$tmp/v5"
expect "a cast with an unknown voice" 1 "benjamin: error: '$tmp/bad.json': character 'HUGO': unknown voice 'hal'; see 'benjamin voices'"

printf 'EXT. SEA - DAY\n\nWaves.\n' >"$tmp/quiet.fountain"
run "$BENJAMIN" voice --script "$tmp/quiet.fountain" -o "$tmp/v6"
expect "a screenplay without dialogue" 1 "benjamin: error: '$tmp/quiet.fountain': no dialogue to voice"
printf 'EVE\nHello 你好\n' >"$tmp/zh.fountain"
run "$BENJAMIN" -q voice --script "$tmp/zh.fountain" -o "$tmp/v7"
expect "a line that cannot be spoken" 1 "benjamin: error: '$tmp/zh.fountain': line 2: cannot speak 'Hello 你好': no English reading for '你' (U+4F60)"
check "no lines.json after a failure" test ! -e "$tmp/v7/lines.json"
run "$BENJAMIN" voice --script "$tmp/missing.fountain" -o "$tmp/v8"
expect "a missing screenplay" 1 "benjamin: error: '$tmp/missing.fountain': No such file or directory"
run "$BENJAMIN" voice --script "$tmp/film.fountain"
expect "voice without -o" 2 -
check "voice without -o says why" grep -q "^benjamin: error: no output folder given (-o)$" "$tmp/err"
run "$BENJAMIN" voice --script "$tmp/film.fountain" -o "$tmp/v9" --extension-filter tv
expect "a bad filter" 2 -

finish
