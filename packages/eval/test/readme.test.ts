import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

describe('README', () => {
  it('the example runs', async () => {
    const readme = readFileSync(resolve(import.meta.dirname, '..', 'README.md'), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeTruthy();
    const logged: unknown[][] = [];
    (globalThis as any).__readmeLog = (...args: unknown[]) => logged.push(args);
    const body = code!.replace("from '@lmrec/eval'", "from '../src/index.js'").replaceAll('console.log(', '(globalThis as any).__readmeLog(');
    const file = resolve(import.meta.dirname, `.readme-example-${process.pid}.ts`);
    writeFileSync(file, body);
    try {
      await import(file);
    } finally {
      rmSync(file, { force: true });
    }
    expect(logged.length).toBe(4);
    expect(logged[0][0]).toHaveProperty('mean');
    expect(String(logged[2][0])).toMatch(/^\| model \| recall@20 \| ndcg@20 \|/);
  });
});
