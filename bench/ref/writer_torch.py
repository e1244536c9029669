"""PyTorch's side of bench/bench_writer.c: the writer's character LM
(nn.Embedding -> nn.LSTM -> nn.Linear -> cross-entropy, AdamW, gradient
clipping) on 2 threads, timed the way the C benchmark times ours.

Usage:
  writer_torch.py train L H T B V E STEPS   median ms of one training step
                                            (forward, backward, clip, AdamW) on
                                            B streams of T characters, carried
                                            state detached between steps
  writer_torch.py sample L H V E N          ms per character of sampling N
                                            characters one at a time (batch 1):
                                            embed, LSTM step, head, softmax,
                                            multinomial draw
Prints the figure as its last line.  Exits 3 when torch is not installed.
"""
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    sys.exit(3)

torch.set_num_threads(2)
torch.manual_seed(1)


class CharLM(nn.Module):
    def __init__(self, V, E, H, L):
        super().__init__()
        self.embed = nn.Embedding(V, E)
        self.lstm = nn.LSTM(E, H, L, batch_first=True)
        self.head = nn.Linear(H, V)

    def forward(self, x, state):
        out, state = self.lstm(self.embed(x), state)
        return self.head(out), state


def train(L, H, T, B, V, E, steps):
    model = CharLM(V, E, H, L)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.0)
    data = torch.randint(0, V, (B, T * (steps + 2) + 1))
    state = (torch.zeros(L, B, H), torch.zeros(L, B, H))
    times = []
    for s in range(steps + 1):
        x = data[:, s * T:(s + 1) * T]
        y = data[:, s * T + 1:(s + 1) * T + 1]
        t = time.perf_counter()
        state = (state[0].detach(), state[1].detach())
        logits, state = model(x, state)
        loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        opt.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if s:                        # the first step warms up
            times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2]


def sample(L, H, V, E, n):
    model = CharLM(V, E, H, L)
    model.eval()
    x = torch.zeros(1, 1, dtype=torch.long)
    state = (torch.zeros(L, 1, H), torch.zeros(L, 1, H))
    with torch.no_grad():
        for rep in range(2):         # the first run warms up
            t = time.perf_counter()
            for _ in range(n):
                logits, state = model(x, state)
                p = F.softmax(logits[0, -1] / 0.8, dim=-1)
                x = torch.multinomial(p, 1).view(1, 1)
            ms = (time.perf_counter() - t) * 1e3 / n
    return ms


def main():
    mode = sys.argv[1]
    a = [int(v) for v in sys.argv[2:]]
    if mode == "train":
        print(train(*a))
    elif mode == "sample":
        print(sample(*a))
    else:
        sys.exit(2)


if __name__ == "__main__":
    main()
