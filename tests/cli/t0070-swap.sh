#!/bin/sh
# benjamin swap: a star's face onto a short talking head (with sound, and a
# black stretch without a face), onto a picture, and bad input.
. tests/cli/lib.sh

data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
clip=$data
data faces/star_George_W_Bush || { finish; exit; }
star=$data

# 1 s at 240 x 240, 30 fps: 0.7 s of face, then 0.3 s of black (no face)
ffmpeg -loglevel error -y -i "$clip" -t 1 -vf "scale=240:240,drawbox=enable='gte(t,0.7)':c=black:t=fill" \
	-c:v libx264 -crf 12 -c:a aac "$tmp/in.mp4"

run "$BENJAMIN" swap --star "$star" --stars 6 --in "$tmp/in.mp4" --out "$tmp/out.mp4" --json --seed 3
expect "swap a short clip" 0 -
check "the output has video and audio" test "$(ffprobe -v error -show_entries stream=codec_type -of csv=p=0 "$tmp/out.mp4" | tr '\n' ' ')" = "video audio "
check "as many frames as the input" test "$(ffprobe -v error -count_frames -show_entries stream=nb_read_frames -select_streams v -of csv=p=0 "$tmp/out.mp4")" = 30
check "scores and per-frame reasons" python3 -c "
import json
d = json.load(open('$tmp/out'))
f = d['per_frame']
assert d['frames'] == 30 and len(f) == 30, d['frames']
# a face found after the shot's first frame is swapped from its second
assert sum(x['swapped'] for x in f[:21]) >= 18, f[:21]
# a followed face outlives its detection by at most 2 frames
assert all(not x['swapped'] and x['reason'] == 'no face' for x in f[23:]), f[21:]
assert 0 < d['flicker'] < 2.5, d['flicker']
assert 0 < d['seam'] < 1.5, d['seam']"
check "frames without a face are unchanged" /usr/bin/python3 -c "
import cv2, numpy as np
def frames(p):
    c = cv2.VideoCapture(p); out = []
    while True:
        ok, f = c.read()
        if not ok: return out
        out.append(f.astype(int))
a, b = frames('$tmp/in.mp4'), frames('$tmp/out.mp4')
assert all(np.abs(a[i] - b[i]).mean() < 1 for i in range(23, 30))
assert np.abs(a[10] - b[10]).mean() > 1"

# the same seed gives the same film
run "$BENJAMIN" swap --star "$star" --stars 6 --in "$tmp/in.mp4" --out "$tmp/again.mp4" --seed 3
expect "again with the same seed" 0 -
check "the same bytes" cmp -s "$tmp/out.mp4" "$tmp/again.mp4"
check "the summary line" grep -q "^$tmp/again.mp4: 30 frames, [0-9]* swapped; flicker [0-9.]* (swapped / original); seam" "$tmp/out"

ffmpeg -loglevel error -y -i "$tmp/in.mp4" -frames:v 1 "$tmp/still.png"
run "$BENJAMIN" swap --star "$star/George_W_Bush_0001.jpg" --in "$tmp/still.png" --out "$tmp/still_out.png"
expect "a picture" 0 -
check "the picture has its size" test "$(ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$tmp/still_out.png")" = "240,240"

run "$BENJAMIN" swap --star "$star" --in "$tmp/in.mp4"
expect "no --out" 2 -
check "no --out says why" grep -q "^benjamin: error: --star (or --model), --in and --out are all needed" "$tmp/err"

run "$BENJAMIN" swap --star "$star" --in "$tmp/in.mp4" --out "$tmp/x.mp4" --strength 2
expect "strength 2" 2 -

run "$BENJAMIN" swap --star "$tmp/none" --in "$tmp/in.mp4" --out "$tmp/x.mp4"
expect "a missing star" 1 "benjamin: error: '$tmp/none': no such file or folder"

mkdir "$tmp/empty"
run "$BENJAMIN" swap --star "$tmp/empty" --in "$tmp/in.mp4" --out "$tmp/x.mp4"
expect "a star folder without photos" 1 "benjamin: error: '$tmp/empty': no star photo with a usable face"

printf 'not a film' >"$tmp/bad.mp4"
run "$BENJAMIN" swap --star "$star/George_W_Bush_0001.jpg" --in "$tmp/bad.mp4" --out "$tmp/x.mp4"
expect "a broken input" 1 -
check "no output left behind" test ! -e "$tmp/x.mp4"

finish
