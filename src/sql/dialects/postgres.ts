// PostgreSQL (and what speaks it: Redshift, Greenplum, Citus): ARE regular expressions, so a
// user's RE2 pattern is translated (regex.ts) or refused; normalize() for NFC/NFKC (a UTF8
// database); lower() follows the database's LC_CTYPE (use a UTF-8 locale such as C.UTF-8).
// A freshly loaded table's physical order (ctid) is its row order.
import { doubleQuoted, postgresString, type Dialect } from '../dialect.js';
import { translateRegex } from '../regex.js';

export const postgres: Dialect = {
  name: 'postgres',
  str: postgresString,
  ident: doubleQuoted,
  matches: (e, p) => `(${e} ~ ${postgresString(p)})`,
  // substring(… from pattern): the capturing group when there is one, else the whole match.
  extract: (e, p) => `substring(${e} from ${postgresString(p)})`,
  replaceAll: (e, p, r) => `regexp_replace(${e}, ${postgresString(p)}, ${postgresString(r)}, 'g')`,
  userRegex: (e, p, ic) => {
    const t = translateRegex(p, 'pg');
    return `(${e} ${ic || t.ignoreCase ? '~*' : '~'} ${postgresString(t.pattern)})`;
  },
  trim: (e, c) => `btrim(${e}, ${postgresString(c)})`,
  rtrim: (e, c) => `rtrim(${e}, ${postgresString(c)})`,
  nfc: (e) => `normalize(${e}, NFC)`,
  nfkc: (e) => `normalize(${e}, NFKC)`,
  lower: (e) => `lower(${e})`,
  length: (e) => `char_length(${e})`,
  left: (e, n) => `left(${e}, ${n})`,
  right: (e, n) => `right(${e}, ${n})`,
  contains: (h, n) => `(strpos(${h}, ${n}) > 0)`,
  repeat: (e, n) => `repeat(${e}, ${n})`,
  toDouble: (e) => `CAST(${e} AS double precision)`,
  double: (n) => (Number.isInteger(n) ? `CAST(${n} AS double precision)` : `CAST('${n}' AS double precision)`),
  asDouble: (e) => `CAST(${e} AS double precision)`,
  asBigint: (e) => `CAST(${e} AS bigint)`,
  toInt: (e) => `CAST(${e} AS integer)`,
  // bigint is exact; beyond it float8's text (1e+21, as JavaScript writes it from 1e21 on).
  intText: (e) => `CASE WHEN abs(${e}) < 9.2e18 THEN CAST(CAST(${e} AS bigint) AS text) ELSE CAST(${e} AS text) END`,
  dayNumber: (y, m, d) => `(make_date(${y}, ${m}, ${d}) - DATE '1970-01-01')`,
  mod: (a, b) => `mod(${a}, ${b})`,
  pow: (a, b) => `power(${a}, ${b})`,
  letterOrDigit: '[:alnum:]',
  letter: '[:alpha:]',
  cteKeyword: ' MATERIALIZED',
  tableOrder: 'ctid',
};

