#!/bin/sh
# benjamin make with its cast, voice and swap stages: a 1-page film from a
# talking head (made small here so that the swap is quick) with the shipped
# writer and a star for one character, whose clips, and only those, get the
# star's face.  The voice stage speaks every line (lines.json = the timeline's
# dialogue = the subtitles' words; the dialogue spans are louder than the
# rest); ffprobe checks the film; the same seed elsewhere gives the same
# bytes; a second run does no work; an edited cast.json given back with --cast
# redoes the cast and what follows it only, and is used.
. tests/cli/lib.sh

data footage/talking_heads/grid/grid_bbaf2n.mp4 || { finish; exit; }
head=$data
data faces/star_George_W_Bush || { finish; exit; }
star=$data
# Only a talking head: every clip has a face to swap, whatever shots the
# director picks.
mkdir "$tmp/footage"
ffmpeg -v error -i "$head" -vf scale=240:-2 -c:a copy "$tmp/footage/head.mp4"

# The shipped writer, named: the binary may be build/asan/benjamin.
writer=$PWD/models/writer.safetensors
make_film() { # DIR [extra...]
	_dir=$1
	shift
	run "$BENJAMIN" make --footage "$tmp/footage" --writer "$writer" --pages 1 --title "The Pit" --seed 3 \
		--size 128x96 -o "$_dir" "$@"
}
# made DIR STAGE...: make.json says exactly these stages did work
made() {
	_dir=$1
	shift
	want=$*
	got=$(/usr/bin/python3 -c "import json,sys; print(' '.join(s['name'] for s in
json.load(open(sys.argv[1]))['stages'] if not s['skipped']))" "$_dir/make.json")
	[ "$got" = "$want" ] || { echo "    made: '$got', want '$want'"; return 1; }
}
# stage DIR NAME: the folder of the stage as the last run made or used it
stage() {
	/usr/bin/python3 -c "import json,sys
k=[s['key'] for s in json.load(open(sys.argv[1]+'/make.json'))['stages'] if s['name']==sys.argv[2]]
print(sys.argv[1]+'/.stages/'+sys.argv[2]+'-'+k[0][:16])" "$1" "$2"
}

# The star plays the character with the fewest lines (the shortest swap), as
# `benjamin cast` counts them in the screenplay make will write.
"$BENJAMIN" -q write --model "$writer" --pages 1 --title "The Pit" --seed 3 -o "$tmp/film.fountain" >/dev/null
"$BENJAMIN" -q cast --screenplay "$tmp/film.fountain" -o "$tmp/lines.json" >/dev/null
who=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['cast'][-1]['character'])" \
	"$tmp/lines.json")
check "somebody speaks" test -n "$who"

make_film "$tmp/a" --star "$who=$star"
expect "make a film with a star" 0 -
check "every stage is made, cast voice and swap among them" made "$tmp/a" write index cast voice cut swap render report
check "the progress names the stages" grep -q "^make: stage 7/8 render" "$tmp/err"
check "the screenplay is the one cast" cmp -s "$tmp/a/film.fountain" "$tmp/film.fountain"
check "the cast binds the star to $who" /usr/bin/python3 -c "import json,sys
c=[r for r in json.load(open(sys.argv[1]))['cast'] if r.get('star')]
sys.exit(not (len(c)==1 and c[0]['character']==sys.argv[2] and c[0]['star'].endswith('star_George_W_Bush')))" \
	"$tmp/a/cast.json" "$who"
swaps=$(stage "$tmp/a" swap)/swaps.json
check "only $who's clips are swapped, each" /usr/bin/python3 -c "import json,sys
s=json.load(open(sys.argv[1]))['swaps']; t=json.load(open(sys.argv[2]))['video']
mine=[i for i,v in enumerate(t) if v.get('why',{}).get('need',{}).get('character')==sys.argv[3]]
sys.exit(not s or [x['clip'] for x in s]!=mine)" "$swaps" "$tmp/a/timeline.json" "$who"
check "the timeline shows the swapped clips" grep -q '"media": ".stages/swap-' "$tmp/a/timeline.json"
first=$(/usr/bin/python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['swaps'][0]
print('%s %s %s' % (s['media'], s['source'], s['media_at']))" "$swaps")
set -- $first
ffmpeg -v error -i "$(stage "$tmp/a" swap)/$1" -frames:v 1 -f rawvideo -pix_fmt gray "$tmp/swapped.raw"
ffmpeg -v error -ss "$3" -i "$2" -frames:v 1 -f rawvideo -pix_fmt gray "$tmp/source.raw"
check "a swapped clip's picture is not its source's" /usr/bin/python3 -c "import sys
a=open(sys.argv[1],'rb').read(); b=open(sys.argv[2],'rb').read()
d=sum(abs(x-y) for x,y in zip(a,b))/max(len(a),1); print('    mean difference %.2f' % d)
sys.exit(not (len(a)==len(b) and d>0.5))" "$tmp/swapped.raw" "$tmp/source.raw"

mp4=$tmp/a/film.mp4
probe() { ffprobe -v error -show_entries "$1" -of default=nw=1:nk=1 "$mp4"; }
check "video and audio streams" test "$(probe stream=codec_name | tr '\n' ' ')" = "h264 aac "
tl_len=$(/usr/bin/python3 -c "import json,sys; t=json.load(open(sys.argv[1]))
ends=[v['at']+(v['duration'] if 'duration' in v else v['out']-v['in']) for v in t['video']]
for k in ('title_card','credits'):
    if k in t: ends.append(t[k]['at']+t[k]['duration'])
print(max(ends))" "$tmp/a/timeline.json")
len=$(probe format=duration)
check "duration $len within 10 % of the timeline's $tl_len" \
	/usr/bin/python3 -c "import sys; a,b=map(float,sys.argv[1:]); sys.exit(abs(a-b)>0.1*b)" "$len" "$tl_len"
voiced=$(/usr/bin/python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['lines']))" \
	"$(stage "$tmp/a" voice)/lines.json")
lines=$(/usr/bin/python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['dialogue']))" \
	"$tmp/a/timeline.json")
