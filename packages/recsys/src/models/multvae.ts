import { readTidy, tf, type CfSplit, type Rng } from '@lmrec/core';
import { UserSampler, type UserBatch } from '../trainer/samplers.js';
import type { EvalScorer, Sampler, StepContext } from '../trainer/types.js';
import { dense, dropout, normalTensor } from '../nn/ops.js';
import { normalVariable, xavierVariable } from '../nn/init.js';
import { factorScorer, fitDefaults, TrainedRecommender, type TrainConfig } from './base.js';

export interface MultVaeConfig extends TrainConfig {
  /** Encoder hidden sizes after the item layer; the last is the latent size. Default [600, 200]. */
  dims?: [number, number];
  /** Dropout on the L2-normalised input. Default 0.5. */
  dropout?: number;
  /** beta = min(annealCap, step / totalAnnealSteps). Defaults 200000 and 0.2. */
  totalAnnealSteps?: number;
  annealCap?: number;
}

/**
 * Mult-VAE (Liang et al. 2018): x -> L2 normalise -> dropout -> tanh(600) ->
 * (mu, logvar) in 200-d -> z -> tanh(600) -> logits over items; multinomial
 * log-likelihood + beta * KL with beta annealed linearly to annealCap.
 * Weights Xavier-uniform, biases N(0, 0.001^2), as in the reference.
 */
export class MultVae extends TrainedRecommender<UserBatch, MultVaeConfig> {
  readonly name = 'multvae';
  private w: Record<string, tf.Variable> = {};

  constructor(config: MultVaeConfig = {}) {
    super(config, fitDefaults({ epochs: 200, batchSize: 500, lr: 1e-3, evalEvery: 5, patience: 10 }));
  }

  private get hidden(): number {
    return (this.config.dims ?? [600, 200])[0];
  }

  private get latent(): number {
    return (this.config.dims ?? [600, 200])[1];
  }

  protected build(rng: Rng): void {
    const h = this.hidden;
    const z = this.latent;
    const n = this.nItems;
    this.w = {
      'encoder.0.weight': xavierVariable(rng.fork('e0w'), [n, h]),
      'encoder.0.bias': normalVariable(rng.fork('e0b'), [h], 0.001),
      'encoder.1.weight': xavierVariable(rng.fork('e1w'), [h, 2 * z]),
      'encoder.1.bias': normalVariable(rng.fork('e1b'), [2 * z], 0.001),
      'decoder.0.weight': xavierVariable(rng.fork('d0w'), [z, h]),
      'decoder.0.bias': normalVariable(rng.fork('d0b'), [h], 0.001),
      'decoder.1.weight': xavierVariable(rng.fork('d1w'), [h, n]),
      'decoder.1.bias': normalVariable(rng.fork('d1b'), [n], 0.001),
    };
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.w);
  }

  state(): Record<string, tf.Tensor> {
    return { ...this.w };
  }

  sampler(split: CfSplit): Sampler<UserBatch> {
    return new UserSampler(split.train);
  }

  /** Dense 0/1 train rows of `users`. */
  private rows(users: Int32Array): tf.Tensor2D {
    const train = this.requireTrain();
    const x = new Float32Array(users.length * this.nItems);
    users.forEach((u, r) => {
      for (const j of train.row(u)) x[r * this.nItems + j] = 1;
    });
    return tf.tensor2d(x, [users.length, this.nItems]);
  }

  private encode(x: tf.Tensor2D, rng: Rng | undefined, training: boolean): { mu: tf.Tensor2D; logvar: tf.Tensor2D } {
    const norm = tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), 1, true), 1e-12)));
    const h = tf.tanh(dense(dropout(norm, this.config.dropout ?? 0.5, rng, training), this.w['encoder.0.weight'] as tf.Tensor2D, this.w['encoder.0.bias'] as tf.Tensor1D));
    const out = dense(h, this.w['encoder.1.weight'] as tf.Tensor2D, this.w['encoder.1.bias'] as tf.Tensor1D) as tf.Tensor2D;
    const z = this.latent;
    return { mu: out.slice([0, 0], [-1, z]), logvar: out.slice([0, z], [-1, z]) };
  }

  private decoderHidden(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tanh(dense(z, this.w['decoder.0.weight'] as tf.Tensor2D, this.w['decoder.0.bias'] as tf.Tensor1D)) as tf.Tensor2D;
  }

  loss(batch: UserBatch, ctx: StepContext): tf.Scalar {
    const x = this.rows(batch.users);
    const { mu, logvar } = this.encode(x, ctx.rng, true);
    const eps = normalTensor(ctx.rng, mu.shape);
    const z = tf.add(mu, tf.mul(eps, tf.exp(tf.mul(logvar, 0.5)))) as tf.Tensor2D;
    const logits = dense(this.decoderHidden(z), this.w['decoder.1.weight'] as tf.Tensor2D, this.w['decoder.1.bias'] as tf.Tensor1D);
    const negLl = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), x), 1)));
    const kl = tf.mean(tf.sum(tf.mul(tf.add(tf.sub(tf.exp(logvar), logvar), tf.sub(tf.square(mu), 1)), 0.5), 1));
    const beta = Math.min(this.config.annealCap ?? 0.2, ctx.step / (this.config.totalAnnealSteps ?? 200000));
    return tf.add(negLl, tf.mul(kl, beta)) as tf.Scalar;
  }

  /**
   * Scores are h(u) . W_out + b_out with h(u) the decoder hidden state of the
   * posterior mean, so they factor as [h, 1] . [W_out; b_out] ([d + 1, nItems]).
   */
  scorer(): EvalScorer {
    const nU = this.nUsers;
    const h = this.hidden;
    const users = new Float32Array(nU * (h + 1));
    const block = 512;
    for (let s = 0; s < nU; s += block) {
      const ids = Int32Array.from({ length: Math.min(block, nU - s) }, (_, i) => s + i);
      const hid = readTidy(() => this.decoderHidden(this.encode(this.rows(ids), undefined, false).mu));
      ids.forEach((_, r) => {
        users.set(hid.subarray(r * h, (r + 1) * h), (s + r) * (h + 1));
        users[(s + r) * (h + 1) + h] = 1;
      });
    }
    const itemsT = new Float32Array((h + 1) * this.nItems);
    itemsT.set(this.w['decoder.1.weight'].dataSync() as Float32Array, 0);
    itemsT.set(this.w['decoder.1.bias'].dataSync() as Float32Array, h * this.nItems);
    return factorScorer(this.nItems, h + 1, users, itemsT);
  }

  dispose(): void {
    for (const v of Object.values(this.w)) v.dispose();
    this.w = {};
  }
}
