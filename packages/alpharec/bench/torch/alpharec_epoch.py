"""Train-step time of AlphaRec in PyTorch (CPU), for lmrec's AlphaRec epoch
bench: the method of the official code (frozen item language vectors; users =
mean of their train items' vectors; shared MLP Linear(d, h) -> LeakyReLU(0.01)
-> Linear(h, 64); LightGCN propagation over D^-1/2 A D^-1/2 with
torch.sparse.mm, mean of layers 0..L; cosine scores; InfoNCE with tau and 256
negatives per (user, positive); Adam lr 5e-4; batch 4096, drop_last) on an
AlphaRec-layout folder. Sampling is vectorised numpy, timed apart (without
the official code's exclusion of train items: the cost is the same).

  python3 alpharec_epoch.py DIR [--threads 1] [--steps 5] [--hidden 128] [--layers 2]
  python3 alpharec_epoch.py --synthetic N [...]   (bench/scaling.ts's data, 256-d random item vectors)

Prints one JSON line: median seconds of a step (wall and process CPU; and
with its batch's sampling, as scaling.ts times lmrec's), steps x that median
per epoch, and the peak RSS.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("dir", nargs="?")
p.add_argument("--synthetic", type=int)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--steps", type=int, default=5)
p.add_argument("--hidden", type=int, default=128)
p.add_argument("--layers", type=int, default=2)
p.add_argument("--tau", type=float, default=0.15)
p.add_argument("--negatives", type=int, default=256)
a = p.parse_args()
if (a.dir is None) == (a.synthetic is None):
    p.error("give either a data folder or --synthetic N")
torch.set_num_threads(a.threads)
torch.manual_seed(0)
rng = np.random.default_rng(0)

if a.synthetic is not None:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "scripts"))
    from bench_synthetic import synthetic

    users, items, n_users, n_items = synthetic(a.synthetic)
    z = torch.randn(n_items, 256)
else:
    users, items = [], []
    with open(os.path.join(a.dir, "cf_data", "train.txt")) as f:
        for line in f:
            ids = [int(x) for x in line.split()]
            users += [ids[0]] * (len(ids) - 1)
            items += ids[1:]
    users, items = np.array(users), np.array(items)
    z = torch.tensor(np.load(os.path.join(a.dir, "item_info", "item_cf_embeds_large3_array.npy")), dtype=torch.float32)
    n_users = int(users.max()) + 1
n_items, d = z.shape
n = n_users + n_items
rows = np.concatenate([users, items + n_users])
cols = np.concatenate([items + n_users, users])
deg = np.bincount(rows, minlength=n).astype(np.float64)
A = torch.sparse_coo_tensor(torch.tensor(np.stack([rows, cols])), torch.tensor(1.0 / np.sqrt(deg[rows] * deg[cols]), dtype=torch.float32), (n, n)).coalesce()
user_items = torch.sparse_coo_tensor(torch.tensor(np.stack([users, items])), torch.ones(len(users)), (n_users, n_items))
zu = torch.sparse.mm(user_items, z) / torch.bincount(torch.tensor(users), minlength=n_users).clamp(min=1)[:, None]
mlp = nn.Sequential(nn.Linear(d, a.hidden), nn.LeakyReLU(0.01), nn.Linear(a.hidden, 64))
optim = torch.optim.Adam(mlp.parameters(), lr=5e-4)
batch = 4096
steps_per_epoch = len(users) // batch


def step():
    t_sample = time.perf_counter()
    k = rng.integers(0, len(users), batch)
    u = torch.tensor(users[k])
    pos = torch.tensor(items[k])
    neg = torch.tensor(rng.integers(0, n_items, (batch, a.negatives)))
    t0, c0 = time.perf_counter(), time.process_time()
    e = mlp(torch.cat([zu, z]))
    layers = [e]
    for _ in range(a.layers):
        layers.append(torch.sparse.mm(A, layers[-1]))
    e = torch.stack(layers).mean(0)
    eu = nn.functional.normalize(e[:n_users][u], dim=-1)
    ei = nn.functional.normalize(e[n_users:], dim=-1)
    s_pos = (eu * ei[pos]).sum(-1, keepdim=True)
    s_neg = torch.einsum("bd,bkd->bk", eu, ei[neg])
    logits = torch.cat([s_pos, s_neg], 1) / a.tau
    loss = nn.functional.cross_entropy(logits, torch.zeros(batch, dtype=torch.long))
    optim.zero_grad()
    loss.backward()
    optim.step()
    t1 = time.perf_counter()
    return t1 - t0, time.process_time() - c0, t1 - t_sample


times = [step() for _ in range(a.steps + 1)][1:]
wall = statistics.median(t[0] for t in times)
cpu = statistics.median(t[1] for t in times)
sampled = statistics.median(t[2] for t in times)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"model": "alpharec", "threads": a.threads, "step_s": wall, "step_cpu_s": cpu, "step_with_sampling_s": sampled, "epoch_s": wall * steps_per_epoch, "epoch_cpu_s": cpu * steps_per_epoch, "steps_per_epoch": steps_per_epoch, "peak_rss_mib": peak}))
