// Contact-data checks shared by operators and the row context: usable phone numbers,
// placeholder values, the host of an email or website. Pure.
import { phoneDigits } from '../values.js';

/** Reachable by the `valid_phone` operator and the bad-lead checks. */
export function isUsablePhone(text: string): boolean {
  const digits = phoneDigits(text);
  if (digits.length < 7 || digits.length > 15) return false;
  // North American fictional range 555-0100..555-0199, and one digit repeated.
  if (/555-?01\d\d$/.test(text.replace(/[\s().]/g, '')) || /55501\d\d$/.test(digits)) return false;
  if (/^(\d)\1+$/.test(digits) || digits === '1234567890' || digits.endsWith('123456789')) return false;
  return true;
}

/** Whether a lower-cased value is a placeholder: in the list, or one character repeated. */
export function isPlaceholder(lower: string, set: ReadonlySet<string>): boolean {
  if (set.has(lower)) return true;
  const at = lower.indexOf('@');
  if (at > 0 && set.has(lower.slice(0, at))) return true; // test@anything, asdf@anything
  return lower.length >= 3 && oneCharRepeated(lower);
}

/** `aaaa`, `xxxxx`, `....`: one character repeated (a char loop: this runs on every row). */
function oneCharRepeated(s: string): boolean {
  const c = s.charCodeAt(0);
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) !== c) return false;
  return true;
}


/** The host of an email address or website, lower-case input expected: `a@eu.acme.com` →
 * `eu.acme.com`, `https://www.acme.com/x` → `acme.com`. '' when there is none. */
export function hostOf(lower: string): string {
  const at = lower.lastIndexOf('@');
  let host = at >= 0 ? lower.slice(at + 1) : lower;
  if (host.includes('/') || host.includes(':')) host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/:?#].*$/, '');
  if (host.startsWith('www.')) host = host.slice(4);
  return host;
}
