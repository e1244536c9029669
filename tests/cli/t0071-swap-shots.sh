#!/bin/sh
# benjamin swap, shot by shot: a film of two talking heads is cut into its two
# shots, each scored (flicker, seam, identity margin); --shot swaps one alone.
. tests/cli/lib.sh

data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
a=$data
data footage/talking_heads/hdtf/videoretalking_face_3.mp4 || { finish; exit; }
b=$data
data faces/star_George_W_Bush || { finish; exit; }
star=$data

ffmpeg -loglevel error -y -i "$a" -an -frames:v 20 -vf scale=240:240 -c:v libx264 -crf 12 "$tmp/a.mp4"
ffmpeg -loglevel error -y -i "$b" -an -frames:v 20 -vf scale=240:240 -c:v libx264 -crf 12 "$tmp/b.mp4"
printf "file '%s'\nfile '%s'\n" "$tmp/a.mp4" "$tmp/b.mp4" >"$tmp/list.txt"
ffmpeg -loglevel error -y -f concat -safe 0 -i "$tmp/list.txt" -c:v libx264 -crf 12 "$tmp/two.mp4"
n=$(ffprobe -v error -count_frames -show_entries stream=nb_read_frames -select_streams v -of csv=p=0 "$tmp/two.mp4")

run "$BENJAMIN" swap --star "$star" --stars 4 --in "$tmp/two.mp4" --out "$tmp/out.mp4" --json
expect "a film of two shots" 0 -
check "two shots, each scored" python3 -c "
import json
d = json.load(open('$tmp/out'))
s = d['shots']
assert len(s) == 2, s
assert s[0]['first_frame'] == 0 and 18 <= s[1]['first_frame'] <= 22, s
assert s[0]['frames'] + s[1]['frames'] == d['frames'] == $n, (s, d['frames'])
for x in s:
    assert x['swapped'] >= x['frames'] - 3, x
    assert 0 < x['flicker'] < 2.5 and 0 < x['seam'] < 1.5, x
    assert x['margin_frames'] >= 1 and -2 < x['identity_margin'] < 2, x
    assert x['no_face'] + x['small'] + x['turned'] + x['swapped'] <= x['frames'], x
assert -2 < d['identity_margin'] < 2"

run "$BENJAMIN" swap --star "$star" --stars 4 --in "$tmp/two.mp4" --out "$tmp/out2.mp4"
expect "the same as lines" 0 -
check "a line per shot" test "$(grep -c '^shot [12] (frames [0-9]*-[0-9]*): [0-9]* swapped, skipped [0-9]* without a face, [0-9]* small, [0-9]* turned, [0-9]* not on screen; flicker [0-9.]*; seam [0-9.]* (original [0-9.]*); identity margin -*[0-9.]*$' "$tmp/out")" = 2

run "$BENJAMIN" swap --star "$star" --stars 4 --in "$tmp/two.mp4" --out "$tmp/shot2.mp4" --shot 2 --json
expect "the second shot alone" 0 -
check "its frames, no sound" python3 -c "
import json, subprocess
d = json.load(open('$tmp/out'))
s = d['shots'][0]
assert s['shot'] == 2 and d['frames'] == s['frames'] == $n - s['first_frame'], d
kinds = subprocess.run(['ffprobe', '-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', '$tmp/shot2.mp4'], capture_output=True, text=True).stdout.split()
assert kinds == ['video'], kinds
n = subprocess.run(['ffprobe', '-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', '$tmp/shot2.mp4'], capture_output=True, text=True).stdout.strip()
assert int(n) == s['frames'], n"

run "$BENJAMIN" swap --star "$star" --stars 4 --in "$tmp/two.mp4" --out "$tmp/shot3.mp4" --shot 3
expect "a shot it does not have" 1 "benjamin: error: '$tmp/two.mp4': has 2 shots, not 3"
check "no clip left behind" test ! -e "$tmp/shot3.mp4"

run "$BENJAMIN" swap --star "$star" --in "$tmp/two.mp4" --out "$tmp/x.mp4" --shot 0
expect "shot 0" 2 -

finish
