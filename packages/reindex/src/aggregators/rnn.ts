import { gatherRows, Rng, tf } from '@lmrec/core';
import { matMul } from '@lmrec/recsys';
import { BaseAggregator, dense3, lastValidOneHot } from './base.js';
import { uniformVariable } from './init.js';
import { inverseOrder, packedSchedule, packedTokenIndex, type PackedSchedule } from './packed-schedule.js';

export interface RnnAggregatorOptions {
  /** Token-embedding width d. */
  dim: number;
  /** GRU hidden size per direction (reference 1024 for d = 4096). Default max(8, d / 4). */
  hidden?: number;
  /** Output width (default d). */
  outDim?: number;
  seed?: number;
  /**
   * What the backward direction gives (default 'packed'): 'packed' = its
   * state after running back over the valid tokens to position 0 (PyTorch's
   * h_n of a packed sequence); 'padded' = the official RTA code's read of the
   * padded output at the last valid token: the backward GRU first runs over
   * the padding (zero vectors, the PAD row of redial_lexical) from position
   * `padTo - 1` down, then reads the last valid token.
   */
  read?: 'packed' | 'padded';
  /** With read 'padded': pad every title to at least this many tokens (the official code pads to the catalogue's longest title). Default: the batch's longest. */
  padTo?: number;
  /**
   * Which steps are computed (default 'valid'): 'valid' = only valid tokens,
   * rows sorted by length as in PyTorch's packed sequences (and with read
   * 'padded' the backward run over the padding, which is the same for every
   * row, is computed once); 'all' = every row at every position with masked
   * updates, the straightforward reference 'valid' is tested against. Both
   * give the same result; a mask that is not 1..1 0..0 per row always takes 'all'.
   */
  steps?: 'valid' | 'all';
}

/**
 * 1-layer bidirectional GRU over the title tokens, then Linear(2h -> outDim).
 *
 * Output at the last valid token: the forward direction's state after the
 * last valid token, and the backward direction's state at position 0 after it
 * has run over the valid tokens only (the `h_n` of a packed sequence in
 * PyTorch). Masked steps carry the state through unchanged, so padding never
 * changes the output. Gates follow PyTorch's GRU (r, z, n order;
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn))); weights U(+-1/sqrt(h)).
 */
export class RnnAggregator extends BaseAggregator {
  readonly name = 'rnn';
  readonly dim: number;
  readonly inputDim: number;
  readonly hidden: number;
  readonly read: 'packed' | 'padded';
  readonly padTo: number;
  readonly steps: 'valid' | 'all';

  constructor(options: RnnAggregatorOptions) {
    super();
    const d = options.dim;
    this.inputDim = d;
    this.dim = options.outDim ?? d;
    const h = options.hidden ?? Math.max(8, Math.floor(d / 4));
    this.hidden = h;
    this.read = options.read ?? 'packed';
    this.padTo = options.padTo ?? 1;
    this.steps = options.steps ?? 'valid';
    const rng = new Rng(options.seed ?? 0).fork('rnn');
    const bound = 1 / Math.sqrt(h);
    for (const dir of ['fwd', 'bwd']) {
      this.register(`gru.${dir}.w_ih`, (n) => uniformVariable(rng, [d, 3 * h], bound, n));
      this.register(`gru.${dir}.w_hh`, (n) => uniformVariable(rng, [h, 3 * h], bound, n));
      this.register(`gru.${dir}.b_ih`, (n) => uniformVariable(rng, [3 * h], bound, n));
      this.register(`gru.${dir}.b_hh`, (n) => uniformVariable(rng, [3 * h], bound, n));
    }
    const outBound = 1 / Math.sqrt(2 * h);
    this.register('linear.weight', (n) => uniformVariable(rng, [2 * h, this.dim], outBound, n));
    this.register('linear.bias', (n) => uniformVariable(rng, [this.dim], outBound, n));
  }

