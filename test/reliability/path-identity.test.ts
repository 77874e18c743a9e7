// Issue 10 items 2 and 3: a path a run writes is compared with every path it reads (and with its
// other writes) by identity (device and inode, after links), never by spelling, before anything
// is written. Unit cases for pathIdentity, then each refusal through the built CLI (dist/ built
// by `npm run build`): exit 2, the input byte-identical, nothing else written. The runs are the
// built CLI in this process, in the case's directory (test/helpers/in-process-cli.ts), but the
// stdout redirection, which needs a shell and the process's own fd 1: that one runs
// `node bin/qualify.js` as a child.
import { spawnSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pathIdentity } from '../../src/io/path-identity.js';
import { runInProcess } from '../helpers/in-process-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(root, 'bin', 'qualify.js');
const FIXTURE = join(root, 'fixtures', 'webinar-export.csv');
const base = mkdtempSync(join(tmpdir(), 'qualify-identity-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
/** A case dir `case-N/d` holding in.csv, a symlink link.csv -> in.csv and a hard link hard.csv. */
function caseDir(): string {
  const dir = join(base, `case-${++n}`, 'd');
  mkdirSync(dir, { recursive: true });
  copyFileSync(FIXTURE, join(dir, 'in.csv'));
  symlinkSync('in.csv', join(dir, 'link.csv'));
  linkSync(join(dir, 'in.csv'), join(dir, 'hard.csv'));
  return dir;
}

describe('pathIdentity', () => {
  it('is the same for a file, ./ and ../ spellings, a symlink and a hard link; differs for another file', async () => {
    const dir = caseDir();
    const id = await pathIdentity(join(dir, 'in.csv'));
    expect(id).toBeDefined();
    for (const p of [join(dir, '.', 'in.csv'), join(dir, '..', 'd', 'in.csv'), join(dir, 'link.csv'), join(dir, 'hard.csv')]) expect(await pathIdentity(p), p).toBe(id);
    writeFileSync(join(dir, 'other.csv'), 'x\n');
    expect(await pathIdentity(join(dir, 'other.csv'))).not.toBe(id);
  });

  it('a file not yet written: its resolved directory and name, through a dangling symlink too', async () => {
    const dir = caseDir();
    symlinkSync('new.csv', join(dir, 'dangling.csv'));
    const id = await pathIdentity(join(dir, 'new.csv'));
    expect(id).toMatch(/\/new\.csv$/);
    expect(await pathIdentity(join(dir, '..', 'd', 'new.csv'))).toBe(id);
    expect(await pathIdentity(join(dir, 'dangling.csv'))).toBe(id);
    expect(await pathIdentity(join(dir, 'new2.csv'))).not.toBe(id);
  });
});

interface Case {
  name: string;
  args: string[];
  /** Runs through `sh -c` with this text after the command (a redirection). */
  shell?: string;
  message: string;
  hint?: string;
}

const SCORE = ['score', '--as-of', '2026-11-01', '-q'];
const cases: Case[] = [
  { name: 'score IN -o IN', args: [...SCORE, 'in.csv', '-o', 'in.csv'], message: '--output in.csv is the input in.csv;', hint: 'use --in-place' },
  { name: 'score IN -o ../d/IN', args: [...SCORE, 'in.csv', '-o', '../d/in.csv'], message: '--output ../d/in.csv is the input in.csv (the same file by another name)', hint: 'use --in-place' },
  { name: 'score IN -o a symlink to IN', args: [...SCORE, 'in.csv', '-o', 'link.csv'], message: '--output link.csv is the input in.csv (the same file by another name)' },
  { name: 'score IN -o a hard link to IN', args: [...SCORE, 'in.csv', '-o', 'hard.csv'], message: '--output hard.csv is the input in.csv (the same file by another name)' },
  {
    name: 'score LINK --skip-invalid --rejects IN --in-place --allow-rejects (the issue\'s case)',
    args: [...SCORE, 'link.csv', '--skip-invalid', '--rejects', 'in.csv', '--in-place', '--allow-rejects'],
    message: '--rejects in.csv is the input link.csv (the same file by another name)',
  },
  { name: '--rejects through ../ to the input', args: [...SCORE, 'in.csv', '--skip-invalid', '--rejects', '../d/in.csv', '-o', 'out.csv'], message: '--rejects ../d/in.csv is the input in.csv' },
  { name: '--rejects through a hard link to the input', args: [...SCORE, 'in.csv', '--skip-invalid', '--rejects', 'hard.csv', '-o', 'out.csv'], message: '--rejects hard.csv is the input in.csv' },
  { name: '--rejects is the output by another name', args: [...SCORE, 'in.csv', '--skip-invalid', '--rejects', './out.csv', '-o', 'out.csv'], message: '--rejects ./out.csv is --output out.csv (the same file by another name)' },
  { name: '-o the rules file', args: [...SCORE, 'in.csv', '-r', 'rules.yaml', '-o', './rules.yaml'], message: '--output ./rules.yaml is the rules file rules.yaml' },
  { name: 'stdout redirected (>>) to the input', args: [...SCORE, 'in.csv'], shell: '>> in.csv', message: 'stdout is the input in.csv' },
  {
    name: 'assess -o the CSV by another name',
    args: ['assess', 'in.csv', '--lead', '#1', '--answers', 'answers.yaml', '-o', '../d/in.csv'],
    message: '--output ../d/in.csv is the CSV file in.csv (the same file by another name)',
    hint: 'leave out --output',
  },
  { name: 'discover -o the questionnaire', args: ['discover', 'in.csv', '--lead', '#1', '--answers', 'answers.yaml', '--questionnaire', 'q.yaml', '-o', 'q.yaml'], message: '--output q.yaml is the questionnaire q.yaml' },
];

describe('a run never writes over what it reads', () => {
  it.each(cases)('$name: exit 2, the files unchanged, nothing written', async (c) => {
    const dir = caseDir();
    copyFileSync(join(root, 'rules', 'default.yaml'), join(dir, 'rules.yaml'));
    copyFileSync(join(root, 'rules', 'discovery-bant.yaml'), join(dir, 'q.yaml'));
    writeFileSync(join(dir, 'answers.yaml'), '{}\n');
    const before = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
    const argv = [process.execPath, BIN, ...c.args];
    const r = c.shell
      ? spawnSync('sh', ['-c', `${argv.map((a) => `'${a}'`).join(' ')} ${c.shell}`], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } })
      : await runInProcess(c.args, { ...process.env, NO_COLOR: '1' }, dir);
    const stderr = r.stderr.toString('utf8');
    expect(r.status, stderr).toBe(2);
    expect(stderr).toContain(c.message);
    expect(stderr).toContain('[ARG_INVALID]');
    if (c.hint) expect(stderr).toContain(c.hint);
    expect(readdirSync(dir).sort()).toEqual([...before.keys()].sort());
    for (const [f, bytes] of before) expect(readFileSync(join(dir, f)).equals(bytes), f).toBe(true);
  });
});
