#!/bin/sh
# benjamin cast: characters (most lines first) to identities (best screen
# time + frontal close-ups + speech first, each once while there are enough),
# stars (named, or the lead without one) and voices (as `benjamin voice`
# chooses them); cast.json read back by `voice --cast` and `cut --cast`;
# the same inputs give the same bytes; bad input.
. tests/cli/lib.sh

run "$BENJAMIN" cast --help
expect "cast --help" 0 ""
check "cast --help shows its synopsis" grep -q "^usage: benjamin cast --screenplay" "$tmp/out"
run "$BENJAMIN" cast -o "$tmp/x.json"
expect "no screenplay" 2 -
check "no screenplay is named" grep -q "^benjamin: error: no screenplay given (--screenplay)" "$tmp/err"
run "$BENJAMIN" cast --screenplay "$tmp/none.fountain" -o "$tmp/x.json"
expect "a missing screenplay" 1 -
check "the missing screenplay is named" grep -q "^benjamin: error: '$tmp/none.fountain'" "$tmp/err"

cat >"$tmp/film.fountain" <<'FOUNTAIN'
Title: Casting

INT. ROOM - NIGHT

HAL
I am here.

EVE
Who is there?

BOB
Nobody.

EVE
Then who spoke?

BOB (V.O.)
The house.

EVE
I do not believe you.
FOUNTAIN
printf 'Title: Quiet\n\nINT. ROOM - DAY\n\nNobody says a thing.\n' >"$tmp/quiet.fountain"
run "$BENJAMIN" cast --screenplay "$tmp/quiet.fountain" -o "$tmp/x.json"
expect "nobody speaks" 1 "benjamin: error: '$tmp/quiet.fountain': nobody speaks: no one to cast"
check "nothing written" test ! -e "$tmp/x.json"

data footage/talking_heads/grid/grid_bbaf2n.mp4 || { finish; exit; }
"$BENJAMIN" -q index --no-faces "$data" --library "$tmp/lib.db" >/dev/null 2>&1
# Identities as the faces stage would leave them: 1 is on screen 10 s, silent;
# 2 only 4 s, but speaking and in 3 frontal close-ups (4 + 2 * 1.5 + 4 = 11);
# 3 is on 6 s, in profile; 4 never.
/usr/bin/python3 - "$tmp/lib.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
film, shot = c.execute("SELECT film_id, id FROM shots").fetchone()
c.execute("UPDATE shots SET speech = 0 WHERE id = ?", (shot,))
c.execute("INSERT INTO shots (film_id, number, start_frame, end_frame, start_s, end_s, speech)"
          " VALUES (?, 99, 0, 100, 0, 4, 1.0)", (film,))
