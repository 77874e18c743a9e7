// Snowflake: POSIX extended regular expressions (no non-capturing groups, no \b, no lookaround):
// a user's RE2 pattern is translated or refused; REGEXP_INSTR searches (REGEXP_LIKE would
// anchor the whole text); string literals read backslash escapes; no Unicode normalisation
// function (cells are taken as they are); no row order of its own.
import { backslashString, doubleQuoted, type Dialect } from '../dialect.js';
import { translateRegex } from '../regex.js';
import { captures } from './shared.js';

/** Snowflake has no `(?:`: every group captures, so the one wanted is counted. */
function posix(p: string): { pattern: string; group: number } {
  let group = 0;
  let seen = 0;
  const out = p.replace(/\\.|\((\?:)?/g, (m, nc: string | undefined) => {
    if (m[0] === '\\') return m;
    seen++;
    if (nc === undefined && group === 0) group = seen;
    return '(';
  });
  return { pattern: out, group: captures(p) > 0 ? group : 0 };
}

export const snowflake: Dialect = {
  name: 'snowflake',
  str: backslashString,
  ident: doubleQuoted,
  matches: (e, p) => `(REGEXP_INSTR(${e}, ${backslashString(posix(p).pattern)}) > 0)`,
  extract: (e, p) => {
    const { pattern, group } = posix(p);
    return group > 0 ? `REGEXP_SUBSTR(${e}, ${backslashString(pattern)}, 1, 1, 'e', ${group})` : `REGEXP_SUBSTR(${e}, ${backslashString(pattern)})`;
  },
  replaceAll: (e, p, r) => `REGEXP_REPLACE(${e}, ${backslashString(posix(p).pattern)}, ${backslashString(r)})`,
  userRegex: (e, p, ic) => {
    const t = translateRegex(p, 'snowflake');
    return `(REGEXP_INSTR(${e}, ${backslashString(t.pattern)}, 1, 1, 0, '${ic || t.ignoreCase ? 'i' : 'c'}') > 0)`;
  },
  trim: (e, c) => `TRIM(${e}, ${backslashString(c)})`,
  rtrim: (e, c) => `RTRIM(${e}, ${backslashString(c)})`,
  nfc: (e) => e,
  nfkc: (e) => e,
  lower: (e) => `LOWER(${e})`,
  length: (e) => `LENGTH(${e})`,
  left: (e, n) => `LEFT(${e}, ${n})`,
  right: (e, n) => `RIGHT(${e}, ${n})`,
  contains: (h, n) => `CONTAINS(${h}, ${n})`,
  repeat: (e, n) => `REPEAT(${e}, ${n})`,
  toDouble: (e) => `TRY_CAST(${e} AS DOUBLE)`,
  double: (n) => (Number.isInteger(n) ? `CAST(${n} AS DOUBLE)` : `CAST('${n}' AS DOUBLE)`),
  asDouble: (e) => `CAST(${e} AS DOUBLE)`,
  asBigint: (e) => `CAST(${e} AS BIGINT)`,
  toInt: (e) => `CAST(${e} AS INTEGER)`,
  intText: (e) => `TO_VARCHAR(CAST(${e} AS NUMBER(38, 0)))`,
  dayNumber: (y, m, d) => `DATEDIFF(day, DATE '1970-01-01', DATE_FROM_PARTS(${y}, ${m}, ${d}))`,
  mod: (a, b) => `MOD(${a}, ${b})`,
  pow: (a, b) => `POWER(${a}, ${b})`,
  letterOrDigit: '[:alnum:]',
  letter: '[:alpha:]',
  cteKeyword: '',
  tableOrder: null,
};
