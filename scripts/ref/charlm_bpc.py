#!/usr/bin/python3
# charlm_bpc.py - bits per character of a benjamin character model (a
# safetensors file from `benjamin train` or `benjamin strip`, F32 or F16
# weights) on the last tenth of a text, computed by PyTorch from the weights
# alone: a check of a model file independent of our own code.
#
#     /usr/bin/python3 scripts/ref/charlm_bpc.py MODEL.safetensors TEXT
import json
import math
import struct
import sys

import numpy as np
import torch


def load(path):
    """The metadata and tensors (numpy arrays) of a safetensors file."""
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    meta = header.pop('__metadata__', {})
    dtypes = {'F32': np.float32, 'F16': np.float16, 'I32': np.int32}
    tensors = {}
    for name, t in header.items():
        lo, hi = t['data_offsets']
        tensors[name] = np.frombuffer(data[lo:hi], dtype=dtypes[t['dtype']]).reshape(t['shape'])
    return meta, tensors


def main():
    meta, t = load(sys.argv[1])
    text = open(sys.argv[2], encoding='utf-8').read()
    text = text[len(text) * 9 // 10:]
    index = {c: i for i, c in enumerate(t['charlm.codepoints'].tolist())}
    ids = torch.tensor([index.get(ord(ch), 0) for ch in text]).unsqueeze(0)
    V, E, H, L = (int(meta['charlm.' + k]) for k in ('vocab', 'embed', 'hidden', 'layers'))
    embed = torch.nn.Embedding(V, E)
    lstm = torch.nn.LSTM(E, H, L, batch_first=True)
    head = torch.nn.Linear(H, V)
    w = {k: torch.tensor(v.astype(np.float32)) for k, v in t.items()}
    embed.weight.data = w['embed.weight']
    head.weight.data = w['head.weight']
    head.bias.data = w['head.bias']
    lstm.load_state_dict({k[len('lstm.'):]: v for k, v in w.items() if k.startswith('lstm.')})
    with torch.no_grad():
        out, _ = lstm(embed(ids[:, :-1]))
        loss = torch.nn.functional.cross_entropy(head(out)[0], ids[0, 1:])
    print('%.6f bits/char over %d characters' % (loss.item() / math.log(2), ids.shape[1] - 1))


main()
