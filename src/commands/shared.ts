// Option parsing shared by commands: the as-of date, formats, file arguments. Turns bad values
// into QualifyError('ARG_INVALID') so the CLI exits 2 with a clear message.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { relative, isAbsolute } from 'node:path';
import { parseDate, type DateFormat } from '../core/values.js';

/** --as-of as a UTC day number; default today (UTC). */
export function asOfDay(value: string | undefined): number {
  if (value === undefined) return Math.floor(Date.now() / 86_400_000);
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseDate(value, 'ymd') : undefined;
  if (d === undefined) throw new QualifyError('ARG_INVALID', `--as-of must be a date written YYYY-MM-DD, got ${JSON.stringify(value)}`, { kind: 'arg', option: '--as-of' });
  return d;
}

export function dayToIso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new QualifyError('ARG_INVALID', `${option} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`, { kind: 'arg', option });
}

/** The input path: '-' or a file; with no argument, stdin when it is piped. */
export function inputPath(file: string | undefined): string {
  if (file !== undefined) return file;
  if (process.stdin.isTTY) {
    throw new QualifyError('ARG_INVALID', 'give a CSV file to read, or pipe one in and use "-"', { kind: 'arg', option: 'FILE' });
  }
  return '-';
}

/** A path as a person would type it from here: relative to the working directory when inside it. */
export function displayPath(p: string): string {
  if (!isAbsolute(p)) return p;
  const r = relative(process.cwd(), p);
  return r.startsWith('..') || isAbsolute(r) ? p : r;
}

/** The options of every command that reads a lead file (score, explain, assess, discover), as
 * commander hands them over. */
export interface ReadingCliOptions {
  rules?: string;
  encoding?: string;
  delimiter?: string;
  dateFormat?: string;
  decimal?: string;
  asOf?: string;
  maxRecordSize?: string;
  /** Only on the commands that declare it (addIdColumnOption). */
  idColumn?: string;
}

/** Declares the reading options, the same flags and words on every command that reads leads;
 * `rules: false` for a command that takes its rules files as arguments (diff OLD NEW FILE). */
export function addReadingOptions(cmd: Command, which: { rules?: boolean } = {}): Command {
  if (which.rules !== false) cmd.option('-r, --rules <file>', 'rules file (default: the shipped rules/default.yaml)');
  return cmd
    .option('--as-of <date>', 'reference date for decay and "within N days" rules, YYYY-MM-DD (default: today)')
    .option('--encoding <name>', 'input encoding when it has no byte-order mark: utf8, win1252, latin1, utf16le')
    .option('--delimiter <char>', 'field delimiter (default: detected from the header line): , ; tab |')
    .option('--date-format <order>', 'how to read dates like 03/04/2026: auto (US unless the first number is above 12), mdy, dmy, ymd (default: the rules\' settings)')
    .option('--decimal <mark>', 'decimal mark of numbers in this file: . (1,200.50) or , (1.200,50) (default: the rules\' settings)')
    .option('--max-record-size <size>', 'largest record read, e.g. 64MB or 512KB (default: 16MB); a larger one is an error, or set aside with --skip-invalid');
}

/** --id-column, on the commands that find a lead by its id or show it for one (explain, assess, discover, work, log, followups). */
export function addIdColumnOption(cmd: Command): Command {
  return cmd.option('--id-column <header>', 'the column that holds each lead\'s id, for --lead and the keys shown (default: the rules\' id field and its aliases)');
}

export interface Reading {
  rules: string | undefined;
  asOfDay: number;
  overrides: { dateFormat?: DateFormat; decimal?: '.' | ','; idColumn?: string };
  csv: { encoding?: string; delimiter?: string; maxRecordSize?: number };
}

/** Checks the reading options (ARG_INVALID, exit 2, for a bad value) and types them. */
export function readingOptions(opts: ReadingCliOptions): Reading {
  const overrides: Reading['overrides'] = {};
  if (opts.dateFormat !== undefined) overrides.dateFormat = oneOf('--date-format', opts.dateFormat, ['auto', 'mdy', 'dmy', 'ymd'] as const);
  if (opts.decimal !== undefined) overrides.decimal = oneOf('--decimal', opts.decimal, ['.', ','] as const);
  if (opts.idColumn !== undefined) {
    if (opts.idColumn.trim() === '') throw new QualifyError('ARG_INVALID', '--id-column needs a column name', { kind: 'arg', option: '--id-column' });
    overrides.idColumn = opts.idColumn;
  }
  const csv: Reading['csv'] = {};
  if (opts.encoding !== undefined) csv.encoding = opts.encoding;
  if (opts.delimiter !== undefined) csv.delimiter = opts.delimiter;
  if (opts.maxRecordSize !== undefined) csv.maxRecordSize = byteSize('--max-record-size', opts.maxRecordSize);
  return { rules: opts.rules, asOfDay: asOfDay(opts.asOf), overrides, csv };
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1 << 10, kb: 1 << 10, kib: 1 << 10, m: 1 << 20, mb: 1 << 20, mib: 1 << 20, g: 1 << 30, gb: 1 << 30, gib: 1 << 30 };

/** A size such as `64MB`, `512 KB` or `1048576` (bytes), in bytes: 1 KB = 1024 bytes. At least
 * 1 KB (a smaller limit would refuse ordinary rows) and at most 1 GB (a string's practical limit). */
export function byteSize(option: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  const n = m && unit !== undefined ? Math.round(Number(m[1]) * unit) : NaN;
  if (!(n >= 1 << 10 && n <= 1 << 30)) {
    throw new QualifyError('ARG_INVALID', `${option} must be a size between 1KB and 1GB such as 64MB or 512KB; got ${JSON.stringify(value)}`, { kind: 'arg', option });
  }
  return n;
}
