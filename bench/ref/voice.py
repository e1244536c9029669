#!/usr/bin/python3
"""Times the reference command-line tools the voice benchmark compares with.

    voice.py flite VOICE TEXTFILE          Flite's own CLI, synthesis to a WAV
    voice.py rubberband WAV SEMITONES      the Rubber Band CLI, R3 engine, short
                                           window, formants preserved

Prints the median wall time of 5 runs (after 1 warm-up) in milliseconds as its
last line; exits 3 when the tool is not installed (flite, rubberband-cli).
"""
import shutil
import subprocess
import sys
import tempfile
import time


def main():
    tool = sys.argv[1]
    if not shutil.which(tool):
        sys.exit(3)
    out = tempfile.NamedTemporaryFile(suffix=".wav", delete=False).name
    if tool == "flite":
        cmd = ["flite", "-voice", sys.argv[2], "-f", sys.argv[3], "-o", out]
    else:
        cmd = ["rubberband", "-q", "-3", "-F", "--window-short", "-p", sys.argv[3],
               sys.argv[2], out]
    times = []
    for i in range(6):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i:
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print("%.3f" % times[len(times) // 2])


main()
