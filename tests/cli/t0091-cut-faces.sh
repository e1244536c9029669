#!/bin/sh
# benjamin cut on real footage: eleven films of ../shared/data/footage indexed
# with faces and motion profiles, the first page and a half of a real
# screenplay cut against them.  Lines go to faces (99.8 % of their screen time
# here; the director before faces and cut points counted gave 62.8 %),
# descriptions keep off them (1.5 % when first measured; 6.9 % once indexing
# sampled faceless stretches once a second and clustered identities — not
# traced further; 16.5 % before the director counted faces), cut points are
# stiller
# than centred ones and off blinks, and every clip says why.
. tests/cli/lib.sh

mkdir -p "$tmp/footage"
for f in more/casablanca_1942_play_it_sam_dialogue.mp4 nosferatu_1922_excerpt_silent.mp4 \
	steamboat_willie_1928_excerpt.mp4 more/bw_feature_c1951_office_scene_silent.mp4 \
	talking_heads/grid/grid_bbaf2n.mp4 talking_heads/grid/grid_lbax4n.mp4 \
	more/roman_holiday_1953_hepburn_cu_silent.mp4 blackjournal_ep67_angela_davis_interview.mp4 \
	more/a_bomb_blast_effects_1950s_excerpt_silent.mp4 \
	more/ucl_old_film_coursework_3shots_silent.mp4 \
	more/breakfast_at_tiffanys_1961_trailer_excerpt.mp4; do
	data "footage/$f" || { finish; exit; }
	ln -s "$PWD/$data" "$tmp/footage/"
done
data text/fountain/my_living_memory.fountain || { finish; exit; }
head -60 "$data" >"$tmp/film.fountain"

run "$BENJAMIN" -q index "$tmp/footage" --library "$tmp/lib.db"
expect "index eleven films" 0 ""
check "every shot has a motion value per frame" /usr/bin/python3 -c "import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
sys.exit(db.execute('SELECT count(*) FROM shots WHERE length(motion_profile) !='
                    ' end_frame - start_frame + 1 OR motion_profile IS NULL').fetchone()[0] != 0)" \
	"$tmp/lib.db"

start=$(date +%s%N)
run "$BENJAMIN" cut --screenplay "$tmp/film.fountain" --library "$tmp/lib.db" \
	-o "$tmp/timeline.json" --seed 1
expect "cut the screenplay" 0 ""
seconds=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
/usr/bin/python3 tests/cli/faces-on-screen.py "$tmp/timeline.json" "$tmp/lib.db" >"$tmp/figures"
echo "    cut in $seconds s: $(tr '\n' ' ' <"$tmp/figures")"
figure() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/figures"; }
at_least() { awk -v a="$(figure "$1")" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
at_most() { awk -v a="$(figure "$1")" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }
check "lines show a face 90 % of their time or more ($(figure dialogue_face))" at_least dialogue_face 0.9
check "descriptions show one 8 % or less ($(figure description_face))" at_most description_face 0.08
check "cut points stiller than centred ($(figure cut_motion) < $(figure centred_motion))" \
	at_most cut_motion "$(figure centred_motion)"
check "no more cuts on blinks than centred ($(figure cut_blinks), $(figure centred_blinks))" \
	at_most cut_blinks "$(figure centred_blinks)"
check "the cut takes under 3 s ($seconds)" awk -v s="$seconds" 'BEGIN { exit !(s < 3) }'

# every clip explains its faces and its cut points
cat >"$tmp/check.py" <<'EOF2'
import json, sys
for c in json.load(open(sys.argv[1]))["video"]:
    w = c["why"]
    f = w["features"]
    if w["need"]["kind"] == "dialogue":
        assert all(k in f for k in ("face", "close", "frontal", "mouth")), f
    else:
        assert "no_face" in f, f
    cut = w["cut"]
    assert abs(cut["in"] - c["in"]) < 1e-3 and abs(cut["out"] - c["out"]) < 1e-3, (cut, c)
    assert len(cut["motion"]) == 2 and "blinks" in cut and "face" in cut and "centred" in cut
    total = sum(v["value"] * v["weight"] for v in f.values())
    assert abs(total - w["total"]) < 1e-3, (total, w["total"])
EOF2
check "every clip explains its faces and cut points" /usr/bin/python3 "$tmp/check.py" "$tmp/timeline.json"
finish
