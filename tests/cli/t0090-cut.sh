#!/bin/sh
# benjamin cut: two real clips indexed into a library, a tiny screenplay and
# synthetic voices become a timeline (every clip explained, lines on their
# shots, length the sum of its parts, a cue sheet) that renders to a film of
# the timeline's length; the same seed gives the same bytes; bad inputs fail
# with one line.
. tests/cli/lib.sh

data footage/nosferatu_1922_excerpt_silent.mp4 || { finish; exit; }
nosferatu=$PWD/$data
data footage/steamboat_willie_1928_excerpt.mp4 || { finish; exit; }
steamboat=$PWD/$data

w=$tmp/work
mkdir -p "$w/voices" "$w/a" "$w/b"
run "$BENJAMIN" -q index "$nosferatu" "$steamboat" --library "$w/lib.db"
expect "index two clips" 0 ""

cat >"$w/film.fountain" <<'EOF2'
Title: Night Visit

EXT. HARBOUR - NIGHT

A ship drifts into the dark harbour.

HUTTER
Who is there?

ORLOK
(softly)
Only the night.

INT. CABIN - DAY

Mickey runs and jumps onto the deck.

HUTTER
Wait!
EOF2

# the voice stage's output: a WAV and timings per line (sine tones here)
i=0
for spec in "HUTTER 1.1 Who is there?" "ORLOK 1.4 Only the night." "HUTTER 0.6 Wait!"; do
	i=$((i + 1))
	set -- $spec
	ffmpeg -v error -f lavfi -i "sine=frequency=$((200 + i * 110)):duration=$2" -ar 48000 -ac 1 \
		"$w/voices/000$i.wav" || fail "ffmpeg cannot make a tone"
done
cat >"$w/voices/lines.json" <<'EOF2'
{ "rate": 48000, "lufs": -16.0, "lines": [
  { "index": 1, "character": "HUTTER", "text": "Who is there?", "parenthetical": null,
    "extension": null, "source_line": 8, "file": "0001.wav", "duration": 1.1,
    "voice": { "base": "awb" },
    "words": [ { "text": "who", "start": 0.05, "end": 0.3 }, { "text": "is", "start": 0.35, "end": 0.5 },
               { "text": "there", "start": 0.55, "end": 1.0 } ] },
  { "index": 2, "character": "ORLOK", "text": "Only the night.", "parenthetical": "(softly)",
    "extension": null, "source_line": 12, "file": "0002.wav", "duration": 1.4,
    "words": [ { "text": "only", "start": 0.1, "end": 0.4 }, { "text": "the", "start": 0.45, "end": 0.6 },
               { "text": "night", "start": 0.65, "end": 1.3 } ] },
  { "index": 3, "character": "HUTTER", "text": "Wait!", "source_line": 20, "file": "0003.wav",
    "duration": 0.6, "words": [ { "text": "wait", "start": 0.05, "end": 0.5 } ] } ] }
EOF2
ffmpeg -v error -f lavfi -i "sine=frequency=110:duration=60" -ar 48000 -ac 2 "$w/score.wav"

cut() { # OUT-DIR [more options]
	_dir=$1
	shift
	run "$BENJAMIN" cut --screenplay "$w/film.fountain" --library "$w/lib.db" \
		--voices "$w/voices/lines.json" --score "$w/score.wav" --cues "$_dir/cues.json" \
		-o "$_dir/timeline.json" --seed 3 "$@"
}
cut "$w/a"
expect "cut a screenplay" 0 ""
check "summary: 3 lines, 2 scenes, 3 cues" grep -q "^$w/a/timeline.json: [0-9]* clips, 3 lines, 2 scenes, 3 cues, " "$tmp/out"

# the timeline, read by Python: every clip explained, the parts add up
cat >"$w/check.py" <<'EOF2'
import json, sys
t = json.load(open(sys.argv[1]))
cues = json.load(open(sys.argv[2]))["cues"]
v, d = t["video"], t["dialogue"]
clips = sum(c["out"] - c["in"] for c in v)
end = t["credits"]["at"] + t["credits"]["duration"]
assert abs(t["title_card"]["duration"] + clips + t["credits"]["duration"] - end) < 1e-6, "sum of parts"
for a, b in zip(v, v[1:]):
    assert abs(a["at"] + a["out"] - a["in"] - b["at"]) < 1e-9, "clips end to end"
