// Issue 10 item 8 (and the directory message of 17): readTextFile, the one reader of rules,
// questionnaire and answers files, reads only a regular file of at most 10 MB. /dev/zero, a FIFO
// (even with no writer: no hang) and a directory are refused with what they are; a bigger file
// with FILE_TOO_LARGE. Then the same through the built CLI: exit 2, at once. The FIFO cases run
// `node bin/qualify.js` as a child with a timeout (a blocked open would hang the process that
// makes it); the others run the built CLI in this process (test/helpers/in-process-cli.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_TEXT_FILE_BYTES, readTextFile } from '../../src/io/rules-file.js';
import { runInProcess } from '../helpers/in-process-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'qualify-rules-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fifo = join(dir, 'fifo.yaml');
spawnSync('mkfifo', [fifo]);
const big = join(dir, 'big.yaml');
writeFileSync(big, Buffer.alloc(MAX_TEXT_FILE_BYTES + 1, 0x23));
const atLimit = join(dir, 'limit.yaml');
writeFileSync(atLimit, Buffer.alloc(MAX_TEXT_FILE_BYTES, 0x23));
const answers = join(dir, 'answers.yaml');
writeFileSync(answers, '{}\n');

describe('readTextFile', () => {
  it.each([
    ['/dev/zero', '/dev/zero', 'FILE_NOT_REGULAR', 'it is a character device, not a file'],
    ['a FIFO with no writer', fifo, 'FILE_NOT_REGULAR', 'it is a FIFO (named pipe), not a file'],
    ['a directory', dir, 'FILE_NOT_REGULAR', 'it is a directory, not a file'],
    ['a file of 10 MB + 1 byte', big, 'FILE_TOO_LARGE', 'it is larger than 10 MB, the limit for rules files'],
    ['a missing file', join(dir, 'missing.yaml'), 'FILE_NOT_FOUND', 'no such file'],
  ])('refuses %s', (_name, path, code, message) => {
    expect(() => readTextFile(path, 'rules file')).toThrow(expect.objectContaining({ code, message: `cannot read rules file ${path}: ${message}` }));
  });

  it('reads a file of exactly 10 MB, and a small one as UTF-8 (BOM kept for the YAML reader)', () => {
    expect(readTextFile(atLimit, 'rules file').length).toBe(MAX_TEXT_FILE_BYTES);
    const small = join(dir, 'small.yaml');
    writeFileSync(small, '\ufeffa: é\n');
    expect(readTextFile(small, 'rules file')).toBe('\ufeffa: é\n');
  });
});

describe('through the CLI (the FIFO cases as a child, bin/qualify.js): exit 2 at once, no crash', () => {
  const env = { ...process.env, NO_COLOR: '1' };
  const run = async (args: string[]) =>
    args.includes(fifo)
      ? spawnSync(process.execPath, [join(root, 'bin', 'qualify.js'), ...args], { cwd: dir, env, timeout: 20_000 })
      : await runInProcess(args, env, dir);
  it.each([
    ['rules check /dev/zero', ['rules', 'check', '/dev/zero'], 'cannot read rules file /dev/zero: it is a character device, not a file [FILE_NOT_REGULAR]'],
    ['rules check FIFO', ['rules', 'check', fifo], 'it is a FIFO (named pipe), not a file [FILE_NOT_REGULAR]'],
    ['score -r DIRECTORY', ['score', join(root, 'fixtures', 'webinar-export.csv'), '-r', dir, '-o', join(dir, 'out.csv')], `cannot read rules file ${dir}: it is a directory, not a file [FILE_NOT_REGULAR]`],
    ['score -r /dev/zero', ['score', join(root, 'fixtures', 'webinar-export.csv'), '-r', '/dev/zero', '-o', join(dir, 'out.csv')], '[FILE_NOT_REGULAR]'],
    ['rules check BIG', ['rules', 'check', big], '[FILE_TOO_LARGE]'],
    ['assess --answers /dev/zero', ['assess', join(root, 'fixtures', 'webinar-export.csv'), '--lead', '#1', '--answers', '/dev/zero'], 'cannot read answers file /dev/zero: it is a character device, not a file'],
    ['assess --questionnaire FIFO', ['assess', join(root, 'fixtures', 'webinar-export.csv'), '--lead', '#1', '--answers', answers, '--questionnaire', fifo, '-o', join(dir, 'out.csv')], 'cannot read questionnaire'],
  ])('%s', async (_name, args, message) => {
    const r = await run(args);
    const stderr = r.stderr.toString('utf8');
    expect(r.status, stderr).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('internal error');
  });
});
