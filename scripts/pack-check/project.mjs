// A throw-away project outside the workspace that installs the tarballs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function run(cmd, args, cwd, extraEnv = {}) {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', ...extraEnv } });
  return { code: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/**
 * package.json + pnpm-workspace.yaml of the project: every tarball as a
 * dependency and as an override (so the packages' own ^0.x ranges on each
 * other resolve to the tarballs, never to the registry), vitest to run the
 * contract suites, and the build-script approvals lmrec's workspace uses.
 */
export function writeProject(dir, tarballs, vitestRange, allowBuilds) {
  mkdirSync(dir, { recursive: true });
  const deps = Object.fromEntries(tarballs.map((t) => [t.name, `file:${t.file}`]));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'lmrec-pack-check', private: true, type: 'module', dependencies: { ...deps, vitest: vitestRange } }, null, 2)}\n`);
  const yaml = [
    'packages: []',
    'autoInstallPeers: false',
    'overrides:',
    ...tarballs.map((t) => `  '${t.name}': 'file:${t.file}'`),
    'allowBuilds:',
    ...Object.entries(allowBuilds).map(([name, ok]) => `  '${name}': ${ok}`),
    '',
  ];
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), yaml.join('\n'));
}

/** Offline from the store first; the registry only for what the store lacks. */
export function install(dir, storeDir) {
  const offline = run('pnpm', ['install', '--offline', '--store-dir', storeDir], dir);
  if (offline.code === 0) return { mode: 'offline', ...offline };
  const online = run('pnpm', ['install', '--prefer-offline', '--store-dir', storeDir], dir);
  return { mode: 'prefer-offline', ...online, offlineError: offline.out.split('\n').find((l) => /ERR|ERROR/.test(l)) };
}

export function storePath(root) {
  return execFileSync('pnpm', ['store', 'path'], { cwd: root, encoding: 'utf8' }).trim();
}
