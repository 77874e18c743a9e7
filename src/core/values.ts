// Typed reading of cell text: numbers, dates, booleans, e-mails and phone numbers as people type
// them into spreadsheets. Pure and synchronous; called per row per field, so every pattern is
// compiled once at load. Never throws: text that cannot be read as the type is `undefined`, and
// the caller decides whether that is "missing" or a diagnostic.

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/** Plain numbers (`42`, `-3.5`), the overwhelmingly common case: one regex test, then Number(). */
const PLAIN_DOT = /^[+-]?\d+(?:\.\d+)?$/;
const PLAIN_COMMA = /^[+-]?\d+(?:,\d+)?$/;
/** Digits with an optional exponent and no grouping: `4.47911E+11` as Excel shows big numbers. */
const EXPONENT = /^(\d*)(?:\.(\d+))?[eE]([+-]?\d{1,3})$/;
const ALL_DIGITS = /^\d+$/;
const CURRENCY = '$€£¥₹';
/** Characters that may group thousands, per decimal mark. Spaces include NBSP and narrow NBSP
 * (French and Excel-with-locale exports); `'` is the Swiss form. */
const GROUPS_FOR_DOT = ", \u00a0\u202f'";
const GROUPS_FOR_COMMA = ". \u00a0\u202f'";
const MULTIPLIER: Readonly<Record<string, number>> = { k: 3, K: 3, m: 6, M: 6, b: 9, B: 9 };

/**
 * Reads a number as written in a spreadsheet cell: `1200`, `1,200`, `$1,200`, `€ 1.200` (with
 * decimal ','), `1.200,50` (decimal ','), `3 400`, `12k`, `1.5M`, `(1,200)` (accounting
 * negative), `-5`, `12%` (→ 12, the number as written). `undefined` for words, empty cells and
 * ambiguous forms such as `1,20` (a thousands group must have 3 digits) or `1.200,50` with
 * decimal '.'. The scorer's reading: a cell cannot be asked again, so the decimal setting decides
 * (`1.200` is 1.2 with decimal '.'). Answers typed by a salesperson use readAmount (amount.ts),
 * which shares tokenizeNumber and asks when a form is ambiguous.
 */
export function parseNumber(text: string, decimal: '.' | ',' = '.'): number | undefined {
  if (text.length === 0) return undefined;
  const s = text.trim();
  const whole = plainWholeNumber(s);
  if (whole >= 0) return whole;
  if ((decimal === '.' ? PLAIN_DOT : PLAIN_COMMA).test(s)) {
    const n = Number(decimal === '.' ? s : s.replace(',', '.'));
    return n === 0 ? 0 : n; // no -0
  }
  const t = tokenizeNumber(s);
  if (t === undefined) return undefined;
  const mantissa = readMantissa(t.body, decimal);
  if (mantissa === undefined || (t.shift !== 0 && mantissa.scientific)) return undefined;
  const value = Number(`${mantissa.int || '0'}.${mantissa.frac || '0'}e${mantissa.exp + t.shift}`);
  if (!Number.isFinite(value)) return undefined;
  return t.negative && value !== 0 ? -value : value;
}

/** The value of 1 to 15 ASCII digits (exact in a double: below 2^53), or -1 for any other text.
 * Counts and head-counts are mostly such cells; a loop is cheaper than a regex and Number(). */
