// Reading the moments the follow-up commands take (--at, --date): ISO dates and date-times,
// UTC unless an offset is given. Pure.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** `2026-11-02`, `2026-11-02 10:30`, `2026-11-02T10:30:00Z`, `2026-11-02T10:30+01:00` as a Date
 * (a day alone is its noon UTC: the same calendar day from UTC-11 to UTC+11); undefined if not
 * one of these or not a real day (2026-02-30). */
export function parseMoment(text: string): Date | undefined {
  const s = text.trim();
  const d = DATE.exec(s);
  if (d) return realDay(+d[1]!, +d[2]!, +d[3]!) ? new Date(Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!, 12)) : undefined;
  const t = DATETIME.exec(s);
  if (!t) return undefined;
  if (!realDay(+t[1]!, +t[2]!, +t[3]!) || +t[4]! > 23 || +t[5]! > 59 || +(t[6] ?? 0) > 59) return undefined;
  const zone = t[7] === undefined || t[7] === 'Z' ? 'Z' : t[7].length === 5 ? `${t[7].slice(0, 3)}:${t[7].slice(3)}` : t[7];
  const date = new Date(`${t[1]}-${t[2]}-${t[3]}T${t[4]}:${t[5]}:${t[6] ?? '00'}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `YYYY-MM-DD` as a UTC day number, or undefined. */
export function parseDay(text: string): number | undefined {
  const d = DATE.exec(text.trim());
  if (!d || !realDay(+d[1]!, +d[2]!, +d[3]!)) return undefined;
  return Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!) / 86_400_000;
}

function realDay(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** A timestamp as the CSV holds it: UTC, to the second (`2026-07-01T12:00:00Z`). */
export function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function dayOfDate(d: Date): number {
  return Math.floor(d.getTime() / 86_400_000);
}
