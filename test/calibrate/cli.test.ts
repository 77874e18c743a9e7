// calibrate --write through the CLI (bin/qualify.js, built): the file written passes `rules
// check` and scores the leads; a --write that names the input or the rules is refused.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const qualify = (...args: string[]) => {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  return spawnSync(process.execPath, [join(root, 'bin', 'qualify.js'), ...args], { cwd: root, env, encoding: 'utf8' });
};
const base = ['calibrate', 'fixtures/calibrate/leads.csv', '--outcome', 'converted', '--rules', 'fixtures/calibrate/rules.yaml', '--as-of', '2026-11-01'];

describe('calibrate --write', () => {
  it('writes a rules file that rules check accepts and that scores every lead', { timeout: 120_000 }, () => {
    const out = join(mkdtempSync(join(tmpdir(), 'qualify-calibrate-')), 'tuned.yaml');
    const r = qualify(...base, '--explore', '--max-rules', '6', '--write', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Suggested rules written to ${out}`);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('# A small rules file for fixtures/calibrate/leads.csv');
    const check = qualify('rules', 'check', out);
    expect(check.status, check.stderr).toBe(0);
    const scored = qualify('score', 'fixtures/calibrate/leads.csv', '--rules', out, '--as-of', '2026-11-01', '--format', 'ndjson');
    expect(scored.status, scored.stderr).toBe(0);
    expect(scored.stdout.trim().split('\n')).toHaveLength(400);
  });

  it.each([
    ['the input', 'fixtures/calibrate/leads.csv'],
    ['the rules file', 'fixtures/calibrate/rules.yaml'],
  ])('refuses to write over %s (exit 2, file unchanged)', { timeout: 60_000 }, (_what, target) => {
    const before = readFileSync(join(root, target));
    const mtime = statSync(join(root, target)).mtimeMs;
    const r = qualify(...base, '--write', target);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--write/);
    expect(readFileSync(join(root, target))).toEqual(before);
    expect(statSync(join(root, target)).mtimeMs).toBe(mtime);
  });
});