function plainWholeNumber(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** A number's text with its sign, currency and suffix taken off; `body` is the digits with
 * their separators (`1.200,50`), still to be read by the caller's rules. */
export interface NumberToken {
  negative: boolean;
  /** A currency symbol (or, with `codes`, an ISO code such as EUR) was written. */
  currency: boolean;
  /** Power of ten of a k/M/B multiplier (0 without one). */
  shift: number;
  percent: boolean;
  body: string;
}

/** Currency codes taken off an amount with `codes` (`40.000 EUR`, `USD 1,200`). */
const CURRENCY_CODE = /^(?:EUR|USD|GBP|CHF|JPY|INR|CAD|AUD|SEK|NOK|DKK|PLN|CZK)$/i;

/**
 * Takes a number's text apart, shared by the scorer (parseNumber) and the answers' amount reader
 * (readAmount): `(…)` accounting negative, one sign, a currency symbol before (`$1,200`, `-$5`,
 * `$-5`) or after (`1.200 €`) but not both, then one suffix, a percent sign or a k/M/B
 * multiplier. `undefined` when what is left is empty or the form is malformed (`--5`, `(-5)`).
 * `s` must be trimmed.
 */
export function tokenizeNumber(s: string, opts?: { codes?: boolean }): NumberToken | undefined {
  if (s.length === 0 || s.length > 64) return undefined;
  let negative = false;
  if (s.charCodeAt(0) === 0x28 /* ( */ && s.charCodeAt(s.length - 1) === 0x29 /* ) */) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  let signSeen = negative;
  const takeSign = (): boolean => {
    const c = s[0];
    if (c === '-' || c === '+' || c === '\u2212') {
      if (signSeen) return false;
      signSeen = true;
      negative = c !== '+';
      s = s.slice(1).trimStart();
    }
    return true;
  };
  if (!takeSign()) return undefined;
  let currency = false;
  if (s.length > 0 && CURRENCY.includes(s[0]!)) {
    currency = true;
    s = s.slice(1).trimStart();
    if (!takeSign()) return undefined;
  } else if (opts?.codes && s.length > 3 && CURRENCY_CODE.test(s.slice(0, 3)) && !/[A-Za-z]/.test(s[3]!)) {
    currency = true;
    s = s.slice(3).trimStart();
    if (!takeSign()) return undefined;
  }
  if (!currency && s.length > 0 && CURRENCY.includes(s[s.length - 1]!)) {
    currency = true;
    s = s.slice(0, -1).trimEnd();
  } else if (!currency && opts?.codes && s.length > 3 && CURRENCY_CODE.test(s.slice(-3)) && !/[A-Za-z]/.test(s[s.length - 4]!)) {
    currency = true;
    s = s.slice(0, -3).trimEnd();
  }
  let shift = 0;
  let percent = false;
  const last = s[s.length - 1];
  if (last === '%') {
    percent = true;
    s = s.slice(0, -1).trimEnd();
  } else if (last !== undefined && MULTIPLIER[last] !== undefined) {
    shift = MULTIPLIER[last]!;
    s = s.slice(0, -1).trimEnd();
  }
  if (s.length === 0) return undefined;
  return { negative, currency, shift, percent, body: s };
}

/** Splits `1,234.5` (or `1.234,5`) into digit strings; `undefined` when the grouping is not
 * consistent thousands groups. */
interface Mantissa {
  int: string;
  frac: string;
  exp: number;
  scientific: boolean;
}

function readMantissa(s: string, decimal: '.' | ','): Mantissa | undefined {
  const exp = EXPONENT.exec(s);
  if (exp) {
    if (exp[1] === '' && exp[2] === undefined) return undefined; // `e5`
    return { int: exp[1] ?? '', frac: exp[2] ?? '', exp: Number(exp[3]), scientific: true };
  }
  const at = s.indexOf(decimal);
  // Two decimal marks (`1.200.300` with decimal '.') are not a number.
  if (at !== -1 && s.indexOf(decimal, at + 1) !== -1) return undefined;
  const intPart = at === -1 ? s : s.slice(0, at);
  const frac = at === -1 ? '' : s.slice(at + 1);
  if (at !== -1 && !ALL_DIGITS.test(frac)) return undefined;
  if (intPart.length === 0) return at === -1 ? undefined : { int: '', frac, exp: 0, scientific: false };
  if (ALL_DIGITS.test(intPart)) return { int: intPart, frac, exp: 0, scientific: false };

  // Grouped integer part: 1-3 digits, then groups of exactly 3 joined by one separator kind.
  const groups = decimal === '.' ? GROUPS_FOR_DOT : GROUPS_FOR_COMMA;
  let sep = '';
  let digits = '';
  let run = 0;
  let groupsSeen = 0;
  for (let i = 0; i < intPart.length; i++) {
    const c = intPart.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      run++;
      continue;
    }
    const ch = intPart[i]!;
    if (!groups.includes(ch)) return undefined;
    if (sep === '') sep = ch;
    else if (ch !== sep) return undefined;
    if (groupsSeen === 0 ? run < 1 || run > 3 : run !== 3) return undefined;
    digits += intPart.slice(i - run, i);
    groupsSeen++;
    run = 0;
  }
  if (run !== 3) return undefined;
  digits += intPart.slice(intPart.length - 3);
  return { int: digits, frac, exp: 0, scientific: false };
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

export type DateFormat = 'auto' | 'ymd' | 'mdy' | 'dmy';

/** `2025-03-04`, `2025/03/04`, `2025.03.04`, optionally followed by a time (ignored). */
const YEAR_FIRST = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[AaPp][Mm]|[+-]\d{2}(?::?\d{2})?)?)?$/;
/** `3/4/2025`, `4.3.2025`, `04-03-2025`, `3/4/25`, optionally followed by a time (ignored). */
const YEAR_LAST = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?)?$/;
/** `4 Mar 2025`, `04-Mar-2025`, `4 March 2025`. */
const DAY_MONTH_NAME = /^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4})$/;
/** `Mar 4, 2025`, `March 4 2025`. */
const MONTH_NAME_DAY = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/;
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTHS: ReadonlyMap<string, number> = new Map([
  ...MONTH_NAMES.map((name, i): [string, number] => [name, i + 1]),
  ...MONTH_NAMES.map((name, i): [string, number] => [name.slice(0, 3), i + 1]),
  ['sept', 9],
]);
const MS_PER_DAY = 86_400_000;