check "the voice stage spoke lines ($voiced)" test "$voiced" -gt 0
check "timeline lines ($lines) = voiced lines ($voiced)" test "$lines" = "$voiced"
check "each line is spoken over its character's clips, start to end" /usr/bin/python3 -c "import json,sys
t=json.load(open(sys.argv[1])); v=json.load(open(sys.argv[2]))['lines']
clips=[(c['at'], c['at']+c['out']-c['in'], c['why']['need'].get('character')) for c in t['video']]
def covered(a, b, who):
    while a < b - 1e-3:
        c=[x for x in clips if x[0] <= a + 1e-3 < x[1] and x[2] == who]
        if not c: return False
        a=c[0][1]
    return True
sys.exit(not all(covered(d['at'], d['at']+l['duration'], d['character']) for d,l in zip(t['dialogue'], v)))" \
	"$tmp/a/timeline.json" "$(stage "$tmp/a" voice)/lines.json"
# A long line is split into several cues (<= 42 characters, <= 2 lines each):
# the cues hold the words of the lines, in order.
check "the subtitles are the spoken lines" /usr/bin/python3 -c "import json,sys,re
t=json.load(open(sys.argv[1])); srt=open(sys.argv[2]).read().split('\n\n')
cues=[' '.join(b.strip().split('\n')[2:]) for b in srt if '-->' in b]
want=' '.join(d['text'] for d in t['dialogue']).split(); got=' '.join(cues).split()
print('    %d cues for %d lines' % (len(cues), len(t['dialogue']))); sys.exit(want!=got)" \
	"$tmp/a/timeline.json" "$tmp/a/film.srt"
check "AI-generated tag" sh -c "ffprobe -v error -show_entries format_tags=comment -of default=nw=1:nk=1 '$mp4' | grep -q '^AI-generated'"
ffmpeg -v error -i "$mp4" -ac 1 -ar 8000 -f s16le "$tmp/film.pcm"
check "the dialogue is louder than the rest (the voices are in the film)" /usr/bin/python3 -c "
import json,sys,array,math
t=json.load(open(sys.argv[1])); a=array.array('h'); a.frombytes(open(sys.argv[2],'rb').read())
inside=[0]*len(a)
for d in t['dialogue']:
    end=d['at']+(d['words'][-1]['end'] if d.get('words') else 1)
    for i in range(int(d['at']*8000), min(len(a), int(end*8000))): inside[i]=1
start=int(t['title_card']['at']+t['title_card']['duration'])*8000 if 'title_card' in t else 0
stop=int(t['credits']['at']*8000) if 'credits' in t else len(a)
def rms(w): s=[a[i] for i in range(start,stop) if inside[i]==w]; return math.sqrt(sum(x*x for x in s)/max(len(s),1))
d,r=rms(1),rms(0); print('    dialogue rms %.0f, rest %.0f' % (d,r)); sys.exit(not d>2*r)" "$tmp/a/timeline.json" "$tmp/film.pcm"

make_film "$tmp/a" --star "$who=$star"
expect "a second run" 0 -
check "a second run does no work" made "$tmp/a"

make_film "$tmp/b" --star "$who=$star"
expect "the same film again elsewhere" 0 -
check "the same seed gives the same bytes" cmp -s "$tmp/a/film.mp4" "$tmp/b/film.mp4"

# The director recasts: another voice for the lead and no star, given back
# with --cast.
/usr/bin/python3 -c "import json,sys
c=json.load(open(sys.argv[1])); c['cast'][0]['voice']='awb'; c['cast'][0]['pitch']=-3
for r in c['cast']: r.pop('star', None)
json.dump(c, open(sys.argv[2],'w'), indent=2)" "$tmp/a/cast.json" "$tmp/edited.json"
make_film "$tmp/a" --cast "$tmp/edited.json"
expect "make with an edited cast" 0 -
check "an edited cast redoes the cast and what follows only" made "$tmp/a" cast voice cut swap render report
check "the voices follow the edited cast" /usr/bin/python3 -c "import json,sys
l=json.load(open(sys.argv[1]))['lines']; c=json.load(open(sys.argv[2]))['cast'][0]['character']
v=[x['voice'] for x in l if x['character']==c]; sys.exit(not v or any(x['base']!='awb' for x in v))" \
	"$(stage "$tmp/a" voice)/lines.json" "$tmp/edited.json"
check "no star: nothing swapped" grep -q '"swaps": \[\]' "$(stage "$tmp/a" swap)/swaps.json"

echo '{"cast": [{"character": "X", "voice": "nobody"}]}' >"$tmp/bad.json"
make_film "$tmp/a" --cast "$tmp/bad.json"
expect "a bad cast.json" 1 -
check "a bad cast.json is named" grep -q "^benjamin: error: cast: '$tmp/bad.json': character 'X': unknown voice 'nobody'; see 'benjamin voices'$" "$tmp/err"
make_film "$tmp/a" --star "NOBODY=$star"
expect "a star for nobody" 1 -
check "a star for nobody is named" grep -q "^benjamin: error: cast: star 'NOBODY': no character 'NOBODY' speaks in the screenplay$" "$tmp/err"
run "$BENJAMIN" make --footage "$tmp/footage" -o "$tmp/c" --voice-like "x.wav"
expect "--voice-like needs a name" 2 -

finish
