import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '@lmrec/core';
import { LMREC_VERSION } from '../version.js';
import { explainChange } from './explain.js';
import { hashOf } from './hash.js';

/** Where a step lives in the run folder and how it is named in messages. */
export interface StepSite {
  /** File-safe and unique within the run, e.g. "model-MF-BPR". */
  id: string;
  /** For people, e.g. "models.1 (MF-BPR)". */
  label: string;
  /** What recomputing is called: "retraining" (default), "re-splitting", "re-encoding". */
  verb?: string;
}

export interface StepRecord<T = unknown> {
  format: 'lmrec-step';
  version: 1;
  site: string;
  key: string;
  lmrec: string;
  /** Everything the key is a hash of: the step's resolved config, plugin versions, data fingerprints, inputs. */
  material: unknown;
  value: T;
  finishedAt: string;
}

export interface StepOutcome<T> {
  value: T;
  key: string;
  material: unknown;
  reused: boolean;
}

export type StepStatus = { state: 'reuse' | 'new'; key: string } | { state: 'changed'; key: string; reason: string };

/**
 * Finished steps of a run folder, keyed by content: a step is reused only
 * when the hash of its key material (plus lmrec's version) equals the one it
 * was finished with. Otherwise it is recomputed, with one line saying why,
 * and its checkpoints are discarded (never resumed into another config).
 */
export class StepStore {
  constructor(
    readonly outDir: string,
    private readonly log: (line: string) => void = () => {},
  ) {}

  keyOf(material: unknown): string {
    return hashOf({ lmrec: LMREC_VERSION, material });
  }

  file(site: StepSite): string {
    return join(this.outDir, 'steps', `${site.id}.json`);
  }

  checkpointDir(site: StepSite): string {
    return join(this.outDir, 'checkpoints', site.id);
  }

  /** Would the step be reused, and if not, why (without running anything). */
  async status(site: StepSite, material: unknown): Promise<StepStatus> {
    const key = this.keyOf(material);
    const before = await this.read(site);
    if (before === undefined) return { state: 'new', key };
    if (before !== null && before.key === key) return { state: 'reuse', key };
    return { state: 'changed', key, reason: before === null ? 'finished by an older lmrec, without a step key' : explainWithVersion(before, material) };
  }

  async run<T>(site: StepSite, material: unknown, run: (checkpointDir: string) => Promise<T>): Promise<StepOutcome<T>> {
    const status = await this.status(site, material);
    if (status.state === 'reuse') {
      this.log(`${site.label}: reusing the finished result (step ${status.key.slice(0, 12)})`);
      return { value: ((await this.read(site)) as StepRecord<T>).value, key: status.key, material, reused: true };
    }
    if (status.state === 'changed') this.log(`${site.label}: ${status.reason}; ${site.verb ?? 'retraining'}`);
    const dir = await this.prepareCheckpoints(site, status.key);
    const value = await run(dir);
    const record: StepRecord<T> = { format: 'lmrec-step', version: 1, site: site.label, key: status.key, lmrec: LMREC_VERSION, material, value, finishedAt: new Date().toISOString() };
    await writeJsonAtomic(this.file(site), record);
    await fs.rm(this.runningFile(site), { force: true });
    return { value, key: status.key, material, reused: false };
  }

  /** undefined: no record; null: a record without a key (an older lmrec) or unreadable. */
  private async read(site: StepSite): Promise<StepRecord | null | undefined> {
    const file = this.file(site);
    if (!existsSync(file)) return undefined;
    try {
      const record = JSON.parse(await fs.readFile(file, 'utf8')) as StepRecord;
      return record?.format === 'lmrec-step' && typeof record.key === 'string' ? record : null;
    } catch {
      return null;
    }
  }

  /**
   * The step's checkpoint folder, emptied unless its checkpoints were made
   * under this very key: `steps/<id>.running.json` records the key a step was
   * started with, until its record replaces it.
   */
  private async prepareCheckpoints(site: StepSite, key: string): Promise<string> {
    const dir = this.checkpointDir(site);
    const running = this.runningFile(site);
    const made = existsSync(running) ? ((JSON.parse(await fs.readFile(running, 'utf8').catch(() => '{}')) as { key?: string }).key ?? '') : '';
    if (existsSync(dir) && made !== key) {
      this.log(`${site.label}: discarding checkpoints made for another config`);
      await fs.rm(dir, { recursive: true, force: true });
    }
    await writeJsonAtomic(running, { key });
    return dir;
  }

  private runningFile(site: StepSite): string {
    return join(this.outDir, 'steps', `${site.id}.running.json`);
  }
}

function explainWithVersion(before: StepRecord, material: unknown): string {
  const reasons = [];
  if (before.lmrec !== LMREC_VERSION) reasons.push(`lmrec changed (${before.lmrec} -> ${LMREC_VERSION})`);
  const rest = explainChange(before.material, material);
  if (rest !== 'its key changed' || reasons.length === 0) reasons.push(rest);
  return reasons.join('; ');
}
