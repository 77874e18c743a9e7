// CRM import presets: a YAML map from a CRM's import headers to where each value comes from in a
// worked lead file, with value conversions (stage names, lead status, dates, amounts). Shipped in
// rules/presets/; a team writes its own the same way. Pure: the schema, and applying a checked
// preset to one lead given a way to read its values.
import { z } from 'zod';

const text = z.string().min(1, 'must not be empty');

export const presetColumnSchema = z
  .strictObject({
    header: text,
    /** A rules field (email, first_name), a qualify column (score, tier, stage, class, action,
     * key), or a column of the file by its exact header. */
    from: text.optional(),
    /** Text with {{name}} placeholders read the same way, e.g. "{{company}} - new business". */
    template: text.optional(),
    /** Fixed text. */
    value: z.string().optional(),
    type: z.enum(['text', 'date', 'number']).default('text'),
    /** Dates: how the CRM wants them. */
    date_format: z.enum(['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'DD.MM.YYYY']).default('YYYY-MM-DD'),
    /** Value conversion (case-insensitive keys; stages by their canonical name); `default` for the rest. */
    map: z.record(z.string(), z.string()).optional(),
    default: z.string().optional(),
    /** The value for leads at these stages (canonical names, any case), whatever `from` holds:
     * a won deal is `Closed Won` in the CRM even though its pipeline stage column still says `demo`. */
    by_stage: z.record(z.string(), z.string()).optional(),
  })
  .refine((c) => [c.from, c.template, c.value].filter((x) => x !== undefined).length === 1, 'give exactly one of from, template or value');

export const presetSchema = z.strictObject({
  name: text,
  title: text.optional(),
  description: z.string().optional(),
  docs: z.string().optional(),
  /** Which leads the CRM object takes (e.g. opportunities only), as the --stage/--class/--tier/--min-score filters. */
  only: z.strictObject({ stage: z.array(text).optional(), class: z.array(text).optional(), tier: z.array(text).optional(), min_score: z.number().optional() }).optional(),
  columns: z.array(presetColumnSchema).min(1, 'a preset maps at least one column'),
});
export type Preset = z.output<typeof presetSchema>;
export type PresetColumn = Preset['columns'][number];

/** Reads a value of the lead by name (`from` or a {{placeholder}}); undefined when it names nothing. */
export type ValueReader = (name: string) => string | undefined;

export interface ValueReading {
  /** Day number of a date cell, read as the rules read dates. */
  day: (text: string) => number | undefined;
  /** A number cell, read with the file's decimal mark. */
  amount: (text: string) => number | undefined;
}

/** The names a preset reads, for checking them against the file before any row is written. */
export function presetSources(p: Preset): string[] {
  const out: string[] = [];
  for (const c of p.columns) {
    if (c.from !== undefined) out.push(c.from);
    if (c.template !== undefined) for (const m of c.template.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)) out.push(m[1]!);
  }
  return [...new Set(out)];
}

export function applyColumn(c: PresetColumn, read: ValueReader, reading: ValueReading): string {
  if (c.by_stage) {
    const stage = (read('stage') ?? '').trim().toLowerCase();
    const hit = Object.entries(c.by_stage).find(([k]) => k.toLowerCase() === stage);
    if (hit) return hit[1];
  }
  let raw = c.value ?? (c.from !== undefined ? (read(c.from) ?? '') : c.template!.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, name: string) => read(name) ?? '').trim());
  if (c.map) {
    const key = raw.trim().toLowerCase();
    const hit = Object.entries(c.map).find(([k]) => k.toLowerCase() === key);
    raw = hit ? hit[1] : (c.default ?? raw);
  } else if (raw.trim() === '' && c.default !== undefined) raw = c.default;
  if (raw.trim() === '') return '';
  if (c.type === 'date') {
    const day = reading.day(raw);
    // A CRM refuses the whole row for a date it cannot read: an unreadable one is left blank.
    if (day === undefined) return '';
    const d = new Date(day * 86_400_000);
    const [y, m, dd] = [String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0')];
    return c.date_format === 'MM/DD/YYYY' ? `${m}/${dd}/${y}` : c.date_format === 'DD/MM/YYYY' ? `${dd}/${m}/${y}` : c.date_format === 'DD.MM.YYYY' ? `${dd}.${m}.${y}` : `${y}-${m}-${dd}`;
  }
  if (c.type === 'number') {
    const n = reading.amount(raw);
    return n === undefined ? '' : String(n);
  }
  return raw;
}
