"""Times decoding a whole video with cv2.VideoCapture (to BGR, optionally resized
to WIDTH keeping the aspect ratio); prints the median ms of 5 runs.
Usage: decode.py FILE WIDTH.  Exits 3 when OpenCV is not installed."""
import sys
import time

try:
    import cv2
except ImportError:
    sys.exit(3)

path, width = sys.argv[1], int(sys.argv[2])
cv2.setNumThreads(2)


def decode():
    cap = cv2.VideoCapture(path, cv2.CAP_FFMPEG)
    n = 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if width:
            h = frame.shape[0] * width // frame.shape[1]
            frame = cv2.resize(frame, (width, h), interpolation=cv2.INTER_AREA)
        n += 1
    cap.release()
    return n


decode()
times = []
for _ in range(5):
    t = time.perf_counter()
    decode()
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(times[len(times) // 2])
