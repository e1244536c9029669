"""PyTorch's side of bench/bench_conv.c: forward + backward of one layer on a
batch, 2 threads, timed the way the C benchmark times ours.

Usage:
  conv_torch.py conv B C H W OUT K STRIDE PAD DX RUNS
      nn.Conv2d(C, OUT, K, STRIDE, PAD) on (B, C, H, W)
  conv_torch.py upscale B C H W OUT R DX RUNS
      nn.Conv2d(C, OUT*R*R, 3, padding=1) then nn.PixelShuffle(R)
  conv_torch.py convt B C H W OUT K STRIDE PAD DX RUNS
      nn.ConvTranspose2d(C, OUT, K, STRIDE, PAD)
DX is 1 when the input needs a gradient (every layer but the first).  One step
is zero_grad, forward, and backward of sum(y * dy) for a fixed random dy.
Prints the median ms of RUNS steps (after one warm-up) as its last line.
Exits 3 when torch is not installed.
"""
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:
    sys.exit(3)

torch.set_num_threads(2)
torch.manual_seed(1)


def main():
    kind, n = sys.argv[1], [int(a) for a in sys.argv[2:]]
    B, C, H, W, out = n[:5]
    if kind == "conv":
        k, s, p, dx, runs = n[5:]
        model = nn.Conv2d(C, out, k, s, p)
    elif kind == "upscale":
        r, dx, runs = n[5:]
        model = nn.Sequential(nn.Conv2d(C, out * r * r, 3, padding=1), nn.PixelShuffle(r))
    else:
        k, s, p, dx, runs = n[5:]
        model = nn.ConvTranspose2d(C, out, k, s, p)
    x = torch.rand(B, C, H, W) * 2 - 1
    x.requires_grad_(bool(dx))
    with torch.no_grad():
        dy = torch.rand_like(model(x)) * 2 - 1
    times = []
    for i in range(runs + 1):
        t = time.perf_counter()
        model.zero_grad(set_to_none=False)
        if x.grad is not None:
            x.grad.zero_()
        model(x).backward(dy)
        if i:
            times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print(times[len(times) // 2])


if __name__ == "__main__":
    main()
