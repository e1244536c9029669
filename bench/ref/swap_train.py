"""Times training steps of the swap network of src/perform/swap_net.h in
PyTorch 1.13: a shared encoder and two decoders, each step one batch of A and
one of B (forward, the same losses, backward) and one Adam step (betas 0.5,
0.999), 2 threads.  The batches are the closed forms of bench/bench_swap_train.c.
Prints "check <the first step's total loss>" and then the median ms per step.
Usage: swap_train.py SIZE ENC DENSE BATCH.  Exits 3 when torch is missing."""
import os
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    sys.exit(3)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "nn", "fixtures"))
from gen_norm import ssim_loss, tv_loss  # noqa: E402

S, E, D, B = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(2)
torch.manual_seed(1)
s = S // 16


def up(cin, cout):
    return [nn.Conv2d(cin, cout * 4, 3, padding=1), nn.PixelShuffle(2), nn.LeakyReLU(0.1)]


class Reshape(nn.Module):
    def forward(self, x):
        return x.reshape(x.shape[0], 8 * E, s, s)


def conv(cin, cout):
    return [nn.Conv2d(cin, cout, 5, stride=2, padding=2), nn.LeakyReLU(0.1)]


encoder = nn.Sequential(*conv(3, E), *conv(E, 2 * E), *conv(2 * E, 4 * E), *conv(4 * E, 8 * E),
                        nn.Conv2d(8 * E, D, s), nn.Conv2d(D, 8 * E * s * s, 1), Reshape(),
                        *up(8 * E, 4 * E))


def decoder():
    w = [4 * E, 2 * E, E, max(E // 2, 1)]
    return nn.Sequential(*up(w[0], w[1]), *up(w[1], w[2]), *up(w[2], w[3]),
                         nn.Conv2d(w[3], 4, 5, padding=2), nn.Sigmoid())


decoders = [decoder(), decoder()]
params = list(encoder.parameters()) + list(decoders[0].parameters()) + list(decoders[1].parameters())
opt = torch.optim.Adam(params, lr=5e-5, betas=(0.5, 0.999))


def batch(k):
    i = np.arange(B * 3 * S * S, dtype=np.float64)
    j = np.arange(B * S * S, dtype=np.float64)
    t = lambda a: torch.from_numpy(a.astype(np.float32))  # noqa: E731
    inp = t(0.5 + 0.4 * np.sin(0.013 * i + k)).reshape(B, 3, S, S)
    target = t(0.5 + 0.4 * np.sin(0.011 * i + k + 0.5)).reshape(B, 3, S, S)
    mask = t(0.5 + 0.5 * np.sin(0.002 * j + k)).reshape(B, 1, S, S)
    weight = t(2.0 + np.cos(0.07 * j)).reshape(B, 1, S, S)
    return inp, target, mask, weight


batches = [batch(0), batch(1)]


def losses(d, b):
    inp, target, mask, weight = b
    out = decoders[d](encoder(inp))
    rgb, m = out[:, :3], out[:, 3:]
    l1 = (weight * (rgb - target).abs()).mean()
    return (l1 + ssim_loss(rgb * mask, target * mask) + 0.5 * (m - mask).abs().mean()
            + 0.01 * tv_loss(m))


def step():
    opt.zero_grad()
    total = 0.0
    for d in (0, 1):
        loss = losses(d, batches[d])
        loss.backward()
        total += loss.item()
    opt.step()
    return total


with torch.no_grad():
    print("check %.9g" % sum(losses(d, batches[d]).item() for d in (0, 1)))
step()
times = []
for _ in range(5):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1000)
print(sorted(times)[len(times) // 2])
