// The compiled rules (rules/compiled.ts) as one SQL SELECT over a table whose columns are all
// text, computing what the scoring engine (core/scoring/engine.ts) computes, row for row: the
// same reading of numbers, dates, booleans, e-mails, phones and hosts (core/values.ts), the same
// three-valued conditions (SQL's NULL is the engine's UNKNOWN), caps, decay, floor, clamping,
// duplicates (first row wins, by a window over the row order), disqualifiers, thresholds, grade,
// a person's stage kept, and the same `reasons` text. Shared by every dialect; what differs
// (regex, Unicode, casts, dates) is asked of the Dialect.
//
// The SELECT is a chain of CTEs, each adding columns computed from the previous one (so that a
// cell is parsed once per row whatever the number of rules reading it):
//   _q0 row number · _q1 cell text · _q2 parse steps · _q3 values · _q4 numbers, day numbers ·
//   _q5 rule results · _q6 sums · _q7 caps and decay · _q8 floor, clamp, verdicts · final SELECT.
import { QualifyError } from '../core/errors.js';
import type { CompiledRules, Condition, GradeBand } from '../core/rules/compiled.js';
import { bindColumns, type ColumnBinding } from '../core/scoring/bind-columns.js';
import { signed } from '../core/scoring/engine.js';
import { CLASS_OF_HUMAN_STAGE, HUMAN_STAGE_SPELLINGS, NEXT_STEP_OF_HUMAN_STAGE, stageKey } from '../core/stage/model.js';
import { unsupported, UnsupportedRegex, type Dialect } from './dialect.js';

export interface SqlOptions {
  /** The table (or view, or subquery in parentheses) to read. */
  table: string;
  /** Reference date, whole days since 1970-01-01 (--as-of). */
  asOfDay: number;
  /** Column giving the row order (first row wins for duplicates; record numbers). */
  orderBy?: string | undefined;
  /** How to refer to input column i (default: its quoted header name). */
  columnRef?: (i: number) => string;
  /** Column already holding each row's 1-based record number (score --engine duckdb). */
  recordColumn?: string;
  /** Adds _q_detail (rule|points|extra per reason) and _q_dq (what disqualified the row), for
   * the engine's JSON output and summary. */
  detail?: boolean;
  /** What a missing column's error names (default: the table); score --engine duckdb names the file. */
  source?: string;
  /** With recordColumn: find each duplicate's first row by a GROUP BY over the table joined back
   * (one key and record number per repeated key) instead of a window over the whole row, which
   * holds every row's every column at once (score --engine duckdb, in bounded memory). */
  firstRowByJoin?: boolean;
}

export interface CompiledSql {
  sql: string;
  /** Output column names, in order. */
  columns: string[];
  binding: ColumnBinding;
}

/** JavaScript's whitespace (String.prototype.trim, \s): the cells are trimmed of exactly this. */
const WS_CHARS = '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
/** The same as the body of a regex character class. */
const WSC = '\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const W = `[${WSC}]`;
const CUR = '[$€£¥₹]';
const SIGN = '[-+\u2212]';

/** The number forms parseNumber accepts (core/values.ts), as one pattern per decimal mark. */
function numberPattern(decimal: '.' | ','): string {
  const groups = decimal === '.' ? [',', ' ', '\u00a0', '\u202f', "'"] : ['[.]', ' ', '\u00a0', '\u202f', "'"];
  const mark = decimal === '.' ? '[.]' : ',';
  const int = `(?:[0-9]+|${groups.map((g) => `[0-9]{1,3}(?:${g}[0-9]{3})+`).join('|')})`;
  const mant = `(?:${int}(?:${mark}[0-9]+)?|${mark}[0-9]+)`;
  const exp = '(?:[0-9]+(?:[.][0-9]+)?|[.][0-9]+)[eE][-+]?[0-9]{1,3}';
  const bs = `(?:${mant}(?:${W}*[%kKmMbB])?|${exp}(?:${W}*%)?)`;
  const tailc = `${bs}(?:${W}*${CUR})?`;
  const withSign = `(?:${SIGN}${W}*${CUR}${W}*${bs}|${CUR}${W}*(?:${SIGN}${W}*)?${bs}|${SIGN}${W}*${tailc}|${tailc})`;
  const noSign = `(?:${CUR}${W}*${bs}|${tailc})`;
  return `^(?:[(]${W}*${noSign}${W}*[)]|${withSign})$`;
}

const TIME_YF = `(?:(?:T|${W}+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?${W}*(?:Z|[AaPp][Mm]|[-+][0-9]{2}(?::?[0-9]{2})?)?)?`;
const DATE_YF = `^[0-9]{4}(?:-[0-9]{1,2}-[0-9]{1,2}|/[0-9]{1,2}/[0-9]{1,2}|[.][0-9]{1,2}[.][0-9]{1,2})${TIME_YF}$`;
const DATE_YL = `^[0-9]{1,2}(?:-[0-9]{1,2}-|/[0-9]{1,2}/|[.][0-9]{1,2}[.])(?:[0-9]{4}|[0-9]{2})(?:${W}+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?${W}*(?:[AaPp][Mm])?)?$`;
const DATE_DMN = `^[0-9]{1,2}[${WSC}-]+[A-Za-z]{3,9}[.]?,?[${WSC}-]+[0-9]{4}$`;
const DATE_MND = `^[A-Za-z]{3,9}[.]?${W}+[0-9]{1,2}(?:st|nd|rd|th)?,?${W}+[0-9]{4}$`;
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

