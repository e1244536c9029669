"""Writes a small valid face-crop file (two 16 px faces) for the fuzzer's seed
corpus: the layout of perform/swap_crops.h.  Usage: seed_face_crops.py OUT"""
import json
import struct
import sys

n, s = 2, 16
crops = bytes((i * 7) & 0xFF for i in range(n * s * s * 3))
face = [4, 6, 12, 6, 8, 9, 6, 12, 10, 12] * 14  # 68 points, x y, inside the crop
landmarks = struct.pack("<%df" % (n * 136), *(face[:136] * n))
frames = struct.pack("<2i", -1, 30)
sources = b"a.jpg\0film.mp4\0"
tensors, data = {}, b""
for name, dtype, shape, raw in (("crops", "U8", [n, s, s, 3], crops), ("landmarks", "F32", [n, 68, 2], landmarks),
                                ("frames", "I32", [n], frames), ("sources", "U8", [len(sources)], sources)):
    tensors[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
meta = {"format": "benjamin.face_crops", "version": "1", "size": str(s), "skipped_no_face": "0",
        "skipped_tiny": "0", "skipped_pose": "0", "skipped_degenerate": "0"}
header = json.dumps({"__metadata__": meta, **tensors}).encode()
header += b" " * (-(8 + len(header)) % 8)
open(sys.argv[1], "wb").write(struct.pack("<Q", len(header)) + header + data)
