// Gathers every package's bench/results.md into BENCHMARKS.md (atomically).
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const sections = [];
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(group).sort()) {
    const file = join(group, name, 'bench', 'results.md');
    if (existsSync(file)) sections.push(readFileSync(file, 'utf8').trim());
  }
}
const text = `# Benchmarks\n\nProduced by \`pnpm bench\` (each section names its own command and machine).\nReference figures quoted from the issues were measured on the same 2-core machine.\n\n${sections.join('\n\n')}\n`;
writeFileSync('BENCHMARKS.md.tmp', text);
renameSync('BENCHMARKS.md.tmp', 'BENCHMARKS.md');
console.log(`BENCHMARKS.md: ${sections.length} sections`);
