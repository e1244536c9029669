#!/bin/sh
# The writer's "done when" with a real model (not part of make check: a 2x512
# model writes ~150 pages here).  N screenplays (default 50) with different
# seeds, briefs (title, line, prop, action) and lengths (1-5 pages); counts how
# many parse, meet their brief (`benjamin write --check`), run the pages asked
# within one (and exactly), and print to PDFs with the right pages, margins and
# indents (tests/cli/write-pdf.awk over pdftotext -bbox); the model's validation
# bits/char from its learning curve; the sampler's work; one screenplay to read.
#
#   bench/write_check.sh MODEL [N] [BUILD]
#
# A model from the screenplays (research use only: never commit it):
#   build/benjamin train writer --corpus ../shared/data/text/screenplays/ \
#       --val-corpus ../shared/data/text/screenplays-val/ -o writer.safetensors --minutes 20
# Output goes to $OUT (default /tmp/benjamin-write-check).
set -u
model=${1:?usage: bench/write_check.sh MODEL [N] [BUILD]}
n=${2:-50}
build=${3:-build}
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/benjamin-write-check}
mkdir -p "$out"
b=$build/benjamin

line_of() { case $(($1 % 10)) in
	0) echo "I don't know what you mean.";; 1) echo "Where is everybody?";;
	2) echo "You should have told me about the ship.";; 3) echo "We have to go back.";;
	4) echo "It's not a dream.";; 5) echo "Nobody leaves this room.";;
	6) echo "How long have I been asleep?";; 7) echo "Turn it off.";;
	8) echo "That's impossible, the door was locked.";; *) echo "Listen to me.";; esac; }
prop_of() { case $(($1 % 10)) in
	0) echo "a red umbrella";; 1) echo "knife";; 2) echo "the lantern";; 3) echo "a light bulb";;
	4) echo "a wedding ring";; 5) echo "the radio";; 6) echo "a map";; 7) echo "an old photograph";;
	8) echo "the keys";; *) echo "a gun";; esac; }
action_of() { case $(($1 % 10)) in
	0) echo "The lights go out.";; 1) echo "She opens the door.";; 2) echo "He sits down slowly.";;
	3) echo "Rain hammers the windows.";; 4) echo "A phone rings somewhere.";;
	5) echo "They stare at each other.";; 6) echo "The ship shudders.";;
	7) echo "Somebody laughs in the dark.";; 8) echo "Snow falls on the street.";;
	*) echo "He runs.";; esac; }
title_of() { echo "Sunspring $1"; }

parsed=0 met=0 within=0 exact=0 printed=0 drawn=0 paras=0 redrawn=0 repaired=0 fallbacks=0
asked_pages=0 start=$(date +%s)
for seed in $(seq 1 "$n"); do
	pages=$((1 + (seed - 1) % 5))
	asked_pages=$((asked_pages + pages))
	line=$(line_of "$seed") prop=$(prop_of "$seed") action=$(action_of "$seed")
	f=$out/film-$seed
	if ! "$b" -v write --model "$model" -o "$f.fountain" --pdf "$f.pdf" --title "$(title_of "$seed")" \
		--line "$line" --prop "$prop" --action "$action" --pages "$pages" --seed "$seed" \
		>"$out/out" 2>"$out/err"; then
		echo "seed $seed: write failed: $(cat "$out/err")"
		continue
	fi
	info=$(grep '^benjamin: info: drew' "$out/err")
	set -- $(echo "$info" | sed 's/[^0-9 .]//g')
	drawn=$((drawn + $1)) paras=$((paras + $2)) redrawn=$((redrawn + $3))
	repaired=$((repaired + $4)) fallbacks=$((fallbacks + $5))
	got=$(sed -n 's/^wrote .*: \([0-9]*\) pages\?, .*/\1/p' "$out/out")
	"$b" write --check "$f.fountain" --title "$(title_of "$seed")" --line "$line" --prop "$prop" \
		--action "$action" --pages "$pages" --cast 3 >"$out/check" 2>&1
	case $? in
	0) parsed=$((parsed + 1)) met=$((met + 1)) ;;
	1) grep -q '^FAIL' "$out/check" && parsed=$((parsed + 1))
	   echo "seed $seed: $(grep FAIL "$out/check" | tr '\n' ' ')" ;;
	*) echo "seed $seed: $(cat "$out/check")" ;;
	esac
	[ "$got" = "$pages" ] && exact=$((exact + 1))
	[ "$got" -ge $((pages - 1)) ] && [ "$got" -le $((pages + 1)) ] && within=$((within + 1))
	if pdftotext -bbox "$f.pdf" - | awk -f tests/cli/write-pdf.awk -v pages="$got" \
		-v lw="${line%% *}" -v aw="${action%% *}" >"$out/pdf.log"; then
		printed=$((printed + 1))
	else
		echo "seed $seed: pdf: $(cat "$out/pdf.log")"
	fi
done
took=$(($(date +%s) - start))
csv=${model%.safetensors}.csv
bpc=$(awk -F, 'NR > 1 && $6 != "" { v = $6 } END { print v }' "$csv" 2>/dev/null)
echo "screenplays:        $n (asked $asked_pages pages in all, 1-5 each)"
echo "parse:              $parsed/$n"
echo "meet the brief:     $met/$n (title, line, prop, action, title page, heading first,"
echo "                    dialogue under every cue, cast <= 3, pages within one)"
echo "pages within one:   $within/$n ($exact exactly as asked)"
echo "PDFs laid out:      $printed/$n (page count, margins, dialogue and action indents)"
echo "sampler:            $drawn characters drawn for $paras paragraphs kept;" \
	"$redrawn drawn again, $repaired repaired, $fallbacks by the fallback"
echo "time:               ${took}s ($(awk -v t="$took" -v p="$asked_pages" 'BEGIN { printf "%.1f", t / p }') s a page)"
echo "validation:         ${bpc:-?} bits/char (last validation in $csv)"
echo "a screenplay:       $out/film-3.fountain"
