"""Times OpenCV's CascadeClassifier.detectMultiScale(grey, 1.1, 3) on a grey PNG
with 2 threads; prints the number of faces, then the median ms as the last line.
Usage: faces.py CASCADE.xml GREY.png.  Exits 3 when OpenCV is not installed."""
import sys
import time

try:
    import cv2
except ImportError:
    sys.exit(3)

cv2.setNumThreads(2)
cascade = cv2.CascadeClassifier(sys.argv[1])
grey = cv2.imread(sys.argv[2], cv2.IMREAD_GRAYSCALE)
faces = cascade.detectMultiScale(grey, 1.1, 3)
times = []
for _ in range(11):
    t = time.perf_counter()
    cascade.detectMultiScale(grey, 1.1, 3)
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(len(faces))
print(times[len(times) // 2])
