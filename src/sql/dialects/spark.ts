// Spark SQL: Java regular expressions (a user's RE2 pattern is translated: ASCII \b as
// lookarounds, `.` without line breaks, Unicode case folding with (?iu)); string literals read
// backslash escapes; no Unicode normalisation function (cells are taken as they are); no row
// order of its own (name one with --order-by when the rules find duplicates).
import { backslashString, type Dialect } from '../dialect.js';
import { translateRegex } from '../regex.js';
import { captures } from './shared.js';

export const spark: Dialect = {
  name: 'spark',
  str: backslashString,
  ident: (n) => '`' + n.replace(/`/g, '``') + '`',
  matches: (e, p) => `(${e} RLIKE ${backslashString(p)})`,
  extract: (e, p) => `regexp_extract(${e}, ${backslashString(p)}, ${captures(p) > 0 ? 1 : 0})`,
  replaceAll: (e, p, r) => `regexp_replace(${e}, ${backslashString(p)}, ${backslashString(r)})`,
  userRegex: (e, p, ic) => {
    const t = translateRegex(p, 'java');
    return `(${e} RLIKE ${backslashString((ic || t.ignoreCase ? '(?iu)' : '') + t.pattern)})`;
  },
  trim: (e, c) => `btrim(${e}, ${backslashString(c)})`,
  rtrim: (e, c) => `regexp_replace(${e}, ${backslashString(`[${c.replace(/[\\\]^-]/g, '\\$&')}]+$`)}, '')`,
  nfc: (e) => e,
  nfkc: (e) => e,
  lower: (e) => `lower(${e})`,
  length: (e) => `char_length(${e})`,
  left: (e, n) => `left(${e}, ${n})`,
  right: (e, n) => `right(${e}, ${n})`,
  contains: (h, n) => `(instr(${h}, ${n}) > 0)`,
  repeat: (e, n) => `repeat(${e}, ${n})`,
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  double: (n) => (Number.isInteger(n) ? `CAST(${n} AS DOUBLE)` : `CAST('${n}' AS DOUBLE)`),
  asDouble: (e) => `CAST(${e} AS DOUBLE)`,
  asBigint: (e) => `CAST(${e} AS BIGINT)`,
  toInt: (e) => `CAST(${e} AS INT)`,
  intText: (e) => `CAST(CAST(${e} AS DECIMAL(38, 0)) AS STRING)`,
  dayNumber: (y, m, d) => `datediff(make_date(${y}, ${m}, ${d}), DATE '1970-01-01')`,
  mod: (a, b) => `(${a} % ${b})`,
  pow: (a, b) => `pow(${a}, ${b})`,
  letterOrDigit: '\\p{L}\\p{N}',
  letter: '\\p{L}',
  cteKeyword: '',
  tableOrder: null,
};
