"""Times forward + backward of PyTorch's instance norm, LeakyReLU(0.2), the SSIM
loss (pytorch-ssim's, as tests/nn/fixtures/gen_norm.py defines it) or all three
chained (x -> InstanceNorm2d(affine) -> LeakyReLU -> 1 - SSIM(., target)) on an
N x C x H x W batch, 2 threads; prints "check <chain loss>" and then the median
ms.  The inputs are the closed-form ones of bench/bench_norm.c, so the check
value must equal ours.
Usage: norm.py in|lrelu|ssim|chain N C H W.  Exits 3 when torch is missing."""
import math
import os
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn as nn
except ImportError:
    sys.exit(3)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "nn", "fixtures"))
from gen_norm import ssim_loss  # noqa: E402

op = sys.argv[1]
n, c, h, w = (int(a) for a in sys.argv[2:6])
torch.set_num_threads(2)
i = np.arange(n * c * h * w, dtype=np.float64)
x = torch.from_numpy((2 * np.sin(0.37 * i) + np.cos(0.011 * i)).astype(np.float32)).reshape(n, c, h, w)
target = torch.from_numpy((0.5 + 0.4 * np.sin(0.05 * i + 1)).astype(np.float32)).reshape(n, c, h, w)
dy = torch.from_numpy(np.cos(0.7 * i).astype(np.float32)).reshape(n, c, h, w)
norm = nn.InstanceNorm2d(c, affine=True)
act = nn.LeakyReLU(0.2)


def run():
    xg = x.clone().requires_grad_()
    if op == "in":
        norm(xg).backward(dy)
    elif op == "lrelu":
        act(xg).backward(dy)
    elif op == "ssim":
        ssim_loss(xg, target).backward()
    else:
        loss = ssim_loss(act(norm(xg)), target)
        loss.backward()
        return loss.item()
    norm.zero_grad()
    return 0.0


print("check %.9g" % run())
times = []
for _ in range(7):
    t = time.perf_counter()
    run()
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(times[len(times) // 2])
