"""The official RTA training loops (github.com/AaronHeee/Reindex-Then-Adapt:
reindex_step/train.py with aggregators.py, adapt_step/bias_term_adjustment/
train.py, adapt_step/recsys_model_gating/train.py with recsys.py) on
redial_lexical, rewritten without PyTorch Lightning (not installable here),
to see how their test figures vary with the seed. The official scripts set no
seed, so each published row is one unseeded draw; this runs the same loops
under torch.manual_seed(seed) and random.seed(seed).

Kept from the official code, every mode: titles padded with 0 to the longest
one, the frozen token table, every example once per epoch in shuffled batches
of 256 (last partial batch kept), 1,000 negatives shared by the batch,
cross-entropy over [positive, negatives], AdamW (weight decay 0), gradient
norm clipped at 5, Recall@10 with ranks floor((#greater + #greater-or-equal)
/ 2), the best checkpoint kept on strict improvement (ModelCheckpoint, mode
max), early stop on the same count (EarlyStopping), test on the kept one.
- sum: the untrained sum of title token vectors.
- rnn: bidirectional GRU (hidden d/4) over the padded title, read at the last
  real token, then Linear; negatives uniform with replacement; validation
  every 2 epochs, patience 100.
- bias: frozen sum, logits (q.e + a) * m, a = 0 and m = 1 at the start.
- fism: frozen sum gated with FISM, sigmoid(c) q.e + (1 - sigmoid(c)) h.W_i,
  c = 0 at the start; h sums [CLS] + history + PAD x (128 - len) rows of a
  N(0, 0.01) table of items + 2 rows (the PAD row frozen but not zero),
  divided by sqrt(1 + len). fism-bias: the same plus a per-item bias (zeros
  at the start) on FISM's logits, `--recsys_with_bias True` as the official
  scripts run it (the train.py default is False).
bias and fism: negatives without replacement (random.sample), validation
every 10 epochs, patience 10.

  /usr/bin/python3 reindex_official.py [--dump DIR] <data_dir> <sum|rnn|bias|fism|fism-bias> <lr> <epochs> <seeds: 0,1,2> [threads]
prints one JSON line per seed, with the curve: [epoch, valid H@10, test H@10 (, gate)] at every validation.
--dump DIR (one seed) also writes what bench/lockstep.ts replays in lmrec: the initial state
(DIR/state-0.f32), every step's rows, negatives and loss (DIR/epochs.jsonl, one line per
epoch with its valid / test H@10 and gate) and the state after each epoch (DIR/state-<epoch>.f32:
the trainable tensors of state_dict() in order, float32, concatenated), and DIR/done at the end.
"""
import copy
import gzip
import io
import json
import random
import sys

import numpy as np
import torch
from torch import nn

args = sys.argv[1:]
dump = None
if args[:1] == ["--dump"]:
    dump, args = args[1], args[2:]
    import os

    if len(args) < 5 or "," in args[4]:
        sys.exit(f"--dump takes one seed (a second would append to {dump}/epochs.jsonl and overwrite its states), got seeds {args[4] if len(args) > 4 else '(none)'}")
    os.makedirs(dump, exist_ok=True)
    for stale in ("epochs.jsonl", "done"):
        if os.path.exists(f"{dump}/{stale}"):
            os.remove(f"{dump}/{stale}")
sys.argv[1:] = args
data_dir, which, lr, epochs = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
seeds = [int(s) for s in sys.argv[5].split(",")]
torch.set_num_threads(int(sys.argv[6]) if len(sys.argv) > 6 else 1)
MAX_LEN = 128


def npy(name):
    with gzip.open(f"{data_dir}/{name}.npy.gz", "rb") as f:
        return torch.from_numpy(np.load(io.BytesIO(f.read())))


table = nn.Embedding.from_pretrained(npy("token_embeddings").float(), freeze=True)
titles = nn.utils.rnn.pad_sequence(
    [torch.tensor(t) for t in json.load(open(f"{data_dir}/title_token_ids.json"))], batch_first=True, padding_value=0
)
n_items, d = titles.size(0), table.weight.size(1)
CLS, PAD = n_items, n_items + 1


def split(name):
    with gzip.open(f"{data_dir}/examples_{name}.jsonl.gz", "rt") as f:
        rows = [json.loads(line) for line in f]
    history = torch.tensor([[CLS] + r["history"][-MAX_LEN:] + [PAD] * (MAX_LEN - len(r["history"])) for r in rows])
    return npy(f"contexts_{name}").float(), torch.tensor([r["target"] for r in rows]), history


train, valid, test = split("train"), split("valid"), split("test")


def title_sum(ids):
    tokens = titles[ids]
    return torch.sum(table(tokens) * (tokens != 0).unsqueeze(-1), dim=1)


class Sum(nn.Module):
    embed = staticmethod(title_sum)

    def score(self, q, h, ids, e):
        return q @ e.T


