import { cachedTranspose, layerMeanWasm, spmm, spmmOp, tf, type Csr } from '@lmrec/core';

/**
 * LightGCN propagation (He et al. 2020), the one implementation lmrec uses
 * (LightGCN, AlphaRec, zero-shot transfer): E_l = A_hat E_{l-1}, output the
 * mean of layers 0..L (layer 0 included), on plain arrays [nodes * dim].
 * `layers` gets every layer when given (inference for new users needs the
 * item rows of each layer).
 */
export function propagate(adj: Csr, e0: Float32Array, dim: number, nLayers: number, layers?: Float32Array[]): Float32Array {
  // without `layers` asked for, every layer can stay inside core's SIMD kernel
  const simd = layers ? undefined : layerMeanWasm(adj, e0, dim, nLayers);
  if (simd) return simd;
  layers?.push(e0);
  return layerMean(e0, nLayers, (prev) => {
    const next = spmm(adj, prev, dim);
    layers?.push(next);
    return next;
  });
}

/** Gradient of `propagate` w.r.t. layer 0: (1 / (L+1)) sum_l (A^T)^l dOut. */
export function propagateBackward(adj: Csr, dOut: Float32Array, dim: number, nLayers: number): Float32Array {
  if (nLayers === 0) return dOut;
  const at = cachedTranspose(adj);
  return layerMeanWasm(at, dOut, dim, nLayers) ?? layerMean(dOut, nLayers, (g) => spmm(at, g, dim));
}

/**
 * (x0 + x1 + ... + xL) / (L + 1) with x_l = next(x_{l-1}), summed in
 * float32 in layer order. Each layer is added in the pass that also starts
 * (layer 1: x0 + x1 into a new array) or scales (layer L) the sum: two
 * passes over the table for two layers instead of four.
 */
function layerMean(x0: Float32Array, nLayers: number, next: (prev: Float32Array) => Float32Array): Float32Array {
  if (nLayers === 0) return Float32Array.from(x0);
  const out = new Float32Array(x0.length);
  let sum = x0;
  let prev = x0;
  for (let l = 1; l <= nLayers; l++) {
    prev = next(prev);
    addInto(out, sum, prev, l === nLayers ? 1 / (nLayers + 1) : 1);
    sum = out;
  }
  return out;
}

/** out = float32(a + b) * scale elementwise (out may be a). */
function addInto(out: Float32Array, a: Float32Array, b: Float32Array, scale: number): void {
  for (let i = 0; i < out.length; i++) out[i] = Math.fround(a[i] + b[i]) * scale;
}

/** The same propagation as differentiable tfjs ops (core's spmmOp), for losses taped by tfjs. */
export function propagateTensor(adj: Csr, e0: tf.Tensor2D, nLayers: number): tf.Tensor2D {
  return tf.tidy(() => {
    let layer = e0;
    let sum: tf.Tensor2D = layer;
    for (let k = 0; k < nLayers; k++) {
      layer = spmmOp(adj, layer);
      sum = tf.add(sum, layer);
    }
    return tf.div(sum, nLayers + 1);
  });
}

/**
 * Every layer of the propagation as differentiable ops, layer 0 first, with
 * one adjacency per layer (SGL's random-walk views) and an optional
 * per-layer perturbation applied to each propagated layer (XSimGCL's noise).
 */
export function propagateLayersTensor(adj: Csr | readonly Csr[], e0: tf.Tensor2D, nLayers: number, perturb?: (layer: tf.Tensor2D, k: number) => tf.Tensor2D): tf.Tensor2D[] {
  const out = [e0];
  for (let k = 0; k < nLayers; k++) {
    const a = Array.isArray(adj) ? (adj as readonly Csr[])[k] : (adj as Csr);
    const next = spmmOp(a, out[k]);
    out.push(perturb ? perturb(next, k) : next);
  }
  return out;
}
