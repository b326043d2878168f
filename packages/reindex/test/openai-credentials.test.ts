import { describe, expect, it } from 'vitest';
import { OpenAiBackbone } from '../src/index.js';

describe('OpenAiBackbone ids', () => {
  it('never contain the credentials or the query of baseUrl', () => {
    const b = new OpenAiBackbone({ artifacts: '/nonexistent/artifacts', baseUrl: 'https://alice:s3cr3t-pw@models.example:8443/v1/?api_key=x', model: 'qwen' });
    expect(b.id.startsWith('openai-backbone:https://models.example:8443/v1:qwen:')).toBe(true);
    expect(b.id).not.toMatch(/alice|s3cr3t|api_key|\?/);
  });
});
