// Issue 10 items 1, 12 and the file messages of 17, through the built CLI (`node bin/qualify.js`,
// dist/ built by `npm run build`): a target that is not a regular file (a character device, a
// FIFO, /dev/stdout) is written into, never renamed over; as an ordinary user a read-only file
// is not rewritten by --in-place; `-o ''` and --in-place on a FIFO say what is wrong. The cases
// marked "as nobody" drop privileges with setpriv, as this machine and CI run as root.
// Runs that need nothing of a separate process (the reference output, a device file, a refused
// option) run the built CLI in this process (qualifyHere); /dev/stdout (the process's own fd 1),
// FIFOs (a blocking open) and every "as nobody" case keep a real child.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(root, 'bin', 'qualify.js');
const FIXTURE = join(root, 'fixtures', 'webinar-export.csv');
const base = mkdtempSync(join(tmpdir(), 'qualify-targets-'));
chmodSync(base, 0o755);
afterAll(() => rmSync(base, { recursive: true, force: true }));

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const canDrop = isRoot && hasSetpriv;

let n = 0;
function caseDir(mode = 0o755): string {
  const dir = join(base, `case-${++n}`);
  mkdirSync(dir);
  chmodSync(dir, mode);
  copyFileSync(FIXTURE, join(dir, 'in.csv'));
  chmodSync(join(dir, 'in.csv'), 0o644);
  return dir;
}

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs qualify in `dir`; `asNobody` drops to uid/gid 65534 first. */
function qualify(dir: string, args: string[], opts: { asNobody?: boolean } = {}): Promise<Result> {
  const argv = [process.execPath, BIN, ...args];
  const [cmd, rest] = opts.asNobody ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', ...argv]] : [argv[0]!, argv.slice(1)];
  return new Promise((resolve) => {
    const child = spawn(cmd, rest, { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The same run in this process (runInProcess), as the current user. */
async function qualifyHere(dir: string, args: string[]): Promise<Result> {
  const r = await runInProcess(args, { ...process.env, NO_COLOR: '1' }, dir);
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

const SCORE = ['score', 'in.csv', '--as-of', '2026-11-01', '-q'];
const temps = (dir: string) => readdirSync(dir).filter((f) => f.includes('.qualify-') || f.endsWith('.lock'));

describe('targets that are not regular files are written into, never renamed over', () => {
  it.skipIf(!isRoot)('a character device (as root, a mknod copy of /dev/null): still the device, exit 0, nothing left beside it', async () => {
    const dir = caseDir();
    expect(spawnSync('mknod', [join(dir, 'null'), 'c', '1', '3']).status).toBe(0);
    const r = await qualifyHere(dir, [...SCORE, '-o', 'null']);
    expect(r.status, r.stderr).toBe(0);
    const st = statSync(join(dir, 'null'));
    expect(st.isCharacterDevice()).toBe(true);
    expect(st.rdev).toBe(statSync('/dev/null').rdev);
    expect(temps(dir)).toEqual([]);
  });

  it.skipIf(!canDrop)('-o /dev/null as nobody: exit 0, /dev/null still a device', async () => {
    const dir = caseDir();
    const r = await qualify(dir, [...SCORE, '-o', '/dev/null'], { asNobody: true });
    expect(r.status, r.stderr).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it.each([
    ['as the current user', false],
    ['as nobody', true],
  ] as const)('-o /dev/stdout %s: the scored CSV on stdout, exit 0', async (_who, asNobody) => {
    if (asNobody && !canDrop) return;
    const dir = caseDir();
    const r = await qualify(dir, [...SCORE, '-o', '/dev/stdout'], { asNobody });
    expect(r.status, r.stderr).toBe(0);
    const expected = await qualifyHere(dir, SCORE);
    expect(r.stdout).toBe(expected.stdout);
    expect(r.stdout.split('\n')[0]).toMatch(/,reasons$/);
  });

  it('a FIFO: its reader gets the scored CSV, it stays a FIFO, exit 0', async () => {
    const dir = caseDir();
    expect(spawnSync('mkfifo', [join(dir, 'pipe')]).status).toBe(0);
    const reader = spawn('sh', ['-c', 'cat pipe > got.csv'], { cwd: dir });
    const read = new Promise((resolve) => reader.on('close', resolve));
    const r = await qualify(dir, [...SCORE, '-o', 'pipe']);
    await read;
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(join(dir, 'pipe')).isFIFO()).toBe(true);
    const expected = await qualifyHere(dir, SCORE);
    expect(readFileSync(join(dir, 'got.csv'), 'utf8')).toBe(expected.stdout);
    expect(temps(dir)).toEqual([]);
  });
});

describe('a read-only file is not rewritten', () => {
  it.skipIf(!canDrop)('--in-place on a 0444 file of nobody in a directory nobody can write (as nobody): FILE_WRITE, exit 1, file unchanged', async () => {
    const dir = caseDir(0o777);
    const file = join(dir, 'in.csv');
    chownSync(file, NOBODY, NOBODY);
    chmodSync(file, 0o444);
    const before = readFileSync(file);
    const r = await qualify(dir, [...SCORE, '--in-place'], { asNobody: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/could not replace in\.csv: read-only \(permission denied\).*\[FILE_WRITE\]/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(temps(dir)).toEqual([]);
  });

  it.skipIf(!canDrop)('-o over a read-only file (as nobody): FILE_WRITE, exit 1, file unchanged', async () => {
    const dir = caseDir(0o777);
    const out = join(dir, 'out.csv');
    copyFileSync(FIXTURE, out);
    chownSync(out, NOBODY, NOBODY);
    chmodSync(out, 0o444);
    const r = await qualify(dir, [...SCORE, '-o', 'out.csv'], { asNobody: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[FILE_WRITE]');
    expect(readFileSync(out).equals(readFileSync(FIXTURE))).toBe(true);
  });
});

describe('clear messages for file mistakes', () => {
  it("-o '' says the option needs a file name (exit 2), not that a directory cannot be replaced", async () => {
    const dir = caseDir();
    const r = await qualifyHere(dir, [...SCORE, '-o', '']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--output needs a file name (or - for stdout) [ARG_INVALID]');
    expect(r.stderr).not.toContain('directory');
  });

  it("--rejects '' says the option needs a file name (exit 2)", async () => {
    const dir = caseDir();
    const r = await qualifyHere(dir, [...SCORE, '-o', 'out.csv', '--skip-invalid', '--rejects', '']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--rejects needs a file name');
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
  });

  it('--in-place on a FIFO: not a regular file (exit 2), not "changed on disk", nothing read from it', async () => {
    const dir = caseDir();
    expect(spawnSync('mkfifo', [join(dir, 'pipe.csv')]).status).toBe(0);
    const r = await qualify(dir, ['score', 'pipe.csv', '--in-place', '-q']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot update pipe.csv in place: it is a FIFO (named pipe), not a regular file [ARG_INVALID]');
    expect(r.stderr).not.toContain('changed on disk');
    expect(statSync(join(dir, 'pipe.csv')).isFIFO()).toBe(true);
    expect(temps(dir)).toEqual([]);
  });
});
