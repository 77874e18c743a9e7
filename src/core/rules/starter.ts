// `qualify init --from leads.csv`: a starter rules file for someone's own export. The shipped
// rules' alias table maps the CSV's headers to canonical fields (the same header keys `score`
// matches with); fields the file lacks become optional, so the starter rules score the file as
// it is; columns no alias maps are listed, each with the rule it could feed. Pure: text in, text out.
import { isMap, isScalar, parseDocument, type YAMLMap } from 'yaml';
import { editDistance, headerKey } from '../text-distance.js';
import type { CompiledField } from './compiled.js';

export interface HeaderMapping {
  /** canonical field -> the CSV header it reads (the first that matches). */
  mapped: Array<{ field: string; header: string }>;
  /** Headers a field already took from an earlier column: ignored by the scorer. */
  duplicates: Array<{ field: string; header: string; used: string }>;
  /** Headers no alias maps, with what they could feed. */
  unmapped: Array<{ header: string; suggestion: string }>;
  /** Fields the rules know that the file lacks. */
  missing: string[];
}

/** Maps `header` with the fields' aliases (compared as header keys: case, spaces and punctuation ignored). */
export function mapHeaders(fields: readonly CompiledField[], header: readonly string[]): HeaderMapping {
  const mapped: HeaderMapping['mapped'] = [];
  const duplicates: HeaderMapping['duplicates'] = [];
  const unmapped: HeaderMapping['unmapped'] = [];
  const taken = new Map<string, string>();
  for (const h of header) {
    const key = headerKey(h);
    const f = key === '' ? undefined : fields.find((x) => x.keys.includes(key));
    if (!f) {
      unmapped.push({ header: h, suggestion: suggestFor(h, fields) });
      continue;
    }
    const used = taken.get(f.name);
    if (used !== undefined) duplicates.push({ field: f.name, header: h, used });
    else {
      taken.set(f.name, h);
      mapped.push({ field: f.name, header: h });
    }
  }
  return { mapped, duplicates, unmapped, missing: fields.filter((f) => !taken.has(f.name)).map((f) => f.name) };
}

/** What an unmapped column could feed, in a few words a sales-ops person acts on. */
export function suggestFor(header: string, fields: readonly CompiledField[]): string {
  const key = headerKey(header);
  if (key === '') return 'a column without a name: kept as it is, not scored';
  // A misspelt alias (`Emial`, `Compnay Name`): at most two edits on a long enough name, so that
  // `Lead Status` is not taken for `Lead Source`.
  const near = key.length >= 5 ? fields.find((f) => f.keys.some((k) => editDistance(key, k) <= (key.length >= 10 ? 2 : 1))) : undefined;
  if (near !== undefined) return `looks like ${near.name}: add "${header}" to fields.${near.name}.aliases`;
  const has = (re: RegExp): boolean => re.test(key);
  if (has(/optout|unsubscribe|donotcall|donotemail|bounce/)) return 'disqualify: a rule like { is: true } for contacts that may not be contacted';
  if (has(/status|stage|lifecycle|disposition/)) return 'disqualify: a rule on its values (e.g. { in: [Unqualified, Closed - Not Converted] })';
  if (has(/owner|rep|assigned|salesperson/)) return 'the rep: not scored (qualify.yaml rep: sets yours)';
  if (has(/note|comment|question|description|remark/)) return 'shown on the lead card; not scored';
  if (has(/score|rating|grade|likelihood|probability/)) return 'fit: a rule on the vendor\'s own score (e.g. { gte: 50 })';
  if (has(/date|time|created|modified|became|last|^at$|at$/)) return 'engagement: decay.field or a within_days / older_than_days rule';
  if (has(/visit|view|session|open|click|download|submission|form|webinar|event|contacted|activities|activity|count|times|number/))
    return 'engagement: points per unit (per:) once it is under fields:';
  if (has(/source|campaign|utm|channel|medium|referr|origin/)) return 'fit or engagement: a rule on where the lead came from (in: [...])';
  if (has(/city|state|zip|postal|region|address|street|province|territory|timezone/)) return 'fit: a territory rule (in: [...])';
  if (has(/domain|website|url|linkedin/)) return 'disqualify or fit: a domain_in rule';
  if (has(/id$|^id|uuid|guid|key/)) return 'an identifier: --lead can find leads by it once it is fields.id';
  return 'kept as it is; add it under fields: to write a rule on it';
}

/**
 * The starter rules: `baseText` (the shipped rules, comments kept) named after the file, with
 * every field the file lacks marked `optional: true` (so the rules score this file), and a header
 * comment with the mapping and the unmapped columns.
 */
export function starterRules(baseText: string, mapping: HeaderMapping, source: string): string {
  const doc = parseDocument(baseText);
  doc.set('name', `Starter rules for ${source}`);
  const fields = doc.get('fields');
  if (isMap(fields)) {
    for (const name of mapping.missing) {
      const f = (fields as YAMLMap).get(name);
      if (isMap(f)) {
        const opt = f.get('optional', true);
        if (!(isScalar(opt) && opt.value === true)) {
          f.set('optional', true);
          const node = f.get('optional', true);
          if (isScalar(node)) node.comment = ` not in ${source}`;
        }
      }
    }
  }
  const lines = [
    `# Starter rules for ${source}, written by \`qualify init --from\`. Check them with`,
    '# `qualify rules check`; edit points, thresholds and lists to fit your market.',
    '#',
    `# Columns of ${source} read as fields:`,
    ...mapping.mapped.map((m) => `#   ${m.header} -> ${m.field}`),
    ...(mapping.duplicates.length ? ['#', '# Columns ignored because an earlier column gives the same field:', ...mapping.duplicates.map((d) => `#   ${d.header} (${d.field} is read from ${d.used})`)] : []),
    ...(mapping.unmapped.length ? ['#', '# Columns no field reads (kept in the output as they are), and what each could feed:', ...mapping.unmapped.map((u) => `#   ${u.header}: ${u.suggestion}`)] : []),
    ...(mapping.missing.length ? ['#', `# Fields ${source} lacks (marked optional; their rules do not fire): ${mapping.missing.join(', ')}`] : []),
    '',
  ];
  // Header names come from a file: one line each, no control characters in a YAML comment.
  const comment = lines.map((l) => l.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')).join('\n');
  return comment + '\n' + doc.toString({ lineWidth: 0 });
}
