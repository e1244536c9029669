"""Times cv2.seamlessClone (NORMAL_CLONE) of a W x H RGB picture into another
inside a disc of radius R at the centre; prints the median ms.
Usage: seamless_clone.py W H R.  Exits 3 when OpenCV is not installed."""
import sys
import time

try:
    import cv2
    import numpy as np
except ImportError:
    sys.exit(3)

w, h, r = (int(a) for a in sys.argv[1:4])
cv2.setNumThreads(2)
y, x = np.mgrid[0:h, 0:w]
src = np.stack([(60 + 50 * np.sin(0.15 * x + c) * np.cos(0.1 * y)) for c in range(3)], -1).astype(np.uint8)
dst = np.stack([(100 + 40 * np.cos(0.05 * x + c) * np.sin(0.07 * y)) for c in range(3)], -1).astype(np.uint8)
mask = (((x - w // 2) ** 2 + (y - h // 2) ** 2) < r * r).astype(np.uint8) * 255
centre = (w // 2, h // 2)
cv2.seamlessClone(src, dst, mask, centre, cv2.NORMAL_CLONE)
times = []
for _ in range(9):
    t = time.perf_counter()
    cv2.seamlessClone(src, dst, mask, centre, cv2.NORMAL_CLONE)
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(times[len(times) // 2])
