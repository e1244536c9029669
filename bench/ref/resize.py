"""Times cv2.resize with INTER_LANCZOS4 on a W x H RGB frame; prints the median ms.
Usage: resize.py W H OUT_W OUT_H.  Exits 3 when OpenCV is not installed."""
import sys
import time

try:
    import cv2
    import numpy as np
except ImportError:
    sys.exit(3)

w, h, ow, oh = (int(a) for a in sys.argv[1:5])
cv2.setNumThreads(2)
i = np.arange(w * h * 3, dtype=np.int64)
img = ((i * 7 + i // (w * 3) * 3) & 0xFF).astype(np.uint8).reshape(h, w, 3)
cv2.resize(img, (ow, oh), interpolation=cv2.INTER_LANCZOS4)
times = []
for _ in range(15):
    t = time.perf_counter()
    cv2.resize(img, (ow, oh), interpolation=cv2.INTER_LANCZOS4)
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(times[len(times) // 2])
