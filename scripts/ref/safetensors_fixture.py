#!/usr/bin/python3
"""Writes tests/fixtures/base/ref.safetensors: a few tiny tensors of every dtype
benjamin reads, laid out as the reference writer lays them out, for
tests/base/test_safetensors.c to load.

The `safetensors` pip package is not available here, so the file is written by
hand following the reference implementation (huggingface/safetensors,
safetensors/src/tensor.rs, fn prepare):
  - u64 little-endian header length N, then N bytes of compact JSON
    (serde_json: separators "," and ":", non-ASCII written as UTF-8), padded with
    spaces so that N is a multiple of 8, then the data buffer;
  - "__metadata__" first, then the tensors sorted by dtype, largest first in the
    reference's Dtype order, then by name; data contiguous in that order.

Every non-F32 tensor "<name>" has an F32 twin "<name>.f32" holding numpy's own
conversion of its values, so the C test compares our conversion with numpy's
rather than with numbers pasted into the test.  Run from the repository root:

    /usr/bin/python3 scripts/ref/safetensors_fixture.py
"""
import json
import os
import struct

import numpy as np

OUT = "tests/fixtures/base/ref.safetensors"

# The reference's Dtype enum order (tensor.rs), used for its sort.
DTYPE_RANK = {"BOOL": 0, "U8": 1, "I8": 2, "F8_E5M2": 3, "F8_E4M3": 4, "I16": 5,
              "U16": 6, "F16": 7, "BF16": 8, "I32": 9, "U32": 10, "F32": 11,
              "F64": 12, "I64": 13, "U64": 14}


def bf16_bits(x):
    """float32 -> bfloat16 bits, rounding to nearest even as torch does."""
    bits = np.asarray(x, dtype="<f4").view("<u4").astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype("<u2")


def bf16_to_f32(b):
    return (b.astype(np.uint32) << 16).view("<f4")


def tensors():
    """name -> (dtype, shape, little-endian bytes)"""
    t = {}

    def add(name, dtype, arr, raw=None):
        t[name] = (dtype, list(arr.shape), (raw if raw is not None else arr).tobytes())

    # F32: k/4 - 1/2, all exact in binary32.
    add("f32.matrix", "F32", (np.arange(6, dtype="<f4").reshape(2, 3) / 4 - 0.5).astype("<f4"))
    add("f32.scalar", "F32", np.array(-1.5, dtype="<f4"))
    add("f32.empty", "F32", np.zeros((0, 4), dtype="<f4"))

    # F16: ordinary values, the largest finite, the smallest subnormal, -0.
    f16 = np.array([0.1, -0.3, 1.0 / 3.0, 65504.0, 2.0 ** -24, -0.0], dtype="<f2")
    add("f16.vector", "F16", f16)
    add("f16.vector.f32", "F32", f16.astype("<f4"))

    # BF16: has no numpy type; rounded by hand from float32.
    src = np.array([[1.0, -2.5], [3.14159265, 1e-3]], dtype="<f4")
    bits = bf16_bits(src)
    t["bf16.matrix"] = ("BF16", list(src.shape), bits.tobytes())
    add("bf16.matrix.f32", "F32", bf16_to_f32(bits))

    i32 = np.array([-7, 0, 123456, 2 ** 31 - 1], dtype="<i4")
    add("i32.vector", "I32", i32)
    add("i32.vector.f32", "F32", i32.astype("<f4"))

    u8 = (np.arange(12, dtype=np.int64) * 23 % 256).astype(np.uint8).reshape(2, 2, 3)
    add("u8.image", "U8", u8)
    add("u8.image.f32", "F32", u8.astype("<f4"))
    return t


def main():
    t = tensors()
    metadata = {"format": "pt", "note": "benjamin reference fixture",
                "vocab": "abc \u00fc\u00f1\u00ee \u2014 \"quoted\"\n"}
    order = sorted(t, key=lambda n: (-DTYPE_RANK[t[n][0]], n))
    header = {"__metadata__": dict(sorted(metadata.items()))}
    offset = 0
    for name in order:
        dtype, shape, raw = t[name]
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in order:
            f.write(t[name][2])
    print(f"wrote {OUT}: {len(t)} tensors, header {len(text)} bytes, data {offset} bytes")


if __name__ == "__main__":
    main()
