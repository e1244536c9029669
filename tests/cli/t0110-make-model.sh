#!/bin/sh
# A trained swap in a film: a tiny model trained in seconds on the identity
# make's cast gave a character, named in cast.json ("model", relative to it)
# and given back with --cast: that character's clips are swapped by the model,
# another character's with a star by the one-shot swap (swaps.json says which
# made each); a retrained model file redoes the swap and what follows only; a
# model of another identity falls back to the one-shot swap with a note; a
# missing or broken model stops make with the file named.  `benjamin cast
# --model` writes the field and checks the file.
. tests/cli/lib.sh

data footage/talking_heads/grid/grid_bbaf2n.mp4 || { finish; exit; }
head=$data
data faces/star_George_W_Bush || { finish; exit; }
star=$data
mkdir "$tmp/footage" "$tmp/star"
ffmpeg -v error -i "$head" -t 1 -vf scale=240:-2 -c:a copy "$tmp/footage/head.mp4"
for i in 0001 0002 0003 0004 0005; do ln -s "$PWD/$star/George_W_Bush_$i.jpg" "$tmp/star/"; done

writer=$PWD/models/writer.safetensors
make_film() { # [extra...]
	run "$BENJAMIN" make --footage "$tmp/footage" --writer "$writer" --pages 1 --title "The Pit" --seed 3 \
		--size 128x96 -o "$tmp/a" "$@"
}
made() { # STAGE...: make.json says exactly these stages did work
	want=$*
	got=$(/usr/bin/python3 -c "import json,sys; print(' '.join(s['name'] for s in
json.load(open(sys.argv[1]))['stages'] if not s['skipped']))" "$tmp/a/make.json")
	[ "$got" = "$want" ] || { echo "    made: '$got', want '$want'"; return 1; }
}
swaps() { # the swap stage's swaps.json as the last run used it
	/usr/bin/python3 -c "import json,sys
k=[s['key'] for s in json.load(open(sys.argv[1]+'/make.json'))['stages'] if s['name']=='swap']
print(sys.argv[1]+'/.stages/swap-'+k[0][:16]+'/swaps.json')" "$tmp/a"
}
# by: each swapped clip's character and what swapped it, "model" or "one-shot"
by() {
	/usr/bin/python3 -c "import json,sys
s=json.load(open(sys.argv[1]))['swaps']; t=json.load(open(sys.argv[2]))['video']
print('\n'.join(sorted(set('%s:%s' % (t[x['clip']]['why']['need']['character'],
      'model' if x.get('by','').endswith('.safetensors') else x.get('by')) for x in s))))" \
		"$(swaps)" "$tmp/a/timeline.json"
}

make_film
expect "a film without stars" 0 -
# the model for the character with the fewest lines, a star for the one of
# the others with the fewest clips (the swaps are the test's time)
pick() { # FIELD
	/usr/bin/python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['cast']
t=json.load(open(sys.argv[2]))['video']; who=c[-1]
n=lambda r: sum(v.get('why',{}).get('need',{}).get('character')==r['character'] for v in t)
other=min(c[:-1], key=n)
print({'who': who['character'], 'id': who['identity'] or 0, 'other': other['character']}[sys.argv[3]])" \
		"$tmp/a/cast.json" "$tmp/a/timeline.json" "$1"
}
who=$(pick who) id=$(pick id) other=$(pick other)
cp "$tmp/a/cast.json" "$tmp/made.json"
check "the character with the fewest lines ($who) has an identity ($id)" test "$id" -gt 0 -a "$who" != "$other"
lib=$(ls -d "$tmp"/a/.stages/index-*/library.db)

tiny="--star $tmp/star --identity $id --library $lib --width 2 --dense 8 --batch 4"
mkdir "$tmp/cast"
run "$BENJAMIN" -q train swap $tiny -o "$tmp/cast/swap.safetensors" --steps 2 --seed 3
expect "a tiny swap trained on $who's identity" 0 -

