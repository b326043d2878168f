import { describe, expect, it } from 'vitest';
import { buildApp, exactService, type RecommendService } from '../src/index.js';
import { randomModel } from './helpers.js';

describe('internal errors', () => {
  it('a failing service gives a 500 with one line, no stack, and is logged', async () => {
    const inner = exactService(randomModel(1, 5, 20, 4));
    const broken: RecommendService = { ...inner, models: () => inner.models(), item: (id) => inner.item(id), recommend: async () => { throw new Error('kernel exploded\n    at secretFrame (/src/x.ts:1:1)'); } };
    const lines: string[] = [];
    const app = await buildApp(broken, { logger: { level: 'warn', stream: { write: (line: string) => lines.push(line) } } });
    try {
      const res = await app.inject({ method: 'POST', url: '/v1/recommend', payload: { user: 1 } });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: { code: 'E_INTERNAL', message: 'internal error: kernel exploded' } });
      expect(res.body).not.toContain('secretFrame');
      const logged = lines.map((l) => JSON.parse(l));
      expect(logged.some((l) => l.level === 50 && l.msg === 'internal error: kernel exploded' && String(l.err?.stack).includes('secretFrame'))).toBe(true);
      // the server still answers
      expect((await app.inject({ url: '/v1/items/3' })).json()).toEqual({ id: 3, title: 'Movie 3' });
    } finally {
      await app.close();
    }
  });
});
