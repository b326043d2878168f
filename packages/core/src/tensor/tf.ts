import * as tf from '@tensorflow/tfjs';

// tfjs' cpu backend prints a "Hi, looks like you are running TensorFlow.js in
// Node.js ... install our node backend" banner on its first tensor write.
// lmrec chooses the backend itself (initBackend says which one runs and why
// the better ones were skipped), so the banner only misleads: mark the cpu
// backend as already used before anything writes to it.
const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
if (cpu && 'firstUse' in cpu) cpu.firstUse = false;

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
