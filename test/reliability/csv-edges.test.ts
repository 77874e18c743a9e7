// Issue 10's CSV edges through the CLI (`node bin/qualify.js`, built by npm test): inputs that
// are not text, doubled CRs before line feeds, blank lines in one-column files and in files
// updated in place. Each case writes exact bytes into a fresh temp dir and states the exit
// status and what must be true of stdout, stderr and the files left behind. Nothing here depends
// on a separate process (no stdin, terminal, signal or closed pipe), so every run is the built CLI
// in this process, in the case's directory (test/helpers/in-process-cli.ts); the QUALIFY_WORKER=1
// runs still score in a real worker thread.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RULES = join(root, 'fixtures', 'hostile', 'rules.yaml');
const base = mkdtempSync(join(tmpdir(), 'qualify-csv-edges-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Run {
  exit: number;
  stdout: string;
  stderr: string;
  file(name: string): string | undefined;
}

let n = 0;
async function runCli(files: Record<string, string | Buffer>, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const dir = join(base, `case-${++n}`);
  mkdirSync(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extraEnv };
  delete env['FORCE_COLOR'];
  const r = await runInProcess(args, env, dir);
  return {
    exit: r.status,
    stdout: r.stdout.toString('latin1'),
    stderr: r.stderr.toString('utf8'),
    file: (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'latin1') : undefined),
  };
}

const SCORE = ['score', 'in.csv', '-r', RULES, '--as-of', '2026-11-01', '-q'];

describe.concurrent('CSV edges through the CLI (issue 10 items 11, 14, 17)', () => {
  it('/dev/zero as input: "not a text file" (exit 2), not "looks like UTF-16"; nothing written', async () => {
    const r = await runCli({}, ['score', '/dev/zero', '-r', RULES, '-o', 'out.csv']);
    expect(r.exit).toBe(2);
    expect(r.stderr).toContain('/dev/zero is not a text file: its first bytes are all NUL bytes');
    expect(r.stderr).toContain('[CSV_ENCODING]');
    expect(r.stderr).not.toContain('UTF-16');
    expect(r.file('out.csv')).toBeUndefined();
  });

  const CRCRLF = 'Email,Employees\r\r\na@b.com,120\r\r\nc@d.com,7\r\r\n';
  it.each([
    ['-o out.csv', ['-o', 'out.csv']],
    ['--skip-invalid (which used to exit 0 with "\'\\na@b.com" in every email cell)', ['-o', 'out.csv', '--skip-invalid', '--rejects', 'rejects.csv', '--allow-rejects']],
    ['--in-place', ['--in-place']],
  ])('CR CR LF line endings, %s: refused with the line and a fix (exit 2); nothing written, the input unchanged', async (_name, extra) => {
    const r = await runCli({ 'in.csv': CRCRLF }, [...SCORE, ...extra]);
    expect(r.exit).toBe(2);
    expect(r.stderr).toContain("in.csv: error: line 1 ends in CR CR LF (\\r\\r\\n), a Windows line ending with an extra CR; qualify does not guess whether that is one line ending or a line ending and a blank line, so nothing was read [CSV_LINE_ENDING]");
    expect(r.stderr).toContain("hint: remove the extra CRs first, e.g. sed -i 's/\\r\\r$/\\r/' in.csv");
    expect(r.stdout).toBe('');
    expect(r.file('out.csv')).toBeUndefined();
    expect(r.file('rejects.csv')).toBeUndefined();
    expect(r.file('in.csv')).toBe(CRCRLF);
  });

  it('a one-column file keeps its empty record: 4 rows in, 4 rows out', async () => {
    const r = await runCli({ 'in.csv': 'Email\na@b.com\n\nc@d.com\nbad\n' }, [...SCORE]);
    expect(r.exit).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['Email', 'a@b.com', '', 'c@d.com', 'bad', '']);
  });

  // Every blank line stays where it was: before the header, between records, at the end, in
  // every line ending, inline and in the scoring worker, and around a row set aside.
  const SCORED = /,(?:0|60),0,(?:0|60),(?:fit|rest),[^,]+,[^,]+,[^,]+,(?:size \+60)?/g;
  it.each([
    ['LF, blank lines between records and at the end', 'Email,Employees\na@b.com,100\n\n\nc@d.com,5\n\n', []],
    ['CRLF, blank lines before the header and at the end', '\r\n\r\nEmail,Employees\r\na@b.com,100\r\n\r\nc@d.com,5\r\n\r\n\r\n', []],
    ['CR, a blank line between records, no final newline', 'Email;Employees\ra@b.com;100\r\rc@d.com;5', []],
    ['a one-column file', 'Email\r\n\r\na@b.com\r\n\r\n', []],
    ['a row set aside after blank lines (--skip-invalid)', 'Email,Employees\na@b.com,100\n\n\nonly-one-field\n\nc@d.com,5\n', ['--skip-invalid', '--rejects', 'rejects.csv', '--allow-rejects']],
    ['a bad quote set aside after blank lines (--skip-invalid)', 'Email,Employees\na@b.com,100\n\nx"y,1\n\nc@d.com,5\n', ['--skip-invalid', '--rejects', 'rejects.csv', '--allow-rejects']],
  ])('--in-place keeps every blank line: %s', async (_name, text, extra) => {
    for (const worker of ['0', '1']) {
      const r = await runCli({ 'in.csv': text }, [...SCORE, '--in-place', ...extra], { QUALIFY_WORKER: worker });
      expect(r.exit, r.stderr).toBe(0);
      const out = r.file('in.csv')!;
      // Take the score cells out again: what is left is the input, byte for byte.
      const d = text.includes(';') ? ';' : ',';
      const header = ['fit', 'engagement', 'score', 'tier', 'stage', 'class', 'action', 'reasons'].map((c) => d + c).join('');
      expect(out.replace(header, '').replace(d === ';' ? new RegExp(SCORED.source.replace(/,/g, ';'), 'g') : SCORED, '')).toBe(text);
    }
  });
});
