import * as tf from '@tensorflow/tfjs';

/**
 * The one tfjs instance every lmrec package uses. Import `tf` from
 * `@lmrec/core`, never from `@tensorflow/tfjs` directly, so that kernels,
 * gradients and the active backend are shared by all packages.
 */
export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Tensor3D = tf.Tensor3D;
export type Variable = tf.Variable;
