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
 * rather than collapse into "Hi , ...".
 */
export function fillPlaceholders(
  text: string,
  lookup: (name: string) => string | undefined,
  fallbackOf: (name: string) => string,
): string {
  return text.replace(PLACEHOLDER, (_raw, name: string, fallback: string | undefined) => {
    const v = lookup(name);
    if (v !== undefined && v.trim() !== '') return v;
    return fallback ?? fallbackOf(name);
  });
}

/** `first_name` → `[first name]`: the default stand-in for a value the lead's row lacks. */
export function defaultFallback(name: string): string {
  return `[${name.replace(/_/g, ' ')}]`;
}
