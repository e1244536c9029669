"""Times dlib's 68-point shape predictor (bench/ref/landmarks_dlib.cpp, built on
first use) on the faces in LIST ("IMAGE LEFT TOP RIGHT BOTTOM" lines); prints
the median milliseconds per face.  Usage: landmarks.py LIST REPEATS THREADS.
Exits 3 when libdlib-dev or the model is not installed."""
import os
import subprocess
import sys

MODEL = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"
here = os.path.dirname(os.path.abspath(__file__))
build = subprocess.run([os.path.join(here, "build_landmarks_dlib.sh")],
                       capture_output=True, text=True)
if build.returncode != 0 or not os.path.exists(MODEL):
    sys.exit(3)
binary = os.path.join(here, "..", "..", build.stdout.strip())
out = subprocess.run([binary, MODEL] + sys.argv[1:4], capture_output=True, text=True, check=True)
print(out.stdout.strip().splitlines()[-1].split()[1])
