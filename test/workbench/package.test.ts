// The package as a user gets it: `npm pack` holds the compiled code, rules/ with the
// questionnaires, README and LICENSE, and nothing else; the tarball installed into a temporary
// prefix (from the npm cache, else the registry: no other network) runs --help, score, rules
// check and init --from, also as `npx qualify` from a clean directory. Needs dist/ (npm test builds).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from '../interactive/setup.js';
import { ROOT } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'qualify-pack-'));
const prefix = join(work, 'prefix');
const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', ...env }, timeout: 240_000 });

let tarball = '';
let packed: string[] = [];

/** The installed `qualify` run in `cwd`, as a user would (no repository around it). */
function installed(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(join(prefix, 'bin', 'qualify'), args, { cwd, encoding: 'utf8', env: cliEnv(), timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the npm package', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run "npm run build" first (npm test does)');
    // dist/ is built already: no prepare script (no second build) while packing.
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    expect(pack.status, pack.stderr).toBe(0);
    const info = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(work, info[0]!.filename);
    packed = info[0]!.files.map((f) => f.path).sort();
    // --offline first (everything from the npm cache); on a cache without the packuments the
    // dependencies need, the registry fills the gap (the only network CI has).
    const args = ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--ignore-scripts', tarball];
    let install = npm([...args, '--offline'], work);
    if (install.status !== 0 && /ENOTCACHED/.test(install.stderr)) install = npm([...args, '--prefer-offline'], work);
    expect(install.status, install.stderr).toBe(0);
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds the compiled code, the rules and questionnaires, README and LICENSE, and nothing else', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'bin/qualify.js', 'dist/cli.js', 'rules/default.yaml', 'rules/needs-assessment.yaml', 'rules/discovery-bant.yaml', 'rules/discovery-meddic.yaml', 'rules/presets/hubspot-contacts.yaml'])
      expect(packed).toContain(f);
    const stray = packed.filter((p) => !(['LICENSE', 'README.md', 'package.json', 'bin/qualify.js'].includes(p) || /^dist\/.+\.js$/.test(p) || /^rules\/[^/]+$/.test(p) || /^rules\/(presets|examples)\/[^/]+\.yaml$/.test(p)));
    expect(stray).toEqual([]);
    // Every compiled module comes from a source file: no leftovers of deleted modules.
    for (const js of packed.filter((p) => p.startsWith('dist/'))) expect(existsSync(join(ROOT, 'src', js.slice(5).replace(/\.js$/, '.ts'))), js).toBe(true);
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('qualify --help and --version run from the installed package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-user-'));
    const help = installed(['--help'], dir);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: qualify/);
    const version = installed(['--version'], dir);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('scores a fixture with the shipped rules and checks them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-user-'));
    const score = installed(['score', join(ROOT, 'fixtures', 'webinar-export.csv'), '--as-of', '2026-11-01', '--format', 'ndjson'], dir);
    expect(score.status, score.stderr).toBe(0);
    expect(score.stdout.trim().split('\n')).toHaveLength(60);
    const check = installed(['rules', 'check', '--as-of', '2026-11-01'], dir);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stderr).toContain('"B2B SaaS default" is valid');
  });

  it('init --from writes a project that checks and scores', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-user-'));
    const csv = join(ROOT, 'fixtures', 'purchased-list.csv');
    expect(installed(['init', '--from', csv], dir).status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['qualify.yaml', 'questionnaires', 'rules.yaml']);
    expect(installed(['rules', 'check', 'rules.yaml', '--as-of', '2026-11-01'], dir).status).toBe(0);
    const score = installed(['score', csv, '--rules', 'rules.yaml', '--as-of', '2026-11-01', '-o', 'scored.csv', '-q'], dir);
    expect(score.status, score.stderr).toBe(0);
  });

  it('npx qualify runs the installed bin from a clean directory', () => {
    const dir = join(work, 'clean');
    mkdirSync(dir, { recursive: true });
    const r = spawnSync('npx', ['--no-install', 'qualify', '--version'], { cwd: dir, encoding: 'utf8', env: { ...cliEnv(), npm_config_prefix: prefix, npm_config_update_notifier: 'false' }, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
