#!/bin/sh
# benjamin crops: face crops of a star's photos and of a footage identity, the
# cache file, preview sheets of augmented pairs (the same for the same seed),
# and bad input.
. tests/cli/lib.sh

sql() { # DB QUERY: run it, print the first column of the first row if any
	python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); r = c.execute(sys.argv[2]).fetchone(); c.commit()
print(r[0] if r else '')" "$1" "$2"
}

# TENSORS FILE: 'name shape' lines and the metadata, from the safetensors header
header() {
	python3 -c "
import json, struct, sys
raw = open(sys.argv[1], 'rb').read()
n, = struct.unpack('<Q', raw[:8]); h = json.loads(raw[8:8 + n])
m = h.pop('__metadata__')
for k in sorted(h): print(k, h[k]['dtype'], h[k]['shape'])
for k in sorted(m): print(k, m[k])" "$1"
}

size_of() { python3 -c "
import struct, sys
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
print('%dx%d' % struct.unpack('>II', d[16:24]))" "$1"; }

data faces/star_George_W_Bush || { finish; exit; }
star=$data
mkdir "$tmp/star"
for i in 0001 0002 0003 0004 0005 0006; do ln -s "$PWD/$star/George_W_Bush_$i.jpg" "$tmp/star/"; done
echo "not a photo" >"$tmp/star/notes.txt"
python3 -c "
import zlib, struct
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
raw = b''.join(b'\0' + b'\x80' * 300 for _ in range(100))
open('$tmp/star/grey.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 100, 100, 8, 2, 0, 0, 0))
    + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))"

run "$BENJAMIN" crops --star "$tmp/star" -o "$tmp/star.safetensors" --preview "$tmp/sheet.png" --faces 4 --seed 5
expect "crops of a star folder" 0 -
check "the summary" test "$(cat "$tmp/out")" = "$tmp/star.safetensors: 6 faces of 64 x 64; skipped 1 (1 without a face, 0 tiny, 0 turned away, 0 degenerate)
$tmp/sheet.png: 4 augmented faces (crop, input, target, mask, weight)"
check "the file's tensors and metadata" test "$(header "$tmp/star.safetensors")" = "crops U8 [6, 64, 64, 3]
frames I32 [6]
landmarks F32 [6, 68, 2]
sources U8 [$(( $(printf '%s\0' "$tmp"/star/George_W_Bush_000[1-6].jpg | wc -c) ))]
format benjamin.face_crops
size 64
skipped_degenerate 0
skipped_no_face 1
skipped_pose 0
skipped_tiny 0
version 1"
check "the sheet: 5 columns, 4 rows of 64 px" test "$(size_of "$tmp/sheet.png")" = 332x266

run "$BENJAMIN" crops "$tmp/star.safetensors" --preview "$tmp/again.png" --faces 4 --seed 5
expect "a preview of the saved crops" 0 -
check "the same seed, the same sheet" cmp -s "$tmp/sheet.png" "$tmp/again.png"
run "$BENJAMIN" crops "$tmp/star.safetensors" --preview "$tmp/other.png" --faces 4 --seed 6
check "another seed, another sheet" test "$(cmp -s "$tmp/sheet.png" "$tmp/other.png"; echo $?)" = 1

run "$BENJAMIN" crops --star "$tmp/star" -o "$tmp/big.safetensors" --size 128
expect "--size 128" 0 -
check "128 px crops" grep -q "^crops U8 \[6, 128, 128, 3\]" <<EOF2
$(header "$tmp/big.safetensors")
EOF2

# a footage identity: index two seconds of a talking head, name its track
data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
ffmpeg -loglevel error -y -i "$data" -t 2 -c:v libx264 -crf 14 -an "$tmp/talk.mp4"
run "$BENJAMIN" -q index "$tmp/talk.mp4" --library "$tmp/lib.db"
expect "index the talking head" 0 ""
sql "$tmp/lib.db" "INSERT INTO identities (id, name) VALUES (4, 'speaker')" >/dev/null
sql "$tmp/lib.db" "UPDATE tracks SET identity_id = 4" >/dev/null
faces=$(sql "$tmp/lib.db" "SELECT count(*) FROM faces f JOIN tracks t ON t.id = f.track_id WHERE t.identity_id = 4 AND f.detected = 1")
run "$BENJAMIN" crops --identity 4 --library "$tmp/lib.db" -o "$tmp/id4.safetensors"
expect "crops of a footage identity" 0 -
check "every detected face of the identity, none skipped" test "$faces" -ge 2 -a "$(cat "$tmp/out")" = \
	"$tmp/id4.safetensors: $faces faces of 64 x 64; skipped 0 (0 without a face, 0 tiny, 0 turned away, 0 degenerate)"
check "the crops name their film and frames" python3 -c "
import json, struct
raw = open('$tmp/id4.safetensors', 'rb').read()
n, = struct.unpack('<Q', raw[:8]); h = json.loads(raw[8:8 + n]); base = 8 + n
def t(name):
    a, b = h[name]['data_offsets']; return raw[base + a:base + b]
frames = struct.unpack('<%di' % $faces, t('frames'))
assert list(frames) == sorted(frames) and frames[0] >= 0 and frames[-1] < 60, frames
assert t('sources').split(b'\0')[:-1] == [b'$tmp/talk.mp4'] * $faces"

# bad input
run "$BENJAMIN" crops -o "$tmp/x.safetensors"
expect "no source" 2 -
check "no source says why" grep -q "^benjamin: error: give one of --star, --identity or a crops file" "$tmp/err"
run "$BENJAMIN" crops --identity 4 -o "$tmp/x.safetensors"
expect "--identity without --library" 2 -
run "$BENJAMIN" crops --star "$tmp/star" -o "$tmp/x.safetensors" --size 100
expect "--size 100" 2 -
check "--size 100 says why" grep -q "^benjamin: error: --size must be 64 or 128, not '100'" "$tmp/err"
run "$BENJAMIN" -q crops --star "$tmp/none" -o "$tmp/x.safetensors"
expect "a missing folder" 1 "benjamin: error: '$tmp/none': No such file or directory"
mkdir "$tmp/empty"
run "$BENJAMIN" -q crops --star "$tmp/empty" -o "$tmp/x.safetensors"
expect "a folder without faces" 1 \
	"benjamin: error: '$tmp/empty': no usable face (0 skipped: 0 without a face, 0 tiny, 0 turned away)"
run "$BENJAMIN" crops --identity 9 --library "$tmp/lib.db" -o "$tmp/x.safetensors"
expect "an identity without faces" 1 "benjamin: error: '$tmp/lib.db': identity 9 has no faces"
check "no output left behind" test ! -e "$tmp/x.safetensors"
head -c 3000 "$tmp/star.safetensors" >"$tmp/cut.safetensors"
run "$BENJAMIN" crops "$tmp/cut.safetensors" --preview "$tmp/cut.png"
expect "a truncated crops file" 1 -
check "the truncation is named" grep -q "^benjamin: error: '$tmp/cut.safetensors': " "$tmp/err"
check "no sheet left behind" test ! -e "$tmp/cut.png"

finish
