import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import { Rng, type Csr } from '@lmrec/core';
import { InteractionBuilder, Items, implicitFeedback, kCore, randomSplit, leaveOneOutSplit, temporalSplit, saveSplit, loadSplit, quantiles, splitConversations, type InteractionDataset } from '../src/index.js';
import { caught, tempDir } from './helpers.js';

function randomDataset(seed: number, nUsers = 60, nItems = 40): { ds: InteractionDataset; triples: [string, string, number, number][] } {
  const rng = new Rng(seed);
  const ids = Array.from({ length: nItems }, (_, i) => `i${i}`);
  const b = new InteractionBuilder('mem', { ratings: true, timestamps: true, catalogue: new Map(ids.map((id, i) => [id, i])) });
  const triples: [string, string, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    const n = rng.int(Math.floor(nItems / 2));
    for (const j of rng.sampleWithoutReplacement(nItems, n)) {
      const r = 1 + rng.int(5);
      const t = rng.int(1000);
      triples.push([`u${u}`, ids[j], r, t]);
    }
  }
  rng.shuffle(triples);
  triples.forEach(([u, i, r, t], k) => b.push(b.user(u), b.item(i)!, r, t, k + 1));
  return { ds: b.build('rand', { items: new Items(ids, ids.map((id) => `title ${id}`)) }), triples };
}

const pairs = (ds: InteractionDataset) => {
  const out = new Set<string>();
  const m = ds.interactions;
  for (let u = 0; u < m.nRows; u++) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) out.add(`${ds.users.ids[u]}|${ds.items.ids[m.indices[k]]}`);
  return out;
};
const rows = (c: Csr) => Array.from({ length: c.nRows }, (_, i) => Array.from(c.row(i)));

/** Naive k-core: whole passes until nothing changes. */
function naiveKCore(set: Set<string>, ku: number, ki: number): Set<string> {
  let cur = new Set(set);
  for (;;) {
    const du = new Map<string, number>();
    const di = new Map<string, number>();
    for (const p of cur) {
      const [u, i] = p.split('|');
      du.set(u, (du.get(u) ?? 0) + 1);
      di.set(i, (di.get(i) ?? 0) + 1);
    }
    const next = new Set([...cur].filter((p) => {
      const [u, i] = p.split('|');
      return du.get(u)! >= ku && di.get(i)! >= ki;
    }));
    if (next.size === cur.size) return cur;
    cur = next;
  }
}

describe('filters', () => {
  it('threshold + k-core match a naive fixed-point implementation', () => {
    for (const seed of [1, 2, 3]) {
      const { ds, triples } = randomDataset(seed);
      const imp = implicitFeedback(ds, 3);
      expect(pairs(imp)).toEqual(new Set(triples.filter((t) => t[2] >= 3).map((t) => `${t[0]}|${t[1]}`)));
      for (const [ku, ki] of [[5, 5], [3, 8], [10, 2]]) {
        const core = kCore(imp, { user: ku, item: ki });
        expect(pairs(core)).toEqual(naiveKCore(pairs(imp), ku, ki));
        const s = core.stats();
        if (s.interactions > 0) {
          expect(s.userDegree.min).toBeGreaterThanOrEqual(ku);
          expect(s.itemDegree.min).toBeGreaterThanOrEqual(ki);
        }
        // titles follow their items through the renumbering
        core.items.ids.forEach((id, i) => expect(core.items.titles[i]).toBe(`title ${id}`));
      }
    }
  });

  it('quantiles interpolate like numpy', () => {
    expect(quantiles(Float64Array.from([4, 1, 3, 2]))).toEqual({ min: 1, p25: 1.75, median: 2.5, p75: 3.25, p90: 3.7, max: 4, mean: 2.5 });
  });
});

describe('splits', () => {
  const { ds } = randomDataset(7);
  const m = ds.interactions;

  it('random split: disjoint cover, per-user counts, seeded', () => {
    const s = randomSplit(ds, { seed: 11 });
    expect(s.train.union(s.valid).union(s.test).nnz).toBe(m.nnz);
    expect(s.train.nnz + s.valid.nnz + s.test.nnz).toBe(m.nnz);
    for (let u = 0; u < m.nRows; u++) {
      const n = m.degree(u);
      const v = n < 3 ? 0 : Math.max(1, Math.floor(n * 0.1));
      const t = n < 3 ? 0 : Math.max(1, Math.floor(n * 0.1));
      expect([s.valid.degree(u), s.test.degree(u)]).toEqual([v, t]);
    }
    expect(rows(randomSplit(ds, { seed: 11 }).test)).toEqual(rows(s.test));
    expect(rows(randomSplit(ds, { seed: 12 }).test)).not.toEqual(rows(s.test));
  });

  it('leave-one-out takes the latest (then largest item) to test, the next to valid', () => {
    const s = leaveOneOutSplit(ds);
    const ts = ds.timestamps!;
    for (let u = 0; u < m.nRows; u++) {
      const entries = Array.from({ length: m.degree(u) }, (_, x) => m.indptr[u] + x).map((k) => [ts[k], m.indices[k]]);
      entries.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
      expect(Array.from(s.test.row(u))).toEqual(entries.length >= 2 ? [entries[0][1]] : []);
      expect(Array.from(s.valid.row(u))).toEqual(entries.length >= 3 ? [entries[1][1]] : []);
      expect(s.train.degree(u)).toBe(entries.length - s.test.degree(u) - s.valid.degree(u));
    }
  });

  it('temporal split never trains on the future', () => {
    const s = temporalSplit(ds, { t1: 600, t2: 800 });
    const ts = ds.timestamps!;
    let train = 0;
    let valid = 0;
    let test = 0;
    for (let k = 0; k < m.nnz; k++) {
      if (ts[k] < 600) train++;
      else if (ts[k] < 800) valid++;
      else test++;
    }
    expect([s.train.nnz, s.valid.nnz, s.test.nnz]).toEqual([train, valid, test]);
    for (let u = 0; u < m.nRows; u++) {
      for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) {
        const part = ts[k] < 600 ? s.train : ts[k] < 800 ? s.valid : s.test;
        expect(part.has(u, m.indices[k])).toBe(true);
      }
    }
    const q = temporalSplit(ds, { ratios: [0.7, 0.15, 0.15] });
    const sorted = Array.from(ts).sort((a, b) => a - b);
    expect(q.t1).toBe(sorted[Math.floor(sorted.length * 0.7)]);
  });

  it('conversation split is a seeded partition', () => {
    const s = splitConversations(101, { seed: 5, ratios: [0.6, 0.2, 0.2] });
    expect([s.train.length, s.valid.length, s.test.length]).toEqual([60, 20, 21]);
    expect([...s.train, ...s.valid, ...s.test].sort((a, b) => a - b)).toEqual(Array.from({ length: 101 }, (_, i) => i));
  });

  it('save/load round-trips and detects tampering', async () => {
    const dir = tempDir();
    const s = randomSplit(ds, { seed: 3 });
    await saveSplit(join(dir, 'split'), s, { seed: 3 });
    const back = await loadSplit(join(dir, 'split'));
    expect([back.nUsers, back.nItems, back.meta]).toEqual([s.nUsers, s.nItems, { seed: 3 }]);
    for (const part of ['train', 'valid', 'test'] as const) expect(rows(back[part])).toEqual(rows(s[part]));
    const f = join(dir, 'split', 'valid.indices.npy');
    const bytes = readFileSync(f);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(f, bytes);
    const e = await caught(() => loadSplit(join(dir, 'split')));
    expect([e.code, e.file]).toEqual(['E_CHECKSUM', f]);
  });
});
