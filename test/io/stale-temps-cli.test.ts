// The next run cleans what a killed run left: `score --in-place` removes the temp file of a
// dead qualify process next to its target and says so on stderr.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('score --in-place removes a temp file left by a killed run, with a note', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-stale-'));
  const csv = join(dir, 'leads.csv');
  copyFileSync(join(root, 'fixtures', 'webinar-export.csv'), csv);
  // pid 2^22+1 is above Linux's default pid_max: never a live process.
  const stale = join(dir, '.leads.csv.qualify-4194305-0123456789ab.tmp');
  writeFileSync(stale, 'half a file');
  const r = spawnSync(process.execPath, [join(root, 'bin', 'qualify.js'), 'score', csv, '--in-place', '--as-of', '2026-11-01'], { env: { ...process.env, NO_COLOR: '1' } });
  expect(r.status, r.stderr.toString()).toBe(0);
  expect(existsSync(stale)).toBe(false);
  expect(r.stderr.toString()).toContain(`note: removed 1 temp file left by an interrupted qualify run: ${stale}`);
  expect(readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/,reasons$/);
});
