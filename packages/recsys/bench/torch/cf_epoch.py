"""Train-epoch wall time of MF-BPR and LightGCN in PyTorch (CPU), written for
lmrec's comparison bench: the official AlphaRec code's models and settings
(nn.Embedding tables with xavier_normal_, BPR with one uniform negative
outside the user's train items, L2 1e-5 on the batch's layer-0 rows divided by
the batch size, Adam lr 5e-4, batch 4096 with drop_last, LightGCN over the
D^-1/2 A D^-1/2 graph with torch.sparse.mm), on an AlphaRec-layout folder.

  python3 cf_epoch.py DIR --model mf|lightgcn --threads 2 --epochs 6 [--layers 2]

Prints one JSON line: median seconds per epoch (sampling + steps), the
median of the steps alone (wall and process CPU), and the mean loss of each epoch. Sampling is
vectorised numpy (the official per-sample Python DataLoader is slower).

  python3 cf_epoch.py --synthetic N --steps K --model lightgcn --threads 2

times K single steps instead (after one warm-up; each draws its batch: uniform
interactions, uniform negatives) on alpharec/bench/scaling.ts's synthetic
data: N / 50 users with 50 distinct random items each, N / 100 items. Prints
the median step and the peak RSS.
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'scripts'))
from bench_synthetic import synthetic  # noqa: E402


def read_train(path):
    users, items = [], []
    with open(path) as f:
        for line in f:
            ids = [int(x) for x in line.split()]
            if len(ids) > 1:
                users += [ids[0]] * (len(ids) - 1)
                items += ids[1:]
    return np.array(users), np.array(items)


def graph(users, items, n_users, n_items):
    n = n_users + n_items
    rows = np.concatenate([users, items + n_users])
    cols = np.concatenate([items + n_users, users])
    deg = np.bincount(rows, minlength=n).astype(np.float64)
    vals = 1.0 / np.sqrt(deg[rows] * deg[cols])
    idx = torch.tensor(np.stack([rows, cols]), dtype=torch.long)
    return torch.sparse_coo_tensor(idx, torch.tensor(vals, dtype=torch.float32), (n, n)).coalesce()


def sample(rng, user_lists, user_items, n_items, n_samples, n_users):
    """User k mod n_users, a uniform positive of theirs, one uniform non-train negative."""
    order = rng.permutation(n_samples)
    u = order % n_users
    pos = np.array([user_lists[x][rng.integers(len(user_lists[x]))] for x in u])
    neg = rng.integers(n_items, size=n_samples)
    for _ in range(100):
        bad = np.array([neg[k] in user_items[u[k]] for k in range(n_samples)])
        if not bad.any():
            break
        neg[bad] = rng.integers(n_items, size=int(bad.sum()))
    return u, pos, neg


def build(model, users, items, n_users, n_items):
    """The official tables (xavier_normal_), LightGCN's graph (None for MF) and Adam."""
    eu, ei = torch.nn.Embedding(n_users, 64), torch.nn.Embedding(n_items, 64)
    torch.nn.init.xavier_normal_(eu.weight)
    torch.nn.init.xavier_normal_(ei.weight)
    adj = graph(users, items, n_users, n_items) if model == 'lightgcn' else None
    return eu, ei, adj, torch.optim.Adam(list(eu.parameters()) + list(ei.parameters()), lr=5e-4)


def med(x):
    return sorted(x)[len(x) // 2]


def step(eu, ei, adj, opt, n_layers, bu, bp, bn):
    """One BPR step (MF when adj is None, else LightGCN over adj); returns the loss."""
    n_users = eu.weight.shape[0]
    if adj is None:
        au, ai = eu.weight, ei.weight
    else:
        e = torch.cat([eu.weight, ei.weight])
        layers = [e]
        for _ in range(n_layers):
            e = torch.sparse.mm(adj, e)
            layers.append(e)
        au, ai = torch.split(torch.stack(layers, 1).mean(1), [n_users, ei.weight.shape[0]])
    uu, pp, nn_ = au[bu], ai[bp], ai[bn]
    mf = -torch.mean(torch.log(torch.sigmoid((uu * pp).sum(1) - (uu * nn_).sum(1)) + 1e-10))
    reg = 0.5 * (eu(bu).norm() ** 2 + ei(bp).norm() ** 2 + ei(bn).norm() ** 2) / len(bu)
    loss = mf + 1e-5 * reg
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def step_times(a):
    users, items, n_users, n_items = synthetic(a.synthetic)
    eu, ei, adj, opt = build(a.model, users, items, n_users, n_items)
    rng = np.random.default_rng(0)
    times = []
    for s in range(a.steps + 1):
        t0 = time.perf_counter()
        k = rng.integers(len(users), size=a.batch)
        bn = torch.from_numpy(rng.integers(n_items, size=a.batch))
        step(eu, ei, adj, opt, a.layers, torch.from_numpy(users[k]), torch.from_numpy(items[k]), bn)
        if s > 0:
            times.append(time.perf_counter() - t0)
    print(json.dumps({'framework': f'torch {torch.__version__}', 'model': a.model, 'threads': a.threads, 'interactions': len(users), 'users': n_users, 'items': n_items,
                      'medianStepSeconds': med(times), 'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dir', nargs='?')
    ap.add_argument('--synthetic', type=int)
    ap.add_argument('--steps', type=int, default=7)
    ap.add_argument('--model', default='mf')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--epochs', type=int, default=6)
    ap.add_argument('--layers', type=int, default=2)
    ap.add_argument('--batch', type=int, default=4096)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if (a.dir is None) == (a.synthetic is None):
        ap.error('give either a data folder or --synthetic N')
    if a.synthetic is not None:
        return step_times(a)
    users, items = read_train(a.dir + '/cf_data/train.txt')
    n_users, n_items = users.max() + 1, items.max() + 1
    for part in ('valid', 'test'):
        _, extra = read_train(a.dir + f'/cf_data/{part}.txt')
        n_items = max(n_items, extra.max() + 1)
    user_items = [set() for _ in range(n_users)]
    for u, i in zip(users, items):
        user_items[u].add(i)
    user_lists = [sorted(s) for s in user_items]
    eu, ei, adj, opt = build(a.model, users, items, n_users, n_items)
    rng = np.random.default_rng(0)
    walls, steps_only, cpu_steps, losses = [], [], [], []
    for _ in range(a.epochs):
        t0 = time.perf_counter()
        u, p, n = sample(rng, user_lists, user_items, n_items, len(users), n_users)
        t1 = time.perf_counter()
        c1 = time.process_time()
        total, batches = 0.0, 0
        for s in range(0, len(u) - a.batch + 1, a.batch):
            bu = torch.from_numpy(u[s:s + a.batch])
            bp = torch.from_numpy(p[s:s + a.batch])
            bn = torch.from_numpy(n[s:s + a.batch])
            total += step(eu, ei, adj, opt, a.layers, bu, bp, bn)
            batches += 1
        t2 = time.perf_counter()
        walls.append(t2 - t0)
        steps_only.append(t2 - t1)
        cpu_steps.append(time.process_time() - c1)
        losses.append(total / batches)
    print(json.dumps({'framework': f'torch {torch.__version__}', 'model': a.model, 'threads': a.threads, 'epochs': a.epochs,
                      'medianSeconds': med(walls), 'medianStepSeconds': med(steps_only), 'medianStepCpuSeconds': med(cpu_steps), 'losses': losses}))


if __name__ == '__main__':
    main()
