import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundledRedial } from '@lmrec/datasets';
import { gloveTokens } from '@lmrec/encoders';
import { randomVectors, writeGloveJson } from '@lmrec/encoders/testing';
import { main } from '@lmrec/runner';
import { Writable } from 'node:stream';
import { spawn } from 'node:child_process';

/** Words the tests type as intentions (besides the titles' own). */
export const INTENTION_WORDS = ['a', 'scary', 'horror', 'movie', 'with', 'ghosts', 'funny', 'comedy', 'for', 'kids', 'romantic', 'space', 'war', 'love'];

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

/** The lmrec CLI in this process, output captured. */
export async function lmrec(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * A small real AlphaRec run on the bundled ReDIAL sample with a glove
 * encoder over a made-up word table (every title word + the intention
 * words, seeded random vectors): trained for a few epochs, saved as
 * `lmrec run` saves it (`encoder`: another encoder line for the config).
 * Returns the run folder.
 */
export async function tinyRun(dir: string, epochs = 3, encoder?: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const words = new Set<string>(INTENTION_WORDS);
  const dataset = await loadBundledRedial();
  for (const title of dataset.items.titles) for (const t of gloveTokens(title, () => 0)) if (t.kind !== 'punct') words.add(t.text);
  const list = [...words];
  const glove = join(dir, 'glove.json');
  writeGloveJson(glove, list, randomVectors(list.length, 24, 7));
  const config = join(dir, 'run.yaml');
  writeFileSync(
    config,
    `name: tiny\nexperiment: cf\nseed: 5\ndataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio } }\n` +
      (encoder ?? `encoder: { name: glove, options: { source: ${JSON.stringify(glove)}, cacheDir: ${JSON.stringify(join(dir, 'glove-cache'))}, cache: false } }`) +
      '\n' +
      `models: [{ name: alpharec, label: AlphaRec, options: { hidden: 32, lr: 0.005, negatives: 16 } }, { name: popularity, label: Popularity }]\n` +
      `trainer: { epochs: ${epochs}, batchSize: 256 }\neval: { ks: [10] }\n`,
  );
  const out = join(dir, 'run');
  const r = await lmrec(['run', config, '--output', out, '--quiet']);
  if (r.code !== 0) throw new Error(`lmrec run failed (${r.code}): ${r.stderr}`);
  return out;
}

/** The CLI from source in a fresh Node process (no backend chosen by an earlier command in the same process). */
export function spawnLmrec(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = join(import.meta.dirname, '..', '..', 'runner', 'src', 'cli.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
