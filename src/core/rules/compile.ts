// Rules compiler: a parsed YAML rules document in, the plain-data CompiledRules out, or every
// problem found (not just the first), each a QualifyError with file:line:col. Pure: no fs, no
// process; runs once before the first row is read.
import { QualifyError, type ErrorCode } from '../errors.js';
import { locationOf, toJsSafely, type YamlSource } from '../yaml-source.js';
import { canonicalOperator, OPERATOR_ALIASES, OPERATOR_FLAGS, operators } from '../conditions/registry.js';
import { closest, headerKey } from '../text-distance.js';
import { parseDate } from '../values.js';
import { knownKeysAt, rulesSchema, WHOLE, type RulesDoc } from './schema.js';
import { RESERVED_TIERS as RESERVED_TIER_NAMES, stageKey, THRESHOLD_STAGES, type ThresholdStage } from '../stage/model.js';
import type { Category, CompiledCadence, CompiledRule, CompiledRules, Condition, GradeBand, SourcePos } from './compiled.js';
import type { z } from 'zod';

export type CompileResult = { ok: true; rules: CompiledRules } | { ok: false; errors: QualifyError[] };

type Path = (string | number)[];

export function compileRules(src: YamlSource): CompileResult {
  const errors: QualifyError[] = [];
  const fail = (code: ErrorCode, message: string, path: Path, key = false) =>
    errors.push(new QualifyError(code, message, locationOf(src, path, { key })));
  const posOf = (path: Path): SourcePos => {
    const at = locationOf(src, path);
    return at.kind === 'yaml' ? { line: at.line, col: at.col } : { line: 1, col: 1 };
  };

  const js = toJsSafely(src);
  if (!js.ok) return { ok: false, errors: [js.error] };
  const raw: unknown = js.value;
  const parsed = rulesSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reportSchemaIssue(issue, fail);
    // Keep going on what can be read, so one run reports the conditions' mistakes too.
    checkConditionsOfRaw(raw, (value, path, fieldNames) => compileConditionWith(value, path, fieldNames, rawPlaceholders(raw), fail));
    return { ok: false, errors: sortErrors(errors) };
  }
  const doc: RulesDoc = parsed.data;

  // Fields first: every other section refers to them by name.
  const fieldNames = Object.keys(doc.fields);
  const fieldIndex = new Map(fieldNames.map((n, i) => [n, i]));
  const fields = fieldNames.map((name) => {
    const f = doc.fields[name]!;
    const aliases = [name, ...f.aliases];
    const keys = [...new Set(aliases.map(headerKey).filter((k) => k !== ''))];
    return { name, keys, aliases: f.aliases, optional: f.optional, at: posOf(['fields', name]) };
  });
  const keyOwner = new Map<string, string>();
  for (const f of fields) {
    for (const k of f.keys) {
      const other = keyOwner.get(k);
      if (other && other !== f.name) fail('RULES_SCHEMA', `the header alias "${k}" is claimed by both "${other}" and "${f.name}"`, ['fields', f.name, 'aliases']);
      else keyOwner.set(k, f.name);
    }
  }

  const fieldRef = makeFieldRef(fieldNames, fail);

  const placeholders = doc.settings.placeholders.map((p) => String(p).trim().normalize('NFC').toLowerCase());
  const compileCondition = (value: unknown, path: Path): Condition | null =>
    compileConditionWith(value, path, fieldNames, placeholders, fail, posOf);

  const ids = new Map<string, Path>();
  const claimId = (id: string, path: Path) => {
    if (ids.has(id)) fail('RULES_DUPLICATE_ID', `the id "${id}" is used twice (first at ${fmtPath(ids.get(id)!)}); ids name rules in explanations`, [...path, 'id']);
    else ids.set(id, path);
  };

  const compileCategory = (category: Category, list: RulesDoc['fit']['rules']): CompiledRule[] => {
    const out: CompiledRule[] = [];
    list.forEach((r, i) => {
      const path: Path = [category, 'rules', i];
      claimId(r.id, path);
      if (!r.enabled) return;
      const when = r.when === undefined ? null : compileCondition(r.when, [...path, 'when']);
      let per: CompiledRule['per'] = null;
      if (r.per !== undefined) {
        const f = fieldRef(r.per, [...path, 'per']);
        per = { field: f, max: r.max ?? null };
      } else if (r.max !== undefined) {
        fail('RULES_SCHEMA', '"max" caps points per unit and needs "per: <field>"', [...path, 'max'], true);
      }
      if (r.when === undefined && per === null) fail('RULES_SCHEMA', 'a rule needs "when" (a condition) or "per" (points per unit of a field)', path);
      if (per && r.max !== undefined && Math.sign(r.max) !== Math.sign(r.points) && r.max !== 0) {
        fail('RULES_SCHEMA', '"max" must have the same sign as "points"', [...path, 'max']);
      }
      out.push({ id: r.id, category, why: r.why, points: r.points, when, per, at: posOf(path) });
    });
    return out;
  };

  const fit = compileCategory('fit', doc.fit.rules);
  const engagement = compileCategory('engagement', doc.engagement.rules);

  const disqualifiers = doc.disqualify.flatMap((d, i) => {
    const path: Path = ['disqualify', i];
    claimId(d.id, path);
    if (!d.enabled) return [];
    const when = compileCondition(d.when, [...path, 'when']);
    if (!when) {
      if (d.when === undefined) fail('RULES_SCHEMA', 'a disqualifier needs "when"', path);
      return [];
    }
    return [{ id: d.id, why: d.why, stage: d.stage, when, at: posOf(path) }];
  });

  const decay = doc.engagement.decay
    ? { field: fieldRef(doc.engagement.decay.field, ['engagement', 'decay', 'field']), halfLifeDays: doc.engagement.decay.half_life_days }
    : null;
  const duplicates = doc.duplicates ? { field: fieldRef(doc.duplicates.field, ['duplicates', 'field']), why: doc.duplicates.why } : null;
  const sourceFieldName = doc.settings.source_field ?? (fieldIndex.has('source') ? 'source' : undefined);
  const sourceField = sourceFieldName === undefined ? null : fieldRef(sourceFieldName, ['settings', 'source_field']);
  if (doc.settings.sales_sources.length > 0 && sourceField === null) {
    fail('RULES_SCHEMA', 'sales_sources needs a "source" field (or settings.source_field) to read the lead source from', ['settings', 'sales_sources']);
  }
  const keyFitFields = doc.settings.key_fit_fields.map((n, i) => fieldRef(n, ['settings', 'key_fit_fields', i]));

  // Score range and thresholds: every whole score in [min, max] gets exactly one tier.
  if (doc.score.min > doc.score.max) fail('RULES_SCHEMA', 'score.min is above score.max', ['score', 'min']);
  const thresholds = doc.thresholds.map((t, i) => ({ ...t, at: posOf(['thresholds', i]), index: i }));
  thresholds.forEach((t) => {
    if (t.min > t.max) fail('RULES_THRESHOLD_GAP', `threshold "${t.tier}" has min ${t.min} above max ${t.max}`, ['thresholds', t.index, 'min']);
  });
  const sorted = [...thresholds].sort((a, b) => a.min - b.min);
  let expected = doc.score.min;
  for (const t of sorted) {
    if (t.min > expected) {
      fail('RULES_THRESHOLD_GAP', `scores ${expected} to ${t.min - 1} get no tier: threshold "${t.tier}" starts at ${t.min}`, ['thresholds', t.index, 'min']);
    } else if (t.min < expected) {
      const prev = sorted[sorted.indexOf(t) - 1];
      const what = prev ? `threshold "${prev.tier}" already covers up to ${expected - 1}` : `the score range starts at ${doc.score.min}`;
      fail('RULES_THRESHOLD_OVERLAP', `threshold "${t.tier}" starts at ${t.min}, but ${what}`, ['thresholds', t.index, 'min']);
    }
    expected = Math.max(expected, t.max + 1);
  }
  if (expected <= doc.score.max) {
    const last = sorted[sorted.length - 1]!;
    fail('RULES_THRESHOLD_GAP', `scores ${expected} to ${doc.score.max} get no tier: the highest threshold ends at ${expected - 1}`, ['thresholds', last.index, 'max']);
  } else if (expected - 1 > doc.score.max) {
    const last = sorted[sorted.length - 1]!;
    fail('RULES_THRESHOLD_OVERLAP', `threshold "${last.tier}" ends at ${last.max}, above score.max ${doc.score.max}`, ['thresholds', last.index, 'max']);
  }

  // Caps, floor and stages that would make nonsense of every score.
  for (const category of ['fit', 'engagement'] as const) {
    const max = doc[category].max;
    if (max !== undefined && max < 0) fail('RULES_SCHEMA', `${category}.max caps the ${category} points and must be 0 or more, got ${max}`, [category, 'max']);
  }
  const { max: engCap, floor: engFloor } = doc.engagement;
  if (engCap !== undefined && engFloor !== undefined && engFloor > engCap) {
    fail('RULES_SCHEMA', `engagement.floor ${engFloor} is above engagement.max ${engCap}: every lead would get at least the cap`, ['engagement', 'floor']);
  }
  const tierAt = new Map<string, (typeof thresholds)[number]>();
  for (const t of thresholds) {
    const key = t.tier.trim().toLowerCase();
    if (RESERVED_TIERS.has(key)) {
      fail('RULES_SCHEMA', `the tier name "${t.tier}" is reserved for disqualified leads and bad leads: choose another`, ['thresholds', t.index, 'tier']);
    } else if (tierAt.has(key)) {
      fail('RULES_SCHEMA', `the tier name "${t.tier}" is used twice (first in thresholds[${tierAt.get(key)!.index}]): each band needs its own tier`, ['thresholds', t.index, 'tier']);
    } else tierAt.set(key, t);
  }
  // A higher score never gets an earlier stage of the funnel (lead before MQL).
  for (const low of sorted) {
    const higher = sorted.find((t) => t.min > low.min && STAGE_RANK(t.stage) < STAGE_RANK(low.stage));
    if (higher) {
      fail(
        'RULES_SCHEMA',
        `threshold "${low.tier}" gives scores ${low.min} to ${low.max} the stage ${low.stage}, but threshold "${higher.tier}" gives the higher scores ${higher.min} to ${higher.max} the earlier stage ${higher.stage}: a higher score must never get an earlier stage`,
        ['thresholds', low.index, 'stage'],
      );
    }
  }

  const grade = doc.grade
    ? { fit: gradeBands(doc.grade.fit, ['grade', 'fit'], fail), engagement: gradeBands(doc.grade.engagement, ['grade', 'engagement'], fail) }
    : null;

  const examples = doc.examples.map((ex, i) => {
    const lead: Record<string, string> = {};
    for (const [k, v] of Object.entries(ex.lead)) {
      if (!fieldIndex.has(k)) fieldRef(k, ['examples', i, 'lead', k], true);
      lead[k] = String(v);
    }
    if (ex.as_of !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(ex.as_of) || parseDate(ex.as_of, 'ymd') === undefined)) {
      fail('RULES_SCHEMA', `as_of must be a date written YYYY-MM-DD, got ${JSON.stringify(ex.as_of)}`, ['examples', i, 'as_of']);
    }
    return { name: ex.name, lead, asOf: ex.as_of ?? null, expect: ex.expect, at: posOf(['examples', i]) };
  });

  const cadence = compileCadence(doc, fail);

  if (errors.length) return { ok: false, errors: sortErrors(errors) };
  return {
    ok: true,
    rules: {
      format: 'qualify-rules-ir',
      version: 1,
      source: src.file,
      name: doc.name,
      fields,
      settings: {
        decimal: doc.settings.decimal,
        dateFormat: doc.settings.date_format,
        placeholders,
        salesSources: doc.settings.sales_sources.map((s) => s.trim().toLowerCase()),
        sourceField,
        keyFitFields,
        coldAction: doc.settings.cold_action,
        columnPrefix: doc.settings.column_prefix,
      },
      fit: { max: doc.fit.max ?? null, rules: fit },
      engagement: { max: doc.engagement.max ?? null, floor: doc.engagement.floor ?? null, decay, rules: engagement },
      disqualifiers,
      duplicates,
      score: doc.score,
      thresholds: thresholds.map(({ index: _i, ...t }) => t),
      grade,
      examples,
      // Only when written, so the compiled form of a file without them is unchanged.
      ...(cadence ? { cadence } : {}),
      ...(doc.pipeline ? { pipeline: { probabilities: Object.entries(doc.pipeline.probabilities).map(([stage, p]) => ({ stage, key: stageKey(stage), probability: p / 100 })) } } : {}),
    },
  };
}

