#!/bin/sh
# benjamin train swap with its discriminators and held-out crops: the
# adversarial losses and held-out SSIM reported, the discriminators saved and
# resumed exactly across the step where the generator starts to learn from
# them, a model from before them trained on, and bad settings refused.
. tests/cli/lib.sh

sql() { # DB QUERY: run it
	python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()" "$1" "$2"
}

tensors() { # FILE: the names of a safetensors file's tensors and metadata keys, one per line
	python3 -c "
import json, struct, sys
raw = open(sys.argv[1], 'rb').read()
n, = struct.unpack('<Q', raw[:8]); h = json.loads(raw[8:8 + n])
print('\n'.join(sorted(list(h) + list(h['__metadata__']))))" "$1"
}

strip_gan() { # FILE: remove the discriminators and their keys, as files from before them were
	python3 -c "
import json, struct, sys
raw = open(sys.argv[1], 'rb').read()
n, = struct.unpack('<Q', raw[:8]); h = json.loads(raw[8:8 + n]); body = raw[8 + n:]
for k in ('holdout', 'gan_weight', 'gan_after', 'disc_width', 'disc_adam_step'):
    h['__metadata__'].pop(k, None)
out, data = {'__metadata__': h['__metadata__']}, b''
for k, v in h.items():
    if k == '__metadata__' or 'disc_' in k:
        continue
    a, b = v['data_offsets']
    out[k] = dict(v, data_offsets=[len(data), len(data) + b - a])
    data += body[a:b]
text = json.dumps(out).encode()
text += b' ' * (-len(text) % 8)
open(sys.argv[1], 'wb').write(struct.pack('<Q', len(text)) + text + data)" "$1"
}

# crops_of NAME: the crops the first run made, beside NAME's model (the face
# detection is done once: every run reads the same crops)
crops_of() {
	for f in star footage; do cp "$tmp/a.$f.crops.safetensors" "$tmp/$1.$f.crops.safetensors"; done
}

data faces/star_George_W_Bush || { finish; exit; }
star=$data
mkdir "$tmp/star"
for i in 0001 0002 0003 0004 0005; do ln -s "$PWD/$star/George_W_Bush_$i.jpg" "$tmp/star/"; done
data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
ffmpeg -loglevel error -y -i "$data" -t 1.6 -c:v libx264 -crf 14 -an "$tmp/talk.mp4"
run "$BENJAMIN" -q index "$tmp/talk.mp4" --library "$tmp/lib.db"
expect "index the talking head" 0 ""
sql "$tmp/lib.db" "INSERT INTO identities (id, name) VALUES (4, 'speaker')"
sql "$tmp/lib.db" "UPDATE tracks SET identity_id = 4"

tiny="--star $tmp/star --identity 4 --library $tmp/lib.db --width 2 --dense 8 --batch 4 --seed 3"
run "$BENJAMIN" -q train swap $tiny -o "$tmp/a.safetensors" --steps 4 --gan-after 2 --holdout 1
expect "four steps with discriminators and a crop held out" 0 -
check "the summary: adversarial losses" grep -q "; adversarial D [0-9.]* [0-9.]*, G [0-9.]* [0-9.]* (weight 0.1 from step 2)" "$tmp/out"
check "the summary: held-out SSIM" grep -q "; held-out SSIM A 0\.[0-9]* B 0\.[0-9]* (1 crops each); wrote " "$tmp/out"
tensors "$tmp/a.safetensors" >"$tmp/names"
check "the discriminators and their moments saved" grep -qx "adam_v.disc_b.conv3.bias" "$tmp/names"
check "their settings saved" test "$(grep -cx 'disc_width\|disc_adam_step\|gan_weight\|gan_after\|holdout' "$tmp/names")" = 5

# stopped before the generator sees the discriminators, resumed after
crops_of b
run "$BENJAMIN" -q train swap $tiny -o "$tmp/b.safetensors" --steps 1 --gan-after 2 --holdout 1
expect "one step" 0 -
run "$BENJAMIN" -q train swap $tiny -o "$tmp/b.safetensors" --steps 4 --resume --threads 1
expect "resumed to four on one thread" 0 -
check "resumed: the same file as a straight run" cmp -s "$tmp/a.safetensors" "$tmp/b.safetensors"
run "$BENJAMIN" -q train swap $tiny -o "$tmp/b.safetensors" --steps 5 --resume --gan-weight 0.2
expect "resume with another adversarial weight" 1 \
	"benjamin: error: '$tmp/b.safetensors': --gan-weight and --gan-after are the model's own when resuming"
run "$BENJAMIN" -q train swap $tiny -o "$tmp/b.safetensors" --steps 5 --resume --holdout 0
expect "resume with another holdout" 1 "benjamin: error: '$tmp/b.safetensors': trained holding out 1 crops, not 0"

# a model from before the discriminators trains on and gains them
cp "$tmp/a.safetensors" "$tmp/old.safetensors"
strip_gan "$tmp/old.safetensors"
check "the old model has none" test "$(tensors "$tmp/old.safetensors" | grep -c disc_)" = 0
crops_of old
run "$BENJAMIN" -q train swap $tiny -o "$tmp/old.safetensors" --steps 6 --resume --gan-after 0
expect "an old model resumed" 0 -
check "trained on" grep -q "^trained 2 steps (6 in all) .*; adversarial D .* (weight 0.1 from step 0); wrote " "$tmp/out"
check "with its discriminators now" test "$(tensors "$tmp/old.safetensors" | grep -c '^disc_a\.')" -gt 0

# no adversarial loss at all: no discriminators
crops_of plain
run "$BENJAMIN" -q train swap $tiny -o "$tmp/plain.safetensors" --steps 1 --gan-weight 0
expect "--gan-weight 0" 0 -
check "no adversarial losses reported" test "$(grep -c adversarial "$tmp/out")" = 0
check "no discriminators saved" test "$(tensors "$tmp/plain.safetensors" | grep -c disc_)" = 0

# bad settings
crops_of x
run "$BENJAMIN" -q train swap $tiny -o "$tmp/x.safetensors" --steps 2 --holdout 99
expect "holding out every crop" 1 -
check "says why" grep -q "^benjamin: error: 99 crops held out of [0-9]* and 5: none left to train on" "$tmp/err"
check "no model left behind" test ! -e "$tmp/x.safetensors"
run "$BENJAMIN" train swap $tiny -o "$tmp/x.safetensors" --gan-weight -1
expect "a negative weight" 2 -
run "$BENJAMIN" train swap $tiny -o "$tmp/x.safetensors" --gan-after x
expect "a step count that is not one" 2 -

finish
