import { resolveGloveSource, WINK_PACKAGE } from '@lmrec/encoders';
import type { RunResults } from '../report/types.js';

/** One representation the demo runs: its configs (RTA, AlphaRec) and the row label of the summary. */
export interface DemoRepresentation {
  label: string;
  configs: { rta: string; alpharec: string };
}

export const GLOVE_DEMO: DemoRepresentation = {
  label: 'GloVe 6B word vectors (pretrained, 100-d; not an LLM)',
  configs: { rta: 'demo-rta-glove', alpharec: 'demo-alpharec-glove' },
};
export const LEXICAL_DEMO: DemoRepresentation = {
  label: 'lexical stand-in (hashed words; knows no meaning)',
  configs: { rta: 'demo-rta', alpharec: 'demo-alpharec' },
};

/** Why the GloVe rows cannot run (the vectors package is missing), or undefined when they can. */
export function gloveMissing(packageName = WINK_PACKAGE): string | undefined {
  try {
    resolveGloveSource(undefined, packageName);
    return undefined;
  } catch (error) {
    const e = error as Error & { hint?: string };
    return `${e.message}${e.hint ? `; ${e.hint}` : ''}`;
  }
}

/** Columns of the summary: which table row and metric each reads. */
const COLUMNS: { head: string; study: 'rta' | 'alpharec'; row: string; metric: string }[] = [
  { head: 'RTA zero-shot H@10', study: 'rta', row: 'Zero-shot (sum)', metric: 'hit@10' },
  { head: 'RTA Reindex H@10', study: 'rta', row: 'Reindex', metric: 'hit@10' },
  { head: 'RTA +Bias b H@10', study: 'rta', row: '+Bias b (frozen agg.)', metric: 'hit@10' },
  { head: 'RTA +RecSys FISM H@10', study: 'rta', row: '+RecSys FISM (frozen agg.)', metric: 'hit@10' },
  { head: 'Linear mapping R@20', study: 'alpharec', row: 'Linear mapping', metric: 'recall@20' },
  { head: 'AlphaRec R@20', study: 'alpharec', row: 'AlphaRec', metric: 'recall@20' },
];

function cell(results: RunResults | undefined, row: string, metric: string): string {
  const value = results?.experiments[0]?.rows.find((r) => r.label === row)?.metrics[metric];
  return value ? `${value.mean.toFixed(4)} ± ${value.se.toFixed(4)}` : '-';
}

/** The demo's closing table: one line per representation, the rows a newcomer compares (test, mean ± SE). */
export function demoSummary(runs: { representation: DemoRepresentation; results: Partial<Record<'rta' | 'alpharec', RunResults>> }[]): string {
  const lines = [
    '| representation | ' + COLUMNS.map((c) => c.head).join(' | ') + ' |',
    '|---|' + COLUMNS.map(() => '---:').join('|') + '|',
    ...runs.map(({ representation, results }) => `| ${representation.label} | ${COLUMNS.map((c) => cell(results[c.study], c.row, c.metric)).join(' | ')} |`),
  ];
  return [
    'GloVe vs the lexical stand-in, same data and protocol (test, mean ± SE; RTA: mentioned items stay candidates):',
    ...lines,
    'Neither is a large language model: GloVe is a static word-vector table; use backbone "artifacts" / encoder "openai" or "onnx" for an LLM.',
  ].join('\n');
}
