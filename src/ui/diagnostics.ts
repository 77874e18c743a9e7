// Formats errors for people, at the edge: `file:line:col: message [CODE]` (the unix form of
// eslint/stylelint) with the offending YAML line and a caret, or `file: error: record N (line L) ...`
// for CSV (csvSubject). Messages stay plain sentences; the location is added here from data.
import { QualifyError, QualifyErrors, isQualifyError } from '../core/errors.js';
import { paint } from './color.js';

export function formatError(e: QualifyError): string {
  const c = paint();
  const at = e.at;
  let head: string;
  let frame = '';
  let subject = '';
  if (at?.kind === 'yaml') {
    head = `${safe(at.file)}:${at.line}:${at.col}`;
    if (at.snippet !== undefined) {
      const num = String(at.line);
      const { text, caret } = excerpt(at.snippet, at.col);
      frame = `\n  ${c.dim(num + ' |')} ${text}\n  ${' '.repeat(num.length)} ${c.dim('|')} ${' '.repeat(caret)}${c.red('^')}`;
    }
  } else if (at?.kind === 'csv') {
    head = safe(at.file);
    subject = csvSubject(at);
  } else if (at?.kind === 'file') {
    head = '';
  } else if (at?.kind === 'arg') {
    head = '';
  } else head = '';
  const hint = e.hint ? `\n  ${c.cyan('hint:')} ${safe(e.hint)}` : '';
  return `${head ? c.bold(head) + ': ' : ''}${c.red('error')}: ${subject}${safe(e.message)} ${c.dim(`[${e.code}]`)}${frame}${hint}`;
}

/** "record 3 (line 4) " or "the header (line 1) " before a message about a CSV record (its
 * location is data, so that it is worded in this one place), else ''. */
export function csvSubject(at: Extract<QualifyError['at'], { kind: 'csv' }>): string {
  const line = at.line === undefined ? '' : ` (line ${at.line})`;
  if (at.about === 'record' && at.record !== undefined) return `record ${at.record}${line} `;
  if (at.about === 'header') return `the header${line} `;
  return '';
}

// Control characters (C0, DEL, C1) and the bidirectional overrides and isolates: from a file
// they would move the cursor, recolour or clear the terminal, or reorder what is shown.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\u001b': '\\e' };

/** Text from a file or a user, made safe to print: each control character as a visible escape. */
export function safe(text: string): string {
  return text.replace(UNSAFE, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** At most this many characters of the offending line are shown around the caret. */
export const EXCERPT_WIDTH = 80;

/**
 * The offending line made safe to print and cut to EXCERPT_WIDTH characters around column
 * `col` (1-based, in the raw line), with the caret's offset in what is shown.
 */
export function excerpt(line: string, col: number): { text: string; caret: number } {
  const at = Math.max(0, Math.min(col - 1, line.length));
  let start = 0;
  let end = line.length;
  if (line.length > EXCERPT_WIDTH) {
    start = Math.max(0, Math.min(at - EXCERPT_WIDTH / 2, line.length - EXCERPT_WIDTH));
    end = start + EXCERPT_WIDTH;
  }
  const before = (start > 0 ? '…' : '') + safe(line.slice(start, at));
  const text = before + safe(line.slice(at, end)) + (end < line.length ? '…' : '');
  return { text, caret: before.length };
}

/** Every QualifyError inside `e`, or null when `e` is something else (a bug: exit 1). */
export function qualifyErrorsOf(e: unknown): QualifyError[] | null {
  if (e instanceof QualifyErrors) return e.errors;
  if (isQualifyError(e)) return [e];
  return null;
}