function compileCadence(doc: RulesDoc, fail: (c: ErrorCode, m: string, p: Path) => void): CompiledCadence | undefined {
  const c = doc.cadence;
  if (!c) return undefined;
  const maxAttempts = c.max_attempts ?? c.steps.length + 1;
  if (c.after_last === 'disqualify' && c.reason === undefined) fail('RULES_SCHEMA', 'after_last: disqualify needs a reason, e.g. reason: No reply after 5 attempts', ['cadence', 'after_last']);
  if (c.after_last === 'nurture' && c.reason !== undefined) fail('RULES_SCHEMA', 'reason goes with after_last: disqualify (a nurtured lead is not disqualified)', ['cadence', 'reason']);
  return { steps: c.steps.map((s) => ({ channel: s.channel, days: s.days })), maxAttempts, afterLast: c.after_last, reason: c.reason ?? null };
}

/** Tier names the engine gives disqualified leads and bad leads. */
const RESERVED_TIERS: ReadonlySet<string> = new Set(RESERVED_TIER_NAMES);
/** The funnel order of the stages a threshold may give. */
const STAGE_RANK = (stage: ThresholdStage): number => THRESHOLD_STAGES.indexOf(stage);

function gradeBands(bands: Record<string, number>, path: Path, fail: (c: ErrorCode, m: string, p: Path) => void): GradeBand[] {
  const list = Object.entries(bands).map(([label, min]) => ({ label, min }));
  if (list.length === 0) fail('RULES_SCHEMA', 'give at least one grade, e.g. { A: 40, B: 25, C: 10, D: 0 }', path);
  // Highest minimum first; the lowest band also takes everything below it.
  return list.sort((a, b) => b.min - a.min);
}

