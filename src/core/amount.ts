// Amounts as a salesperson types them into a call or an answers file: `€ 40.000`, `40.000,00 €`,
// `$40,000`, `40 000`, `40k`, `1.5M`. Shares tokenizeNumber (sign, currency, k/M/B) with the
// scorer's parseNumber; unlike a cell, an answer can be asked again, so a form the decimal
// setting does not settle is reported as ambiguous instead of guessed. Pure; never throws.
import { tokenizeNumber } from './values.js';

export type AmountResult =
  | { ok: true; value: number }
  /** Not a number at all (`abc`, `12 people`). */
  | { ok: false; reason: 'invalid' }
  /** A range (`12-15k`, `10 to 20k`): one amount is needed. */
  | { ok: false; reason: 'range' }
  /** Two readings; `asDecimal` and `asGroups` are them, `suggest` how to write each one. */
  | { ok: false; reason: 'ambiguous'; asDecimal: number; asGroups: number; suggest: [string, string] };

export interface AmountOptions {
  /** The decimal mark of the file's setting (rules `settings.decimal`, `--decimal`). */
  decimal?: '.' | ',';
  /** The question's unit is a currency (`EUR`, `$`…): money is never written with 3 decimals. */
  currencyUnit?: boolean;
}

const PLAIN = /^\d{1,15}$/;
const SPACES = ' \u00a0\u202f\'';
const RANGE = /\d\s*[kmb]?\s*(?:-|\u2013|\u2014|to)\s*[$€£¥₹]?\s*\d/i;
const CURRENCY_UNIT = /^(?:[$€£¥₹]|EUR|USD|GBP|CHF|JPY|INR|CAD|AUD|SEK|NOK|DKK|PLN|CZK|euros?|dollars?|pounds?)$/i;

/** Whether a number question's `unit` names a currency (`EUR`, `€`, `dollars`). */
export function isCurrencyUnit(unit: string | undefined): boolean {
  return unit !== undefined && CURRENCY_UNIT.test(unit.trim());
}

/**
 * Reads an amount. The rule for `.` and `,` (D is the file's decimal mark):
 * - both written (`40.000,00`, `1,234.56`): the last one is the decimal mark, the other groups;
 * - one of them written twice or more (`1.234.567`): it groups thousands;
 * - one written once and not followed by exactly 3 digits (`40.5`, `1,5M`, `40,50`): it is the
 *   decimal mark, whichever it is;
 * - one written once and followed by exactly 3 digits (`40.000`, `40,500`): it groups when it is
 *   not D (the file's own convention), or when a currency is written or is the question's unit
 *   and there is no k/M/B (money has no third decimal); otherwise it is ambiguous: asked again,
 *   never guessed;
 * - spaces, no-break spaces and `'` always group (`40 000`, `1'200`); groups after the first are
 *   exactly 3 digits.
 * A k/M/B suffix multiplies (`40k`, `1.5M`); `%` is kept as written.
 */
export function readAmount(text: string, opts: AmountOptions = {}): AmountResult {
  const s = text.trim();
  if (PLAIN.test(s)) return { ok: true, value: Number(s) };
  const t = tokenizeNumber(s, { codes: true });
  if (t === undefined) return { ok: false, reason: RANGE.test(s) ? 'range' : 'invalid' };
  const decimal = opts.decimal ?? '.';
  const body = t.body;
  if (!/^[\d., \u00a0\u202f']+$/.test(body) || !/^\d/.test(body) && !/^[.,]\d/.test(body)) {
    return { ok: false, reason: RANGE.test(s) ? 'range' : 'invalid' };
  }
  const value = (int: string, frac: string): number => {
    const n = Number(`${int || '0'}.${frac || '0'}e${t.shift}`);
    return t.negative && n !== 0 ? -n : n;
  };
  const finish = (int: string, frac: string): AmountResult => {
    const n = value(int, frac);
    return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: 'invalid' };
  };

  const dots = count(body, '.');
  const commas = count(body, ',');
  let mark: '.' | ',' | undefined; // the decimal mark, once known
  if (dots > 0 && commas > 0) {
    mark = body.lastIndexOf('.') > body.lastIndexOf(',') ? '.' : ',';
    if (count(body, mark) !== 1) return { ok: false, reason: 'invalid' };
  } else if (dots + commas === 1) {
    const sep = dots === 1 ? '.' : ',';
    const at = body.indexOf(sep);
    const intPart = body.slice(0, at);
    const frac = body.slice(at + 1);
    if (!/^\d+$/.test(frac)) return { ok: false, reason: 'invalid' };
    const grouped = groupsOf(intPart + sep + frac, sep); // the reading with `sep` grouping
    if (frac.length !== 3 || /[ \u00a0\u202f']/.test(intPart) || grouped === undefined) mark = sep;
    else if (sep !== decimal || ((t.currency || opts.currencyUnit === true) && t.shift === 0)) mark = undefined;
    else {
      const asDecimal = value(digitsOf(intPart) ?? '', frac);
      const asGroups = value(grouped, '');
      return { ok: false, reason: 'ambiguous', asDecimal, asGroups, suggest: [written(asDecimal, decimal, t.shift), written(asGroups, decimal, t.shift)] };
    }
  }
  // Otherwise: no mark, or one of them written twice or more (grouping).
  if (mark === undefined) {
    const groupSep = dots > 0 ? '.' : commas > 0 ? ',' : undefined;
    const int = groupsOf(body, groupSep);
    return int === undefined ? { ok: false, reason: 'invalid' } : finish(int, '');
  }
  const at = body.lastIndexOf(mark);
  const frac = body.slice(at + 1);
  if (!/^\d+$/.test(frac)) return { ok: false, reason: 'invalid' };
  const intPart = body.slice(0, at);
  const int = intPart === '' ? '' : groupsOf(intPart, mark === '.' ? ',' : '.');
  return int === undefined ? { ok: false, reason: 'invalid' } : finish(int, frac);
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** `1.234.567` → `1234567` with `sep` (or a space kind) grouping; one grouping character kind,
 * 1-3 digits then groups of exactly 3. `undefined` when it is not that. */
function groupsOf(s: string, sep: string | undefined): string | undefined {
  if (/^\d+$/.test(s)) return s;
  const parts = s.split(/[., \u00a0\u202f']/);
  const seps = s.replace(/\d/g, '');
  if (seps.length === 0 || [...seps].some((c) => c !== seps[0]) || (sep !== undefined && seps[0] !== sep && !SPACES.includes(seps[0]!))) return undefined;
  if (!/^\d{1,3}$/.test(parts[0]!) || parts.slice(1).some((p) => !/^\d{3}$/.test(p))) return undefined;
  return parts.join('');
}

function digitsOf(s: string): string | undefined {
  return /^\d+$/.test(s) ? s : groupsOf(s, undefined);
}

/** How to write `n` so that it cannot be misread: digits only, or a decimal that is not 3 digits. */
function written(n: number, decimal: '.' | ',', shift: number): string {
  const base = Math.abs(n) / 10 ** shift;
  let s = String(Number(base.toPrecision(15)));
  const dot = s.indexOf('.');
  if (dot !== -1 && s.length - dot - 1 === 3) s += '0';
  if (decimal === ',') s = s.replace('.', ',');
  const suffix = shift === 3 ? 'k' : shift === 6 ? 'M' : shift === 9 ? 'B' : '';
  return `${n < 0 ? '-' : ''}${s}${suffix}`;
}
