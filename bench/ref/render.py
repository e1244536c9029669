"""Times the ffmpeg tool rendering what bench_render.c renders: 8 s of FILM
from 10 s, scaled and padded into WIDTHxHEIGHT, an "AI-generated" label, a
burned subtitle, libx264 medium crf 18 + AAC, 2 threads; median ms of 3 runs.
Usage: render.py FILM WIDTH HEIGHT DIR.  Exits 3 when ffmpeg is missing."""
import shutil
import subprocess
import sys
import time

if not shutil.which("ffmpeg"):
    sys.exit(3)
film, w, h, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with open(f"{d}/ref.srt", "w") as f:
    f.write("1\n00:00:02,000 --> 00:00:04,000\nI am not a doctor.\n\n")
vf = (f"scale={w}:{h}:force_original_aspect_ratio=decrease:flags=bicubic+accurate_rnd+bitexact,"
      f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,subtitles={d}/ref.srt,"
      f"drawtext=text=AI-generated:fontcolor=white@0.8:fontsize={h // 36}:x=w-tw-10:y=h-th-10")
cmd = ["ffmpeg", "-v", "error", "-y", "-ss", "10", "-t", "8", "-i", film,
       "-i", f"{d}/line.wav", "-filter_complex", f"[0:v]{vf}[v];[1:a]adelay=2000|2000,apad[a]",
       "-map", "[v]", "-map", "[a]", "-t", "8", "-r", "25", "-c:v", "libx264", "-preset", "medium",
       "-crf", "18", "-threads", "2", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ar", "48000",
       f"{d}/ref.mp4"]


def run():
    subprocess.run(cmd, check=True)


run()
times = []
for _ in range(3):
    t = time.perf_counter()
    run()
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(times[len(times) // 2])
