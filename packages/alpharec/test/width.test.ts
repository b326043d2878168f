import { describe, expect, it } from 'vitest';
import { mlpWidth, referenceMultiplierForFile } from '../src/width.js';
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
