import { describe, expect, it } from 'vitest';
import { mlpWidth, referenceMultiplierForFile } from '../src/width.js';

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
