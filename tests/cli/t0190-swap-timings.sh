#!/bin/sh
# benjamin swap --json says where the wall time went: loading (models and star
# photos), the frames (of which the encoder's last flush) and the whole
# command, with the CPU seconds of all its threads.
. tests/cli/lib.sh

data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
clip=$data
data faces/star_George_W_Bush || { finish; exit; }
star=$data

ffmpeg -loglevel error -y -i "$clip" -t 1 -vf scale=240:240 -c:v libx264 -crf 12 -c:a aac "$tmp/in.mp4"
run "$BENJAMIN" swap --star "$star" --stars 4 --in "$tmp/in.mp4" --out "$tmp/out.mp4" --json
expect "swap" 0 -
check "the seconds add up" python3 -c "
import json
d = json.load(open('$tmp/out'))
load, frames, flush, whole, cpu = (d[k] for k in ('load_seconds', 'frames_seconds', 'flush_seconds', 'seconds',
                                                  'cpu_seconds'))
assert 0 < load and 0 <= flush < frames and load + frames <= whole < load + frames + 1, d
assert 0 < cpu < 2 * 4 * whole, d
assert abs(d['fps'] - d['frames'] / frames) < 0.01 * d['fps'], d"
finish
