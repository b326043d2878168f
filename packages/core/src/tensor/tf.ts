import * as tf from '@tensorflow/tfjs';

// tfjs' cpu backend prints a "Hi, looks like you are running TensorFlow.js in
// Node.js ... install our node backend" banner on its first tensor write.
// lmrec chooses the backend itself (initBackend says which one runs and why
// the better ones were skipped), so the banner only misleads. tfjs builds a
// new backend instance whenever it (re)initialises one, so the factory is
// wrapped: every cpu backend it makes starts as already used.
silenceCpuBanner();

function silenceCpuBanner(): void {
  const factory = tf.findBackendFactory('cpu');
  const live = 'cpu' in ((tf.engine() as unknown as { registry?: object }).registry ?? {});
  if (!factory || live) return;
  tf.removeBackend('cpu');
  // 1 is the priority @tensorflow/tfjs-backend-cpu registers with.
  tf.registerBackend(
    'cpu',
    () => {
      const backend = factory() as tf.KernelBackend & { firstUse?: boolean };
      backend.firstUse = false;
      return backend;
    },
    1,
  );
}

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
