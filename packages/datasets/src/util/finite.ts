import { LmrecError } from '@lmrec/core';

/**
 * Throws E_NONFINITE naming the file, row and column of the first NaN or
 * +-Infinity in a row-major [rows, dim] table: a vector file with one bad
 * value otherwise surfaces much later as a "loss is NaN" training error.
 */
export function assertFiniteRows(data: ArrayLike<number>, dim: number, file: string, what = 'row'): void {
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (v - v !== 0) {
      const row = dim > 0 ? Math.floor(k / dim) : k;
      const column = dim > 0 ? k % dim : 0;
      throw new LmrecError('E_NONFINITE', `${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} at ${what} ${row}, column ${column}`, {
        file,
        field: `${what} ${row}, column ${column}`,
        hint: 'every embedding value must be a finite number; regenerate the file',
      });
    }
  }
}
