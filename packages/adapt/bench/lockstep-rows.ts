/**
 * The rows bench/lockstep.ts replays: the official loop's mode, how its
 * state_dict maps onto lmrec's state, and lmrec's model with the Trainable
 * its own training function hands the Trainer (trainAdapt, trainReindex).
 */
import { tf } from '@lmrec/core';
import { FismNet, type Trainable } from '@lmrec/recsys';
import { evaluateReindex, ReindexModel, reindexTrainable, RnnAggregator, SumAggregator, type ReindexBatch } from '@lmrec/reindex';
import { BiasAdaptedModel, createAdapter, FixedItemIndex, GatedModel, makeBatch, RecSysGate, sampledSoftmaxLoss, validRecall, type AdaptModel, type AdaptStepBatch, type ItemIndex } from '../src/index.js';
import { adaptTrainable } from '../src/train.js';
import type { RedialLexical } from './redial-lexical.js';

/** lmrec's side of a lockstep run. */
export interface LockstepRun<B = unknown> {
  trainable: Trainable<B>;
  /** The batch of the train examples `rows` with the shared `negatives`. */
  batch(rows: Int32Array, negatives: readonly number[]): B;
  hit10(part: 'valid' | 'test'): Promise<number>;
  gate?(): number;
}

export interface LockstepRow {
  /** reindex_official.py's mode, learning rate and validation interval. */
  python: string;
  lr: number;
  every: number;
  title: string;
  /** The official state_dict (float32 tensors, concatenated in order) as lmrec state. */
  officialState(f: Float32Array, file: string): Record<string, tf.Tensor>;
  /** lmrec state entries compared after every epoch (largest absolute difference). */
  compared: string[];
  /** lmrec's model, loaded with `initial`. */
  setup(data: RedialLexical, initial: Record<string, tf.Tensor>, path: 'fused' | 'plain'): Promise<LockstepRun>;
}

const expect = (f: Float32Array, length: number, file: string, what: string) => {
  if (f.length !== length) throw new Error(`${file}: ${f.length} floats, expected ${length} (${what})`);
};

/** An adapt model on the frozen sum, with trainAdapt's own Trainable ('fused') or the unfused loss alone ('plain'). */
async function adaptRun(data: RedialLexical, make: (index: ItemIndex) => AdaptModel, initial: Record<string, tf.Tensor>, path: 'fused' | 'plain'): Promise<LockstepRun<AdaptStepBatch>> {
  const sum = await ReindexModel.fromBackbone(data.backbone, new SumAggregator({ dim: data.backbone.dim }), data.titles);
  const model = make(FixedItemIndex.freeze(sum));
  model.loadState(initial);
  const train = data.parts.train.set;
  const plain: Trainable<AdaptStepBatch> = {
    name: model.name,
    trainableVariables: () => model.trainableVariables(),
    loss: ({ rows, cols }) => sampledSoftmaxLoss(model.logits(makeBatch(train, rows, model), cols, true), rows.length),
    state: () => model.state(),
    loadState: (s) => model.loadState(s),
  };
  return {
    trainable: path === 'fused' ? adaptTrainable(model, train, undefined, undefined) : plain,
    batch: (rows, negatives) => ({ rows, cols: Int32Array.from([...Array.from(rows, (r) => train.targets[r]), ...negatives]) }),
    hit10: (part) => validRecall(model, data.parts[part].set, 10),
    gate: model.describe ? () => model.describe!().gate : undefined,
  };
}

/** The reindex step's rnn aggregator with trainReindex's own Trainable (batchVectors, reindexLoss). */
async function rnnRun(data: RedialLexical, initial: Record<string, tf.Tensor>): Promise<LockstepRun<ReindexBatch>> {
  const d = data.backbone.dim;
  const model = await ReindexModel.fromBackbone(data.backbone, new RnnAggregator({ dim: d, read: 'padded', padTo: 15 }), data.titles);
  model.aggregator.loadState(initial);
  const train = data.parts.train.set;
  const negatives = 1000;
  return {
    trainable: reindexTrainable(model, negatives),
    batch: (rows, neg) => {
      if (neg.length !== negatives) throw new Error(`the dump has ${neg.length} negatives in a batch, the official loop draws ${negatives}`);
      const q = new Float32Array(rows.length * d);
      rows.forEach((r, i) => q.set(train.queries!.subarray(r * d, (r + 1) * d), i * d));
      return { q, items: Int32Array.from([...Array.from(rows, (r) => train.targets[r]), ...neg]), size: rows.length };
    },
    hit10: async (part) => {
      const { set, examples } = data.parts[part];
      return (await evaluateReindex(model, { queries: set.queries!, examples }, { ks: [10] })).metrics['hit@10'].mean;
    },
  };
}

