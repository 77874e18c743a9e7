// Option parsing shared by commands: the as-of date, formats, file arguments. Turns bad values
// into QualifyError('ARG_INVALID') so the CLI exits 2 with a clear message.
import { QualifyError } from '../core/errors.js';
import { relative, isAbsolute } from 'node:path';
import { parseDate } from '../core/values.js';

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