const BOOLEAN_WORDS: [string, number][] = [['yes', 1], ['y', 1], ['true', 1], ['1', 1], ['x', 1], ['no', 0], ['n', 0], ['false', 0], ['0', 0]];

const lowerOf = (v: unknown): string => String(v).trim().normalize('NFC').toLowerCase();

interface Needs {
  lower: boolean;
  num: boolean;
  day: boolean;
  bool: boolean;
  email: boolean;
  phone: boolean;
  host: boolean;
}

export function compileSql(rules: CompiledRules, header: readonly string[], d: Dialect, opts: SqlOptions): CompiledSql {
  const binding = bindColumns(rules, header, opts.source ?? opts.table);
  const { columnOf } = binding;
  const col = opts.columnRef ?? ((i: number) => d.ident(header[i]!));
  const s = d.str;
  const needs = new Map<number, Needs>();
  const need = (f: number): Needs => {
    let n = needs.get(f);
    if (!n) needs.set(f, (n = { lower: false, num: false, day: false, bool: false, email: false, phone: false, host: false }));
    return n;
  };

  // Which readings each field needs, from every place that reads one.
  const scan = (c: Condition | null): void => {
    if (c === null) return;
    if (c.op !== 'test') {
      for (const sub of c.op === 'not' ? [c.of] : c.of) scan(sub);
      return;
    }
    const n = need(c.field);
    switch (c.operator) {
      case 'equals':
      case 'not_equals':
        if (typeof c.operand === 'number') n.num = true;
        else n.lower = true;
        break;
      case 'in':
      case 'not_in':
        if ((c.operand as unknown[]).every((x) => typeof x === 'number')) n.num = true;
        else n.lower = true;
        break;
      case 'contains':
      case 'starts_with':
      case 'ends_with':
      case 'placeholder':
        n.lower = true;
        break;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
      case 'between':
        n.num = true;
        break;
      case 'within_days':
      case 'older_than_days':
        n.day = true;
        break;
      case 'is':
        n.bool = true;
        break;
      case 'domain_in':
        n.lower = n.host = true;
        break;
      case 'valid_email':
        n.email = true;
        break;
      case 'valid_phone':
        n.phone = true;
        break;
    }
  };
  const allRules = [...rules.fit.rules, ...rules.engagement.rules];
  for (const r of allRules) {
    scan(r.when);
    if (r.per) need(r.per.field).num = true;
  }
  for (const q of rules.disqualifiers) scan(q.when);
  if (rules.engagement.decay) need(rules.engagement.decay.field).day = true;
  if (rules.duplicates) need(rules.duplicates.field).lower = true;
  const sourceField = rules.settings.sourceField !== null && rules.settings.salesSources.length > 0 ? rules.settings.sourceField : null;
  if (sourceField !== null) need(sourceField).lower = true;
  for (const f of rules.settings.keyFitFields) need(f);

  const T = (f: number) => `_q_t${f}`;
  const L = (f: number) => `_q_l${f}`;
  const N = (f: number) => `_q_n${f}`;
  const D = (f: number) => `_q_d${f}`;
  const cell = (c: number) => (c < 0 ? "''" : `COALESCE(${col(c)}, '')`);

  // _q0: the row number.
  let q0: string;
  if (opts.recordColumn !== undefined) q0 = `SELECT *, ${opts.recordColumn} AS _q_rec FROM ${opts.table}`;
  else {
    const order = opts.orderBy !== undefined ? d.ident(opts.orderBy) : d.tableOrder;
    if (order === null && rules.duplicates) {
      throw new QualifyError('SQL_NO_ROW_ORDER', `${d.name} tables have no row order of their own, and the rules find duplicates (the first row wins)`, { kind: 'arg', option: '--order-by' }, {
        hint: 'name the column that gives the row order with --order-by (a load timestamp or a row number)',
      });
    }
    q0 = order === null ? `SELECT *, 0 AS _q_rec FROM ${opts.table}` : `SELECT *, row_number() OVER (ORDER BY ${order}) AS _q_rec FROM ${opts.table}`;
  }

  // Columns added by each CTE _q1, _q2, ...: a column may read those of earlier layers only.
  const layers: [string, string][][] = [];
  const at = (n: number): [string, string][] => {
    while (layers.length < n) layers.push([]);
    return layers[n - 1]!;
  };
  const [l1, l2, l3, l4, l5, l6] = [at(1), at(2), at(3), at(4), at(5), at(6)];

  // _q1: trimmed text and its lower-case NFC form.
  const textOf = new Map<number, { t: string; l: string }>();
  for (const [f, n] of needs) {
    const t = d.trim(cell(columnOf[f]!), WS_CHARS);
    const l = columnOf[f]! < 0 ? "''" : d.lower(d.nfc(t));
    textOf.set(f, { t: columnOf[f]! < 0 ? "''" : t, l });
    l1.push([T(f), textOf.get(f)!.t]);
    if (n.lower || n.host) l1.push([L(f), l]);
  }
  const { stageCol, qualifiedAtCol, classCol, actionCol } = binding;
  l1.push(['_q_stage', cell(stageCol)], ['_q_qa', cell(qualifiedAtCol)], ['_q_class', cell(classCol)], ['_q_action', cell(actionCol)]);

  // _q2 to _q4: numbers, dates, e-mails, phones, hosts.
  const decimal = rules.settings.decimal;
  const numPattern = numberPattern(decimal);
  const plain = decimal === '.' ? '^[-+]?[0-9]+(?:[.][0-9]+)?$' : '^[-+]?[0-9]+(?:,[0-9]+)?$';
  const sep = decimal === '.' ? "[,' \u00a0\u202f]" : "[.' \u00a0\u202f]";
  for (const [f, n] of needs) {
    const t = T(f);
    if (n.num) {
      // Kind: 1 plain (`-3.5`), 2 any other form parseNumber reads; the body is the digits with
      // their separators, from the first digit or mark to the last digit.
      l2.push([`_q_nk${f}`, `CASE WHEN ${t} = '' THEN NULL WHEN ${d.matches(t, plain)} THEN 1 WHEN ${d.length(t)} <= 64 AND ${d.matches(t, numPattern)} THEN 2 END`]);
      // The body is extracted only for the forms that need it (a plain number is cast as it is):
      // a regex extraction per number cell was ~15% of the query's CPU.
      l3.push([`_q_nb${f}`, `CASE WHEN _q_nk${f} = 2 THEN ${d.extract(t, "[0-9.,](?:[-0-9.,eE+' \u00a0\u202f]*[0-9])?")} END`]);
      const body = `_q_nb${f}`;
      const negative = d.matches(t, `^(?:[(]|[-\u2212]|${CUR}${W}*[-\u2212])`);
      const suffix = d.right(d.rtrim(t, WS_CHARS + ')$€£¥₹'), 1);
      const shift = `CASE WHEN ${suffix} IN ('k', 'K') THEN '3' WHEN ${suffix} IN ('m', 'M') THEN '6' WHEN ${suffix} IN ('b', 'B') THEN '9' ELSE '0' END`;
      const digits = decimal === '.' ? d.replaceAll(body, sep, '') : d.replaceAll(d.replaceAll(body, sep, ''), ',', '.');
      // Exponent forms: beyond a double's range JavaScript gives Infinity (not a number) or 0.
      const expv = d.toInt(d.extract(body, '[eE]([-+]?[0-9]+)$'));
      const lead = d.length(d.replaceAll(`COALESCE(${d.extract(body, '^([0-9]*)')}, '')`, '^0+', ''));
      const fracZeros = `COALESCE(${d.length(d.extract(body, '^[0-9]*[.](0*)'))}, 0)`;
      const magnitude = `(CASE WHEN ${lead} > 0 THEN ${lead} - 1 ELSE -1 - ${fracZeros} END + ${expv})`;
      const scientific = `CASE WHEN ${magnitude} > 308 THEN NULL WHEN ${magnitude} < -324 THEN ${d.double(0)} ELSE ${d.toDouble(body)} END`;
      const general = `CASE WHEN ${d.matches(body, '[eE]')} THEN ${scientific} ELSE ${d.toDouble(`${digits} || 'e' || ${shift}`)} END`;
      const plainValue = d.toDouble(decimal === '.' ? t : d.replaceAll(t, ',', '.'));
      l4.push([N(f), `CASE _q_nk${f} WHEN 1 THEN ${plainValue} WHEN 2 THEN CASE WHEN ${negative} THEN -(${general}) ELSE ${general} END END`]);
    }
    if (n.day) {
      l2.push([`_q_dk${f}`, `CASE WHEN ${d.length(t)} BETWEEN 6 AND 40 THEN CASE WHEN ${d.matches(t, DATE_YF)} THEN 1 WHEN ${d.matches(t, DATE_YL)} THEN 2 WHEN ${d.matches(t, DATE_DMN)} THEN 3 WHEN ${d.matches(t, DATE_MND)} THEN 4 END END`]);
      const k = `_q_dk${f}`;
      const int = (p: string) => d.toInt(d.extract(t, p));
      const monthOf = (e: string) => `CASE ${d.lower(e)} ${MONTH_NAMES.map((m, i) => `WHEN '${m}' THEN ${i + 1} WHEN '${m.slice(0, 3)}' THEN ${i + 1}`).join(' ')} WHEN 'sept' THEN 9 END`;
      const a = int('^([0-9]{1,2})');
      const b = int('^[0-9]{1,2}[-/.]([0-9]{1,2})');
      const yy = d.extract(t, '^[0-9]{1,2}[-/.][0-9]{1,2}[-/.]([0-9]{4}|[0-9]{2})');
      const fmt = rules.settings.dateFormat;
      const dayFirst = fmt === 'dmy' ? 'TRUE' : fmt === 'mdy' ? 'FALSE' : `(${d.matches(t, '^[0-9]{1,2}[.]')} OR ${a} > 12)`;
      const ymdOnly = fmt === 'ymd';
      l3.push([`_q_dy${f}`, `CASE ${k} WHEN 1 THEN ${d.toInt(d.left(t, 4))} WHEN 2 THEN CASE WHEN ${d.length(yy)} = 4 THEN ${d.toInt(yy)} WHEN ${d.toInt(yy)} < 30 THEN 2000 + ${d.toInt(yy)} ELSE 1900 + ${d.toInt(yy)} END WHEN 3 THEN ${int('([0-9]{4})$')} WHEN 4 THEN ${int('([0-9]{4})$')} END`]);
      l3.push([`_q_dm${f}`, `CASE ${k} WHEN 1 THEN ${int('^[0-9]{4}[-/.]([0-9]{1,2})')} WHEN 2 THEN ${ymdOnly ? 'NULL' : `CASE WHEN ${dayFirst} THEN ${b} ELSE ${a} END`} WHEN 3 THEN ${monthOf(d.extract(t, '([A-Za-z]{3,9})'))} WHEN 4 THEN ${monthOf(d.extract(t, '^([A-Za-z]{3,9})'))} END`]);
      l3.push([`_q_dd${f}`, `CASE ${k} WHEN 1 THEN ${int('^[0-9]{4}[-/.][0-9]{1,2}[-/.]([0-9]{1,2})')} WHEN 2 THEN CASE WHEN ${dayFirst} THEN ${a} ELSE ${b} END WHEN 3 THEN ${a} WHEN 4 THEN ${int(`^[A-Za-z]{3,9}[.]?${W}+([0-9]{1,2})`)} END`]);
      const [y, m, dd] = [`_q_dy${f}`, `_q_dm${f}`, `_q_dd${f}`];
      const leap = `((${d.mod(y, '4')} = 0 AND ${d.mod(y, '100')} <> 0) OR ${d.mod(y, '400')} = 0)`;
      const dim = `CASE WHEN ${m} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
      l4.push([D(f), `CASE WHEN ${m} BETWEEN 1 AND 12 AND ${dd} >= 1 AND ${dd} <= ${dim} AND ${y} >= 100 THEN ${d.dayNumber(y, m, dd)} END`]);
    }
    if (n.bool) {
      l2.push([`_q_b${f}`, `CASE ${d.lower(t)} ${BOOLEAN_WORDS.map(([w, v]) => `WHEN '${w}' THEN ${v}`).join(' ')} END`]);
    }
    if (n.email) {
      const ascii = `^[^@"(),:;<>\\[\\\\\\]]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?[.])+[A-Za-z]{2,}$`;
      const ld = d.letterOrDigit;
      const unicode = `^[^${WSC}@"(),:;<>\\[\\\\\\]]+@(?:[${ld}](?:[${ld}-]*[${ld}])?[.])+[${d.letter}]{2,}$`;
      l2.push([
        `_q_e${f}`,
        `(${d.length(t)} BETWEEN 6 AND 254 AND CASE WHEN ${d.matches(t, '^[!-~]*$')} THEN ${d.matches(t, ascii)} ELSE ${d.matches(t, unicode)} END AND NOT ${d.matches(t, '^[.]')} AND NOT ${d.matches(t, '[.]@')} AND NOT ${d.matches(t, '^[^@]*[.][.]')})`,
      ]);
    }
    if (n.phone) {
      // The digits before an extension (x12, ext. 12, #12) that follows the first digit.
      l2.push([`_q_pd${f}`, `COALESCE(${d.replaceAll(d.extract(t, '^[^0-9]*[0-9][^xX#]*'), '[^0-9]', '')}, '')`]);
      const pd = `_q_pd${f}`;
      l3.push([
        `_q_p${f}`,
        `(${d.length(pd)} BETWEEN 7 AND 15 AND NOT ${d.matches(d.replaceAll(t, `[${WSC}().]`, ''), '555-?01[0-9][0-9]$')} AND NOT ${d.matches(pd, '55501[0-9][0-9]$')} AND ${pd} <> ${d.repeat(d.left(pd, 1), d.length(pd))} AND ${pd} <> '1234567890' AND NOT ${d.matches(pd, '123456789$')})`,
      ]);
    }
    if (n.host) {
      l2.push([`_q_h0${f}`, `COALESCE(${d.extract(L(f), '[^@]*$')}, '')`]);
      const h0 = `_q_h0${f}`;
      const h1 = `CASE WHEN ${d.matches(h0, '[/:]')} THEN COALESCE(${d.extract(d.replaceAll(h0, '^[a-z][a-z0-9+.-]*://', ''), '^[^/:?#]*')}, '') ELSE ${h0} END`;
      l3.push([`_q_h1${f}`, h1]);
      l4.push([`_q_h${f}`, `CASE WHEN ${d.left(`_q_h1${f}`, 4)} = 'www.' THEN substr(_q_h1${f}, 5) ELSE _q_h1${f} END`]);
    }
  }

  // Conditions: SQL's three-valued logic is the engine's (NULL = UNKNOWN: "did not fire").
  const placeholders = [...new Set(rules.settings.placeholders)];
  const inList = (items: string[]) => `(${items.join(', ')})`;
  /** `x IN (…)`, FALSE for an empty list. */
  const member = (x: string, items: string[]) => (items.length === 0 ? 'FALSE' : `${x} IN ${inList(items)}`);
  const dbl = (v: number) => d.double(v);
  const condition = (c: Condition, ruleId: string): string => {
    if (c.op === 'all') return `(${c.of.map((x) => condition(x, ruleId)).join(' AND ')})`;
    if (c.op === 'any') return `(${c.of.map((x) => condition(x, ruleId)).join(' OR ')})`;
    if (c.op === 'not') return `(NOT ${condition(c.of, ruleId)})`;
    const f = c.field;
    const v = c.operand;
    const nl = `NULLIF(${L(f)}, '')`;
    const nt = `NULLIF(${T(f)}, '')`;
    const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : [v as string]).map(lowerOf);
    switch (c.operator) {
      case 'equals':
        return typeof v === 'number' ? `(${N(f)} = ${dbl(v)})` : `(${nl} = ${s(lowerOf(v))})`;
      case 'not_equals':
        return typeof v === 'number' ? `(${N(f)} <> ${dbl(v)})` : `(${nl} <> ${s(lowerOf(v))})`;
      case 'in':
      case 'not_in': {
        const items = v as unknown[];
        const not = c.operator === 'not_in' ? 'NOT ' : '';
        return items.every((x) => typeof x === 'number') ? `(${N(f)} ${not}IN ${inList((items as number[]).map(dbl))})` : `(${nl} ${not}IN ${inList([...new Set(items.map(lowerOf))].map(s))})`;
      }
      case 'contains':
        return `(${list(v).map((x) => d.contains(nl, s(x))).join(' OR ')})`;
      case 'starts_with':
        return `(${list(v).map((x) => `${d.left(nl, [...x].length)} = ${s(x)}`).join(' OR ')})`;
      case 'ends_with':
        return `(${list(v).map((x) => `${d.right(nl, [...x].length)} = ${s(x)}`).join(' OR ')})`;
      case 'matches':
        try {
          return d.userRegex(nt, v as string, c.ignoreCase);
        } catch (e) {
          if (e instanceof UnsupportedRegex) throw unsupported(d.name, `${e.message} in the regular expression ${JSON.stringify(v)}`, ruleId);
          throw e;
        }
      case 'gt':
        return `(${N(f)} > ${dbl(v as number)})`;
      case 'gte':
        return `(${N(f)} >= ${dbl(v as number)})`;
      case 'lt':
        return `(${N(f)} < ${dbl(v as number)})`;
      case 'lte':
        return `(${N(f)} <= ${dbl(v as number)})`;
      case 'between': {
        const [lo, hi] = v as [number, number];
        return `(${N(f)} >= ${dbl(lo)} AND ${N(f)} <= ${dbl(hi)})`;
      }
      case 'present':
        return v ? `(${T(f)} <> '')` : `(${T(f)} = '')`;
      case 'missing':
        return v ? `(${T(f)} = '')` : `(${T(f)} <> '')`;
      case 'within_days':
        return `(${opts.asOfDay} - ${D(f)} <= ${v as number})`;
      case 'older_than_days':
        return `(${opts.asOfDay} - ${D(f)} > ${v as number})`;
      case 'is':
        return `(_q_b${f} = ${v ? 1 : 0})`;
      case 'domain_in': {
        const h = `NULLIF(_q_h${f}, '')`;
        const domains = [...new Set((v as string[]).map((x) => x.trim().toLowerCase().replace(/^@/, '')))];
        return `(${h} IN ${inList(domains.map(s))} OR ${domains.map((x) => `${d.right(h, [...x].length + 1)} = ${s('.' + x)}`).join(' OR ')})`;
      }
      case 'valid_email':
        return `CASE WHEN ${T(f)} = '' THEN ${v ? 'FALSE' : 'NULL'} ELSE _q_e${f} = ${v ? 'TRUE' : 'FALSE'} END`;
      case 'valid_phone':
        return `CASE WHEN ${T(f)} = '' THEN ${v ? 'FALSE' : 'NULL'} ELSE _q_p${f} = ${v ? 'TRUE' : 'FALSE'} END`;
      case 'placeholder': {
        const l = L(f);
        const set = placeholders.map(s);
        const local = d.extract(l, '^([^@]+)@');
        const is = `(${member(l, set)} OR (${d.matches(l, '^[^@]+@')} AND ${member(local, set)}) OR (${d.length(l)} >= 3 AND ${l} = ${d.repeat(d.left(l, 1), d.length(l))}))`;
        return `CASE WHEN ${l} = '' THEN NULL ELSE ${is} = ${v ? 'TRUE' : 'FALSE'} END`;
      }
      default:
        throw unsupported(d.name, `the operator "${c.operator}"`, ruleId);
    }
  };
  const fires = (c: Condition | null, id: string) => (c === null ? 'TRUE' : `COALESCE(${condition(c, id)}, FALSE)`);

  // _q5: each rule's points (NULL when it gives no reason), per-unit counts, verdicts.
  const txt = (e: string) => d.intText(e);
  const sgn = (e: string) => `CASE WHEN ${e} < 0 THEN ${txt(e)} ELSE '+' || ${txt(e)} END`;
  interface RuleCols {
    id: string;
    why: string;
    points: string;
    label: string;
  }
  const ruleCols = (list: CompiledRules['fit']['rules'], prefix: string): RuleCols[] =>
    list.map((r, i) => {
      const p = `_q_${prefix}${i}`;
      if (r.per === null) {
        l5.push([p, `CASE WHEN ${fires(r.when, r.id)} THEN ${dbl(r.points)} END`]);
        return { id: r.id, why: r.why, points: p, label: s(`${r.id} ${signed(r.points)}`) };
      }
      const units = N(r.per.field);
      const whole = `_q_${prefix}w${i}`;
      l5.push([whole, `CASE WHEN ${fires(r.when, r.id)} AND ${units} >= 1 THEN floor(${units}) END`]);
      const max = r.per.max;
      const raw = `(${whole} * ${dbl(r.points)})`;
      const capped = max === null ? 'FALSE' : r.points >= 0 ? `${raw} > ${dbl(max)}` : `${raw} < ${dbl(max)}`;
      l6.push([p, max === null ? raw : `CASE WHEN ${capped} THEN ${dbl(max)} ELSE ${raw} END`]);
      l6.push([`${p}c`, `COALESCE(${capped}, FALSE)`]);
      const label = `${s(r.id + ' ')} || ${txt(whole)} || ${s('×' + r.points)} || CASE WHEN ${p}c THEN ${s(` (cap ${max})`)} ELSE '' END || ' ' || ${sgn(p)}`;
      return { id: r.id, why: r.why, points: p, label };
    });
  const fit = ruleCols(rules.fit.rules, 'f');
  const eng = ruleCols(rules.engagement.rules, 'g');
  rules.disqualifiers.forEach((q, i) => l5.push([`_q_x${i}`, fires(q.when, q.id)]));
  let firstsJoin: { from: string; on: string } | null = null;
  if (rules.duplicates) {
    const f = rules.duplicates.field;
    if (opts.firstRowByJoin && opts.recordColumn !== undefined) {
      // A key seen once is its own first row: only repeated keys are kept for the join.
      const { t, l } = textOf.get(f)!;
      firstsJoin = {
        from: `(SELECT ${l} AS _q_fk, min(${opts.recordColumn}) AS _q_fm FROM ${opts.table} WHERE ${t} <> '' GROUP BY 1 HAVING count(*) > 1)`,
        on: `${L(f)} = _q_fk`,
      };
      l5.push(['_q_first', `CASE WHEN ${T(f)} <> '' THEN COALESCE(_q_fm, _q_rec) END`]);
    } else l5.push(['_q_first', `CASE WHEN ${T(f)} <> '' THEN min(_q_rec) OVER (PARTITION BY ${L(f)}) END`]);
  }
  const keyFit = rules.settings.keyFitFields;
  if (keyFit.length > 0) l5.push(['_q_fu', `(${keyFit.map((f) => `${T(f)} = ''`).join(' AND ')})`]);
  const decay = rules.engagement.decay;
  l5.push(['_q_lak', decay ? `(${D(decay.field)} IS NOT NULL)` : 'FALSE']);
  l5.push(['_q_sales', sourceField !== null ? `COALESCE(${L(sourceField)} IN ${inList(rules.settings.salesSources.map(s))}, FALSE)` : 'FALSE']);
  // A person's stage: the canonical human stage its spelling names (stageKey), if any.
  const keyOf = new Map<string, string>();
  for (const [stage, spellings] of Object.entries(HUMAN_STAGE_SPELLINGS)) for (const sp of spellings) keyOf.set(stageKey(sp), stage);
  const stageKeyExpr = d.replaceAll(d.lower(d.nfkc('_q_stage')), `[^${d.letterOrDigit}]`, '');
  l5.push(['_q_human', `CASE ${stageKeyExpr} ${[...keyOf].map(([k, v]) => `WHEN ${s(k)} THEN ${s(v)}`).join(' ')} END`]);

  // _q6: sums.
  const sum = (rs: RuleCols[]) => (rs.length === 0 ? dbl(0) : rs.map((r) => `COALESCE(${r.points}, 0)`).join(' + '));
  at(7).push(['_q_fitraw', sum(fit)]);
  at(7).push(['_q_engraw', sum(eng)]);
  at(7).push(['_q_engfired', eng.length === 0 ? '0' : eng.map((r) => `CASE WHEN COALESCE(${r.points}, 0) <> 0 THEN 1 ELSE 0 END`).join(' + ')]);

  // _q7: caps, then decay (engine order: fit cap, engagement cap, decay).
  const fitMax = rules.fit.max;
  const engMax = rules.engagement.max;
  at(8).push(['_q_fit', fitMax === null ? '_q_fitraw' : `CASE WHEN _q_fitraw > ${dbl(fitMax)} THEN ${dbl(fitMax)} ELSE _q_fitraw END`]);
  at(8).push(['_q_engc', engMax === null ? '_q_engraw' : `CASE WHEN _q_engraw > ${dbl(engMax)} THEN ${dbl(engMax)} ELSE _q_engraw END`]);
  const age = decay ? `(${opts.asOfDay} - ${D(decay.field)})` : '';
  // Typed NULLs: PostgreSQL takes a bare NULL column for text.
  const nullDouble = d.asDouble('NULL');
  at(8).push(['_q_age', decay ? age : nullDouble]);
  at(9).push(['_q_factor', decay ? `CASE WHEN _q_lak AND _q_engc > 0 AND _q_age > 0 THEN ${d.pow(dbl(0.5), `${d.asDouble('_q_age')} / ${dbl(decay.halfLifeDays)}`)} END` : nullDouble]);
  at(10).push(['_q_decayed', `CASE WHEN _q_factor IS NOT NULL THEN floor(_q_engc * _q_factor + 0.5) END`]);
  at(11).push(['_q_hasdecay', `COALESCE(_q_decayed <> _q_engc, FALSE)`]);
  at(11).push(['_q_engd', `CASE WHEN COALESCE(_q_decayed <> _q_engc, FALSE) THEN _q_decayed ELSE _q_engc END`]);
  const engFloor = rules.engagement.floor;
  at(12).push(['_q_eng', engFloor === null ? '_q_engd' : `CASE WHEN _q_engd < ${dbl(engFloor)} THEN ${dbl(engFloor)} ELSE _q_engd END`]);
  at(12).push(['_q_total', engFloor === null ? '_q_fit + _q_engd' : `_q_fit + CASE WHEN _q_engd < ${dbl(engFloor)} THEN ${dbl(engFloor)} ELSE _q_engd END`]);
  const { min: scoreMin, max: scoreMax } = rules.score;
  at(13).push(['_q_score', `CASE WHEN _q_total < ${dbl(scoreMin)} THEN ${dbl(scoreMin)} WHEN _q_total > ${dbl(scoreMax)} THEN ${dbl(scoreMax)} ELSE _q_total END`]);

  // Final values, from the last layer.
  const th = rules.thresholds;
  const thIndex = `CASE ${th.map((t, i) => `WHEN _q_score >= ${dbl(t.min)} AND _q_score <= ${dbl(t.max)} THEN ${i}`).join(' ')} ELSE 0 END`;
  const byThreshold = (pick: (t: (typeof th)[number]) => string) => `CASE ${thIndex} ${th.map((t, i) => `WHEN ${i} THEN ${s(pick(t))}`).join(' ')} END`;
  const dup = rules.duplicates ? `COALESCE(_q_first < _q_rec, FALSE)` : 'FALSE';
  const dqs = rules.disqualifiers.map((q, i) => ({ q, x: `_q_x${i}` }));
  const verdict = (q: (typeof rules.disqualifiers)[number]) => (q.stage === 'bad lead' ? `Fix or drop: ${q.why}` : `Do not pursue: ${q.why}; ask for a referral`);
  const cold = `(_q_engfired = 0 AND NOT _q_lak)`;
  /** CASE over `branches` (WHEN … THEN …), or just `otherwise` when there are none. */
  const kase = (branches: string[], otherwise: string) => (branches.length === 0 ? otherwise : `CASE ${branches.join(' ')} ELSE ${otherwise} END`);
  const dupBranch = (then: string) => (rules.duplicates ? [`WHEN ${dup} THEN ${then}`] : []);
  const tierF = kase([...dupBranch("'bad'"), ...dqs.map(({ q, x }) => `WHEN ${x} THEN ${s(q.stage === 'bad lead' ? 'bad' : 'disqualified')}`)], byThreshold((t) => t.tier));
  const stageF = `CASE ${rules.duplicates ? `WHEN ${dup} THEN 'bad lead'` : ''} ${dqs.map(({ q, x }) => `WHEN ${x} THEN ${s(q.stage)}`).join(' ')} WHEN _q_sales THEN 'sales lead' WHEN ${cold} THEN 'cold lead' ELSE ${byThreshold((t) => t.stage)} END`;
  const actionF = `CASE ${rules.duplicates ? `WHEN ${dup} THEN 'Merge into record ' || ${txt('_q_first')}` : ''} ${dqs.map(({ q, x }) => `WHEN ${x} THEN ${s(verdict(q))}`).join(' ')} WHEN _q_sales THEN ${byThreshold((t) => t.action)} WHEN ${cold} THEN ${s(rules.settings.coldAction)} ELSE ${byThreshold((t) => t.action)} END`;
  const dqBy = kase([...dupBranch("'duplicate'"), ...dqs.map(({ q, x }) => `WHEN ${x} THEN ${s(q.id)}`)], 'NULL');

  // A person's stage survives: any spelling of a human stage, or any stage beside a qualified_at.
  const prevStage = d.trim('_q_stage', WS_CHARS);
  const byPerson = `(_q_human IS NOT NULL OR ${d.trim('_q_qa', WS_CHARS)} <> '')`;
  const kept = `(_q_stage <> '' AND ${byPerson} AND ${prevStage} <> '')`;
  const canonical = `COALESCE(_q_human, ${prevStage})`;
  const humanClass = `CASE ${canonical} ${Object.entries(CLASS_OF_HUMAN_STAGE).map(([k, v]) => `WHEN ${s(k)} THEN ${s(v)}`).join(' ')} ELSE 'lead' END`;
  const humanAction = `CASE ${canonical} ${Object.entries(NEXT_STEP_OF_HUMAN_STAGE).map(([k, v]) => `WHEN ${s(k)} THEN ${s(v)}`).join(' ')} ELSE ${actionF} END`;
  const stage = `CASE WHEN ${kept} THEN _q_stage ELSE ${stageF} END`;
  const klass = `CASE WHEN ${kept} THEN CASE WHEN ${d.trim('_q_class', WS_CHARS)} <> '' THEN _q_class ELSE ${humanClass} END ELSE 'lead' END`;
  const action = `CASE WHEN ${kept} THEN CASE WHEN ${d.trim('_q_action', WS_CHARS)} <> '' THEN _q_action ELSE ${humanAction} END ELSE ${actionF} END`;
  const band = (bands: GradeBand[], v: string) => `CASE ${bands.map((b) => `WHEN ${v} >= ${dbl(b.min)} THEN ${s(b.label)}`).join(' ')} ELSE ${s(bands[bands.length - 1]!.label)} END`;
  const grade = rules.grade ? `${band(rules.grade.fit, '_q_fit')} || ${band(rules.grade.engagement, '_q_eng')}` : null;

  // Reasons, in the engine's order; each piece is '; ' + label when it applies.
  interface Piece {
    when: string;
    label: string;
    /** rule|points|extra for the engine's JSON reasons. */
    detail: string;
  }
  const pieces: Piece[] = [];
  const ruleDetail = (r: RuleCols) => `${s(r.id + '|')} || ${txt(r.points)}`;
  for (const r of fit) pieces.push({ when: `${r.points} IS NOT NULL`, label: r.label, detail: ruleDetail(r) });
  if (fitMax !== null) {
    const delta = `${dbl(fitMax)} - _q_fitraw`;
    pieces.push({ when: `_q_fitraw > ${dbl(fitMax)}`, label: `${s(`fit cap ${fitMax} `)} || ${sgn(`(${delta})`)}`, detail: `'fit-cap|' || ${txt(`(${delta})`)}` });
  }
  if (keyFit.length > 0) {
    const names = keyFit.map((f) => rules.fields[f]!.name).join(', ');
    pieces.push({ when: '_q_fu', label: s(`fit unknown (${names} missing) +0`), detail: `'fit-unknown|0'` });
  }
  for (const r of eng) pieces.push({ when: `${r.points} IS NOT NULL`, label: r.label, detail: ruleDetail(r) });
  if (engMax !== null) {
    const delta = `${dbl(engMax)} - _q_engraw`;
    pieces.push({ when: `_q_engraw > ${dbl(engMax)}`, label: `${s(`engagement cap ${engMax} `)} || ${sgn(`(${delta})`)}`, detail: `'engagement-cap|' || ${txt(`(${delta})`)}` });
  }
  if (decay) {
    // round2(factor) written as JavaScript writes it: 0, 0.07, 0.1, 0.25, 1.
    const k = `floor(_q_factor * 100 + 0.5)`;
    const round2 = `CASE WHEN ${k} >= 100 THEN '1' WHEN ${k} <= 0 THEN '0' WHEN ${d.mod(d.asBigint(k), '10')} = 0 THEN '0.' || ${txt(`${k} / 10`)} WHEN ${k} < 10 THEN '0.0' || ${txt(k)} ELSE '0.' || ${txt(k)} END`;
    const delta = `(_q_decayed - _q_engc)`;
    pieces.push({ when: '_q_hasdecay', label: `'stale ' || ${txt('_q_age')} || 'd ×' || ${round2} || ' ' || ${sgn(delta)}`, detail: `'decay|' || ${txt(delta)} || '|' || ${txt('_q_age')}` });
  }
  if (engFloor !== null) {
    const delta = `(${dbl(engFloor)} - _q_engd)`;
    pieces.push({ when: `_q_engd < ${dbl(engFloor)}`, label: `${s(`engagement floor ${engFloor} `)} || ${sgn(delta)}`, detail: `'engagement-floor|' || ${txt(delta)}` });
  }
  {
    const delta = `(_q_score - _q_total)`;
    pieces.push({ when: `_q_total <> _q_score`, label: `${s(`clamped to ${scoreMin}-${scoreMax} `)} || ${sgn(delta)}`, detail: `'score-range|' || ${txt(delta)}` });
  }
  if (rules.duplicates) pieces.push({ when: dup, label: `'duplicate of record ' || ${txt('_q_first')}`, detail: `'duplicate|0|' || ${txt('_q_first')}` });
  for (const { q, x } of dqs) pieces.push({ when: x, label: s(`${q.stage === 'bad lead' ? 'bad' : 'DQ'}:${q.id}`), detail: s(`${q.id}|0`) });
  pieces.push({ when: kept, label: `'kept stage ' || ${prevStage}`, detail: `'human-stage|0'` });
  const joined = (pick: (p: Piece) => string, sep: string) => `substr(${pieces.map((p) => `CASE WHEN ${p.when} THEN ${s(sep)} || ${pick(p)} ELSE '' END`).join(' || ')}, ${sep.length + 1})`;

  // Output: every input column in order, the score columns in their place (appended, or where
  // an earlier run put them).
  const scoreExpr: Record<string, string> = {
    fit: d.asBigint('_q_fit'),
    engagement: d.asBigint('_q_eng'),
    score: d.asBigint('_q_score'),
    tier: tierF,
    grade: grade ?? "''",
    stage,
    class: klass,
    action,
    reasons: joined((p) => p.label, '; '),
  };
  const out: string[] = header.map((_, i) => `${col(i)} AS ${d.ident(header[i]!)}`);
  const names = header.slice();
  binding.scoreNames.forEach((name, j) => {
    const at = binding.scoreAt[j]!;
    const key = name.slice(binding.prefix.length);
    out[at] = `${scoreExpr[key]!} AS ${d.ident(name)}`;
    names[at] = name;
  });
  if (opts.detail) {
    out.push(`_q_rec AS _q_rec`, `${joined((p) => p.detail, ' ')} AS _q_detail`, `${dqBy} AS _q_dq`);
  }
  const all = layers;
  const ctes = [`_q0 AS${d.cteKeyword} (\n  ${q0}\n)`];
  all.forEach((cols, i) => {
    const body = cols.length === 0 ? '*' : `*,\n    ${cols.map(([n, e]) => `${e} AS ${n}`).join(',\n    ')}`;
    const from = i === 4 && firstsJoin !== null ? `_q4 LEFT JOIN ${firstsJoin.from} AS _q_firsts ON ${firstsJoin.on}` : `_q${i}`;
    ctes.push(`_q${i + 1} AS${d.cteKeyword} (\n  SELECT ${body}\n  FROM ${from}\n)`);
  });
  const last = `_q${all.length}`;
  const order = opts.recordColumn !== undefined || opts.orderBy !== undefined || d.tableOrder !== null ? '\nORDER BY _q_rec' : '';
  const sql = `WITH\n${ctes.join(',\n')}\nSELECT\n  ${out.join(',\n  ')}\nFROM ${last}${order}\n`;
  return { sql, columns: names, binding };
}

/** For the engine tests. */
export const numberPatternForTest = numberPattern;
export const DATES_FOR_TEST: [string, string][] = [['yf', DATE_YF], ['yl', DATE_YL], ['dmn', DATE_DMN], ['mnd', DATE_MND]];
