// `qualify split` and `qualify export`: the worked file's leads, filtered, to separate files in
// the input's own form (split: every record copied byte for byte), or to a CRM's import columns
// through a preset (export). Every path written is checked against every path read by identity
// first; each file is written atomically.
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QualifyError, QualifyErrors } from '../core/errors.js';
import { applyColumn, presetSchema, presetSources, type Preset } from '../core/pipeline/preset.js';
import { checkFilterValues, selects, splitGroup, SPLIT_GROUPS, type LeadFilter } from '../core/pipeline/select.js';
import type { CompiledRules } from '../core/rules/compiled.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { CsvDocument } from '../io/csv-row-update.js';
import { encodeText } from '../io/decode.js';
import { createCsvRowWriter } from '../io/record-writer.js';
import { readTextFile } from '../io/rules-file.js';
import { neutralizeFormula } from '../io/sanitize.js';
import { locationOf, parseYamlSource, toJsSafely } from '../core/yaml-source.js';
import { amountOf, dayOf, type WorkedFile, type WorkedLead } from './worked-file.js';

export const PRESETS_DIR = fileURLToPath(new URL('../../rules/presets/', import.meta.url));

/** `--preset NAME` is a shipped preset (rules/presets/NAME.yaml); anything with a `/` or `.yaml` a file. */
export function presetPath(name: string): string {
  if (/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    const shipped = join(PRESETS_DIR, `${name}.yaml`);
    if (existsSync(shipped)) return shipped;
    throw new QualifyError('ARG_INVALID', `no preset named ${JSON.stringify(name)}; shipped: ${shippedPresets().join(', ')}`, { kind: 'arg', option: '--preset' }, {
      hint: 'or give the path of your own preset file (see rules/presets/*.yaml)',
    });
  }
  return name;
}

export function shippedPresets(): string[] {
  return ['hubspot-contacts', 'pipedrive-deals', 'salesforce-leads', 'salesforce-opportunities'].filter((n) => existsSync(join(PRESETS_DIR, `${n}.yaml`)));
}

/** Loads and checks a preset file; every problem at once with its line:col (PRESET_INVALID). */
export function loadPreset(path: string): Preset {
  const text = readTextFile(path, 'preset');
  const parsed = parseYamlSource(path, text);
  if (!parsed.source) throw new QualifyErrors(parsed.errors.map((e) => new QualifyError('PRESET_INVALID', e.message, e.at)));
  const js = toJsSafely(parsed.source, 'PRESET_INVALID');
  if (!js.ok) throw js.error;
  const r = presetSchema.safeParse(js.value);
  if (!r.success) {
    throw new QualifyErrors(
      r.error.issues.map((i) => {
        const path = i.path as (string | number)[];
        return new QualifyError('PRESET_INVALID', `${path.length ? path.join('.') + ': ' : ''}${i.message}`, locationOf(parsed.source!, path));
      }),
    );
  }
  return r.data;
}

/** Reads a lead's value by name: qualify's own (key, score, tier, stage, class, action, reasons),
 * a rules field (`email` for "E-mail Address"), or a column by its exact header. */
function valueReader(wf: WorkedFile, rules: CompiledRules, lead: WorkedLead): (name: string) => string | undefined {
  const row = wf.doc.rows[lead.record - 1]!;
  return (name) => {
    switch (name) {
      case 'key':
        return lead.key;
      case 'score':
        return String(lead.score);
      case 'tier':
        return lead.tier;
      case 'stage':
        return lead.stage;
      case 'class':
        return lead.class;
      case 'action':
      case 'reasons':
        return lead.cell(wf.prefix + name);
    }
    const f = rules.fields.findIndex((x) => x.name === name);
    if (f >= 0) {
      const col = wf.scorer.binding.columnOf[f]!;
      return col >= 0 ? (row[col] ?? '').trim() : '';
    }
    const i = wf.doc.header.indexOf(name);
    return i >= 0 ? (row[i] ?? '').trim() : undefined;
  };
}

const OWN_NAMES = new Set(['key', 'score', 'tier', 'stage', 'class', 'action', 'reasons']);

/** The columns of the file a name reads (for "unmapped" columns), or null when it names nothing. */
function columnsOfName(wf: WorkedFile, rules: CompiledRules, name: string): number[] | null {
  if (OWN_NAMES.has(name)) {
    const i = wf.doc.header.indexOf(wf.prefix + (name === 'key' ? 'score' : name));
    return name === 'key' ? [] : i >= 0 ? [i] : [];
  }
  const f = rules.fields.findIndex((x) => x.name === name);
  if (f >= 0) {
    const col = wf.scorer.binding.columnOf[f]!;
    return col >= 0 ? [col] : [];
  }
  const i = wf.doc.header.indexOf(name);
  return i >= 0 ? [i] : null;
}

export interface ExportResult {
  text: string;
  rows: number;
  header: string[];
}

/** Refuses a --stage or --tier no lead of this file can have under these rules. */
function checkFilter(wf: WorkedFile, rules: CompiledRules, filter: LeadFilter): void {
  checkFilterValues(filter, { stages: wf.leads.map((l) => l.stage), tiers: [...rules.thresholds.map((t) => t.tier), ...wf.leads.map((l) => l.tier)] });
}

/** The CSV a CRM imports: the preset's headers (and, unless dropped, the file's unmapped columns),
 * one row per selected lead; UTF-8, comma, CRLF, formula cells neutralised. Without a preset, the
 * selected rows with every column. */
