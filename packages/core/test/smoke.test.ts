import { describe, expect, it } from 'vitest';
import { createContainer, definePlugin, initBackend, pluginModule, PluginRegistry, tf, TYPES } from '../src/index.js';

describe('smoke', () => {
  it('wasm backend and registry', async () => {
    const choice = await initBackend();
    console.log(choice);
    const a = tf.randomNormal([512, 512]);
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) tf.matMul(a, a).dataSync();
    console.log('matmul ms', (performance.now() - t0) / 5);
    const c = createContainer();
    await c.load(pluginModule('Aggregator', [definePlugin('sum', () => 42)]));
    const reg = c.get<PluginRegistry>(TYPES.PluginRegistry);
    expect(reg.create('Aggregator', 'sum', {})).toBe(42);
    expect(() => reg.create('Aggregator', 'x', {})).toThrow(/known: sum/);
  });
});
