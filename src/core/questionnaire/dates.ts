// Calendar days as ISO `yyyy-mm-dd` strings, and the relative forms a salesperson types during a
// call ("in 2 weeks", "next tuesday", "end of quarter"). Takes `today` as an argument and never
// reads the clock. Works on UTC date parts so that adding days never meets a DST gap.
import { parseDate, type DateFormat } from '../values.js';

export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The calendar day of `now` where the user is (local time: "today" is the salesperson's today). */
export function isoDay(now: Date): IsoDate {
  return fromParts(now.getFullYear(), now.getMonth(), now.getDate());
}

/** `2026-07-01` → epoch ms at UTC midnight, or undefined for anything that is not a real date. */
export function isoToMs(iso: string): number | undefined {
  const m = ISO.exec(iso);
  if (!m) return undefined;
  const y = Number(m[1]), mo = Number(m[2]) - 1, d = Number(m[3]);
  const ms = Date.UTC(y, mo, d);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo || back.getUTCDate() !== d) return undefined;
  return ms;
}

export function isIsoDate(s: string): boolean {
  return isoToMs(s) !== undefined;
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  const d = new Date(isoToMs(iso)! + days * DAY_MS);
  return fromParts(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/** Adds calendar months; the day is clamped to the month's end (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  const d = new Date(isoToMs(iso)!);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const y = Math.floor(total / 12), mo = total - y * 12;
  return fromParts(y, mo, Math.min(d.getUTCDate(), daysInMonth(y, mo)));
}

const RELATIVE = /^(?:in\s+)?\+?\s*(\d{1,4})\s*(d|days?|w|wks?|weeks?|m|mos?|months?|y|yrs?|years?)(?:\s+from\s+(?:now|today))?$/;
const AGO = /^-\s*(\d{1,4})\s*(d|days?|w|weeks?|m|months?|y|years?)$|^(\d{1,4})\s*(d|days?|w|weeks?|m|months?|y|years?)\s+ago$/;

/**
 * Reads a day: ISO `2026-07-15`, every form the scorer reads in a cell with the file's date
 * format (`31/03/2027`, `3/31/2027`, `31.03.2027`, `31 Mar 2027`, `March 31, 2027`: see
 * values.ts parseDate), a month name and a day without a year (`March 31`, `31 Mar`, `Sept 3rd`:
 * the next such day on or after `today`, since a call plans ahead), or relative to `today`:
 * `today`, `tomorrow`, `yesterday`, `in 3 days`, `in 2 weeks`, `+10d`, `in 6 months`, `1 year
 * from now`, `3 days ago`, `next week|month|quarter|year`, a weekday (`friday`, `next friday`:
 * the next one after today), `end of month|quarter|year` and `end of next month|quarter|year`.
 * Case-insensitive. Undefined when the text is none of these.
 */
export function parseDay(text: string, today: IsoDate, format: DateFormat = 'auto'): IsoDate | undefined {
  const s = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (s === '') return undefined;
  if (ISO.test(s)) return isIsoDate(s) ? s : undefined;
  const cell = parseDate(s, format);
  if (cell !== undefined) return new Date(cell * DAY_MS).toISOString().slice(0, 10);
  const noYear = monthDay(s, today);
  if (noYear !== undefined) return noYear;
  if (s === 'today' || s === 'now') return today;
  if (s === 'tomorrow') return addDays(today, 1);
  if (s === 'yesterday') return addDays(today, -1);
  let m = RELATIVE.exec(s);
  if (m) return shift(today, Number(m[1]), m[2]!);
  m = AGO.exec(s);
  if (m) return shift(today, -Number(m[1] ?? m[3]), (m[2] ?? m[4])!);
  if (s === 'next week') return addDays(today, 7);
  if (s === 'next month') return addMonths(today, 1);
  if (s === 'next quarter') return addMonths(today, 3);
  if (s === 'next year') return addMonths(today, 12);
  const wd = WEEKDAYS.indexOf(s.replace(/^(?:next|on|this) /, ''));
  if (wd >= 0) {
    const now = new Date(isoToMs(today)!).getUTCDay();
    return addDays(today, ((wd - now + 7) % 7) || 7);
  }
  m = /^end of (next |this )?(month|quarter|year)$/.exec(s);
  if (m) {
    const d = new Date(isoToMs(today)!);
    const y = d.getUTCFullYear(), mo = d.getUTCMonth();
    const size = m[2] === 'month' ? 1 : m[2] === 'quarter' ? 3 : 12;
    const startOfPeriod = mo - (mo % size);
    const lastMonth = startOfPeriod + size - 1 + (m[1] === 'next ' ? size : 0);
    const yy = y + Math.floor(lastMonth / 12), mm = lastMonth % 12;
    return fromParts(yy, mm, daysInMonth(yy, mm));
  }
  return undefined;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_DAY = /^([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?$/;
const DAY_MONTH = /^(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([a-z]{3,9})\.?$/;

function monthOf(name: string): number | undefined {
  if (name === 'sept') return 8;
  const i = MONTHS.findIndex((m) => m === name || (name.length === 3 && m.startsWith(name)));
  return i === -1 ? undefined : i;
}

/** `march 31`, `31 mar`, `sept 3rd`: the next such day on or after today (this year's if it
 * is still to come, else next year's); Feb 29 is the next one that exists. */
function monthDay(s: string, today: IsoDate): IsoDate | undefined {
  let m = MONTH_DAY.exec(s);
  let name: string, day: number;
  if (m) [name, day] = [m[1]!, Number(m[2])];
  else if ((m = DAY_MONTH.exec(s))) [name, day] = [m[2]!, Number(m[1])];
  else return undefined;
  const mo = monthOf(name);
  if (mo === undefined || day < 1 || day > 31) return undefined;
  const year = Number(today.slice(0, 4));
  for (let y = year; y <= year + 8; y++) {
    if (day > daysInMonth(y, mo)) continue;
    const iso = fromParts(y, mo, day);
    if (iso >= today) return iso;
  }
  return undefined;
}

function shift(today: IsoDate, n: number, unit: string): IsoDate {
  switch (unit[0]) {
    case 'd':
      return addDays(today, n);
    case 'w':
      return addDays(today, n * 7);
    case 'm':
      return addMonths(today, n);
    default:
      return addMonths(today, n * 12);
  }
}

function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
}

function fromParts(y: number, mo: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(mo + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