export function exportLeads(wf: WorkedFile, rules: CompiledRules, filter: LeadFilter, preset: Preset | null, opts: { dropUnmapped: boolean; presetFile?: string }): ExportResult {
  checkFilter(wf, rules, filter);
  const write = createCsvRowWriter({ delimiter: ',', recordDelimiter: '\r\n' });
  const selected = wf.leads.filter((l) => selects(filter, l));
  if (!preset) {
    const text = write(wf.doc.header) + selected.map((l) => write(wf.doc.rows[l.record - 1]!.map(neutralizeFormula))).join('');
    return { text, rows: selected.length, header: wf.doc.header };
  }
  const used = new Set<number>();
  const unknown: string[] = [];
  for (const name of presetSources(preset)) {
    const cols = columnsOfName(wf, rules, name);
    if (cols === null) unknown.push(name);
    else for (const c of cols) used.add(c);
  }
  if (unknown.length)
    throw new QualifyError(
      'PRESET_INVALID',
      `the preset ${preset.name} reads ${unknown.map((u) => JSON.stringify(u)).join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} neither a rules field, a qualify column nor a column of ${wf.doc.file}`,
      { kind: 'file', file: opts.presetFile ?? preset.name },
      { hint: `rules fields: ${rules.fields.map((f) => f.name).join(', ')}; qualify's: ${[...OWN_NAMES].join(', ')}` },
    );
  // Stages, scores and the prefix's own columns are qualify's, not the user's: never "unmapped".
  const own = new Set(['fit', 'engagement', 'score', 'tier', 'grade', 'stage', 'class', 'action', 'reasons'].map((c) => wf.prefix + c));
  const extra = opts.dropUnmapped ? [] : wf.doc.header.map((h, i) => ({ h, i })).filter(({ h, i }) => !used.has(i) && !own.has(h));
  const header = [...preset.columns.map((c) => c.header), ...extra.map((e) => e.h)];
  const reading = { day: (t: string) => dayOf(t, rules), amount: (t: string) => amountOf(t, rules) };
  const onlyFilter = preset.only;
  const rows = selected.filter((l) => {
    if (!onlyFilter) return true;
    if (onlyFilter.class && !onlyFilter.class.map((c) => c.toLowerCase()).includes(l.class.toLowerCase())) return false;
    if (onlyFilter.stage && !onlyFilter.stage.map((s) => s.toLowerCase()).includes(l.stage.toLowerCase())) return false;
    if (onlyFilter.tier && !onlyFilter.tier.map((s) => s.toLowerCase()).includes(l.tier.toLowerCase())) return false;
    if (onlyFilter.min_score !== undefined && !(l.score >= onlyFilter.min_score)) return false;
    return true;
  });
  const body = rows.map((l) => {
    const read = valueReader(wf, rules, l);
    const row = wf.doc.rows[l.record - 1]!;
    return write([...preset.columns.map((c) => applyColumn(c, read, reading)), ...extra.map((e) => row[e.i] ?? '')].map(neutralizeFormula));
  });
  return { text: write(header) + body.join(''), rows: rows.length, header };
}

/** The split files' names in `dir`: `<input name>.<group>.csv` (leads.prospects.csv). */
export function splitTargets(file: string, dir: string): Record<(typeof SPLIT_GROUPS)[number], string> {
  const base = basename(file).replace(/\.(csv|tsv|txt)$/i, '');
  return Object.fromEntries(SPLIT_GROUPS.map((g) => [g, join(dir, `${base}.${g}.csv`)])) as Record<(typeof SPLIT_GROUPS)[number], string>;
}

/** Each group's file in the input's own form: the sep= line, the header and every selected
 * record copied byte for byte (its quoting and line ending), in the input's encoding and BOM. */
export function splitFiles(wf: WorkedFile, rules: CompiledRules, filter: LeadFilter): Record<(typeof SPLIT_GROUPS)[number], { bytes: Buffer; rows: number }> {
  checkFilter(wf, rules, filter);
  const doc: CsvDocument = wf.doc;
  const eol = doc.form.recordDelimiter;
  const span = (i: number): string => {
    const text = doc.body.subarray(i === 0 ? 0 : doc.ends[i - 1]!, doc.ends[i]!).toString('utf8');
    // Blank lines before a record belong to the input's layout, not to the record.
    const trimmed = i === 0 ? text : text.replace(/^(?:\r\n|\n|\r)+/, '');
    return /(\r\n|\n|\r)$/.test(trimmed) ? trimmed : trimmed + eol;
  };
  const out = Object.fromEntries(SPLIT_GROUPS.map((g) => [g, { parts: [doc.prefix, span(0)], rows: 0 }])) as Record<(typeof SPLIT_GROUPS)[number], { parts: string[]; rows: number }>;
  for (const l of wf.leads) {
    if (!selects(filter, l)) continue;
    const g = out[splitGroup(l)];
    g.parts.push(span(l.record));
    g.rows++;
  }
  return Object.fromEntries(SPLIT_GROUPS.map((g) => [g, { bytes: encodeText(out[g].parts.join(''), doc.form.encoding), rows: out[g].rows }])) as Record<(typeof SPLIT_GROUPS)[number], { bytes: Buffer; rows: number }>;
}

export async function writeSplit(targets: Record<string, string>, files: Record<string, { bytes: Buffer }>): Promise<void> {
  for (const [g, path] of Object.entries(targets)) await writeFileAtomic(path, files[g]!.bytes);
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
