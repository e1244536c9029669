"""Times training steps of the trained swap of src/perform/swap_net.h and
swap_gan.h in PyTorch 1.13: a shared encoder, two decoders and a PatchGAN
discriminator per side; each step one batch of A and one of B (forward, the
same reconstruction losses plus the weighted LSGAN loss, backward; each
discriminator's loss, backward) and the Adam steps (betas 0.5, 0.999), 2
threads.  The modules and the step are tests/perform/fixtures/gen_swap_gan.py's,
which the tests compare with ours.  The batches are the closed forms of
bench/bench_swap_train.c.  Prints "check <the first step's generator loss>"
and then the median ms per step.
Usage: swap_train.py SIZE ENC DENSE BATCH DISC_WIDTH GAN_WEIGHT.  Exits 3 when
torch is missing."""
import os
import sys
import time

try:
    import numpy as np
    import torch
except ImportError:
    sys.exit(3)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "perform", "fixtures"))
from gen_swap_gan import discriminator, generator, train_step  # noqa: E402

S, E, D, B, DW = (int(a) for a in sys.argv[1:6])
GAN_W = float(sys.argv[6])
torch.set_num_threads(2)
torch.manual_seed(1)

enc, decs, _ = generator(S, E, D)
discs = [discriminator(p, DW)[0] for p in ("disc_a", "disc_b")]
gparams = list(enc.parameters()) + list(decs[0].parameters()) + list(decs[1].parameters())
opt_g = torch.optim.Adam(gparams, lr=5e-5, betas=(0.5, 0.999))
opt_d = [torch.optim.Adam(d.parameters(), lr=5e-5, betas=(0.5, 0.999)) for d in discs]


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


def step():
    return train_step(enc, decs, discs, opt_g, opt_d, batches, GAN_W)


print("check %.9g" % sum(step()))
times = []
for _ in range(5):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1000)
print(sorted(times)[len(times) // 2])