talk = c.execute("SELECT id FROM shots WHERE number = 99").fetchone()[0]
c.executemany("INSERT INTO identities (id, name) VALUES (?, ?)", [(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')])
def track(ident, s, secs):
    c.execute("INSERT INTO tracks (shot_id, identity_id, start_frame, end_frame, start_s, end_s)"
              " VALUES (?, ?, 0, 10, 0, ?)", (s, ident, secs))
    return c.execute("SELECT max(id) FROM tracks").fetchone()[0]
track(1, shot, 10.0)
t2 = track(2, talk, 4.0)
for k in range(3):
    c.execute("INSERT INTO faces (shot_id, track_id, frame, x, y, w, h, yaw, pitch)"
              " VALUES (?, ?, ?, 0.3, 0.2, 0.3, 0.4, 5, -3)", (talk, t2, k))
t3 = track(3, shot, 6.0)
c.execute("INSERT INTO faces (shot_id, track_id, frame, x, y, w, h, yaw, pitch)"
          " VALUES (?, ?, 0, 0.3, 0.2, 0.3, 0.4, 60, 0)", (shot, t3))
c.commit()
PY
data faces/star_George_W_Bush || { finish; exit; }
star=$data

cast() { run "$BENJAMIN" cast --screenplay "$tmp/film.fountain" --library "$tmp/lib.db" "$@"; }
# roles FILE: "CHARACTER:LINES:IDENTITY:STAR" per role, in order
roles() {
	/usr/bin/python3 -c "import json,sys
print(' '.join('%s:%d:%s:%s' % (r['character'], r['lines'], r['identity'], 'star' if r.get('star') else '-')
for r in json.load(open(sys.argv[1]))['cast']))" "$1"
}

cast --star "BOB=$star" --seed 4 -o "$tmp/cast.json"
expect "cast" 0 ""
check "most lines first; identities by score; the star on BOB" \
	test "$(roles "$tmp/cast.json")" = "EVE:3:2:- BOB:2:1:star HAL:1:3:-"
check "the star's folder is absolute" grep -q "\"star\": \"/.*star_George_W_Bush\"" "$tmp/cast.json"
cast --star "BOB=$star" --seed 4 -o "$tmp/again.json"
check "the same inputs give the same bytes" cmp -s "$tmp/cast.json" "$tmp/again.json"

cast --star "$star" -o "$tmp/lead.json"
expect "a star without a name" 0 ""
check "a star without a name goes to the lead" test "$(roles "$tmp/lead.json")" = "EVE:3:2:star BOB:2:1:- HAL:1:3:-"

/usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM tracks WHERE identity_id = 3'); c.commit()" "$tmp/lib.db"
cast -o "$tmp/two.json"
check "with two identities for three, the best plays again" test "$(roles "$tmp/two.json")" = "EVE:3:2:- BOB:2:1:- HAL:1:2:-"
run "$BENJAMIN" cast --screenplay "$tmp/film.fountain" -o "$tmp/nolib.json"
check "without a library nobody has an identity" test "$(roles "$tmp/nolib.json")" = "EVE:3:None:- BOB:2:None:- HAL:1:None:-"

# The readers: voice --cast speaks with the voices cast.json names, cut --cast
# reads the identities.
run "$BENJAMIN" voice --script "$tmp/film.fountain" --cast "$tmp/cast.json" --seed 9 -o "$tmp/voices"
expect "voice --cast cast.json" 0 -
check "the voices are cast.json's, whatever the seed" /usr/bin/python3 -c "import json,sys
c={r['character']: r for r in json.load(open(sys.argv[1]))['cast']}
l=json.load(open(sys.argv[2]))['lines']
sys.exit(any(x['voice']['base']!=c[x['character']]['voice'] or abs(x['voice']['pitch']-c[x['character']]['pitch'])>1e-9 for x in l))" \
	"$tmp/cast.json" "$tmp/voices/lines.json"
run "$BENJAMIN" cut --screenplay "$tmp/film.fountain" --library "$tmp/lib.db" --cast "$tmp/cast.json" \
	--voices "$tmp/voices/lines.json" -o "$tmp/timeline.json"
expect "cut --cast cast.json" 0 -
check "the cut looks for the identities cast" /usr/bin/python3 -c "import json,sys
n=[v['why']['need'] for v in json.load(open(sys.argv[1]))['video'] if v['why']['need']['kind']=='dialogue']
want={'EVE': 2, 'BOB': 1, 'HAL': 3}
sys.exit(not n or any(x.get('identity')!=want[x['character']] for x in n))" "$tmp/timeline.json"

cast --voice-like "HAL=$tmp/voices/0003-bob.wav" -o "$tmp/like.json"
expect "--voice-like" 0 -
check "HAL's voice is matched to the sample" /usr/bin/python3 -c "import json,sys
r=[r for r in json.load(open(sys.argv[1]))['cast'] if r['character']=='HAL'][0]
sys.exit(not r.get('like','').endswith('0003-bob.wav'))" "$tmp/like.json"

cast --star "NOBODY=$star" -o "$tmp/x.json"
expect "a star for nobody" 1 "benjamin: error: star 'NOBODY': no character 'NOBODY' speaks in the screenplay"
cast --star "BOB=$tmp/none" -o "$tmp/x.json"
expect "a missing star folder" 1 "benjamin: error: star '$tmp/none': No such file or directory"
cast --star "BOB=$star" --star "bob=$star" -o "$tmp/x.json"
expect "two stars for one" 1 "benjamin: error: star '$star': BOB has a star already"
cast --voice-like "HAL" -o "$tmp/x.json"
expect "--voice-like without a name" 2 -
check "nothing written on errors" test ! -e "$tmp/x.json"
echo '{"cast": [{"character": "EVE", "identity": 2, "vioce": "slt"}]}' >"$tmp/typo.json"
run "$BENJAMIN" voice --script "$tmp/film.fountain" --cast "$tmp/typo.json" -o "$tmp/v2"
expect "a misspelt key in cast.json" 1 "benjamin: error: '$tmp/typo.json': character 'EVE': unknown key 'vioce'"

finish
