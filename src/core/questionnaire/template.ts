// `{{first_name}}` and `{{company | your company}}` placeholders in script text and reasons.
// Takes text and a lookup; returns the filled text or the list of placeholders (for the loader's
// "names no known field" check). Pure; never throws on a placeholder it cannot fill.

export interface Placeholder {
  /** Field, variable or question id named inside the braces. */
  name: string;
  /** Text after `|`, used when the value is missing. */
  fallback?: string;
  /** Offset of `{{` in the text, and the whole `{{…}}` as written. */
  index: number;
  raw: string;
}

const PLACEHOLDER = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

export function placeholdersIn(text: string): Placeholder[] {
  const out: Placeholder[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const p: Placeholder = { name: m[1]!, index: m.index, raw: m[0] };
    if (m[2] !== undefined) p.fallback = m[2];
    out.push(p);
  }
  return out;
}

/**
 * Replaces each placeholder with `lookup(name)`; a missing or blank value becomes the inline
 * fallback, else `fallbackOf(name)`. The salesperson reads this aloud, so a gap must stay visible
 * rather than collapse into "Hi , ...". With `fit` (script text read aloud, not reasons written
 * to the CSV), a value is fitted into its sentence: mid-sentence, a
 * sentence-case value loses its capital ("looking for a forecast the board trusts", from the
 * answer "A forecast the board trusts"; names such as "Hopper Freight" or "CRM data" keep theirs),
 * Always, a value ending in `.` or `…` absorbs the text's own full stop ("Fabrikam, Inc.", not
 * "Inc..").
 */
export function fillPlaceholders(
  text: string,
  lookup: (name: string) => string | undefined,
  fallbackOf: (name: string) => string,
  opts: { fit?: boolean } = {},
): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    out += text.slice(last, m.index);
    last = m.index + m[0].length;
    const name = m[1]!;
    const v = lookup(name);
    if (v === undefined || v.trim() === '') {
      out += m[2] ?? fallbackOf(name);
      continue;
    }
    let value = v.trim();
    if (opts.fit && midSentence(out)) value = lowerFirst(value);
    out += value;
    if (/[.…]$/.test(value) && text[last] === '.') last++;
  }
  return out + text.slice(last);
}

/** Whether text that follows `before` is inside a sentence (not at the start of the text, of a
 * paragraph, or after `.`, `!`, `?`). */
function midSentence(before: string): boolean {
  const t = before.replace(/\s+$/, '');
  if (t === '' || /\n[ \t]*\n\s*$/.test(before)) return false;
  return !/[.!?]["'”’)]?$/.test(t);
}

/** "A forecast the board trusts" → "a forecast the board trusts": only a capitalised ordinary
 * first word followed by a lower-case word (so "Hopper Freight", "Clari", "CRM data", "I think"
 * are left alone). */
export function lowerFirst(value: string): string {
  const m = /^([A-Z][a-z'’-]*)(\s+)(\S)/.exec(value);
  if (!m || m[1] === 'I' || m[1]!.startsWith("I'") || m[1]!.startsWith('I’')) return value;
  if (!/\p{Ll}/u.test(m[3]!)) return value;
  return value[0]!.toLowerCase() + value.slice(1);
}

/** `first_name` → `[first name]`: the default stand-in for a value the lead's row lacks. */
export function defaultFallback(name: string): string {
  return `[${name.replace(/_/g, ' ')}]`;
}
