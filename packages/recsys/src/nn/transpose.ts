/** Row-major [rows, cols] -> row-major [cols, rows] (item tables laid out [d, n] for fast scoring on wasm). */
export function transposeRows(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = x[o + c];
  }
  return out;
}
