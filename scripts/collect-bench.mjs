// Gathers every package's bench/results*.md into BENCHMARKS.md (atomically):
// results.md first, then extra runs (e.g. results-full-protocol.md).
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Paths from the repo root whatever the current folder is.
const root = resolve(import.meta.dirname, '..');

const sections = [];
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group)).sort()) {
    const dir = join(root, group, name, 'bench');
    if (!existsSync(dir)) continue;
    const files = readdirSync(dir)
      .filter((f) => /^results.*\.md$/.test(f))
      .sort((a, b) => (a === 'results.md' ? -1 : b === 'results.md' ? 1 : a.localeCompare(b)));
    // every section is a level-2 heading in BENCHMARKS.md, whatever level its file starts at
    for (const file of files) sections.push(readFileSync(join(dir, file), 'utf8').trim().replace(/^# /, '## '));
  }
}
const text = `# Benchmarks\n\nProduced by \`pnpm bench\` (each section names its own command and machine).\nReference figures quoted from the issues were measured on the same 2-core machine.\n\n${sections.join('\n\n')}\n`;
writeFileSync(join(root, 'BENCHMARKS.md.tmp'), text);
renameSync(join(root, 'BENCHMARKS.md.tmp'), join(root, 'BENCHMARKS.md'));
console.log(`BENCHMARKS.md: ${sections.length} sections`);
