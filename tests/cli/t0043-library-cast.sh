#!/bin/sh
# benjamin library cast: the talking heads (grid: 10 speakers in 11 clips,
# hdtf: 6 people in 7, Ocasio-Cortez twice) indexed into one library are one
# footage actor per person; --json, --sheet; names survive re-clustering.
. tests/cli/lib.sh

sql() { # DB QUERY: the first column of the first row
	python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$1" "$2"
}

run "$BENJAMIN" library --help
expect "library --help" 0 ""
check "library --help shows cast" grep -q "or: benjamin library cast \[LIBRARY\] \[--json\] \[--sheet CAST.jpg\]" "$tmp/out"

data footage/talking_heads || { finish; exit; }
heads=$data

run "$BENJAMIN" index "$heads/grid" "$heads/hdtf" --library "$tmp/lib.db"
expect "indexing the talking heads" 0 -
check "index reports the people found" grep -q "^1[0-9] people in the library's footage" "$tmp/out"

# who each clip shows (grid_id2_vcd_swwp2s and grid_pwij3p: one man; the two
# Ocasio-Cortez clips: one woman); every track of a clip is its person's,
# except a false detection (a neck, apart in time from nobody) in face_4
cat >"$tmp/truth.py" <<'PY'
import collections, os, sqlite3, sys
same = {"grid_pwij3p": "grid_id2_vcd_swwp2s", "videoretalking_face_3": "sadtalker_WDA_AlexandriaOcasioCortez_000"}
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT f.path, t.identity_id FROM tracks t JOIN shots s ON s.id = t.shot_id JOIN films f ON f.id = s.film_id").fetchall()
people = collections.defaultdict(set)
members = collections.defaultdict(set)
for path, identity in rows:
    who = os.path.basename(path)[:-4]
    who = same.get(who, who)
    members[identity].add(who)
    people[who].add(identity)
pure = sum(1 for m in members.values() if len(m) == 1)
print(len(people), len(members), pure, sum(1 for p in people.values() if len(p) == 1), len(rows))
PY
python3 "$tmp/truth.py" "$tmp/lib.db" >"$tmp/truth"
read persons identities pure whole tracks <"$tmp/truth"
echo "# $tracks tracks of $persons people: $identities identities, $pure pure, $whole people in one identity"
check "16 people in the clips" test "$persons" = 16
check "no identity holds two people (purity 1)" test "$pure" = "$identities"
check "16 or 17 identities (one false detection)" test "$identities" -ge 16 -a "$identities" -le 17
check "at least 15 of 16 people whole in one identity" test "$whole" -ge 15
check "Ocasio-Cortez's two videos are one identity" test "$(sql "$tmp/lib.db" \
	"SELECT count(DISTINCT t.identity_id) FROM tracks t JOIN shots s ON s.id = t.shot_id JOIN films f ON f.id = s.film_id
	 WHERE f.path LIKE '%OcasioCortez%' OR f.path LIKE '%face_3.mp4'")" = 1
check "every identity has a thumbnail and its counts" test "$(sql "$tmp/lib.db" \
	"SELECT count(*) FROM identities WHERE thumbnail IS NOT NULL AND n_tracks >= 1 AND screen_time > 0")" = "$identities"

run "$BENJAMIN" library cast "$tmp/lib.db"
expect "library cast" 0 ""
check "a table with a row per identity" test "$(grep -cE '^[0-9]+ +[0-9]+:' "$tmp/out")" = "$identities"
check "the summary line" grep -q "^$identities footage actors" "$tmp/out"

run "$BENJAMIN" library cast --library "$tmp/lib.db" --json --sheet "$tmp/cast.jpg" --faces 4
expect "library cast --json --sheet" 0 ""
check "JSON by screen time, with ids and counts" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert len(a) == int(sys.argv[2])
assert all(x["screen_time"] >= y["screen_time"] for x, y in zip(a, a[1:]))
assert all(set(x) >= {"id", "screen_time", "tracks", "shots", "films", "face"} for x in a)
assert a[0]["films"] == 2' "$tmp/out" "$identities"
check "the sheet is a JPEG" python3 -c 'import sys; assert open(sys.argv[1], "rb").read(3) == b"\xff\xd8\xff"' "$tmp/cast.jpg"

# a name given to an identity passes to its successor when indexing re-clusters
aoc=$(sql "$tmp/lib.db" "SELECT t.identity_id FROM tracks t JOIN shots s ON s.id = t.shot_id JOIN films f ON f.id = s.film_id WHERE f.path LIKE '%OcasioCortez%'")
python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('UPDATE identities SET name = \"Alexandria\" WHERE id = ?', (int(sys.argv[2]),)); c.commit()" "$tmp/lib.db" "$aoc"
run "$BENJAMIN" index "$heads/hdtf/videoretalking_face_3.mp4" --library "$tmp/lib.db"
expect "indexing again" 0 -
check "the same identities" test "$(sql "$tmp/lib.db" "SELECT count(*) FROM identities")" = "$identities"
check "the name kept" test "$(sql "$tmp/lib.db" "SELECT count(*) FROM identities WHERE name = 'Alexandria' AND n_films = 2")" = 1

run "$BENJAMIN" index "$heads/hdtf/videoretalking_face_1.mp4" --library "$tmp/bare.db" --no-faces
run "$BENJAMIN" library cast "$tmp/bare.db" --sheet "$tmp/none.jpg"
expect "no footage actors for a sheet" 1 "benjamin: error: no footage actors in '$tmp/bare.db': index with faces first"
check "no sheet written" test ! -e "$tmp/none.jpg"
run "$BENJAMIN" library cast "$tmp/lib.db" --faces 0
expect "--faces out of range" 2 -
run "$BENJAMIN" library ls --library "$tmp/lib.db" --sheet "$tmp/x.jpg"
expect "--sheet is for cast only" 2 -
run "$BENJAMIN" library cast "$tmp/missing.db"
expect "missing library" 1 -

finish
