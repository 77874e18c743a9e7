// BigQuery (GoogleSQL): RE2 regular expressions like qualify's (a user's pattern runs as
// written), NORMALIZE for NFC/NFKC, UNIX_DATE for day numbers; no row order of its own.
import { backslashString, type Dialect } from '../dialect.js';

export const bigquery: Dialect = {
  name: 'bigquery',
  str: backslashString,
  ident: (n) => '`' + n.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`',
  matches: (e, p) => `REGEXP_CONTAINS(${e}, ${backslashString(p)})`,
  // At most one capturing group: REGEXP_EXTRACT gives it (or the whole match without one).
  extract: (e, p) => `REGEXP_EXTRACT(${e}, ${backslashString(p)})`,
  replaceAll: (e, p, r) => `REGEXP_REPLACE(${e}, ${backslashString(p)}, ${backslashString(r)})`,
  userRegex: (e, p, ic) => `REGEXP_CONTAINS(${e}, ${backslashString((ic ? '(?i)' : '') + p)})`,
  trim: (e, c) => `TRIM(${e}, ${backslashString(c)})`,
  rtrim: (e, c) => `RTRIM(${e}, ${backslashString(c)})`,
  nfc: (e) => `NORMALIZE(${e}, NFC)`,
  nfkc: (e) => `NORMALIZE(${e}, NFKC)`,
  lower: (e) => `LOWER(${e})`,
  length: (e) => `LENGTH(${e})`,
  left: (e, n) => `LEFT(${e}, ${n})`,
  right: (e, n) => `RIGHT(${e}, ${n})`,
  contains: (h, n) => `(STRPOS(${h}, ${n}) > 0)`,
  repeat: (e, n) => `REPEAT(${e}, ${n})`,
  toDouble: (e) => `SAFE_CAST(${e} AS FLOAT64)`,
  double: (n) => (Number.isInteger(n) ? `CAST(${n} AS FLOAT64)` : `CAST('${n}' AS FLOAT64)`),
  asDouble: (e) => `CAST(${e} AS FLOAT64)`,
  asBigint: (e) => `CAST(${e} AS INT64)`,
  toInt: (e) => `CAST(${e} AS INT64)`,
  intText: (e) => `FORMAT('%.0f', ${e})`,
  dayNumber: (y, m, d) => `UNIX_DATE(DATE(${y}, ${m}, ${d}))`,
  mod: (a, b) => `MOD(${a}, ${b})`,
  pow: (a, b) => `POW(${a}, ${b})`,
  letterOrDigit: '\\p{L}\\p{N}',
  letter: '\\p{L}',
  cteKeyword: '',
  tableOrder: null,
};