/** torch's [out, in] weights as lmrec's [in, out]. */
const transposed = (f: Float32Array, rows: number, cols: number) => tf.tidy(() => tf.transpose(tf.tensor2d(f, [rows, cols])));

export const LOCKSTEP_ROWS = ['fism', 'fism-no-item-bias', 'bias', 'rnn'] as const;

/** FISM gating with or without FISM's item bias (the official scripts' --recsys_with_bias True, or train.py's default). */
function fismRow(n: number, itemBias: boolean): LockstepRow {
  const e = 64;
  // state_dict: own parameters first (bias [n + 2] when present, coeff), then items.weight [n + 2, 64] with [CLS] at n and PAD at n + 1
  const at = itemBias ? n + 3 : 1;
  return {
    python: itemBias ? 'fism-bias' : 'fism',
    lr: 1e-3,
    every: 10,
    title: `FISM gating (${itemBias ? 'item bias' : 'no item bias'}, official PAD row) on the frozen sum, lr 1e-3`,
    officialState: (f, file) => {
      expect(f, at + (n + 2) * e, file, `the ${itemBias ? 'fism-bias' : 'fism'} state of ${n} items`);
      const items = f.subarray(at);
      return {
        'gate.c': tf.scalar(f[at - 1]),
        ...(itemBias ? { 'recsys.item.bias': tf.tensor1d(f.slice(0, n)) } : {}),
        'recsys.item.embedding': tf.tensor2d(items.slice(0, (n + 1) * e), [n + 1, e]),
        'recsys.item.pad': tf.tensor2d(items.slice((n + 1) * e), [1, e]),
      };
    },
    compared: itemBias ? ['recsys.item.embedding', 'recsys.item.bias'] : ['recsys.item.embedding'],
    setup: (data, initial, path) => adaptRun(data, (index) => new GatedModel(index, new RecSysGate(new FismNet({ nItems: n, padRow: true, itemBias })), 'fism-lockstep'), initial, path),
  };
}

export function lockstepRows(n: number, d: number): Record<(typeof LOCKSTEP_ROWS)[number], LockstepRow> {
  return {
    fism: fismRow(n, true),
    'fism-no-item-bias': fismRow(n, false),
    // Bias: add [n], mul [n]; logits (q.e + add) * mul
    bias: {
      python: 'bias',
      lr: 1e-4,
      every: 10,
      title: '+Bias gW+b on the frozen sum, lr 1e-4',
      officialState: (f, file) => {
        expect(f, 2 * n, file, `the bias state of ${n} items`);
        return { 'adapter.bias': tf.tensor1d(f.slice(0, n)), 'adapter.scale': tf.tensor1d(f.slice(n)) };
      },
      compared: ['adapter.bias', 'adapter.scale'],
      setup: (data, initial, path) => adaptRun(data, (index) => new BiasAdaptedModel(index, createAdapter('gW+b', n), 'bias-lockstep'), initial, path),
    },
    // Rnn: nn.GRU(d, d / 4, bidirectional) weight_ih, weight_hh, bias_ih, bias_hh (then _reverse), proj Linear(d / 2, d)
    rnn: {
      python: 'rnn',
      lr: 1e-3,
      every: 2,
      title: 'Reindex rnn (read on the padded row), lr 1e-3',
      officialState: (f, file) => {
        const h = d / 4;
        const gru = 3 * h * d + 3 * h * h + 6 * h;
        expect(f, 2 * gru + d * 2 * h + d, file, `the rnn state for d = ${d}`);
        const out: Record<string, tf.Tensor> = {};
        let at = 0;
        const take = (k: number) => f.slice(at, (at += k));
        for (const dir of ['fwd', 'bwd']) {
          out[`gru.${dir}.w_ih`] = transposed(take(3 * h * d), 3 * h, d);
          out[`gru.${dir}.w_hh`] = transposed(take(3 * h * h), 3 * h, h);
          out[`gru.${dir}.b_ih`] = tf.tensor1d(take(3 * h));
          out[`gru.${dir}.b_hh`] = tf.tensor1d(take(3 * h));
        }
        out['linear.weight'] = transposed(take(d * 2 * h), d, 2 * h);
        out['linear.bias'] = tf.tensor1d(take(d));
        return out;
      },
      compared: ['gru.fwd.w_ih', 'gru.bwd.w_hh', 'linear.weight'],
      setup: (data, initial) => rnnRun(data, initial),
    },
  };
}
