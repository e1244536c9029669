#!/usr/bin/python3
"""Writes tests/fixtures/nn/lstm_torch.safetensors: a tiny character LM
(embedding -> 2-layer nn.LSTM -> linear head -> cross-entropy) run by PyTorch,
for tests/nn/test_lstm_torch.c to compare src/nn against.

The file holds, all float32 unless said otherwise:
  - "inputs", "targets" (B, T) int32: token ids; one target is -100, PyTorch's
    ignore_index, which benjamin ignores as every negative target;
  - "h0", "c0" (L, B, H): non-zero initial states, as carried by truncated BPTT;
  - "dhT", "dcT" (L, B, H): fixed upstream gradients for the final states;
  - every parameter under its PyTorch name ("embed.weight", "lstm.weight_ih_l0",
    ..., "head.bias"): the initial weights;
  - "logits" (B, T, V), "loss" (1) (mean cross-entropy), "hT", "cT" (L, B, H);
  - "grad.<name>" for every parameter, "grad.h0", "grad.c0": the gradients of
    loss + sum(hT * dhT) + sum(cT * dcT);
  - "traj.loss", "traj.norm", "traj.lr" (10): the loss before each of 10 training
    steps on the same batch from the initial weights (cross-entropy only), the
    global gradient norm before clipping to CLIP (which acts at some steps and
    not at others), and the learning rate used
    (linear warm-up over WARMUP steps, then cosine to MIN_LR at step STEPS);
  - "final.<name>" for every parameter: the weights after the 10 steps of
    torch.optim.AdamW(betas=(0.9, 0.999), eps=1e-8, weight_decay=WD).
The hyper-parameters are in __metadata__ as decimal strings.

The safetensors pip package is not available here, so the file is written by
hand: u64 little-endian header length, the JSON header (padded with spaces to a
multiple of 8), then the tensors' little-endian bytes, contiguous, in header
order.  Run from the repository root:

    /usr/bin/python3 scripts/ref/lstm_torch.py
"""
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = "tests/fixtures/nn/lstm_torch.safetensors"
SEED = 1234
V, E, H, L, B, T = 11, 8, 12, 2, 2, 5
LR, MIN_LR, WARMUP, STEPS, WD, CLIP = 0.02, 0.002, 3, 10, 0.1, 0.32


class CharLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(V, E)
        self.lstm = nn.LSTM(E, H, L, batch_first=True)
        self.head = nn.Linear(H, V)

    def forward(self, inputs, h0, c0):
        out, (hT, cT) = self.lstm(self.embed(inputs), (h0, c0))
        return self.head(out), hT, cT


def lr_at(step):
    """Linear warm-up, then half a cosine down to MIN_LR at STEPS."""
    if step < WARMUP:
        return LR * (step + 1) / WARMUP
    progress = (step - WARMUP) / (STEPS - WARMUP)
    return MIN_LR + (LR - MIN_LR) * 0.5 * (1 + math.cos(math.pi * progress))


def xent(logits, targets):
    return F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1).long(),
                           ignore_index=-100)


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    model = CharLM()
    inputs = torch.randint(0, V, (B, T), dtype=torch.int32)
    targets = torch.randint(0, V, (B, T), dtype=torch.int32)
    targets[1, 2] = -100
    h0 = 0.5 * torch.randn(L, B, H)
    c0 = 0.5 * torch.randn(L, B, H)
    dhT = torch.randn(L, B, H)
    dcT = torch.randn(L, B, H)

    t = {}  # name -> numpy array, in file order
    t["inputs"] = inputs.numpy()
    t["targets"] = targets.numpy()
    for name, v in (("h0", h0), ("c0", c0), ("dhT", dhT), ("dcT", dcT)):
        t[name] = v.numpy().copy()
    for name, p in model.named_parameters():
        t[name] = p.detach().numpy().copy()

    h0g = h0.clone().requires_grad_()
    c0g = c0.clone().requires_grad_()
    logits, hT, cT = model(inputs, h0g, c0g)
    loss = xent(logits, targets)
    (loss + (hT * dhT).sum() + (cT * dcT).sum()).backward()
    t["logits"] = logits.detach().numpy().copy()
    t["loss"] = np.array([loss.item()], dtype=np.float32)
    t["hT"] = hT.detach().numpy().copy()
    t["cT"] = cT.detach().numpy().copy()
    for name, p in model.named_parameters():
        t["grad." + name] = p.grad.numpy().copy()
    t["grad.h0"] = h0g.grad.numpy().copy()
    t["grad.c0"] = c0g.grad.numpy().copy()

    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-8,
                            weight_decay=WD)
    losses, norms, lrs = [], [], []
    for step in range(STEPS):
        for group in opt.param_groups:
            group["lr"] = lr_at(step)
        opt.zero_grad()
        logits, _, _ = model(inputs, h0, c0)
        loss = xent(logits, targets)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        opt.step()
        losses.append(loss.item())
        norms.append(norm.item())
        lrs.append(lr_at(step))
    # Some steps clipped and some not, none so near CLIP that rounding could
    # take the other branch.
    assert min(norms) < CLIP < max(norms), norms
    assert min(abs(n - CLIP) for n in norms) > 1e-3, norms
    t["traj.loss"] = np.array(losses, dtype=np.float32)
    t["traj.norm"] = np.array(norms, dtype=np.float32)
    t["traj.lr"] = np.array(lrs, dtype=np.float32)
    for name, p in model.named_parameters():
        t["final." + name] = p.detach().numpy().copy()

    meta = {"vocab": V, "embed": E, "hidden": H, "layers": L, "batch": B, "steps_t": T,
            "lr": LR, "min_lr": MIN_LR, "warmup": WARMUP, "steps": STEPS,
            "weight_decay": WD, "clip": CLIP, "seed": SEED, "torch": torch.__version__}
    write(OUT, t, {k: str(v) for k, v in meta.items()})
    print("wrote %s: %d tensors; losses %s" % (OUT, len(t), " ".join("%.4f" % x for x in losses)))


def write(path, tensors, meta):
    header = {"__metadata__": meta}
    data = bytearray()
    for name, a in tensors.items():
        if a.dtype == np.int32:
            dtype, raw = "I32", a.astype("<i4").tobytes()
        else:
            dtype, raw = "F32", a.astype("<f4").tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape),
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-(8 + len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + bytes(data))


if __name__ == "__main__":
    main()