  apply(tokens: tf.Tensor3D, mask: tf.Tensor2D, _training: boolean): tf.Tensor2D {
    this.checkInput(tokens, mask);
    const [n, T] = tokens.shape;
    const schedule = this.steps === 'valid' ? packedSchedule(mask.dataSync(), n, T) : undefined;
    return tf.tidy(() => {
      const [fwd, bwd] = schedule ? this.runValid(tokens, schedule) : this.runAll(tokens, mask);
      const both = tf.concat([fwd, bwd], 1);
      return tf.add(matMul(both, this.variable('linear.weight')), this.variable('linear.bias')) as tf.Tensor2D;
    });
  }

  /** Both directions' outputs, stepping every row over every position (masked). */
  private runAll(tokens: tf.Tensor3D, mask: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    let m = tf.cast(mask, 'float32') as tf.Tensor2D;
    let x = tokens;
    if (this.read === 'padded') {
      const extra = Math.max(0, this.padTo - tokens.shape[1]);
      // padding reads as zero vectors, however the caller filled it
      x = tf.pad(tf.mul(tokens, tf.expandDims(m, 2)), [[0, 0], [0, extra], [0, 0]]) as tf.Tensor3D;
      m = tf.pad(m, [[0, 0], [0, extra]]) as tf.Tensor2D;
    }
    const fwd = this.run('fwd', x, m, false);
    const bwd = this.read === 'padded' ? this.runPaddedBackward(x, m) : this.run('bwd', x, m, true);
    return [fwd, bwd];
  }

  /** Both directions' outputs, stepping valid tokens only. */
  private runValid(tokens: tf.Tensor3D, s: PackedSchedule): [tf.Tensor2D, tf.Tensor2D] {
    const [n, T, d] = tokens.shape;
    const rows = tf.reshape(tokens, [n * T, d]) as tf.Tensor2D;
    // one host copy serves every gather below (wasm's own gather is slow on this many rows)
    const host = tokens.dataSync() as Float32Array;
    const back = inverseOrder(s.order);
    const fwd = gatherRows(this.runPacked('fwd', rows, host, s, false), back);
    const bwd = this.read === 'padded' ? this.paddedBackwardValid(rows, host, s) : gatherRows(this.runPacked('bwd', rows, host, s, true), back);
    return [fwd, bwd];
  }

  /** Final states [n, h] in schedule order: step t advances only the rows still running. */
  private runPacked(dir: string, rows: tf.Tensor2D, host: Float32Array, s: PackedSchedule, reverse: boolean): tf.Tensor2D {
    const n = s.order.length;
    let state = tf.zeros([n, this.hidden]) as tf.Tensor2D;
    if (s.batchSizes.length === 0) return state;
    const gx = this.inputGatesOf(dir, gatherRows(rows, packedTokenIndex(s, reverse), host));
    let offset = 0;
    for (const size of s.batchSizes) {
      const g = tf.slice(gx, [offset, 0], [size, -1]) as tf.Tensor2D;
      offset += size;
      const head = size === n ? state : (tf.slice(state, [0, 0], [size, -1]) as tf.Tensor2D);
      const next = this.cell(dir, g, head);
      state = size === n ? next : (tf.concat([next, tf.slice(state, [size, 0], [-1, -1])], 0) as tf.Tensor2D);
    }
    return state;
  }

  /**
   * read 'padded' over valid steps: the backward GRU reaches a row's last
   * token after P - length padding steps of zero input, whose states do not
   * depend on the row, so they are computed once ([1, h] each) and the row
   * takes one GRU step on its last token from there.
   */
  private paddedBackwardValid(rows: tf.Tensor2D, host: Float32Array, s: PackedSchedule): tf.Tensor2D {
    const P = Math.max(this.padTo, s.T);
    const lens = s.lengths;
    let maxPads = 0;
    for (const len of lens) if (len > 0) maxPads = Math.max(maxPads, P - len);
    const zeroInput = tf.reshape(this.variable('gru.bwd.b_ih'), [1, 3 * this.hidden]) as tf.Tensor2D;
    const padStates = [tf.zeros([1, this.hidden]) as tf.Tensor2D];
    for (let k = 0; k < maxPads; k++) padStates.push(this.cell('bwd', zeroInput, padStates[k]));
    const start = gatherRows(tf.concat(padStates, 0) as tf.Tensor2D, Int32Array.from(lens, (len) => (len > 0 ? P - len : 0)));
    const last = gatherRows(rows, Int32Array.from(lens, (len, i) => i * s.T + Math.max(len - 1, 0)), host);
    const out = this.cell('bwd', this.inputGatesOf('bwd', last), start);
    if (lens.every((len) => len > 0)) return out;
    return tf.mul(out, tf.tensor2d(Float32Array.from(lens, (len) => (len > 0 ? 1 : 0)), [lens.length, 1])) as tf.Tensor2D;
  }