/**
 * Reads a calendar date and returns its UTC epoch day number (days since 1970-01-01; integer).
 * Year-first dates (`2025-03-04`, `2025/03/04`, ISO datetimes) are always y-m-d; the time part
 * is ignored and the date is taken as written, whatever its UTC offset. Year-last dates follow
 * `format`: in 'auto', dots mean d.m.y and a slash or dash date is d/m/y when its first part is
 * greater than 12, otherwise m/d/y (US); 'mdy'/'dmy' settle it; 'ymd' refuses year-last dates.
 * Two-digit years follow Excel: 00-29 → 20xx, 30-99 → 19xx. Bare numbers (Excel serials such as
 * `45000`) and impossible dates (`2025-02-30`) are `undefined`.
 */
export function parseDate(text: string, format: DateFormat = 'auto'): number | undefined {
  const s = text.trim();
  if (s.length < 6 || s.length > 40) return undefined;
  let m = YEAR_FIRST.exec(s);
  if (m) return epochDay(Number(m[1]), Number(m[3]), Number(m[4]));
  m = YEAR_LAST.exec(s);
  if (m) {
    if (format === 'ymd') return undefined;
    const a = Number(m[1]);
    const b = Number(m[3]);
    const year = fullYear(m[4]!);
    let dayFirst: boolean;
    if (format === 'dmy') dayFirst = true;
    else if (format === 'mdy') dayFirst = false;
    else dayFirst = m[2] === '.' || a > 12;
    return dayFirst ? epochDay(year, b, a) : epochDay(year, a, b);
  }
  m = DAY_MONTH_NAME.exec(s);
  if (m) {
    const month = MONTHS.get(m[2]!.toLowerCase());
    return month === undefined ? undefined : epochDay(Number(m[3]), month, Number(m[1]));
  }
  m = MONTH_NAME_DAY.exec(s);
  if (m) {
    const month = MONTHS.get(m[1]!.toLowerCase());
    return month === undefined ? undefined : epochDay(Number(m[3]), month, Number(m[2]));
  }
  return undefined;
}

function fullYear(text: string): number {
  const y = Number(text);
  if (text.length === 4) return y;
  return y < 30 ? 2000 + y : 1900 + y;
}

function epochDay(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear would fix it, but such years are not
  // lead data: refuse them.
  if (year < 100) return undefined;
  return Math.round(ms / MS_PER_DAY);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// ---------------------------------------------------------------------------------------------
// Booleans, e-mail addresses, phone numbers
// ---------------------------------------------------------------------------------------------

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['yes', true], ['y', true], ['true', true], ['1', true], ['x', true],
  ['no', false], ['n', false], ['false', false], ['0', false],
]);

/** yes/no, y/n, true/false, 1/0, and `x` (a ticked box) → true; case-insensitive, trimmed.
 * Anything else, including an empty cell, is `undefined` (unknown, not false). */
export function parseBoolean(text: string): boolean | undefined {
  const direct = BOOLEANS.get(text);
  if (direct !== undefined) return direct;
  return BOOLEANS.get(text.trim().toLowerCase());
}

/** The key an e-mail address is compared by: trimmed, NFC, lower-case (the local part too:
 * no real mail provider treats case as significant, and CRMs duplicate on it). */
export function normalizeEmail(text: string): string {
  return text.trim().normalize('NFC').toLowerCase();
}

/** local@domain.tld: one `@`, no whitespace, no quotes or brackets, no empty or dotted-edge
 * parts, at least one dot in the domain, letters-only TLD of 2+. Labels may be Unicode (IDN). */
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;

/** Pragmatic syntax check (not RFC 5322: no quoted local parts, no IP literals). The text is
 * trimmed first, as cells often carry stray spaces. */
/** The same for plain ASCII addresses, the overwhelming case: a non-Unicode regex is ~3x faster. */
const EMAIL_ASCII = /^[^\s@"(),:;<>[\\\]]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;
const ASCII = /^[\x21-\x7e]*$/;

export function isValidEmail(text: string): boolean {
  const s = text.trim();
  if (s.length < 6 || s.length > 254) return false;
  if (!(ASCII.test(s) ? EMAIL_ASCII.test(s) : EMAIL.test(s))) return false;
  const at = s.indexOf('@');
  // Local part: no leading/trailing dot and no `..`.
  return s.charCodeAt(0) !== 0x2e && s.charCodeAt(at - 1) !== 0x2e && !s.slice(0, at).includes('..');
}

/**
 * The digits of a phone number, for matching and dedup: `+1 (555) 010-9999` → `15550109999`.
 * The `+` is dropped (callers that need "international or not" check the text). An extension
 * (`x12`, `ext. 12`, `#12`) is cut off, since it does not identify the line.
 */
export function phoneDigits(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      out += text[i];
    } else if ((c === 0x78 /* x */ || c === 0x58 /* X */ || c === 0x23 /* # */ || c === 0x65 /* e(xt) */ || c === 0x45) && out.length > 0) {
      if (c === 0x65 || c === 0x45) {
        if (text.slice(i, i + 3).toLowerCase() !== 'ext') continue;
      }
      break;
    }
  }
  return out;
}
