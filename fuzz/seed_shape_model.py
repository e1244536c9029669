"""Writes a tiny valid dlib shape predictor (3 parts, 2 stages of 3 trees of
depth 2, 4 feature pixels a stage) to the path given: a seed for
fuzz_shape_model, small enough for libFuzzer's -max_len.
Format: see src/vision/shape_model.h (dlib's serialize.h encodings)."""
import math
import sys


def put_int(out, v):
    mag = abs(v)
    body = bytearray()
    while True:
        body.append(mag & 0xFF)
        mag >>= 8
        if mag == 0:
            break
    out.append(len(body) | (0x80 if v < 0 else 0))
    out.extend(body)


def put_float(out, f):
    frac, exp = math.frexp(f)
    put_int(out, int(frac * (1 << 24)))
    put_int(out, exp - 24)


def put_column(out, values):
    put_int(out, -len(values))
    put_int(out, -1)
    for v in values:
        put_float(out, v)


out = bytearray()
put_int(out, 1)
put_column(out, [0.3, 0.4, 0.7, 0.4, 0.5, 0.8])
stages, trees, splits, pixels = 2, 3, 3, 4
put_int(out, stages)
for s in range(stages):
    put_int(out, trees)
    for t in range(trees):
        put_int(out, splits)
        for i in range(splits):
            put_int(out, (i + t) % pixels)
            put_int(out, (i + t + 1) % pixels)
            put_float(out, 5.0 * (i - 1))
        put_int(out, splits + 1)
        for leaf in range(splits + 1):
            put_column(out, [0.01 * (leaf - 1.5) * (c % 3 - 1) for c in range(6)])
put_int(out, stages)
for s in range(stages):
    put_int(out, pixels)
    for i in range(pixels):
        put_int(out, i % 3)
put_int(out, stages)
for s in range(stages):
    put_int(out, pixels)
    for i in range(pixels):
        put_float(out, 0.05 * (i - 1.5))
        put_float(out, -0.03 * i)
with open(sys.argv[1], "wb") as f:
    f.write(out)
