import { LmrecError, type tf } from '@lmrec/core';
import type { Sampler, Trainable } from './types.js';

/**
 * Bad inputs fail before training starts, naming what is wrong: a frozen
 * input (embedding, context vector) or an initial weight that is NaN / Inf.
 */
export function checkFiniteInputs(model: Trainable<unknown>): void {
  for (const [name, { data, rowLength }] of Object.entries(model.inputs?.() ?? {})) {
    const i = firstNonFinite(data);
    if (i >= 0) {
      const where = rowLength ? `row ${Math.floor(i / rowLength)}, column ${i % rowLength}` : `index ${i}`;
      throw new LmrecError('E_INPUT', `${model.name}: input "${name}" holds ${data[i]} at ${where}; training on it would give a NaN loss`, {
        field: name,
        hint: 'fix or re-create the input (e.g. re-encode the items); NaN / Inf is never a valid embedding value',
      });
    }
  }
  for (const [name, t] of Object.entries(model.state())) {
    const i = firstNonFinite(t.dataSync() as Float32Array);
    if (i >= 0) {
      throw new LmrecError('E_INPUT', `${model.name}: weight "${name}" is not finite at index ${i} before training`, {
        field: name,
        hint: 'the initial or loaded weights are broken (a corrupt checkpoint or saved model?)',
      });
    }
  }
}

function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/**
 * Tells a diverging run (a finite loss that later turns NaN / Inf) from bad
 * inputs (the loss is not finite at the very first step, before any update
 * could have made it so).
 */
export function checkLoss(model: string, value: number, stepsBefore: number, epoch: number, lastFinite: number | undefined, lr: number): void {
  if (Number.isFinite(value)) return;
  if (stepsBefore === 0) {
    throw new LmrecError('E_INPUT', `${model}: the loss is ${value} at the first step, before any update, so it comes from the inputs, not from training`, {
      hint: 'look for NaN / Inf or huge values in the data, embeddings or initial weights; lowering the learning rate will not help',
    });
  }
  throw new LmrecError(
    'E_DIVERGED',
    `${model}: training diverged: the loss was finite${lastFinite === undefined ? '' : ` (last ${lastFinite.toPrecision(5)})`} and became ${value} at epoch ${epoch + 1}, step ${stepsBefore + 1}`,
    { field: 'lr', hint: `lower the learning rate (now ${lr}) or set clipNorm` },
  );
}

/** Fails before training when an epoch cannot yield one full batch that the sampler keeps. */
export function checkBatchFits(model: string, sampler: Sampler<unknown>, batchSize: number): void {
  const n = sampler.size();
  if (n === 0) throw new LmrecError('E_DATA', `${model}: there is nothing to train on (0 ${sampler.unit ?? 'samples'} per epoch)`);
  if (sampler.dropLast && n < batchSize) throw zeroSteps(model, sampler, batchSize, 0);
}

/** An epoch that ran no optimisation step is an error (it would report untrained weights as trained). */
export function zeroSteps(model: string, sampler: Sampler<unknown>, batchSize: number, epoch: number): LmrecError {
  const n = sampler.size();
  const unit = sampler.unit ?? 'samples';
  const why = sampler.dropLast
    ? `the batch size ${batchSize} is larger than the ${n} ${unit} of an epoch and the incomplete last batch is dropped`
    : `the sampler yielded no batch (batch size ${batchSize}, ${n} ${unit} per epoch)`;
  return new LmrecError('E_CONFIG', `${model}: epoch ${epoch + 1} would run no optimisation step: ${why}`, {
    field: 'batchSize',
    hint: n > 0 ? `use batchSize <= ${n} (or more training data)` : 'check the training data',
  });
}

/** A variable list without duplicates, or a clear error (an optimiser would update a variable twice). */
export function checkVariables(model: string, variables: readonly tf.Variable[]): void {
  if (new Set(variables).size !== variables.length) {
    throw new LmrecError('E_STATE', `${model}: trainableVariables() lists a variable twice`);
  }
}
