"""The swap autoencoder's augmentation as faceswap-GAN and DeepFaceLab do it
with OpenCV, on the crops of a benjamin face-crop file: per face a random
similarity (rotation +-10 degrees, scale +-5 %, shift +-5 %) by cv2.warpAffine,
a flip, a small colour jitter, and the random warp (a 5 x 5 lattice of points
moved by a normal of 2 % of the side, resized to a per-pixel map with
cv2.resize INTER_CUBIC, applied with cv2.remap); the target is the moved face,
the mask and a weight map (eyes and mouth x3) moved alike; the batch made NCHW
float32 in [0, 1].  Prints the median milliseconds per batch.
Usage: swap_augment.py CROPS BATCH THREADS.  Exits 3 when OpenCV is missing."""
import json
import struct
import sys
import time

try:
    import cv2
    import numpy as np
except ImportError:
    sys.exit(3)

path, batch, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cv2.setNumThreads(threads)
raw = open(path, "rb").read()
(n_header,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n_header])
base = 8 + n_header


def tensor(name, dtype):
    t = header[name]
    a, b = t["data_offsets"]
    return np.frombuffer(raw[base + a:base + b], dtype=dtype).reshape(t["shape"])


crops = tensor("crops", np.uint8)
landmarks = tensor("landmarks", np.float32)
n, size = crops.shape[0], crops.shape[1]

# masks and weight maps once per crop, as benjamin makes them once per crop
masks = np.zeros((n, size, size), np.uint8)
feats = np.zeros((n, size, size), np.uint8)
for i in range(n):
    lm = landmarks[i]
    cv2.fillConvexPoly(masks[i], cv2.convexHull(lm[:27].astype(np.int32)), 255)
    for a, b in ((36, 42), (42, 48), (48, 60)):
        cv2.fillConvexPoly(feats[i], cv2.convexHull(lm[a:b].astype(np.int32)), 255)

rng = np.random.default_rng(1)
grid = np.linspace(0, size - 1, 5)
gx, gy = np.meshgrid(grid, grid)


def one(i):
    c = (size - 1) / 2
    m = cv2.getRotationMatrix2D((c, c), rng.uniform(-10, 10), 1 + rng.uniform(-0.05, 0.05))
    m[:, 2] += rng.uniform(-0.05, 0.05, 2) * size
    img, mask, feat = crops[i], masks[i], feats[i]
    if rng.random() < 0.5:
        img, mask, feat = img[:, ::-1], mask[:, ::-1], feat[:, ::-1]
    flags = dict(flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    target = cv2.warpAffine(np.ascontiguousarray(img), m, (size, size), **flags)
    mask = cv2.warpAffine(np.ascontiguousarray(mask), m, (size, size), **flags)
    feat = cv2.warpAffine(np.ascontiguousarray(feat), m, (size, size), **flags)
    sigma = 0.02 * size
    mx = cv2.resize((gx + rng.normal(0, sigma, gx.shape)).astype(np.float32), (size, size),
                    interpolation=cv2.INTER_CUBIC)
    my = cv2.resize((gy + rng.normal(0, sigma, gy.shape)).astype(np.float32), (size, size),
                    interpolation=cv2.INTER_CUBIC)
    inp = cv2.remap(target, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    t = target.astype(np.float32) / 255
    x = inp.astype(np.float32) / 255
    b, k, s = rng.uniform(-0.04, 0.04), 1 + rng.uniform(-0.08, 0.08), 1 + rng.uniform(-0.1, 0.1)
    out = []
    for v in (x, t):
        luma = v @ np.array([0.299, 0.587, 0.114], np.float32)
        v = luma[..., None] + s * (v - luma[..., None])
        out.append(np.clip((v - 0.5) * k + 0.5 + b, 0, 1).transpose(2, 0, 1))
    return out[0], out[1], mask.astype(np.float32) / 255, 1 + 2 * feat.astype(np.float32) / 255


def run():
    faces = [one(int(rng.integers(n))) for _ in range(batch)]
    return [np.stack([f[j] for f in faces]) for j in range(4)]


run()
times = []
for _ in range(15):
    t0 = time.perf_counter()
    run()
    times.append((time.perf_counter() - t0) * 1e3)
times.sort()
print(times[len(times) // 2])
