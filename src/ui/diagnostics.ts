// Formats errors for people, at the edge: `file:line:col: message [CODE]` (the unix form of
// eslint/stylelint) with the offending YAML line and a caret, or `file: record N (line L): ...`
// for CSV. Messages stay plain sentences; the location is added here from data.
import { QualifyError, QualifyErrors, isQualifyError } from '../core/errors.js';
import { paint } from './color.js';

export function formatError(e: QualifyError): string {
  const c = paint();
  const at = e.at;
  let head: string;
  let frame = '';
  if (at?.kind === 'yaml') {
    head = `${at.file}:${at.line}:${at.col}`;
    if (at.snippet !== undefined) {
      const num = String(at.line);
      frame = `\n  ${c.dim(num + ' |')} ${at.snippet}\n  ${' '.repeat(num.length)} ${c.dim('|')} ${' '.repeat(Math.max(0, at.col - 1))}${c.red('^')}`;
    }
  } else if (at?.kind === 'csv') {
    head = at.file;
  } else if (at?.kind === 'file') {
    head = '';
  } else if (at?.kind === 'arg') {
    head = '';
  } else head = '';
  const hint = e.hint ? `\n  ${c.cyan('hint:')} ${e.hint}` : '';
  return `${head ? c.bold(head) + ': ' : ''}${c.red('error')}: ${e.message} ${c.dim(`[${e.code}]`)}${frame}${hint}`;
}

export function formatWarning(e: QualifyError): string {
  const c = paint();
  const at = e.at;
  const head = at?.kind === 'yaml' ? `${at.file}:${at.line}:${at.col}: ` : at?.kind === 'csv' ? `${at.file}: ` : '';
  return `${c.bold(head)}${c.yellow('warning')}: ${e.message} ${c.dim(`[${e.code}]`)}`;
}

/** Every QualifyError inside `e`, or null when `e` is something else (a bug: exit 1). */
export function qualifyErrorsOf(e: unknown): QualifyError[] | null {
  if (e instanceof QualifyErrors) return e.errors;
  if (isQualifyError(e)) return [e];
  return null;
}
