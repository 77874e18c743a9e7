// `--log-format json`: every note, warning and error on stderr as one JSON object a line (NDJSON)
// with level, code, message, file, line, column, record, for scripts and CI. Errors and warnings
// are built from the QualifyError itself; everything else a command writes to stderr passes
// through lineToRecord, so commands keep writing `note: ...` lines and need no change. On a
// terminal, text that is not a diagnostic (prompts, the lead card, a progress bar) passes
// through unchanged so interactive commands stay usable; without one, every line is a record.
import type { QualifyError } from '../core/errors.js';

export type LogFormat = 'text' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

export interface LogRecord {
  level: 'error' | 'warning' | 'note' | 'info';
  code: string | null;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  record: number | null;
  hint?: string;
}

let format: LogFormat = 'text';
/** Undoes installJsonLog (see resetLogFormat); undefined while the format is text. */
let uninstall: (() => void) | undefined;

export function logFormat(): LogFormat {
  return format;
}

/** The --log-format value in argv (`--log-format json`, `--log-format=json`), if any. */
export function logFormatInArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return undefined;
    if (a === '--log-format') return argv[i + 1];
    if (a.startsWith('--log-format=')) return a.slice('--log-format='.length);
  }
  return undefined;
}

/** A QualifyError as a record, with its place in the file. */
export function errorRecord(e: QualifyError, level: 'error' | 'warning' = 'error'): LogRecord {
  const at = e.at;
  const rec: LogRecord = {
    level,
    code: e.code,
    message: e.message,
    file: at && 'file' in at ? at.file : null,
    line: at?.kind === 'yaml' || at?.kind === 'csv' ? (at.line ?? null) : null,
    column: at?.kind === 'yaml' ? at.col : null,
    record: at?.kind === 'csv' ? (at.record ?? null) : null,
  };
  if (at?.kind === 'arg' && !/^[A-Z_]+$/.test(at.option)) rec.file = null;
  if (e.hint !== undefined) rec.hint = e.hint;
  return rec;
}

const DIAGNOSTIC = /^(?:(?<file>.+?):(?<line>\d+):(?<col>\d+): |(?<cfile>[^:\s][^:]*?): )?(?<level>error|warning): (?<message>.*?)(?: \[(?<code>[A-Z][A-Z0-9_]+)\])?$/;
// "record 12 (line 14)" places the problem; "e.g. record 4" only gives an example.
const RECORD = /(?<!e\.g\. )\brecord (\d+)(?: \(line (\d+)\))?/;

/** One line of text a command wrote to stderr, as a record; null for a non-diagnostic line
 * when `keepText` (passed through as it is). */
export function lineToRecord(text: string, keepText: boolean): LogRecord | null {
  const note = /^note: (.*)$/.exec(text);
  if (note) {
    const file = /^(\S+?\.(?:csv|tsv|txt|ya?ml|json)): /.exec(note[1]!)?.[1] ?? null;
    const rec: LogRecord = { level: 'note', code: null, message: note[1]!, file, line: null, column: null, record: null };
    return { ...rec, ...recordOf(note[1]!) };
  }
  const d = DIAGNOSTIC.exec(text);
  if (d?.groups) {
    const g = d.groups;
    const rec: LogRecord = {
      level: g['level'] as 'error' | 'warning',
      // commander's own usage errors carry no code: they are bad usage all the same.
      code: g['code'] ?? 'USAGE',
      message: g['message']!,
      file: g['file'] ?? g['cfile'] ?? null,
      line: g['line'] !== undefined ? Number(g['line']) : null,
      column: g['col'] !== undefined ? Number(g['col']) : null,
      record: null,
    };
    return g['file'] === undefined ? { ...rec, ...recordOf(g['message']!) } : rec;
  }
  if (keepText) return null;
  return { level: 'info', code: null, message: text, file: null, line: null, column: null, record: null };
}

function recordOf(message: string): { record: number | null; line: number | null } | Record<string, never> {
  const m = RECORD.exec(message);
  return m ? { record: Number(m[1]), line: m[2] !== undefined ? Number(m[2]) : null } : {};
}

/** Writes one record as a JSON line through `write` (the original stderr writer). */
export function recordLine(rec: LogRecord): string {
  return JSON.stringify(rec) + '\n';
}

/**
 * Switches stderr to NDJSON: from now on, text written to stderr is cut into lines, each line
 * that is already a JSON object passes as it is, and every other line becomes a record
 * (lineToRecord). Colour codes are dropped from messages.
 */
export function installJsonLog(stream: NodeJS.WriteStream = process.stderr): void {
  if (format === 'json') return;
  format = 'json';
  const savedWrite = Object.getOwnPropertyDescriptor(stream, 'write');
  const original = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  const keepText = stream.isTTY === true;
  let pending = '';
  const emit = (line: string): boolean => {
    // eslint-disable-next-line no-control-regex
    const plain = line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    if (plain.trim() === '') return true;
    if (/^\{".*\}$/.test(plain)) return original(plain + '\n');
    const rec = lineToRecord(plain, keepText);
    return rec === null ? original(line + '\n') : original(recordLine(rec));
  };
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    // On a terminal, prompts redraw without newlines: those pass straight through.
    if (keepText && !/\n/.test(text) && pending === '') {
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      return original(text, cb);
    }
    pending += text;
    let ok = true;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      ok = emit(pending.slice(0, nl).replace(/\r$/, '')) && ok;
      pending = pending.slice(nl + 1);
    }
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return ok;
  }) as typeof stream.write;
  const flush = (): void => {
    if (pending !== '') emit(pending);
    pending = '';
  };
  process.once('exit', flush);
  uninstall = () => {
    flush();
    process.off('exit', flush);
    if (savedWrite) Object.defineProperty(stream, 'write', savedWrite);
    else delete (stream as { write?: unknown }).write;
  };
}

/**
 * Back to text: flushes a last unterminated line and gives the stream its own write again. The
 * CLI switches once per process and never calls this; it is for running the CLI's main more than
 * once in one process (the tests' runInProcess), where one run's --log-format json must not leak
 * into the next.
 */
export function resetLogFormat(): void {
  uninstall?.();
  uninstall = undefined;
  format = 'text';
}
