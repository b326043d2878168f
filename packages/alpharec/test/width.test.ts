import { describe, expect, it } from 'vitest';
import { checkWidthFits, mlpWidth, referenceMultiplierForFile } from '../src/width.js';
import { DEPS } from '@lmrec/core';
import { AlphaRec } from '../src/alpharec.js';
import { alpharecPlugin } from '../src/module.js';
import { alpharecOptions } from '../src/options.js';

describe('MLP width rule', () => {
  it('gives the paper multipliers (8, 2, 1/2, 9/32) for its encoders and honours explicit settings', () => {
    expect(mlpWidth(768)).toBe(8 * 768);
    expect(mlpWidth(1536)).toBe(2 * 1536);
    expect(mlpWidth(3072)).toBe(3072 / 2);
    expect(mlpWidth(4096)).toBe((9 * 4096) / 32);
    expect(mlpWidth(256, { multiplier: 0.5 })).toBe(128);
    expect(mlpWidth(256, { hidden: 100, multiplier: 0.5 })).toBe(100);
    expect(() => mlpWidth(256, { hidden: 0 })).toThrow(/hidden/);
  });

  it('maps AlphaRec file names to the reference multipliers', () => {
    expect(referenceMultiplierForFile('item_cf_embeds_large3_array.npy')).toBe(0.5);
    expect(referenceMultiplierForFile('item_cf_embeds_bert_array.npy')).toBe(8);
    expect(referenceMultiplierForFile('item_cf_embeds_Norm_SFR-Embedding-Mistral_7b_array.npy')).toBe(9 / 32);
    expect(referenceMultiplierForFile('vectors.npy')).toBeUndefined();
  });
});

describe('the registry path applies the reference width rule', () => {
  const data = new Float32Array(10 * 256);
  const net = (o: Record<string, unknown>, file?: string) =>
    alpharecPlugin.create(alpharecOptions.parse(o), new Map([[DEPS.ItemEmbeddings, { dim: 256, data, ...(file ? { file } : {}) }]]) as never);

  it("keys the MLP width by the vectors' file name, as fromAlphaRecDir does", () => {
    // the reference code's 'v3' (text-embedding-3-large) multiplier 1/2: 256 -> 128 -> 64
    expect((net({}, 'item_cf_embeds_large3_array.npy') as AlphaRec).netConfig().hidden).toBe(256 / 2);
    expect((net({}, 'item_cf_embeds_bert_array.npy') as AlphaRec).netConfig().hidden).toBe(8 * 256);
  });

  it('falls back to the paper rule without a known file name, and explicit settings win', () => {
    expect((net({}) as AlphaRec).netConfig().hidden).toBe(Math.floor(4_718_592 / 256));
    expect((net({}, 'vectors.npy') as AlphaRec).netConfig().hidden).toBe(Math.floor(4_718_592 / 256));
    expect((net({ multiplier: 2 }, 'item_cf_embeds_large3_array.npy') as AlphaRec).netConfig().hidden).toBe(512);
    expect((net({ hidden: 64 }, 'item_cf_embeds_large3_array.npy') as AlphaRec).netConfig().hidden).toBe(64);
  });
});

describe('checkWidthFits', () => {
  it("refuses on wasm a width whose [nItems, hidden] activation passes 256 MiB, and says which option sets it", () => {
    // ML-100K's 1,447 items at the default width for 100-d vectors: 1447 * 47185 * 4 B = 260.5 MiB
    expect(mlpWidth(100)).toBe(47185);
    expect(() => checkWidthFits(1447, 100, 47185, 'wasm')).toThrow(/hidden width of 47185 for 1447 items \(d = 100\) needs 260 MiB/);
    expect(() => checkWidthFits(1447, 100, 47185, 'wasm')).toThrow(/field "hidden"/);
    // the same width on a native backend, and the demo's 1,205 items at d = 256 (18,432 wide: 85 MiB), are fine
    expect(() => checkWidthFits(1447, 100, 47185, 'tensorflow')).not.toThrow();
    expect(() => checkWidthFits(1205, 256, mlpWidth(256), 'wasm')).not.toThrow();
    // exactly at the limit passes, one more item does not: 256 MiB / (4 B * 1024) = 65,536 items
    expect(() => checkWidthFits(65536, 64, 1024, 'wasm')).not.toThrow();
    expect(() => checkWidthFits(65537, 64, 1024, 'wasm')).toThrow(/E_CONFIG|hidden width/);
  });
});