# the director names the model for one character and a star for another
edit() { # MODEL CHARACTER: cast.json with the model for $who and the star for CHARACTER, into $tmp/cast
	/usr/bin/python3 -c "import json,sys
c=json.load(open(sys.argv[1]))
for r in c['cast']:
    if r['character']==sys.argv[2]: r['model']=sys.argv[4]
    if r['character']==sys.argv[3]: r['star']=sys.argv[5]
json.dump(c, open(sys.argv[6],'w'), indent=2)" "$tmp/made.json" "$who" "$2" "$1" "$tmp/star" "$tmp/cast/cast.json"
}
lines() { printf '%s\n' "$@" | LC_ALL=C sort; }
edit swap.safetensors ""
make_film --cast "$tmp/cast/cast.json"
expect "make with a trained model in the cast" 0 -
check "the recast redoes the cast and what follows" made cast voice cut swap render report
check "$who's clips by the model, no other's" test "$(by)" = "$who:model"
check "the model named absolutely in the stage's record" grep -q "\"by\": \"$tmp/cast/swap.safetensors\"" "$(swaps)"

run "$BENJAMIN" -q train swap $tiny -o "$tmp/cast/swap.safetensors" --steps 2 --seed 4
make_film --cast "$tmp/cast/cast.json"
expect "make after the model was trained again" 0 -
check "a changed model redoes the swap and what follows only" made swap render report

edit swap.safetensors "$other"
make_film --cast "$tmp/cast/cast.json"
expect "make with a model for one and a star for another" 0 -
check "$who's clips by the model, $other's by the one-shot swap" test "$(by)" = "$(lines "$who:model" "$other:one-shot")"
check "the film has a picture" test "$(ffprobe -v error -show_entries stream=codec_name -of default=nw=1:nk=1 \
	"$tmp/a/film.mp4" | head -n 1)" = h264

# a model of another identity: the one-shot swap from the character's star, noted
/usr/bin/python3 -c "import sys
raw=bytearray(open(sys.argv[1],'rb').read()); k=raw.index(b'\"identity\":\"%s\"' % sys.argv[2].encode())
raw[k+12:k+12+len(sys.argv[2])]=b'9'*len(sys.argv[2]); open(sys.argv[3],'wb').write(raw)" \
	"$tmp/cast/swap.safetensors" "$id" "$tmp/cast/other.safetensors"
edit other.safetensors "$who"
make_film --cast "$tmp/cast/cast.json"
expect "make with a model of another identity" 0 -
check "the note says why the model is not used" grep -q "^benjamin: warning: swap: $who: '$tmp/cast/other.safetensors' was trained on identity 9*, not the character's $id: the one-shot swap from the star's photos$" "$tmp/err"
check "$who's clips by the one-shot swap" test "$(by)" = "$who:one-shot"

head -c 3000 "$tmp/cast/swap.safetensors" >"$tmp/cast/cut.safetensors"
edit cut.safetensors "$who"
make_film --cast "$tmp/cast/cast.json"
expect "a truncated model" 1 -
check "the truncated model is named" grep -q "^benjamin: error: swap: '$tmp/cast/cut.safetensors': " "$tmp/err"
edit none.safetensors "$who"
make_film --cast "$tmp/cast/cast.json"
expect "a missing model" 1 -
check "the missing model is named" grep -q "^benjamin: error: swap: '$tmp/cast/none.safetensors'" "$tmp/err"

# benjamin cast --model
run "$BENJAMIN" -q cast --screenplay "$tmp/a/film.fountain" --library "$lib" --model "$who=$tmp/cast/swap.safetensors" \
	-o "$tmp/c.json"
expect "cast --model" 0 ""
check "cast.json names the model for $who only" /usr/bin/python3 -c "import json,sys
c=json.load(open(sys.argv[1]))['cast']
sys.exit(not [r['character'] for r in c if 'model' in r]==[sys.argv[2]] or
         [r['model'] for r in c if 'model' in r]!=[sys.argv[3]])" "$tmp/c.json" "$who" "$tmp/cast/swap.safetensors"
run "$BENJAMIN" -q cast --screenplay "$tmp/a/film.fountain" --model "$who=$tmp/cast/cut.safetensors" -o "$tmp/d.json"
expect "cast --model with a truncated model" 1 -
check "the truncated model is named, nothing written" sh -c "grep -q \"^benjamin: error: '$tmp/cast/cut.safetensors': \" '$tmp/err' && test ! -e '$tmp/d.json'"
run "$BENJAMIN" cast --screenplay "$tmp/a/film.fountain" --model "$tmp/cast/swap.safetensors" -o "$tmp/d.json"
expect "cast --model without a name" 2 -

finish
