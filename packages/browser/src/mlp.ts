import * as tf from '@tensorflow/tfjs';
import type { BundleManifest } from './format.js';

/** AlphaRec's shared mapping on tfjs: X . W1 + b1 -> LeakyReLU -> . W2 + b2 (or X . W), weights stored [in, out]. */
export class MappingOnTf {
  private readonly weights: Record<string, tf.Tensor>;

  constructor(
    private readonly manifest: BundleManifest,
    weights: Record<string, { shape: number[]; data: Float32Array }>,
  ) {
    this.weights = Object.fromEntries(Object.entries(weights).map(([name, w]) => [name, tf.tensor(w.data, w.shape, 'float32')]));
  }

  /** Rows [n, inDim] -> [n, outDim]. */
  apply(rows: Float32Array, n: number): Float32Array {
    const { inDim, mapping, slope } = this.manifest;
    const w = this.weights;
    const y = tf.tidy(() => {
      const x = tf.tensor2d(rows, [n, inDim]);
      if (mapping === 'linear') return tf.matMul(x, w.w as tf.Tensor2D);
      const a = tf.leakyRelu(tf.add(tf.matMul(x, w.w1 as tf.Tensor2D), w.b1), slope);
      return tf.add(tf.matMul(a as tf.Tensor2D, w.w2 as tf.Tensor2D), w.b2);
    });
    try {
      return Float32Array.from(y.dataSync() as Float32Array);
    } finally {
      y.dispose();
    }
  }

  dispose(): void {
    for (const t of Object.values(this.weights)) t.dispose();
  }
}
