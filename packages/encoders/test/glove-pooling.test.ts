import { describe, expect, it } from 'vitest';
import { GloveVectors, firstPrincipalComponent, harmonic, poolRows, removeComponent, sifWeights, zipfProbability } from '../src/index.js';
import { randomVectors } from './helpers/glove-fixture.js';

describe('Zipf frequencies and SIF weights', () => {
  it('p(rank) = 1 / (rank * H_n) sums to 1 and halves from rank 1 to 2', () => {
    expect(harmonic(4)).toBeCloseTo(1 + 1 / 2 + 1 / 3 + 1 / 4, 14);
    const n = 1000;
    let total = 0;
    for (let i = 0; i < n; i++) total += zipfProbability(i, n);
    expect(total).toBeCloseTo(1, 12);
    expect(zipfProbability(0, 4)).toBeCloseTo(12 / 25, 14); // H_4 = 25/12
    expect(zipfProbability(1, 4)).toBeCloseTo(6 / 25, 14);
  });

  it('weights are a / (a + p)', () => {
    const w = sifWeights(4, 0.1);
    const p = [12 / 25, 6 / 25, 4 / 25, 3 / 25];
    p.forEach((pi, i) => expect(w[i]).toBeCloseTo(0.1 / (0.1 + pi), 6));
    expect(w[0]).toBeLessThan(w[3]);
  });
});

describe('poolRows', () => {
  it('is sum w v / T', () => {
    const table = new GloveVectors('t', ['a', 'b', 'c'], 2, Float32Array.from([1, 2, 3, 4, -1, 0.5]));
    expect([...poolRows(table, [0, 2, 2], [1, 2, 4])]).toEqual([(1 - 2 - 4) / 3, (2 + 1 + 2) / 3]);
    expect([...poolRows(table, [1, 0])]).toEqual([2, 3]);
    expect([...poolRows(table, [])]).toEqual([0, 0]);
  });
});

describe('first principal component (uncentred)', () => {
  it('matches hand-computed cases', () => {
    // G = [[5, 4], [4, 5]]: eigenvalues 9 (along (1, 1)) and 1
    const u = firstPrincipalComponent([Float64Array.from([2, 1]), Float64Array.from([1, 2])], 2)!;
    expect(u[0]).toBeCloseTo(Math.SQRT1_2, 10);
    expect(u[1]).toBeCloseTo(Math.SQRT1_2, 10);
    const a = removeComponent(Float64Array.from([2, 1]), u);
    expect(a[0]).toBeCloseTo(0.5, 10);
    expect(a[1]).toBeCloseTo(-0.5, 10);
    // G = diag(9, 1, 4) -> e1; the sign is fixed so the largest entry is positive
    const e = firstPrincipalComponent([Float64Array.from([-3, 0, 0]), Float64Array.from([0, 1, 0]), Float64Array.from([0, 0, 2])], 3)!;
    expect([...e].map((x) => Math.round(x * 1e9) / 1e9 + 0)).toEqual([1, 0, 0]);
    expect(firstPrincipalComponent([new Float64Array(3)], 3)).toBeUndefined();
  });

  it('agrees with the closed form in 2-D on random rows', () => {
    const rows = randomVectors(30, 2, 5).map((r) => Float64Array.from(r));
    let [gxx, gxy, gyy] = [0, 0, 0];
    for (const [x, y] of rows) {
      gxx += x * x;
      gxy += x * y;
      gyy += y * y;
    }
    const theta = 0.5 * Math.atan2(2 * gxy, gxx - gyy); // angle of the top eigenvector of [[gxx, gxy], [gxy, gyy]]
    const u = firstPrincipalComponent(rows, 2)!;
    expect(Math.abs(u[0] * Math.cos(theta) + u[1] * Math.sin(theta))).toBeCloseTo(1, 9);
  });

  it('recovers a planted direction in 100-d', () => {
    const dir = randomVectors(1, 100, 1)[0];
    const n = Math.hypot(...dir);
    const noise = randomVectors(200, 100, 2);
    const rows = noise.map((r, i) => Float64Array.from(r, (v, j) => 0.1 * v + ((i % 7) + 1) * (dir[j] / n)));
    const u = firstPrincipalComponent(rows, 100)!;
    const cos = Math.abs(u.reduce((s, x, j) => s + (x * dir[j]) / n, 0));
    expect(cos).toBeGreaterThan(0.999);
    const v = removeComponent(Float64Array.from(rows[0]), u);
    expect(Math.abs(v.reduce((s, x, j) => s + x * u[j], 0))).toBeLessThan(1e-12);
  });
});
