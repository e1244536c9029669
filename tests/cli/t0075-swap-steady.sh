#!/bin/sh
# benjamin swap keeps the star's face on the head: on a still head (the same
# picture with fresh noise every frame) the swap adds no motion, and when the
# head darts sideways and stops, the face goes with it at once and does not
# glide on afterwards.
. tests/cli/lib.sh

data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
clip=$data
data faces/star_George_W_Bush || { finish; exit; }
star=$data

# 1.6 s at 25 fps of one 240 x 240 picture of the clip's first second: still
# for 0.6 s, then 12 px a frame to the right for 6 frames (the picture is a
# window sliding over a wider frame), then still; fresh noise every frame
ffmpeg -loglevel error -y -ss 0.5 -i "$clip" -frames:v 1 -vf "scale=400:400" "$tmp/face.png"
ffmpeg -loglevel error -y -loop 1 -framerate 25 -i "$tmp/face.png" -t 1.6 \
	-vf "crop=240:240:x='80-12*clip(n-15\,0\,6)':y=60,noise=alls=4:allf=t" -c:v libx264 -crf 12 -pix_fmt yuv420p \
	"$tmp/in.mp4"

run "$BENJAMIN" swap --star "$star" --stars 6 --in "$tmp/in.mp4" --out "$tmp/out.mp4" --json
expect "swap a still and darting head" 0 -
check "the frames swapped, the texture measured" /usr/bin/python3 -c "
import json
d = json.load(open('$tmp/out'))
assert d['frames'] == 40 and d['swapped'] >= 38, (d['swapped'], d['frames'])
assert d['texture'] > 0, d"
check "the face stays still, follows the dart at once and stops with it" /usr/bin/python3 -c "
import cv2, numpy as np
def frames(p):
    c = cv2.VideoCapture(p); out = []
    while True:
        ok, f = c.read()
        if not ok: return out
        out.append(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY).astype(np.float32))
a, b = frames('$tmp/in.mp4'), frames('$tmp/out.mp4')
assert len(a) == len(b) == 40
# the face's middle (the picture moves 72 px right between frames 15 and 21)
def change(fr, i, x0):
    return np.abs(fr[i][70:170, x0:x0 + 100] - fr[i - 1][70:170, x0:x0 + 100]).mean()
still_in = np.mean([change(a, i, 70) for i in range(3, 15)])
still_out = np.mean([change(b, i, 70) for i in range(3, 15)])
after_in = np.mean([change(a, i, 70 + 72) for i in range(24, 40)])
after_out = np.mean([change(b, i, 70 + 72) for i in range(24, 40)])
assert still_out < 1.15 * still_in, ('still', still_out, still_in)
assert after_out < 1.15 * after_in, ('after the dart', after_out, after_in)
# through the dart the swapped face moves as the picture does: its middle,
# shifted back by the picture's motion, matches the frame before the dart
# (the old filters trailed it by 10-17 grey levels of difference here)
shift = lambda i: 12 * min(max(i - 15, 0), 6)
def off(fr, i):
    return np.abs(fr[i][80:160, 80 + shift(i):150 + shift(i)] - fr[14][80:160, 80:150]).mean()
lag = [off(b, i) - off(a, i) for i in range(16, 21)]
assert max(lag) < 3, ('dart', lag)"
finish
