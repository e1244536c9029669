#!/bin/sh
# benjamin render: a short timeline of real footage, a still and sine tones for
# dialogue becomes an MP4 (checked with ffprobe), an SRT, an EDL and an OTIO
# file; twice the same bytes; a SIGKILL mid-render leaves no film and the re-run
# gives the same bytes; bad timelines and options fail cleanly.
. tests/cli/lib.sh

data footage/nosferatu_1922_excerpt_silent.mp4 || { finish; exit; }
nosferatu=$PWD/$data
data footage/steamboat_willie_1928_excerpt.mp4 || { finish; exit; }
steamboat=$PWD/$data
data footage/blackjournal_ep67_angela_davis_interview.mp4 || { finish; exit; }
interview=$PWD/$data
data footage/stills/night_of_the_living_dead_1968/barbara.jpg || { finish; exit; }
still=$PWD/$data

mkdir -p "$tmp/work/voices"
i=0
for f in 330 440 550; do
	i=$((i + 1))
	ffmpeg -v error -f lavfi -i "sine=frequency=$f:duration=1.2" -ar 22050 -ac 1 \
		"$tmp/work/voices/$i.wav" || fail "ffmpeg cannot make a tone"
done
ffmpeg -v error -f lavfi -i "sine=frequency=110:duration=9" -ar 44100 -ac 2 "$tmp/work/score.wav"

cat >"$tmp/work/timeline.json" <<JSON
{ "format": "benjamin-timeline", "version": 1, "title": "Zone Out",
  "title_card": { "at": 0, "duration": 1 },
  "video": [
    { "source": "$nosferatu", "in": 10, "out": 11.5, "at": 1, "scene": 1, "why": { "score": 0.9 } },
    { "source": "$steamboat", "in": 3, "out": 4.2, "at": 2.5, "scene": 1 },
    { "source": "$still", "duration": 1.2, "at": 3.7, "scene": 2 },
    { "source": "$interview", "in": 20, "out": 21.6, "at": 4.9, "scene": 2 } ],
  "dialogue": [
    { "audio": "voices/1.wav", "at": 1.2, "character": "H", "text": "I am not a doctor.",
      "words": [ { "text": "I", "start": 0, "end": 0.1 }, { "text": "am", "start": 0.15, "end": 0.3 },
                 { "text": "not", "start": 0.35, "end": 0.6 }, { "text": "a", "start": 0.65, "end": 0.7 },
                 { "text": "doctor.", "start": 0.75, "end": 1.2 } ] },
    { "audio": "voices/2.wav", "at": 2.8, "character": "C", "text": "Then what are you doing here?" },
    { "audio": "voices/3.wav", "at": 5.0, "character": "H", "text": "Waiting." } ],
  "score": { "audio": "score.wav" },
  "credits": { "at": 6.5, "duration": 2 } }
JSON

render() { # DIR
	mkdir -p "$1"
	run "$BENJAMIN" render --timeline "$tmp/work/timeline.json" -o "$1/film.mp4" --size 320x180 \
		--burn-subtitles --preset veryfast --seed 7
}

render "$tmp/a"
expect "render a timeline" 0 -
check "summary line: the most footage is at 29.97 fps" grep -q "^$tmp/a/film.mp4: 320x180 at 29.97 fps, 8.50 s, 255 frames" "$tmp/out"
for ext in mp4 srt edl otio; do
	check "film.$ext written" test -s "$tmp/a/film.$ext"