function reportSchemaIssue(issue: z.core.$ZodIssue, fail: (code: ErrorCode, message: string, path: Path, key?: boolean) => void): void {
  const path = issue.path as Path;
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      const known = knownKeysAt(path);
      const hint = closest(key, known);
      fail(
        'RULES_UNKNOWN_KEY',
        `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}${known.length ? `; allowed here: ${known.join(', ')}` : ''}`,
        [...path, key],
        true,
      );
    }
    return;
  }
  const where = path.length ? `${fmtPath(path)}: ` : '';
  let message = issue.message;
  if (issue.code === 'invalid_type') {
    const received = (issue as { input?: unknown }).input;
    const kind: Record<string, string> = { array: 'a list', object: 'a map', record: 'a map', string: 'text', int: 'a whole number', number: 'a number', boolean: 'true or false' };
    if (received === undefined) message = kind[issue.expected] ? `is required (${kind[issue.expected]})` : 'is required';
    // z.int()'s own message marks a whole number also when zod reports the type as "number".
    else if (issue.expected === 'int' || issue.expected === 'number') message = `must be ${issue.expected === 'int' || issue.message === WHOLE ? 'a whole number' : 'a number'}, got ${shownValue(received)}`;
    else if (issue.expected === 'array') message = 'must be a list ([a, b] or lines starting with "- ")';
    else if (issue.expected === 'object') message = 'must be a map (key: value lines)';
    else message = `must be ${issue.expected === 'string' ? 'text' : issue.expected}, got ${JSON.stringify(received)}`;
  } else if (issue.code === 'invalid_value') {
    message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (issue.code === 'invalid_format' || issue.code === 'too_small' || issue.code === 'custom') {
    message = issue.message;
  }
  fail('RULES_SCHEMA', `${where}${message}`, path);
}

