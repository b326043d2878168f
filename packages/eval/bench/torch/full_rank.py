"""Full-ranking scoring in PyTorch (CPU), written for lmrec's eval comparison:
random user and item factors, scores = users @ items.T in blocks of users,
each user's masked items set to -inf, then torch.topk. The same shapes as
lmrec's eval bench (50k items, d 64, 20 masked items per user, K 20). It
computes no metrics, so it does less than lmrec's evaluator does.

  python3 full_rank.py --users 10000 --items 50000 --threads 2

Prints one JSON line: seconds (best of --repeat passes over all users) and
M scores/s.
"""
import argparse
import json
import time

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--users", type=int, default=10000)
    p.add_argument("--items", type=int, default=50000)
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--k", type=int, default=20)
    p.add_argument("--masked", type=int, default=20)
    p.add_argument("--block", type=int, default=1024)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(0)
    users = torch.randn(a.users, a.dim, generator=g) * 0.1
    items = torch.randn(a.items, a.dim, generator=g) * 0.1
    masked = torch.randint(0, a.items, (a.users, a.masked), generator=g)
    neg_inf = torch.tensor(float("-inf"))

    def one_pass():
        ids = []
        for b in range(0, a.users, a.block):
            s = users[b : b + a.block] @ items.T
            s.scatter_(1, masked[b : b + a.block], neg_inf.expand(s.shape[0], a.masked))
            ids.append(torch.topk(s, a.k, dim=1).indices)
        return torch.cat(ids)

    one_pass()  # warm-up: thread pool, allocator
    best = float("inf")
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        one_pass()
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"seconds": best, "mscores": a.users * a.items / best / 1e6, "threads": a.threads}))


if __name__ == "__main__":
    main()
