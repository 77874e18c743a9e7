// A rules file with mistakes stops the run before anything is read or written: no output file
// is created, an --in-place target is left byte-identical, and no temp file is left behind.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const broken = join(root, 'fixtures', 'rules', 'broken.yaml');

it.each([
  ['--output', (dir: string) => ['--output', join(dir, 'out.csv')]],
  ['--in-place', () => ['--in-place']],
])('with %s, bad rules write nothing (exit 2)', (_name, extra) => {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-badrules-'));
  const csv = join(dir, 'leads.csv');
  copyFileSync(join(root, 'fixtures', 'purchased-list.csv'), csv);
  const before = readFileSync(csv);
  const r = spawnSync(process.execPath, [join(root, 'bin', 'qualify.js'), 'score', csv, '--rules', broken, ...extra(dir)], { env: { ...process.env, NO_COLOR: '1' } });
  expect(r.status).toBe(2);
  expect(r.stdout.length).toBe(0);
  expect(r.stderr.toString()).toMatch(/broken\.yaml:11:24: error: unknown operator "maches"/);
  expect(existsSync(join(dir, 'out.csv'))).toBe(false);
  expect(readFileSync(csv).equals(before)).toBe(true);
  expect(readdirSync(dir).sort()).toEqual(['leads.csv']);
});