/** A value as the author wrote it in YAML: `.nan` and `.inf` rather than JSON's null. */
function shownValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? '.nan (not a number)' : v === Infinity ? '.inf' : v === -Infinity ? '-.inf' : String(v);
  return JSON.stringify(v) ?? String(v);
}

function fmtPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function sortErrors(errors: QualifyError[]): QualifyError[] {
  const line = (e: QualifyError) => (e.at?.kind === 'yaml' ? e.at.line * 10000 + e.at.col : 0);
  return errors.sort((a, b) => line(a) - line(b));
}

type Fail = (code: ErrorCode, message: string, path: Path, key?: boolean) => void;

/** Resolves a field name to its index, reporting an unknown one (with a "did you mean"). */
function makeFieldRef(fieldNames: readonly string[], fail: Fail): (name: string, path: Path, key?: boolean) => number {
  const fieldIndex = new Map(fieldNames.map((n, i) => [n, i]));
  return (name, path, key = false) => {
    const i = fieldIndex.get(name);
    if (i !== undefined) return i;
    const hint = closest(name, fieldNames);
    fail('RULES_UNKNOWN_FIELD', `"${name}" is not a field defined under fields:${hint ? ` (did you mean "${hint}"?)` : ''}`, path, key);
    return -1;
  };
}

/**
 * Compiles a `when` condition against the field names; reports problems through `fail`.
 * Module-level (not a closure over a parsed document) so that it also runs, for diagnostics,
 * on a file whose other parts failed the schema.
 */