  /** W_ih x + b_ih of token rows [k, d] -> [k, 3h]. */
  private inputGatesOf(dir: string, x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(matMul(x, this.variable(`gru.${dir}.w_ih`) as tf.Tensor2D), this.variable(`gru.${dir}.b_ih`)) as tf.Tensor2D;
  }

  private run(dir: string, tokens: tf.Tensor3D, m: tf.Tensor2D, reverse: boolean): tf.Tensor2D {
    const [n, T] = tokens.shape;
    const steps = this.inputGates(dir, tokens);
    const maskSteps = timeSteps(tf.expandDims(m, 2) as tf.Tensor3D);
    let state = tf.zeros([n, this.hidden]) as tf.Tensor2D;
    for (let s = 0; s < T; s++) {
      const t = reverse ? T - 1 - s : s;
      const mt = maskSteps[t];
      state = tf.add(tf.mul(mt, this.cell(dir, steps[t], state)), tf.mul(tf.sub(1, mt), state)) as tf.Tensor2D;
    }
    return state;
  }

  /** The backward GRU over every position (padding included), read at each row's last valid token. */
  private runPaddedBackward(tokens: tf.Tensor3D, m: tf.Tensor2D): tf.Tensor2D {
    const [n, T] = tokens.shape;
    const steps = this.inputGates('bwd', tokens);
    const pick = timeSteps(tf.expandDims(lastValidOneHot(m), 2) as tf.Tensor3D);
    let state = tf.zeros([n, this.hidden]) as tf.Tensor2D;
    let out = tf.zeros([n, this.hidden]) as tf.Tensor2D;
    for (let t = T - 1; t >= 0; t--) {
      state = this.cell('bwd', steps[t], state);
      out = tf.add(out, tf.mul(pick[t], state)) as tf.Tensor2D;
    }
    return out;
  }

  /** W_ih x + b_ih of every position, as T tensors [n, 3h]. */
  private inputGates(dir: string, tokens: tf.Tensor3D): tf.Tensor2D[] {
    return timeSteps(dense3(tokens, this.variable(`gru.${dir}.w_ih`) as tf.Tensor2D, this.variable(`gru.${dir}.b_ih`) as tf.Tensor1D));
  }

  /** One GRU step (PyTorch's gate order r, z, n). */
  private cell(dir: string, gx: tf.Tensor2D, state: tf.Tensor2D): tf.Tensor2D {
    const gh = tf.add(matMul(state, this.variable(`gru.${dir}.w_hh`)), this.variable(`gru.${dir}.b_hh`));
    const [xr, xz, xn] = tf.split(gx, 3, 1);
    const [hr, hz, hn] = tf.split(gh, 3, 1);
    const r = tf.sigmoid(tf.add(xr, hr));
    const z = tf.sigmoid(tf.add(xz, hz));
    const cand = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    return tf.add(tf.mul(tf.sub(1, z), cand), tf.mul(z, state)) as tf.Tensor2D;
  }
}

/**
 * [n, T, k] -> T tensors [n, k]. tf.unstack's gradient breaks when T = 1
 * (tfjs hands a one-output op's gradient a lone tensor, and Unpack's
 * gradient stacks it as if it were a list): one-word titles are common with
 * word-level backbones such as GloVe, so reshape instead.
 */
function timeSteps(x: tf.Tensor3D): tf.Tensor2D[] {
  const [n, T, k] = x.shape;
  return T === 1 ? [tf.reshape(x, [n, k])] : (tf.unstack(x, 1) as tf.Tensor2D[]);
}
