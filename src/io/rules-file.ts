// Loads a rules file from disk and compiles it: the only place rules touch the filesystem.
// Throws QualifyErrors (every problem of the file at once) so nothing is read or written
// before the rules are known to be right.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QualifyError, QualifyErrors } from '../core/errors.js';
import { compileRules } from '../core/rules/compile.js';
import type { CompiledRules } from '../core/rules/compiled.js';
import { parseYamlSource } from '../core/yaml-source.js';
import { kindOf } from './path-identity.js';

/** rules/default.yaml shipped with the package. */
export const DEFAULT_RULES = fileURLToPath(new URL('../../rules/default.yaml', import.meta.url));

/** Rules, questionnaire and answers files are written by people: none comes near this. */
export const MAX_TEXT_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Reads a rules, questionnaire or answers file: the one reader of those files. Only a regular
 * file of at most MAX_TEXT_FILE_BYTES is read (checked with fstat on the opened descriptor, then
 * read with that bound, so a file that grows meanwhile is refused too); `/dev/zero`, a FIFO or a
 * directory is refused with what it is (opened non-blocking, so a FIFO with no writer does not
 * hang the run). Exit status 2 for all.
 */
export function readTextFile(file: string, what: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new QualifyError('FILE_NOT_FOUND', `cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { kind: 'file', file });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new QualifyError('FILE_NOT_REGULAR', `cannot read ${what} ${file}: it is ${kindOf(st)}, not a file`, { kind: 'file', file });
    }
    const tooBig = () =>
      new QualifyError('FILE_TOO_LARGE', `cannot read ${what} ${file}: it is larger than ${MAX_TEXT_FILE_BYTES / (1024 * 1024)} MB, the limit for ${what}s`, { kind: 'file', file });
    if (st.size > MAX_TEXT_FILE_BYTES) throw tooBig();
    let buf = Buffer.allocUnsafe(Math.min(MAX_TEXT_FILE_BYTES + 1, st.size + 4096));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(MAX_TEXT_FILE_BYTES + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > MAX_TEXT_FILE_BYTES) throw tooBig();
    }
    return buf.toString('utf8', 0, n);
  } catch (e) {
    if (e instanceof QualifyError) throw e;
    throw new QualifyError('FILE_NOT_FOUND', `cannot read ${what} ${file}: ${(e as Error).message}`, { kind: 'file', file }, { cause: e });
  } finally {
    closeSync(fd);
  }
}

export function loadRules(file: string | undefined): { rules: CompiledRules } {
  const path = file ?? DEFAULT_RULES;
  const text = readTextFile(path, 'rules file');
  const parsed = parseYamlSource(path, text);
  if (!parsed.source) throw new QualifyErrors(parsed.errors);
  const result = compileRules(parsed.source);
  if (!result.ok) throw new QualifyErrors(result.errors);
  return { rules: result.rules };
}
