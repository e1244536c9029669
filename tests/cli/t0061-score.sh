#!/bin/sh
# benjamin score: a cue sheet of three cues (two joined, one after a gap),
# ducked under two lines; the WAV lasts exactly the sheet, the same bytes
# twice; bad cue sheets and dialogue files with exact messages.
. tests/cli/lib.sh

abc=tests/fixtures/score/tiny.abc
model="$tmp/c.safetensors"
"$BENJAMIN" train composer --abc "$abc" -o "$model" --steps 300 --hidden 48 --layers 1 \
	--embed 16 --batch 8 --seq 64 --val-fraction 0 --min-count 1 --lr 0.01 >/dev/null 2>&1

cat >"$tmp/cues.json" <<'JSON'
{ "cues": [
  { "start": 0, "length": 4.5, "mood": "calm" },
  { "start": 4.5, "length": 3.25, "mood": "calm", "key": "D", "tempo": 90, "seed": 5 },
  { "start": 9, "length": 3.001, "mood": "calm" } ] }
JSON
printf '{ "dialogue": [ { "start": 1.0, "end": 2.5 }, { "start": 9.5, "end": 10 } ] }\n' \
	>"$tmp/lines.json"

run "$BENJAMIN" score --model "$model" --cues "$tmp/cues.json" --duck "$tmp/lines.json" \
	-o "$tmp/a.wav" --seed 2
expect "score" 0 -
check "score says what it did" grep -q "^scored 3 cues, 12.001 s" "$tmp/out"
# 12.001 s at 48 kHz: 576048 frames of 4 bytes.
check "the score lasts exactly the cue sheet" \
	test "$(od -An -tu4 -j40 -N4 "$tmp/a.wav" | tr -d ' ')" -eq $((576048 * 4))
mkdir "$tmp/midi"
run "$BENJAMIN" score --model "$model" --cues "$tmp/cues.json" --duck "$tmp/lines.json" \
	-o "$tmp/b.wav" --seed 2 --midi-dir "$tmp/midi"
check "the same inputs give the same bytes" cmp -s "$tmp/a.wav" "$tmp/b.wav"
check "--midi-dir writes each cue" test "$(head -c 4 "$tmp/midi/cue-03.mid")" = MThd

printf '{ "cues": [ { "start": 0, "length": 5, "mood": "angry" } ] }\n' >"$tmp/bad1.json"
run "$BENJAMIN" score --model "$model" --cues "$tmp/bad1.json" -o "$tmp/x.wav"
expect "an unknown mood" 1 "benjamin: error: '$tmp/bad1.json': cue 1: mood 'angry' is not one of calm, tense, sad, joyful, eerie, triumphant"
printf '{ "cues": [ { "start": 0, "length": 5, "mood": "sad" },\n { "start": 4, "length": 5, "mood": "sad" } ] }\n' >"$tmp/bad2.json"
run "$BENJAMIN" score --model "$model" --cues "$tmp/bad2.json" -o "$tmp/x.wav"
expect "overlapping cues" 1 "benjamin: error: '$tmp/bad2.json': cues at 0.000 s and 4.000 s overlap"
printf '{ "cues": [ { "start": 0, "length": "long", "mood": "sad" } ] }\n' >"$tmp/bad3.json"
run "$BENJAMIN" score --model "$model" --cues "$tmp/bad3.json" -o "$tmp/x.wav"
expect "a length that is not a number" 1 "benjamin: error: '$tmp/bad3.json': cue 1: 'length' must be a number from 0.5 to 3600"
printf '{ "cues": [ { "start": 0, ' >"$tmp/bad4.json"
run "$BENJAMIN" score --model "$model" --cues "$tmp/bad4.json" -o "$tmp/x.wav"
expect "truncated JSON" 1 -
check "truncated JSON is one line naming the file" \
	sh -c "test \$(wc -l <'$tmp/err') -eq 1 && grep -q \"^benjamin: error: '$tmp/bad4.json': \" '$tmp/err'"
printf '{ "dialogue": [ { "start": 3, "end": 2 } ] }\n' >"$tmp/bad5.json"
run "$BENJAMIN" score --model "$model" --cues "$tmp/cues.json" --duck "$tmp/bad5.json" -o "$tmp/x.wav"
expect "a line that ends before it starts" 1 "benjamin: error: '$tmp/bad5.json': line 1: 'end' must be after 'start'"
run "$BENJAMIN" score --model "$model" --cues "$tmp/cues.json" -o "$tmp/x.wav" --soundfont "$tmp/none.sf2"
expect "a missing SoundFont" 1 "benjamin: error: '$tmp/none.sf2': No such file or directory"
check "no WAV is left behind" test ! -e "$tmp/x.wav"
run "$BENJAMIN" score --cues "$tmp/cues.json" -o "$tmp/x.wav"
expect "no model" 2 -
finish
