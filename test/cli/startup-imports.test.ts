// Start-up stays cheap: registering the commands declares their options only, so `--version`
// and `--help` load commander and the small command modules, never the libraries the actions
// use (the YAML parser, the rules compiler, DuckDB, csv-parse...). Checked by the modules a
// run resolves, not by timing (bench/ times it: `node bench/run.mjs --only startup`).
// Runs the built dist/ (bin/qualify.js), which `npm test` builds first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The files (under the project) that `qualify ARGS` resolves, run from an empty directory (no qualify.yaml). */
function modulesLoaded(args: string[]): { status: number | null; modules: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-startup-'));
  writeFileSync(join(dir, 'hooks.mjs'), 'export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.startsWith("file:")) process._rawDebug("loaded " + r.url); return r; }\n');
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(root, 'bin', 'qualify.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const rootUrl = pathToFileURL(root).href;
  const modules = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('loaded '))
    .map((l) => l.slice('loaded '.length).replace(rootUrl, ''));
  return { status: r.status, modules };
}

/** The package a module belongs to, or the project's own folder (dist/commands, dist/core/...). */
const packageOf = (m: string): string => (m.startsWith('node_modules/') ? m.split('/').slice(1, m.startsWith('node_modules/@') ? 3 : 2).join('/') : m.split('/').slice(0, -1).join('/'));

describe('start-up loads only what registering the commands needs', () => {
  it.each([[['--version']], [['--help']], [['score', '--help']]])('qualify %j: commander and the command modules, no other library', (args) => {
    const { status, modules } = modulesLoaded(args);
    expect(status).toBe(0);
    // The hook saw the run (a hook that saw nothing would pass anything).
    expect(modules).toContain('dist/cli.js');
    expect(modules).toContain('dist/commands/score.js');
    const libraries = [...new Set(modules.filter((m) => m.startsWith('node_modules/')).map(packageOf))];
    expect(libraries).toEqual(['commander']);
    // Nor the project's own heavy parts: the rules compiler, the CSV reader, the scoring engine.
    expect(modules.filter((m) => /^dist\/(core\/rules|io\/csv|core\/scoring|pipeline\/score)/.test(m))).toEqual([]);
  }, 60_000);
});