ids = [c["why"]["shot"]["id"] for c in v]
assert len(ids) == len(set(ids)) or any(c["why"].get("reused") for c in v), "no reuse"
for c in v:
    w = c["why"]
    assert w["features"]["length"]["weight"] > 0 and "value" in w["features"]["length"]
    total = sum(f["value"] * f["weight"] for f in w["features"].values())
    assert abs(total - w["total"]) < 1e-3, (total, w["total"])
    assert "runner_up" in w
assert [l["character"] for l in d] == ["HUTTER", "ORLOK", "HUTTER"]
starts = [c["at"] for c in v]
assert all(any(abs(s + 0.3 - l["at"]) < 1e-9 for s in starts) for l in d), "lines on their shots"
assert v[0]["why"]["need"]["daynight"] == "night"
assert cues[0]["start"] == 0 and abs(cues[-1]["start"] + cues[-1]["length"] - end) < 1e-6
assert t["score"]["audio"].endswith("score.wav")
print("%.3f" % end)
EOF2
length=$(/usr/bin/python3 "$w/check.py" "$w/a/timeline.json" "$w/a/cues.json")
check "timeline: explained clips, sum of parts, lines on shots, cues ($length s)" test -n "$length"

cut "$w/b"
check "the same seed gives the same timeline" cmp -s "$w/a/timeline.json" "$w/b/timeline.json"
check "and the same cue sheet" cmp -s "$w/a/cues.json" "$w/b/cues.json"

run "$BENJAMIN" -q render --timeline "$w/a/timeline.json" -o "$w/a/film.mp4" --size 320x180 \
	--preset ultrafast
expect "render the cut" 0 ""
probe() { ffprobe -v error -show_entries "$1" -of default=nw=1:nk=1 "$w/a/film.mp4"; }
check "streams are h264 and aac" test "$(probe stream=codec_name | tr '\n' ' ')" = "h264 aac "
duration=$(probe format=duration)
check "film lasts the timeline's $length s ($duration)" awk -v d="$duration" -v l="$length" \
	'BEGIN { exit !(d > l - 0.1 && d < l + 0.1) }'
check "SRT has one cue per line" test "$(grep -c -- '-->' "$w/a/film.srt")" = 3

# bad inputs: one line naming the file and the problem, nothing written
mkdir -p "$w/c"
run "$BENJAMIN" cut --screenplay "$w/film.fountain" --library "$w/none.db" -o "$w/c/t.json"
expect "missing library" 1 "benjamin: error: '$w/none.db': No such file or directory"
printf 'INT. ROOM - DAY\n\n\377bad\n' >"$w/bad.fountain"
run "$BENJAMIN" cut --screenplay "$w/bad.fountain" --library "$w/lib.db" -o "$w/c/t.json"
expect "screenplay that does not parse" 1 "benjamin: error: '$w/bad.fountain': line 3: invalid UTF-8"
sed 's/"character": "ORLOK"/"character": "KNOCK"/' "$w/voices/lines.json" >"$w/voices/wrong.json"
run "$BENJAMIN" cut --screenplay "$w/film.fountain" --library "$w/lib.db" -o "$w/c/t.json" \
	--voices "$w/voices/wrong.json"
expect "lines.json of another screenplay" 1 "benjamin: error: '$w/voices/wrong.json': line 2 is KNOCK's, the screenplay's line 2 ('$w/film.fountain' line 12) is ORLOK's"
printf '{ "lines": [ { "character": "HUTTER" } ] }' >"$w/voices/short.json"
run "$BENJAMIN" cut --screenplay "$w/film.fountain" --library "$w/lib.db" -o "$w/c/t.json" \
	--voices "$w/voices/short.json"
expect "lines.json without files" 1 "benjamin: error: '$w/voices/short.json': lines[0].file: missing"
run "$BENJAMIN" cut --screenplay "$w/film.fountain" --library "$w/lib.db" -o "$w/c/t.json" \
	--score "$w/none.wav"
expect "missing score" 1 "benjamin: error: '$w/none.wav': No such file or directory"
check "nothing written after errors" test -z "$(ls "$w/c")"
run "$BENJAMIN" cut --library "$w/lib.db" -o "$w/c/t.json"
expect "no screenplay" 2 -
check "no screenplay is explained" grep -q "^benjamin: error: no screenplay given" "$tmp/err"
finish
