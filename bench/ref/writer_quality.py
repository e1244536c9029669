"""PyTorch's side of the writer's quality comparison: the same character model
as `benjamin train writer`, trained the same way for the same minutes of
training steps on 2 threads, then its validation bits per character over the
held-out tail, measured as benjamin measures it.

Usage (defaults are benjamin's):
  writer_quality.py CORPUS [--minutes 10] [--layers 2] [--hidden 512] [--embed 64]
                    [--seq 100] [--batch 32] [--lr 0.002] [--min-lr 0.0002]
                    [--warmup 100] [--clip 5] [--dropout 0] [--val-fraction 0.1]
                    [--min-count 5] [--seed 1]

As benjamin does: the vocabulary is U+FFFD (unknown) then every code point seen
at least --min-count times, in order; the last --val-fraction of the code points
is held out; B streams start evenly spaced over the rest and each step trains
on the next T characters of each, state carried (truncated BPTT), wrapping at
the end; AdamW with global-norm clipping; the learning rate rises linearly for
--warmup steps, then falls on half a cosine to --min-lr as the training time
runs out.  Only the time inside training steps counts.  Validation runs B
streams over contiguous parts of the tail, T characters at a time, state
carried from zero.  Prints "steps N chars C seconds S val_bpc X".

With --eval MODEL it trains nothing: it loads a model benjamin wrote (its
vocabulary, shape and weights) and prints its validation bits per character as
this script measures them, to check that both sides measure alike.
Exits 3 when torch is not installed.
"""
import argparse
import math
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    sys.exit(3)


class CharLM(nn.Module):
    def __init__(self, V, E, H, L, dropout):
        super().__init__()
        self.embed = nn.Embedding(V, E)
        self.lstm = nn.LSTM(E, H, L, batch_first=True, dropout=dropout if L > 1 else 0.0)
        self.head = nn.Linear(H, V)

    def forward(self, x, state):
        out, state = self.lstm(self.embed(x), state)
        return self.head(out), state


def main():
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--embed", type=int, default=64)
    p.add_argument("--seq", type=int, default=100)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--min-lr", type=float, default=None)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--clip", type=float, default=5.0)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--val-fraction", type=float, default=0.1)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--eval", default=None)
    a = p.parse_args()
    min_lr = a.lr / 10 if a.min_lr is None else a.min_lr
    torch.set_num_threads(2)
    torch.manual_seed(a.seed)

    text = open(a.corpus, encoding="utf-8").read()
    counts = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    vocab = ["\ufffd"] + sorted(c for c, n in counts.items() if n >= a.min_count and c != "\ufffd")
    index = {c: i for i, c in enumerate(vocab)}
    ids = torch.tensor([index.get(c, 0) for c in text], dtype=torch.long)
    n_val = int(len(ids) * a.val_fraction + 0.5)
    train, val = ids[: len(ids) - n_val], ids[len(ids) - n_val:]
    V, B, T, L, H = len(vocab), a.batch, a.seq, a.layers, a.hidden

    if a.eval:
        model, vocab = load_benjamin(a.eval)
        index = {c: i for i, c in enumerate(vocab)}
        ids = torch.tensor([index.get(c, 0) for c in text], dtype=torch.long)
        val = ids[len(ids) - n_val:]
        V, L, H = len(vocab), model.lstm.num_layers, model.lstm.hidden_size
        print(f"val_bpc {validate(model, val, V, B, T, L, H):.4f}")
        return
    model = CharLM(V, a.embed, H, L, a.dropout)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8,
                            weight_decay=0.0)
    pos = [len(train) * b // B for b in range(B)]
    state = (torch.zeros(L, B, H), torch.zeros(L, B, H))
    budget = a.minutes * 60.0
    seconds, step = 0.0, 0
    n = len(train)
    while seconds < budget:
        xs, ys = [], []
        for b in range(B):
            idx = [(pos[b] + t) % n for t in range(T + 1)]
            seq = train[idx]
            xs.append(seq[:T])
            ys.append(seq[1:])
            pos[b] = (pos[b] + T) % n
        x, y = torch.stack(xs), torch.stack(ys)
        if step < a.warmup:
            lr = a.lr * (step + 1) / a.warmup
        else:
            progress = min(seconds / budget, 1.0)
            lr = min_lr + (a.lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))
        for g in opt.param_groups:
            g["lr"] = lr
        t0 = time.perf_counter()
        model.train()
        state = (state[0].detach(), state[1].detach())
        logits, state = model(x, state)
        loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        opt.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
        opt.step()
        seconds += time.perf_counter() - t0
        step += 1
        if step % 100 == 0:
            print(f"step {step} seconds {seconds:.0f} loss {loss.item() / math.log(2):.3f} bpc",
                  file=sys.stderr, flush=True)

    bpc = validate(model, val, V, B, T, L, H)
    print(f"steps {step} chars {step * B * T} seconds {seconds:.1f} val_bpc {bpc:.4f}")


def validate(model, val, V, B, T, L, H):
    """B streams over contiguous parts of the tail, from zero state."""
    model.eval()
    starts = [len(val) * b // B for b in range(B)]
    ends = starts[1:] + [len(val)]
    total, counted = 0.0, 0
    state = (torch.zeros(L, B, H), torch.zeros(L, B, H))
    with torch.no_grad():
        while True:
            x = torch.zeros(B, T, dtype=torch.long)
            y = torch.full((B, T), -100, dtype=torch.long)
            any_left = False
            for b in range(B):
                got = min(T + 1, ends[b] - starts[b])
                if got >= 2:
                    any_left = True
                    seq = val[starts[b]:starts[b] + got]
                    x[b, :min(got, T)] = seq[:min(got, T)]
                    y[b, :got - 1] = seq[1:]
                    starts[b] += got - 1
            if not any_left:
                break
            logits, state = model(x, state)
            mask = y.reshape(-1) >= 0
            loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1), ignore_index=-100,
                                   reduction="sum")
            total += loss.item()
            counted += int(mask.sum())
    return total / counted / math.log(2)


def load_benjamin(path):
    """A model file of `benjamin train writer`: safetensors, read by hand."""
    import json
    import struct
    import numpy as np
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__")
    data = raw[8 + n:]

    def tensor(name):
        h = header[name]
        b, e = h["data_offsets"]
        dtype = {"F32": np.float32, "I32": np.int32}[h["dtype"]]
        return torch.from_numpy(np.frombuffer(data[b:e], dtype=dtype).reshape(h["shape"]).copy())

    V, E = int(meta["charlm.vocab"]), int(meta["charlm.embed"])
    H, L = int(meta["charlm.hidden"]), int(meta["charlm.layers"])
    model = CharLM(V, E, H, L, 0.0)
    model.load_state_dict({k: tensor(k) for k in model.state_dict()})
    vocab = [chr(c) for c in tensor("charlm.codepoints").tolist()]
    return model, vocab


if __name__ == "__main__":
    main()
