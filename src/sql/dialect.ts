// What differs between SQL dialects when the compiled rules become one SELECT: string literals,
// identifiers, regular expressions, Unicode normalisation, casts and dates. The shared compiler
// (compile.ts) writes everything else once. Internal patterns handed to `matches`, `extract` and
// `replaceAll` use a portable subset of RE2 syntax: literal characters, bracket classes (with
// `\\`, `\]`, `\-` escapes), `(?:…)`, at most one capturing group, quantifiers, `^`, `$`, `|`.
import { QualifyError } from '../core/errors.js';

export const DIALECTS = ['duckdb', 'postgres', 'spark', 'bigquery', 'snowflake'] as const;
export type DialectName = (typeof DIALECTS)[number];

export interface Dialect {
  name: DialectName;
  /** A string literal holding exactly `s`. */
  str(s: string): string;
  ident(name: string): string;
  /** Whether the internal `pattern` occurs in `expr` (a search, not a full match). */
  matches(expr: string, pattern: string): string;
  /** The first match of the internal `pattern` in `expr` (its capturing group when it has one);
   * NULL or '' when there is none (callers test with `matches` first or accept both). */
  extract(expr: string, pattern: string): string;
  /** Every match of the internal `pattern` replaced by the literal `replacement`. */
  replaceAll(expr: string, pattern: string, replacement: string): string;
  /** A user's RE2 pattern (rules `matches`) as a search; throws UnsupportedRegex when the dialect
   * cannot express it with the same meaning. */
  userRegex(expr: string, pattern: string, ignoreCase: boolean): string;
  /** `expr` without the characters of `chars` at both ends / at the right end. */
  trim(expr: string, chars: string): string;
  rtrim(expr: string, chars: string): string;
  /** Unicode NFC; NFKC where the dialect has it (else NFC; see the README's table). */
  nfc(expr: string): string;
  nfkc(expr: string): string;
  lower(expr: string): string;
  /** Length in characters (code points). */
  length(expr: string): string;
  left(expr: string, n: number | string): string;
  right(expr: string, n: number | string): string;
  /** Whether the literal `needle` occurs in `hay`. */
  contains(hay: string, needle: string): string;
  repeat(expr: string, n: string): string;
  /** A validated number text (`1234.5e6`) as a double. */
  toDouble(expr: string): string;
  /** A double literal. */
  double(n: number): string;
  /** A number (integer or double expression) as a double. */
  asDouble(expr: string): string;
  /** A double holding an integer as the dialect's 64-bit integer (the score columns). */
  asBigint(expr: string): string;
  /** An integer text as an integer. */
  toInt(expr: string): string;
  /** An integral double written as JavaScript writes it (`-12`, `100000000000000000000`). */
  intText(expr: string): string;
  /** The day number (days since 1970-01-01) of a valid calendar date given as integers. */
  dayNumber(y: string, m: string, d: string): string;
  mod(a: string, b: string): string;
  pow(a: string, b: string): string;
  /** The character class (without brackets) of Unicode letters and digits (stage keys, e-mail). */
  letterOrDigit: string;
  letter: string;
  /** Written after `AS` of each CTE: PostgreSQL would otherwise inline the chain of CTEs into
   * one expression tree, where each column is its whole definition again (exponential). */
  cteKeyword: string;
  /** ORDER BY expression that gives the table's own row order, or null when the dialect keeps none. */
  tableOrder: string | null;
}

export class UnsupportedRegex extends Error {}

/** A construct this dialect cannot express: an error naming the rule, never a silent difference. */
export function unsupported(dialect: DialectName, what: string, ruleId: string | null): QualifyError {
  return new QualifyError('SQL_UNSUPPORTED', `${dialect} cannot express ${what}${ruleId ? ` (rule "${ruleId}")` : ''}`, { kind: 'arg', option: '--dialect' }, {
    hint: 'rewrite the rule (for a regular expression: without the construct named), or score this file with `qualify score`',
  });
}

/** Standard SQL string literal: quotes doubled, every other character as it is. */
export function standardString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Characters written as escapes so that the SQL text stays printable ASCII (whitespace sets,
 * currency signs, `×`). */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/u;

/** PostgreSQL: an E'' string with \t, \n, \uXXXX (\UXXXXXXXX) escapes (UTF8 database). */
export function postgresString(s: string): string {
  if (!NOT_PRINTABLE_ASCII.test(s) && !s.includes('\\')) return standardString(s);
  let out = "E'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "'") out += "''";
    else if (ch === '\\') out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out + "'";
}

/** String literal of dialects that read backslash escapes in strings (Spark, BigQuery, Snowflake). */
export function backslashString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c > 0x7e) out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + "'";
}

export function doubleQuoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
