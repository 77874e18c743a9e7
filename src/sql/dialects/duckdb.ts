// DuckDB: string literals hold characters as they are (DuckDB has no \u escapes, and a pattern
// built with chr() is no longer a constant: it would be compiled again for every row).
// RE2 regular expressions (the user's patterns run as written), nfc_normalize (no NFKC),
// HUGEINT for exact integer text, tables keep their insertion order (rowid).
import { doubleQuoted, standardString, type Dialect } from '../dialect.js';
import { captures } from './shared.js';

export const duckdb: Dialect = {
  name: 'duckdb',
  str: standardString,
  ident: doubleQuoted,
  matches: (e, p) => `regexp_matches(${e}, ${standardString(p)})`,
  extract: (e, p) => `regexp_extract(${e}, ${standardString(p)}, ${captures(p) > 0 ? 1 : 0})`,
  replaceAll: (e, p, r) => `regexp_replace(${e}, ${standardString(p)}, ${standardString(r)}, 'g')`,
  userRegex: (e, p, ic) => `regexp_matches(${e}, ${standardString((ic ? '(?i)' : '') + p)})`,
  // trim with a set of characters costs ~3.5 µs a value: only cells that start or end with one pay it.
  trim: (e, c) => `CASE WHEN contains(${standardString(c)}, left(${e}, 1)) OR contains(${standardString(c)}, right(${e}, 1)) THEN trim(${e}, ${standardString(c)}) ELSE ${e} END`,
  rtrim: (e, c) => `rtrim(${e}, ${standardString(c)})`,
  nfc: (e) => `nfc_normalize(${e})`,
  nfkc: (e) => `nfc_normalize(${e})`,
  lower: (e) => `lower(${e})`,
  length: (e) => `length(${e})`,
  left: (e, n) => `left(${e}, ${n})`,
  right: (e, n) => `right(${e}, ${n})`,
  contains: (h, n) => `contains(${h}, ${n})`,
  repeat: (e, n) => `repeat(${e}, ${n})`,
  toDouble: (e) => `TRY_CAST(${e} AS DOUBLE)`,
  double: (n) => `CAST(${Number.isInteger(n) ? n : `'${n}'`} AS DOUBLE)`,
  asDouble: (e) => `CAST(${e} AS DOUBLE)`,
  asBigint: (e) => `CAST(${e} AS BIGINT)`,
  toInt: (e) => `TRY_CAST(${e} AS INTEGER)`,
  // Exact digits below 1e21, then the shortest form (1e+21), as JavaScript writes numbers.
  intText: (e) => `CASE WHEN abs(${e}) < 1e21 THEN CAST(CAST(${e} AS HUGEINT) AS VARCHAR) ELSE CAST(${e} AS VARCHAR) END`,
  dayNumber: (y, m, d) => `date_diff('day', DATE '1970-01-01', make_date(${y}, ${m}, ${d}))`,
  mod: (a, b) => `(${a} % ${b})`,
  pow: (a, b) => `pow(${a}, ${b})`,
  letterOrDigit: '\\p{L}\\p{N}',
  letter: '\\p{L}',
  cteKeyword: '',
  tableOrder: 'rowid',
};
