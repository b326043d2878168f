"""The synthetic interactions of packages/alpharec/bench/scaling.ts, for the
PyTorch side of its comparison: n / 50 users with 50 distinct uniform items
each, n / 100 items (not the same draws as lmrec's, the same distribution)."""
import numpy as np


def synthetic(n, seed=1):
    """(users, items, n_users, n_items): one entry per interaction, users in order."""
    rng = np.random.default_rng(seed)
    n_users, n_items = round(n / 50), round(n / 100)
    rows = []
    for _ in range(n_users):
        picked = np.unique(rng.integers(n_items, size=60))
        while len(picked) < 50:
            picked = np.unique(np.concatenate([picked, rng.integers(n_items, size=10)]))
        rows.append(rng.permutation(picked)[:50])
    return np.repeat(np.arange(n_users), 50), np.concatenate(rows), n_users, n_items
