#!/usr/bin/python3
"""faces-on-screen.py TIMELINE.json LIBRARY.db: how much of the cut shows faces.

For each kind of need (dialogue, description, action): the clips and the share
of their screen time with a tracked face on screen (a track's span, widened by
a quarter second each side: faces are sampled twice a second).  Then the cut
points against the centred windows, the seconds of footage shown twice, and
continuity within scenes.  Prints
"key value" lines for the CLI test and a reader.
"""
import json
import sqlite3
import statistics
import sys

timeline = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
tracks = {}
for shot, start, end in db.execute("SELECT shot_id, start_s, end_s FROM tracks"):
    tracks.setdefault(shot, []).append((start - 0.25, end + 0.25))


def covered(shot, t_in, t_out):
    total, end = 0.0, t_in
    for a, b in sorted(tracks.get(shot, [])):
        a, b = max(a, end, t_in), min(b, t_out)
        if b > a:
            total += b - a
            end = b
    return total / max(t_out - t_in, 1e-9)


clips = timeline["video"]
kinds = {}
for c in clips:
    why = c["why"]
    kinds.setdefault(why["need"]["kind"], []).append(
        (covered(why["shot"]["id"], c["in"], c["out"]), c["out"] - c["in"]))
for kind in ("dialogue", "description", "action"):
    v = kinds.get(kind, [])
    seconds = sum(d for _, d in v)
    share = sum(f * d for f, d in v) / seconds if seconds else 0
    print("%s_clips %d" % (kind, len(v)))
    print("%s_face %.3f" % (kind, share))

cuts = [c["why"]["cut"] for c in clips if "cut" in c["why"]]
if cuts:  # timelines cut before cut points were chosen have none
    print("cut_motion %.5f" % statistics.mean(sum(c["motion"]) / 2 for c in cuts))
    print("centred_motion %.5f" % statistics.mean(sum(c["centred"]["motion"]) / 2 for c in cuts))
    print("cut_blinks %d" % sum(c["blinks"] for c in cuts))
    print("centred_blinks %d" % sum(c["centred"]["blinks"] for c in cuts))

# frames shown twice: overlaps between clips of one shot
spans, repeated = {}, 0.0
for c in clips:
    sid = c["why"]["shot"]["id"]
    for a, b in spans.get(sid, []):
        repeated += max(0.0, min(b, c["out"]) - max(a, c["in"]))
    spans.setdefault(sid, []).append((c["in"], c["out"]))
print("repeated_seconds %.2f" % repeated)

cuts_in_scene = hops = 0
for a, b in zip(clips, clips[1:]):
    if a["scene"] == b["scene"]:
        cuts_in_scene += 1
shown, scene = set(), None
for c in clips:
    if c["scene"] != scene:
        scene, shown = c["scene"], set()
    film = c["why"]["shot"]["film"]
    hops += bool(shown) and film not in shown
    shown.add(film)
print("cuts_in_scenes %d" % cuts_in_scene)
print("new_film_cuts %d" % hops)
