import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serializeNpy } from '@lmrec/core';
import { ArtifactsBackbone } from '../src/index.js';

/** A two-item, three-example folder in the redial_lexical layout (some files gzipped, some not). */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'npy-layout-'));
  const table = Float32Array.from({ length: 4 * 2 }, (_, i) => i / 10);
  writeFileSync(join(dir, 'token_embeddings.npy.gz'), gzipSync(serializeNpy(table, [4, 2])));
  writeFileSync(join(dir, 'items.tsv'), 'item_id\tmovieId\ttitle\tname_key\n0\t7\tAlien (1979)\tAlien (1979)\n1\t9\tHeat (1995)\tHeat (1995)\n');
  writeFileSync(join(dir, 'title_token_ids.json'), JSON.stringify([[2, 3], [1]]));
  const ex = (id: string, context: string) => JSON.stringify({ example_id: id, conv_id: 'c', turn_id: '1', target: 0, history: [], context });
  writeFileSync(join(dir, 'examples_train.jsonl.gz'), gzipSync(`${ex('a_1_0', 'User: hi')}\n${ex('a_3_1', 'User: hi\nSystem: Heat (1995)?')}\n`));
  writeFileSync(join(dir, 'contexts_train.npy'), serializeNpy(Float32Array.of(1, 2, 3, 4), [2, 2]));
  writeFileSync(join(dir, 'examples_test.jsonl'), `${ex('b_1_1', '')}\n`);
  writeFileSync(join(dir, 'contexts_test.npy.gz'), gzipSync(serializeNpy(Float32Array.of(5, 6), [1, 2])));
  return dir;
}

describe('ArtifactsBackbone on the numpy layout (../shared/data/redial_lexical)', () => {
  it('reads titles, token rows and context vectors by id and by rendered context', async () => {
    const dir = folder();
    try {
      const b = await ArtifactsBackbone.open(dir);
      expect(b.dim).toBe(2);
      expect(await b.tokenize(['Heat (1995)', 'Alien (1979)'])).toEqual([[1], [2, 3]]);
      expect(Array.from(await b.tokenEmbeddings([3, 0]))).toEqual([0.6, 0.7, 0, 0.1].map(Math.fround));
      expect((await b.contextVectorsForIds(['b_1_1', 'a_3_1'])).map((v) => Array.from(v))).toEqual([[5, 6], [3, 4]]);
      const turns = [{ role: 'seeker' as const, text: 'hi', items: [] }, { role: 'recommender' as const, text: 'Heat (1995)?', items: [1] }];
      expect((await b.contextVectors([turns, turns.slice(0, 1), []])).map((v) => Array.from(v))).toEqual([[3, 4], [1, 2], [5, 6]]);
      await expect(b.tokenize(['Up (2009)'])).rejects.toThrow(/not in the artifacts/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('a split with examples but no context vectors is an error naming the file', async () => {
    const dir = folder();
    try {
      rmSync(join(dir, 'contexts_test.npy.gz'));
      await expect(ArtifactsBackbone.open(dir)).rejects.toThrow(/contexts_test\.npy/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