done
probe() { ffprobe -v error -show_entries "$1" -of default=nw=1:nk=1 "$tmp/a/film.mp4"; }
check "streams are h264 and aac" test "$(probe stream=codec_name | tr '\n' ' ')" = "h264 aac "
check "size 320x180" test "$(probe stream=width,height | head -2 | tr '\n' x)" = "320x180x"
duration=$(probe format=duration)
check "duration within 10% of 8.5 s ($duration)" awk -v d="$duration" 'BEGIN { exit !(d > 7.65 && d < 9.35) }'
check "AI-generated tag" sh -c "ffprobe -v error -show_entries format_tags=comment -of default=nw=1:nk=1 '$tmp/a/film.mp4' | grep -q '^AI-generated'"
check "SRT has one cue per line" test "$(grep -c -- '-->' "$tmp/a/film.srt")" = 3
check "SRT first cue timed from the words" grep -q '^00:00:01,200 --> 00:00:02,400$' "$tmp/a/film.srt"
check "EDL has 4 video events" test "$(grep -c '^[0-9][0-9][0-9]  .* V  ' "$tmp/a/film.edl")" = 4
check "OTIO is a Timeline.1" grep -q '"OTIO_SCHEMA": "Timeline.1"' "$tmp/a/film.otio"
loud=$(ffmpeg -nostats -i "$tmp/a/film.mp4" -af ebur128=peak=true -f null - 2>&1 | awk '/I:/ { i = $2 } /Peak:/ { p = $2 } END { print i, p }')
check "loudness -16 LUFS, true peak under -0.5 dBTP ($loud)" awk -v l="$loud" \
	'BEGIN { split(l, a, " "); exit !(a[1] > -17 && a[1] < -15 && a[2] < -0.5) }'

render "$tmp/b"
expect "render again" 0 -
for ext in mp4 srt edl otio; do
	check "the same film.$ext twice" cmp -s "$tmp/a/film.$ext" "$tmp/b/film.$ext"
done

# SIGKILL while frames are being written: no film, then the re-run is whole.
mkdir -p "$tmp/c"
"$BENJAMIN" render --timeline "$tmp/work/timeline.json" -o "$tmp/c/film.mp4" --size 320x180 \
	--burn-subtitles --preset veryfast --seed 7 >/dev/null 2>&1 &
pid=$!
n=0
while [ $n -lt 400 ] && ! ls "$tmp/c" | grep -q '^film.mp4.tmp.'; do
	sleep 0.02
	n=$((n + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
check "killed render left no film" test ! -e "$tmp/c/film.mp4" -a ! -e "$tmp/c/film.srt"
render "$tmp/c"
expect "render after a kill" 0 -
check "the re-run gives the same film" cmp -s "$tmp/a/film.mp4" "$tmp/c/film.mp4"
check "the killed render's temporary file is gone" test -z "$(ls "$tmp/c" | grep tmp)"

# Bad input: one line naming the file and the place, exit 1, nothing written.
sed 's/"in": 3, "out": 4.2/"in": 3, "out": 2/' "$tmp/work/timeline.json" >"$tmp/work/bad.json"
mkdir -p "$tmp/d"
run "$BENJAMIN" render --timeline "$tmp/work/bad.json" -o "$tmp/d/film.mp4"
expect "bad timeline" 1 "benjamin: error: '$tmp/work/bad.json': video[1].out: 2 is not after in (3)"
sed 's|voices/2.wav|voices/none.wav|' "$tmp/work/timeline.json" >"$tmp/work/missing.json"
run "$BENJAMIN" render --timeline "$tmp/work/missing.json" -o "$tmp/d/film.mp4"
expect "missing dialogue audio" 1 "benjamin: error: '$tmp/work/voices/none.wav': No such file or directory"
head -c 100000 "$nosferatu" >"$tmp/work/cut.mp4"
sed "s|$nosferatu\", \"in\": 10, \"out\": 11.5|$tmp/work/cut.mp4\", \"in\": 10, \"out\": 11.5|" \
	"$tmp/work/timeline.json" >"$tmp/work/cut.json"
run "$BENJAMIN" -q render --timeline "$tmp/work/cut.json" -o "$tmp/d/film.mp4"
expect "truncated footage" 1 "benjamin: error: '$tmp/work/cut.mp4': truncated: data ends at 5.24 s of 47.64 s"
check "nothing written after errors" test -z "$(ls "$tmp/d")"
run "$BENJAMIN" render --timeline "$tmp/work/none.json" -o "$tmp/d/film.mp4"
expect "missing timeline" 1 -
check "missing timeline is named" grep -q "^benjamin: error: '$tmp/work/none.json': " "$tmp/err"
run "$BENJAMIN" render -o "$tmp/d/film.mp4"
expect "no timeline" 2 -
run "$BENJAMIN" render --timeline "$tmp/work/timeline.json" -o "$tmp/d/film.mp4" --size 321x180
expect "odd size" 2 -
check "odd size is explained" grep -q "^benjamin: error: --size must be WxH, even" "$tmp/err"
finish