class Rnn(Sum):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(input_size=d, hidden_size=d // 4, num_layers=1, batch_first=True, bidirectional=True)
        self.proj = nn.Linear(d // 4 * 2, d)

    def embed(self, ids):
        tokens = titles[ids]
        out, _ = self.rnn(table(tokens))
        return self.proj(out[torch.arange(out.size(0)), (tokens != 0).sum(dim=1) - 1])


class Bias(Sum):
    def __init__(self):
        super().__init__()
        self.add = nn.Parameter(torch.zeros(n_items))
        self.mul = nn.Parameter(torch.ones(n_items))

    def score(self, q, h, ids, e):
        return (q @ e.T + self.add[ids]) * self.mul[ids]


class Fism(Sum):
    def __init__(self, with_bias=False):
        super().__init__()
        self.items = nn.Embedding(n_items + 2, 64, padding_idx=PAD)
        self.items.weight.data.normal_(0, 0.01)
        self.bias = nn.Parameter(torch.zeros(n_items + 2)) if with_bias else None
        self.coeff = nn.Parameter(torch.tensor(0.0))

    def score(self, q, h, ids, e):
        user = self.items(h).sum(dim=1) / (h != PAD).sum(dim=1).unsqueeze(1).float() ** 0.5
        h_logits = user @ self.items.weight.T + (0 if self.bias is None else self.bias)
        c = self.coeff.sigmoid()
        return c * (q @ e.T) + (1 - c) * h_logits[:, :-2][:, ids]


def batch_logits(model, q, h, pos, neg):
    c_pos = model.score(q, h, pos, model.embed(pos)).gather(1, torch.arange(len(pos)).unsqueeze(1))
    return torch.cat([c_pos, model.score(q, h, neg, model.embed(neg))], dim=1)


@torch.no_grad()
def hit10(model, data):
    model.eval()
    q, targets, h = data
    ids = torch.arange(n_items)
    logits = model.score(q, h, ids, model.embed(ids))
    pos = logits[torch.arange(len(q)), targets].unsqueeze(1)
    ranks = torch.div((logits > pos).sum(1) + (logits >= pos).sum(1), 2, rounding_mode="floor")
    hits = (ranks < 10).double().numpy()
    model.train()
    return float(hits.mean()), float(hits.std() / np.sqrt(len(hits)))


def negatives():
    if which == "rnn":
        return torch.randint(0, n_items, (1000,))
    return torch.tensor(random.sample(range(n_items), 1000))


def save_state(model, epoch):
    if dump:
        with open(f"{dump}/state-{epoch}.f32", "wb") as f:
            for t in model.state_dict().values():
                f.write(t.detach().float().contiguous().numpy().tobytes())


def gate(model):
    return [float(model.coeff.sigmoid())] if which.startswith("fism") else []


def run(seed):
    torch.manual_seed(seed)
    random.seed(seed)
    model = {"sum": Sum, "rnn": Rnn, "bias": Bias, "fism": Fism, "fism-bias": lambda: Fism(with_bias=True)}[which]()
    if epochs == 0 or which == "sum":
        return {"seed": seed, "kept_epoch": 0, "valid": hit10(model, valid)[0], "test": hit10(model, test)}
    every, patience = (2, 100) if which == "rnn" else (10, 10)
    optim = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0)
    loss_fn = nn.CrossEntropyLoss()
    best, kept, kept_epoch, stale, curve = -1.0, None, 0, 0, []
    save_state(model, 0)
    for epoch in range(1, epochs + 1):
        order = torch.randperm(len(train[1]))
        steps = [] if dump else None
        for i in range(0, len(order), 256):
            q, pos, h = (t[order[i : i + 256]] for t in train)
            neg = negatives()
            loss = loss_fn(batch_logits(model, q, h, pos, neg), torch.zeros(len(pos), dtype=torch.long))
            if dump:
                steps.append({"rows": order[i : i + 256].tolist(), "neg": neg.tolist(), "loss": float(loss)})
            optim.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optim.step()
        validated = epoch % every == 0
        if dump or validated:
            v, t = hit10(model, valid)[0], hit10(model, test)[0]
        if dump:
            save_state(model, epoch)
            with open(f"{dump}/epochs.jsonl", "a") as f:
                f.write(json.dumps({"epoch": epoch, "steps": steps, "valid": v, "test": t, "gate": gate(model)}) + "\n")
        if validated:
            curve.append([epoch, v, t] + gate(model))
            best, kept, kept_epoch, stale = (v, copy.deepcopy(model.state_dict()), epoch, 0) if v > best else (best, kept, kept_epoch, stale + 1)
            if stale >= patience:
                break
    last = {"gate": g for g in gate(model)}
    if kept is None:  # fewer epochs than one validation interval: nothing was selected
        return {"seed": seed, "kept_epoch": None, "last_epoch": epoch, "valid": None, "test": hit10(model, test), **last, "curve": curve}
    model.load_state_dict(kept)
    out = {"seed": seed, "kept_epoch": kept_epoch, "last_epoch": epoch, "valid": best, "test": hit10(model, test), **last, **{"kept_gate": g for g in gate(model)}}
    return {**out, "curve": curve}


for s in seeds:
    print(json.dumps({"aggregator": which, "lr": lr, "epochs": epochs, **run(s)}), flush=True)
if dump:  # the run the dump holds, so a replay can refuse another's
    with open(f"{dump}/done", "w") as f:
        json.dump({"mode": which, "lr": lr, "epochs": epochs, "seed": seeds[0]}, f, separators=(",", ":"))