function compileConditionWith(
  value: unknown,
  path: Path,
  fieldNames: readonly string[],
  placeholders: readonly string[],
  fail: Fail,
  posOf: (p: Path) => SourcePos = () => ({ line: 0, col: 0 }),
): Condition | null {
  const operatorCtx = { placeholders: new Set(placeholders) };
  const lookUp = makeFieldRef(fieldNames, fail);
  const fieldRef = (name: string, p: Path): number => lookUp(name, p, true);
  const compileTests = (field: number, spec: unknown, p0: Path): Condition[] => {
    // Shorthands a sales-ops author reaches for: `country: Germany`, `industry: [a, b]`.
    if (typeof spec === 'boolean') spec = { is: spec };
    else if (spec === null || typeof spec !== 'object') spec = { equals: spec };
    else if (Array.isArray(spec)) spec = { in: spec };
    const entries = Object.entries(spec as Record<string, unknown>);
    const ignoreCase = (spec as Record<string, unknown>)['ignore_case'];
    if (ignoreCase !== undefined && typeof ignoreCase !== 'boolean') fail('RULES_BAD_OPERAND', 'ignore_case must be true or false', [...p0, 'ignore_case']);
    const out: Condition[] = [];
    for (const [name, operand] of entries) {
      if (OPERATOR_FLAGS.has(name)) continue;
      const p = [...p0, name];
      const op = operators.get(canonicalOperator(name));
      if (!op) {
        const hint = closest(name, [...operators.keys(), ...OPERATOR_ALIASES.keys()]);
        fail('RULES_UNKNOWN_OPERATOR', `unknown operator "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; operators: ${[...operators.keys()].join(', ')}`, p, true);
        continue;
      }
      const problem = op.check(operand);
      if (problem) {
        fail('RULES_BAD_OPERAND', `${name}: ${problem}`, p);
        continue;
      }
      try {
        op.prepare(operand, { ignoreCase: ignoreCase === true }, operatorCtx); // validates regexes now, not per row
      } catch (e) {
        fail(name === 'matches' ? 'RULES_BAD_REGEX' : 'RULES_BAD_OPERAND', `${name}: ${(e as Error).message}`, p);
        continue;
      }
      if (field >= 0) out.push({ op: 'test', field, operator: op.name, operand, ignoreCase: ignoreCase === true, at: posOf(p) });
    }
    if (entries.every(([name]) => OPERATOR_FLAGS.has(name))) fail('RULES_SCHEMA', 'say what to test, e.g. { contains: vp }', p0);
    return out;
  };
  const walk = (v: unknown, p: Path): Condition | null => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      fail('RULES_SCHEMA', 'a condition is a map, e.g. { title: { contains: vp } } or { any: [...] }', p);
      return null;
    }
    if (Object.keys(v).length === 0) {
      fail('RULES_SCHEMA', 'the condition is empty: say what to test, e.g. { title: { contains: vp } }', p);
      return null;
    }
    const parts: Condition[] = [];
    for (const [key, sub] of Object.entries(v as Record<string, unknown>)) {
      const kp = [...p, key];
      if (key === 'all' || key === 'any') {
        if (!Array.isArray(sub) || sub.length === 0) {
          fail('RULES_SCHEMA', `"${key}" takes a non-empty list of conditions`, kp);
          continue;
        }
        const of = sub.map((c, i) => walk(c, [...kp, i])).filter((c): c is Condition => c !== null);
        parts.push({ op: key, of });
      } else if (key === 'not') {
        const of = walk(sub, kp);
        if (of) parts.push({ op: 'not', of });
      } else {
        parts.push(...compileTests(fieldRef(key, kp), sub, kp));
      }
    }
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0]! : { op: 'all', of: parts };
  };
  return walk(value, path);
}

/** Calls `check` on every `when` of a raw (schema-failed) document that can be reached. */
function checkConditionsOfRaw(raw: unknown, check: (value: unknown, path: Path, fieldNames: string[]) => void): void {
  if (raw === null || typeof raw !== 'object') return;
  const r = raw as Record<string, unknown>;
  const fields = r['fields'];
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return;
  const names = Object.keys(fields);
  const lists: [unknown, Path][] = [
    [(r['fit'] as Record<string, unknown> | undefined)?.['rules'], ['fit', 'rules']],
    [(r['engagement'] as Record<string, unknown> | undefined)?.['rules'], ['engagement', 'rules']],
    [r['disqualify'], ['disqualify']],
  ];
  for (const [list, path] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (item !== null && typeof item === 'object' && 'when' in item) check((item as { when: unknown }).when, [...path, i, 'when'], names);
    });
  }
}

function rawPlaceholders(raw: unknown): string[] {
  const list = ((raw as Record<string, unknown> | null)?.['settings'] as Record<string, unknown> | undefined)?.['placeholders'];
  return Array.isArray(list) ? list.map((p) => String(p).trim().toLowerCase()) : [];
}
