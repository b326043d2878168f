import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, LmrecError } from '@lmrec/core';
import type { EpochRecord } from '@lmrec/recsys';
import { AlphaRec, LinearMapping } from '../src/index.js';
import { plantedDataset } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'alpharec-fit-'));
beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = { hidden: 16, negatives: 8, batchSize: 128, epochs: 3, evalEvery: 1, patience: 10, lr: 3e-3 };
const data = plantedDataset(3);
const items = () => ({ dim: data.dim, data: data.items });

async function failure(p: Promise<unknown>): Promise<LmrecError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(LmrecError);
    return error as LmrecError;
  }
  throw new Error('expected a rejection');
}

describe('AlphaRec.fit options', () => {
  it('never change the model config (nor what save() stores); they apply to that fit only', async () => {
    const model = new AlphaRec({ itemEmbeddings: items(), ...small });
    const before = JSON.parse(JSON.stringify(model.config));
    await model.fit(data.split, { seed: 1, tau: 0.5, negatives: 4, epochs: 1 });
    expect(model.net!.config.tau).toBe(0.5);
    expect(model.net!.config.negatives).toBe(4);
    expect(model.config).toEqual(before);
    await model.save(join(dir, 'm'));
    const saved = JSON.parse(readFileSync(join(dir, 'm', 'config.json'), 'utf8'));
    expect(saved.config).toEqual(before);
    expect(saved.config.tau).toBeUndefined();
    expect(saved.net.tau).toBe(0.5); // the network as trained is recorded apart
    // the next fit without options trains with the model's own settings again
    await model.fit(data.split, { seed: 1, epochs: 1 });
    expect(model.net!.config.tau).toBe(0.15);
    expect(model.net!.config.negatives).toBe(8);
    model.dispose();
  });

  it('honour maxSeconds: the run ends after the epoch that crosses the budget, evaluated, reason "time"', async () => {
    const model = new AlphaRec({ itemEmbeddings: items(), ...small, epochs: 50, evalEvery: 10 });
    const r = await model.fit(data.split, { seed: 2, maxSeconds: 0 });
    expect(r.epochs).toBe(1);
    expect(r.stopReason).toBe('time');
    expect(r.log[0].valid).toBeDefined();
    model.dispose();
  });

  it('a batch larger than the train interactions (last batch dropped) is an error, not 0-step epochs of an untrained model', async () => {
    const model = new AlphaRec({ itemEmbeddings: items(), ...small, batchSize: 4096 });
    const e = await failure(model.fit(data.split, { seed: 1 }));
    expect(e.code).toBe('E_CONFIG');
    expect(e.field).toBe('batchSize');
    expect(e.message).toContain(`larger than the ${data.split.train.nnz} samples`);
    expect(e.message).toContain('dropped');
  });

  it('a NaN in the item vectors is named by row before training; a word as the learning rate is a config error', async () => {
    const bad = Float32Array.from(data.items);
    bad[5 * data.dim + 2] = NaN;
    const e = await failure(new AlphaRec({ itemEmbeddings: { dim: data.dim, data: bad }, ...small }).fit(data.split, { seed: 1 }));
    expect(e.code).toBe('E_INPUT');
    expect(e.message).toContain('"item embeddings"');
    expect(e.message).toContain('row 5, column 2');
    const lr = await failure(new AlphaRec({ itemEmbeddings: items(), ...small }).fit(data.split, { seed: 1, lr: 'fast' as unknown as number }));
    expect(lr.code).toBe('E_CONFIG');
    expect(lr.field).toBe('lr');
  });

  for (const [label, make] of [
    ['AlphaRec', (o: ConstructorParameters<typeof AlphaRec>[0]) => new AlphaRec(o)],
    ['LinearMapping', (o: ConstructorParameters<typeof AlphaRec>[0]) => new LinearMapping(o)],
  ] as const) {
    it(`${label}: a fit interrupted after a checkpoint and resumed equals an uninterrupted fit (weights and log)`, async () => {
      const opts = { itemEmbeddings: items(), ...small, epochs: 4, evalEvery: 2 };
      const strip = (log: EpochRecord[]) => log.map((r) => [r.epoch, r.loss, r.samples, r.valid, r.best]);
      const full = make(opts);
      const a = await full.fit(data.split, { seed: 4 });
      const ck = join(dir, `${label}-ckpt`);
      const part = make(opts);
      expect((await part.fit(data.split, { seed: 4, checkpointDir: ck, onEpochEnd: (r) => r.epoch < 3 })).interrupted).toBe(true);
      const resumed = make(opts);
      const b = await resumed.fit(data.split, { seed: 4, checkpointDir: ck });
      const w = (m: AlphaRec) => Object.fromEntries(Object.entries(m.net!.state()).map(([k, t]) => [k, Array.from(t.dataSync())]));
      expect(w(resumed)).toEqual(w(full));
      expect(strip(b.log)).toEqual(strip(a.log));
      for (const m of [full, part, resumed]) m.dispose();
    });
  }
});
