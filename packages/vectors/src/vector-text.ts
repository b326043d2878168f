/**
 * pgvector's text form `[x,y,...]`. Nine significant digits round-trip every
 * float32 exactly, so what the index holds is bit-for-bit the model's vector.
 */
export function vectorText(data: Float32Array, offset: number, dim: number, stride = 1): string {
  const parts = new Array<string>(dim);
  for (let c = 0; c < dim; c++) parts[c] = shortFloat(data[offset + c * stride]);
  return `[${parts.join(',')}]`;
}

function shortFloat(x: number): string {
  if (x === 0) return '0';
  const s = String(x);
  // Most float32 values print long as doubles; toPrecision(9) is exact for float32 and shorter.
  return s.length > 12 ? x.toPrecision(9) : s;
}

export function parseVectorText(text: string): Float32Array {
  const body = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  return body ? Float32Array.from(body.split(','), Number) : new Float32Array(0);
}
