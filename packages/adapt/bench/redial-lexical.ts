/** The redial_lexical inputs as the official RTA code saw them (shared by the benches of this folder). */
import { join } from 'node:path';
import { loadRedial, redialLexicalSplit, toCrsExamples, type CrsExample } from '@lmrec/datasets';
import { ArtifactsBackbone } from '@lmrec/reindex';
import { sharedData } from '../../../scripts/bench-utils.js';
import type { AdaptExamples } from '../src/index.js';

export interface RedialLexical {
  titles: string[];
  nItems: number;
  backbone: ArtifactsBackbone;
  parts: Record<'train' | 'valid' | 'test', { examples: CrsExample[]; set: AdaptExamples }>;
}

/** undefined (with a note) when ../shared/data is absent. */
export async function loadRedialLexical(): Promise<RedialLexical | undefined> {
  const redial = sharedData('redial');
  const lexical = sharedData('redial_lexical');
  if (!redial || !lexical) {
    console.log('skipped: ../shared/data/redial and ../shared/data/redial_lexical are needed');
    return undefined;
  }
  const ds = await loadRedial({ movies: join(redial, 'movies_with_mentions.csv'), train: join(redial, 'extra_train.jsonl'), valid: join(redial, 'extra_valid.jsonl'), test: join(redial, 'test_data.jsonl.gz'), turns: 'message', catalogue: 'mentioned' });
  ds.split = redialLexicalSplit(ds);
  const backbone = await ArtifactsBackbone.open(lexical);
  const d = backbone.dim;
  const part = async (name: 'train' | 'valid' | 'test') => {
    const examples = toCrsExamples(ds, ds.split[name], { history: 'distinct' });
    const vectors = await backbone.contextVectors(examples.map((e) => e.context));
    const queries = new Float32Array(examples.length * d);
    vectors.forEach((v, i) => queries.set(v, i * d));
    return { examples, set: { targets: Int32Array.from(examples, (e) => e.target), histories: examples.map((e) => e.history), queries, dim: d } };
  };
  return { titles: ds.items.titles, nItems: ds.items.ids.length, backbone, parts: { train: await part('train'), valid: await part('valid'), test: await part('test') } };
}
