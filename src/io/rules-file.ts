// Loads a rules file from disk and compiles it: the only place rules touch the filesystem.
// Throws QualifyErrors (every problem of the file at once) so nothing is read or written
// before the rules are known to be right.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QualifyError, QualifyErrors } from '../core/errors.js';
import { compileRules } from '../core/rules/compile.js';
import type { CompiledRules } from '../core/rules/compiled.js';
import { parseYamlSource } from './yaml-source.js';

/** rules/default.yaml shipped with the package. */
export const DEFAULT_RULES = fileURLToPath(new URL('../../rules/default.yaml', import.meta.url));

export function readTextFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new QualifyError('FILE_NOT_FOUND', `cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { kind: 'file', file });
  }
}

export function loadRules(file: string | undefined): { rules: CompiledRules; warnings: QualifyError[] } {
  const path = file ?? DEFAULT_RULES;
  const text = readTextFile(path, 'rules file');
  const parsed = parseYamlSource(path, text);
  if (!parsed.source) throw new QualifyErrors(parsed.errors);
  const result = compileRules(parsed.source);
  if (!result.ok) throw new QualifyErrors(result.errors);
  return { rules: result.rules, warnings: result.warnings };
}
