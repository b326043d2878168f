"""Wall seconds of one RTA reindex training epoch in PyTorch, with the official
code's aggregator modules (reindex_step/aggregators.py: nn.GRU bidirectional,
hidden d/4, + Linear; nn.TransformerEncoderLayer(d, 8 heads, dropout 0.1,
feed-forward 2048, no mask)) and its training step (positives and negatives
aggregated in two calls, sampled softmax over 1 + N, AdamW, clip 5), on
random inputs of redial_lexical's shapes: titles padded to 15 tokens as the
official single2llm table, d 256, 2,647 items, batch 256, 1,000 negatives.
Data values do not change the cost: every title is padded to the same length.

  /usr/bin/python3 reindex_epoch.py <rnn|trm> <threads> [steps] [pairs]
prints one JSON line: {"aggregator", "threads", "step_s" (median), "epoch_s"}.
"""
import json
import statistics
import sys
import time

import torch
from torch import nn

which, threads = sys.argv[1], int(sys.argv[2])
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 6
pairs = int(sys.argv[4]) if len(sys.argv) > 4 else 4610
torch.set_num_threads(threads)
torch.manual_seed(0)
d, n_items, pad_to, vocab, batch, negs = 256, 2647, 15, 4075, 256, 1000


class Rnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(input_size=d, hidden_size=d // 4, num_layers=1, batch_first=True, bidirectional=True)
        self.proj = nn.Linear(d // 4 * 2, d)

    def forward(self, x, mask):
        out, _ = self.rnn(x)
        return self.proj(out[torch.arange(out.size(0)), mask.sum(dim=1) - 1])


class Trm(nn.Module):
    def __init__(self):
        super().__init__()
        self.trm = nn.TransformerEncoderLayer(d_model=d, nhead=8, dropout=0.1, batch_first=True)

    def forward(self, x, mask):
        out = self.trm(x)
        return out[torch.arange(out.size(0)), mask.sum(dim=1) - 1]


lengths = torch.randint(1, pad_to + 1, (n_items,))
titles = torch.randint(2, vocab, (n_items, pad_to)) * (torch.arange(pad_to)[None, :] < lengths[:, None])
table = nn.Embedding.from_pretrained(torch.randn(vocab, d), freeze=True)
model = Rnn() if which == "rnn" else Trm()
optim = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0)
loss_fn = nn.CrossEntropyLoss()


def embed(ids):
    tokens = titles[ids]
    return model(table(tokens), tokens != 0)


times = []
for _ in range(steps + 1):
    q = torch.randn(batch, d)
    pos = torch.randint(0, n_items, (batch,))
    neg = torch.randint(0, n_items, (negs,))
    t0 = time.perf_counter()
    logits = torch.cat([(q * embed(pos)).sum(-1, keepdim=True), q @ embed(neg).T], dim=1)
    loss = loss_fn(logits, torch.zeros(batch, dtype=torch.long))
    optim.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optim.step()
    times.append(time.perf_counter() - t0)
step = statistics.median(times[1:])
print(json.dumps({"aggregator": which, "threads": threads, "step_s": step, "epoch_s": step * pairs / batch}))
