// Loads a questionnaire file: YAML text in, the checked and normalised Questionnaire out, or every
// problem found, each a QualifyError('QUESTIONNAIRE_SCHEMA') with the file:line:col of the node
// at fault (the same shape as rules-file errors). Pure: text in, no fs; never throws on bad input.
// Two passes: structure (zod) first; cross-references only for the parts that parsed.
import { editDistance } from '../text-distance.js';
import type * as z from 'zod';
import { QualifyError } from '../errors.js';
import { locationAtOffset, locationOf, parseYamlSource, toJsSafely, type YamlSource } from '../yaml-source.js';
import { compileCondition, COMBINATORS, QUALIFIED_REF, refsOf, type CompileContext, type RefInfo } from './conditions.js';
import { parseDay } from './dates.js';
import { QUALIFIED_AT_COLUMN } from '../stage/model.js';
import {
  KNOWN_KEYS,
  QUESTION_KINDS,
  rawQuestionnaireSchema,
  rawQuestionSchemas,
  rawScriptSchema,
  type Condition,
  type DateBand,
  type Option,
  type Question,
  type QuestionKind,
  type Questionnaire,
  type QuestionnaireStep,
  type RawQuestion,
  type RawQuestionnaire,
  type RawScript,
} from './schema.js';
import { placeholdersIn } from './template.js';

type Path = (string | number)[];
/** `offset`: an exact position in the text (a placeholder inside a scalar) rather than a node's start. */
type Report = (path: Path, message: string, opts?: { key?: boolean; offset?: number }) => void;

type ParsedStep =
  | { kind: 'script'; raw: RawScript }
  | { kind: 'question'; raw: RawQuestion }
  /** Malformed (already reported); its id, if readable, still counts so references to it do not cascade. */
  | { kind: 'broken'; id?: string };

export function loadQuestionnaire(file: string, text: string): { questionnaire?: Questionnaire; errors: QualifyError[] } {
  const parsed = parseYamlSource(file, text);
  if (!parsed.source) return { errors: parsed.errors };
  const src = parsed.source;
  const errors: QualifyError[] = [];
  const report: Report = (path, message, opts) => {
    const at = opts?.offset !== undefined ? locationAtOffset(src, opts.offset, path) : locationOf(src, path, opts);
    errors.push(new QualifyError('QUESTIONNAIRE_SCHEMA', message, at));
  };

  // An alias bomb or too deep a nesting stops here, at its line, instead of eating the memory.
  const js = toJsSafely(src, 'QUESTIONNAIRE_SCHEMA');
  if (!js.ok) return { errors: [js.error] };
  const data: unknown = js.value;
  if (!isMap(data)) {
    report([], 'a questionnaire should be a map with id, title, kind, prefix, steps and qualification');
    return { errors };
  }

  const top = rawQuestionnaireSchema.safeParse(data, { reportInput: true });
  if (!top.success) reportIssues(top.error.issues, [], report, () => '');
  const steps = (Array.isArray(data['steps']) ? data['steps'] : []).map((s, i) => parseStep(s, i, report));
  const structuralErrors = errors.length > 0;

  // Cross-references need a readable top level; with a broken one they would only add noise.
  const raw = top.success ? top.data : undefined;
  const questionnaire = raw ? crossCheck(src, raw, steps, report) : undefined;
  if (errors.length > 0 || structuralErrors || !questionnaire) return { errors };
  return { questionnaire, errors };
}

// ---------------------------------------------------------------------------------------------
// Pass 1: structure
// ---------------------------------------------------------------------------------------------

function parseStep(s: unknown, i: number, report: Report): ParsedStep {
  const path: Path = ['steps', i];
  if (!isMap(s)) {
    report(path, `step ${i + 1} should be a script (say: ...) or a question (id:, ask:, type:)`);
    return { kind: 'broken' };
  }
  const id = typeof s['id'] === 'string' ? s['id'] : undefined;
  if ('say' in s) {
    const r = rawScriptSchema.safeParse(s, { reportInput: true });
    if (r.success) return { kind: 'script', raw: r.data };
    reportIssues(r.error.issues, path, report, () => `script step ${i + 1}: `);
    return { kind: 'broken' };
  }
  const where = id ? `question "${id}": ` : `step ${i + 1}: `;
  const type = s['type'];
  if (!(QUESTION_KINDS as readonly unknown[]).includes(type)) {
    if (type === undefined) report(path, `${where}missing "type"; use one of ${QUESTION_KINDS.join(', ')} (or "say:" for script text)`);
    else report([...path, 'type'], `${where}"type" should be one of ${QUESTION_KINDS.join(', ')}, not ${show(type)}`);
    return { kind: 'broken', id };
  }
  const r = rawQuestionSchemas[type as QuestionKind].safeParse(s, { reportInput: true });
  if (r.success) return { kind: 'question', raw: r.data as RawQuestion };
  reportIssues(r.error.issues, path, report, () => where);
  return { kind: 'broken', id };
}

/** Turns zod issues into plain-English messages at the YAML node they concern. */
function reportIssues(issues: readonly z.core.$ZodIssue[], prefix: Path, report: Report, where: (path: Path) => string): void {
  for (const iss of issues) {
    const path: Path = [...prefix, ...iss.path.filter((k): k is string | number => typeof k !== 'symbol')];
    const key = lastKey(path);
    const w = where(path);
    if (iss.code === 'unrecognized_keys') {
      const input = isMap(iss.input) ? iss.input : {};
      for (const k of iss.keys) {
        // `{ label: Big, bold, points: 5 }`: the comma ended the label and `bold` became a key
        // with no value. Say that, rather than only "unknown key".
        const hint = input[k] === null ? '; a comma inside { ... } ends the value: put the text in quotes' : suggestion(k, KNOWN_KEYS);
        report([...path, k], `${w}unknown key "${k}"${hint}`, { key: true });
      }
    } else if ('input' in iss && iss.input === undefined && (iss.code === 'invalid_type' || iss.code === 'invalid_union')) {
      report(path, `${w}missing "${key}"`);
    } else if (iss.code === 'invalid_type' || iss.code === 'invalid_value' || iss.code === 'invalid_union') {
      report(path, `${w}"${key}" ${iss.message}, not ${show(iss.input)}`);
    } else {
      report(path, `${w}"${key}" ${iss.message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pass 2: cross-references, normalisation
// ---------------------------------------------------------------------------------------------

function crossCheck(src: YamlSource, raw: RawQuestionnaire, parsed: ParsedStep[], report: Report): Questionnaire | undefined {
  const prefix = raw.prefix;
  const lineOf = (path: Path): number => (locationOf(src, path) as { line: number }).line;
  // A text question called `notes` is the notes question unless outcome.notes names another.
  const implicitNotes = raw.outcome?.notes === undefined && parsed.some((p) => p.kind === 'question' && p.raw.id === 'notes' && p.raw.type === 'text');
  if (implicitNotes) raw = { ...raw, outcome: { ...raw.outcome, notes: 'notes' } };
  const roles = outcomeRoles(raw);

  // Lead fields and variables that placeholders may name.
  const lead: Questionnaire['lead'] = {};
  for (const [name, spec] of Object.entries(raw.lead ?? {})) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) report(['lead', name], `lead field "${name}" should be lower-case letters, digits and _`, { key: true });
    lead[name] = { aliases: spec?.aliases ?? [], ...(spec?.fallback !== undefined ? { fallback: spec.fallback } : {}) };
  }
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.vars ?? {})) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) report(['vars', name], `variable "${name}" should be lower-case letters, digits and _`, { key: true });
    if (name in lead) report(['vars', name], `"${name}" is both a lead field and a variable; rename one`, { key: true });
    vars[name] = String(value);
  }

  // Ids first, so a condition can say "asked later" rather than "not defined".
  const byId = new Map<string, { step: number; kind?: QuestionKind; options?: string[]; broken: boolean }>();
  const duplicates = new Set<number>();
  parsed.forEach((p, i) => {
    const id = p.kind === 'question' ? p.raw.id : p.kind === 'broken' ? p.id : undefined;
    if (id === undefined) return;
    const prev = byId.get(id);
    if (prev) {
      report(['steps', i, 'id'], `question id "${id}" is used twice (first at line ${lineOf(['steps', prev.step])})`);
      duplicates.add(i);
      return;
    }
    if (COMBINATORS.has(id)) report(['steps', i, 'id'], `"${id}" is a reserved word in conditions; choose another question id`);
    if (id in lead || id in vars) report(['steps', i, 'id'], `"${id}" is also a lead field or variable; choose another question id`);
    if (p.kind === 'question') {
      const options = 'options' in p.raw ? p.raw.options.map((o) => String(o.value)) : undefined;
      byId.set(id, { step: i, kind: p.raw.type, ...(options ? { options } : {}), broken: false });
    } else byId.set(id, { step: i, broken: true });
  });

  const refInfo = (ref: string): RefInfo | undefined => {
    const q = byId.get(ref);
    if (!q) return undefined;
    if (q.broken || !q.kind) return { kind: 'text', unchecked: true };
    return { kind: q.kind, ...(q.options ? { options: q.options } : {}) };
  };
  const questionIds = [...byId.keys()];
  const notDefined = (ref: string): string => `"${ref}" is not a question in this file${suggestion(ref, questionIds)}`;
  const qualifiedUses: { path: Path; step: number }[] = [];

  /** Context for a condition at step `at`: only answers given before it may be used. */
  const contextAt = (at: number | undefined, allowQualified: boolean): CompileContext => ({
    resolve(ref, path) {
      if (ref === QUALIFIED_REF) {
        if (!allowQualified) return '"$qualified" cannot be used here: the qualification rules decide it';
        qualifiedUses.push({ path, step: at ?? Infinity });
        return { kind: 'qualified' };
      }
      if (ref.startsWith('$')) return `unknown name "${ref}"; the only special name is $qualified`;
      const info = refInfo(ref);
      if (!info) return notDefined(ref);
      const step = byId.get(ref)!.step;
      if (at !== undefined && step >= at)
        return step === at
          ? `a question cannot depend on its own answer ("${ref}")`
          : `"${ref}" is asked later (line ${lineOf(['steps', step])}); a condition can only use answers given before this step`;
      return info;
    },
    error: report,
  });

  const knownBefore = (at: number): string[] => [
    ...Object.keys(lead),
    ...Object.keys(vars),
    ...questionIds.filter((id) => byId.get(id)!.step < at),
  ];
  const checkPlaceholders = (path: Path, text: string, known: string[], laterOk?: (name: string) => string | undefined): void => {
    for (const ph of placeholdersIn(text)) {
      if (known.includes(ph.name)) continue;
      const later = laterOk?.(ph.name);
      const message =
        later ??
        (ph.name === ''
          ? `empty placeholder ${ph.raw}`
          : `placeholder ${ph.raw} names no known field${suggestion(ph.name, known)}; known: ${known.join(', ') || '(none: declare lead fields under "lead:")'}`);
      // Point at the placeholder itself, not the start of the text.
      const offset = placeholderOffset(src, path, ph.raw);
      report(path, message, offset !== undefined ? { offset } : {});
    }
  };

  // Steps.
  const steps: QuestionnaireStep[] = [];
  const columns = new Map<string, Path>();
  const reserved = new Set([`${prefix}_outcome`, `${prefix}_reason`, `${prefix}_points`, `${prefix}_follow_up`, 'stage', 'class', QUALIFIED_AT_COLUMN]);
  parsed.forEach((p, i) => {
    const path: Path = ['steps', i];
    if (p.kind === 'broken' || duplicates.has(i)) return;
    const when = p.raw.when === undefined ? undefined : compileCondition(p.raw.when, [...path, 'when'], contextAt(i, true));
    if (p.kind === 'script') {
      checkPlaceholders([...path, 'say'], p.raw.say, knownBefore(i), (name) =>
        byId.has(name) ? `placeholder {{${name}}} names a question asked later (line ${lineOf(['steps', byId.get(name)!.step])}); script text can only use earlier answers` : undefined,
      );
      steps.push({ kind: 'script', text: p.raw.say, step: i, ...(p.raw.title !== undefined ? { title: p.raw.title } : {}), ...(when ? { when } : {}) });
      return;
    }
    const laterQuestion = (name: string): string | undefined =>
      byId.has(name) ? `placeholder {{${name}}} names a question asked at or after this one (line ${lineOf(['steps', byId.get(name)!.step])}); use earlier answers only` : undefined;
    checkPlaceholders([...path, 'ask'], p.raw.ask, knownBefore(i), laterQuestion);
    if (p.raw.help !== undefined) checkPlaceholders([...path, 'help'], p.raw.help, knownBefore(i), laterQuestion);
    const q = normalizeQuestion(p.raw, i, prefix, roles, report);
    if (when) q.when = when;
    const colPath: Path = p.raw.column !== undefined ? [...path, 'column'] : [...path, 'id'];
    const clash = columns.get(q.column);
    if (clash) report(colPath, `column "${q.column}" is already written by the question at line ${lineOf(clash)}; set "column:" to tell them apart`);
    else if (reserved.has(q.column)) report(colPath, `column "${q.column}" is reserved for the outcome; set another "column:"`);
    else if (q.column === `${prefix}_notes` && roles.get(q.id) !== 'notes')
      report(colPath, `column "${q.column}" is reserved for the notes question (outcome.notes); set another "column:"`);
    columns.set(q.column, path);
    steps.push(q);
  });
  const questions = steps.filter((s): s is Question => s.kind !== 'script');
  if (questions.length === 0 && parsed.every((p) => p.kind !== 'broken')) report(['steps'], 'there are no questions; add at least one step with id:, ask: and type:');

  // Qualification: rules may use any question, in any order.
  const rules: Questionnaire['qualification']['rules'] = [];
  const known = [...Object.keys(lead), ...Object.keys(vars), ...questionIds];
  const deciders = new Set<string>();
  raw.qualification.rules.forEach((r, i) => {
    const path: Path = ['qualification', 'rules', i];
    const cond = compileCondition(r.if, [...path, 'if'], contextAt(undefined, false));
    checkPlaceholders([...path, 'reason'], r.reason, known);
    checkPlaceholders([...path, 'otherwise'], r.otherwise, known);
    if (cond) {
      refsOf(cond).forEach((ref) => deciders.add(ref));
      rules.push({ if: cond, reason: r.reason, otherwise: r.otherwise, ...(r.name !== undefined ? { name: r.name } : {}) });
    }
  });
  if (raw.qualification.min_points !== undefined) for (const q of questions) if (carriesPoints(q)) deciders.add(q.id);

  // `$qualified` reads the qualification from the answers so far, so it is only meaningful once
  // every answer the rules use has been given; this also rules out circular dependencies.
  for (const use of qualifiedUses) {
    const late = [...deciders].map((id) => ({ id, step: byId.get(id)?.step ?? -1 })).filter((d) => d.step >= use.step);
    if (late.length > 0)
      report(use.path, `"$qualified" can only be used after every question the qualification uses; "${late[0]!.id}" (line ${lineOf(['steps', late[0]!.step])}) comes at or after this step`, { key: true });
  }

  const outcome = checkOutcome(raw, byId, contextAt(undefined, false), report);
  const result: Questionnaire = {
    id: raw.id,
    title: raw.title,
    kind: raw.kind,
    prefix,
    lead,
    vars,
    steps,
    questions,
    qualification: {
      rules,
      ...(raw.qualification.min_points !== undefined ? { minPoints: raw.qualification.min_points } : {}),
      ...(raw.qualification.min_points_reason !== undefined ? { minPointsReason: raw.qualification.min_points_reason } : {}),
    },
    outcome,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
  };
  return result;
}

type Role = 'notes' | 'referral' | 'amount' | 'stage' | 'next_step' | 'close_date' | 'follow_up_date' | 'follow_up_window';

function outcomeRoles(raw: RawQuestionnaire): Map<string, Role> {
  const roles = new Map<string, Role>();
  const o = raw.outcome;
  if (!o) return roles;
  if (o.notes) roles.set(o.notes, 'notes');
  if (o.referral) roles.set(o.referral, 'referral');
  if (o.follow_up) {
    roles.set(o.follow_up.date, 'follow_up_date');
    if (o.follow_up.window) roles.set(o.follow_up.window, 'follow_up_window');
  }
  if (o.opportunity) {
    roles.set(o.opportunity.amount, 'amount');
    roles.set(o.opportunity.stage, 'stage');
    roles.set(o.opportunity.next_step, 'next_step');
    roles.set(o.opportunity.close_date, 'close_date');
  }
  return roles;
}

/** Default column: `<prefix>_<id>`; opportunity answers go to the shared `opp_*` columns whatever
 * the framework, so reports read one set of names; the notes question fills `<prefix>_notes`. */
function defaultColumn(id: string, prefix: string, role: Role | undefined): string {
  if (role === 'amount' || role === 'stage' || role === 'next_step' || role === 'close_date') return `opp_${role}`;
  if (role === 'notes') return `${prefix}_notes`;
  return `${prefix}_${id}`;
}

function normalizeQuestion(raw: RawQuestion, i: number, prefix: string, roles: Map<string, Role>, report: Report): Question {
  const path: Path = ['steps', i];
  const where = `question "${raw.id}": `;
  const base = {
    id: raw.id,
    prompt: raw.ask,
    label: raw.label ?? humanize(raw.id),
    required: raw.required ?? true,
    column: raw.column ?? defaultColumn(raw.id, prefix, roles.get(raw.id)),
    step: i,
    ...(raw.help !== undefined ? { help: raw.help } : {}),
  };
  switch (raw.type) {
    case 'select':
    case 'multi-select': {
      const options: Option[] = [];
      const seen = new Set<string>();
      raw.options.forEach((o, j) => {
        const value = String(o.value);
        if (seen.has(value)) report([...path, 'options', j], `${where}option "${value}" is listed twice`);
        seen.add(value);
        options.push({ value, label: o.label ?? humanize(value), points: o.points ?? 0, ...(o.help !== undefined ? { help: o.help } : {}) });
      });
      const values = options.map((o) => o.value);
      const checkDefault = (v: string | number, p: Path): void => {
        if (!values.includes(String(v))) report(p, `${where}default "${v}" is not one of the options (${values.join(', ')})`);
      };
      if (raw.type === 'select') {
        if (raw.default !== undefined) checkDefault(raw.default, [...path, 'default']);
        return { ...base, kind: 'select', options, ...(raw.default !== undefined ? { default: String(raw.default) } : {}) };
      }
      raw.default?.forEach((v, j) => checkDefault(v, [...path, 'default', j]));
      if (raw.min !== undefined && raw.min > options.length) report([...path, 'min'], `${where}"min" is ${raw.min} but there are only ${options.length} options`);
      if (raw.max !== undefined && raw.min !== undefined && raw.max < raw.min) report([...path, 'max'], `${where}"max" (${raw.max}) is less than "min" (${raw.min})`);
      if (raw.max === 0) report([...path, 'max'], `${where}"max" should be at least 1`);
      return {
        ...base,
        kind: 'multi-select',
        options,
        ...(raw.min !== undefined ? { min: raw.min } : {}),
        ...(raw.max !== undefined ? { max: raw.max } : {}),
        ...(raw.max_points !== undefined ? { maxPoints: raw.max_points } : {}),
        ...(raw.default !== undefined ? { default: raw.default.map(String) } : {}),
      };
    }
    case 'text':
      return { ...base, kind: 'text', ...(raw.default !== undefined ? { default: raw.default } : {}) };
    case 'number': {
      if (raw.min !== undefined && raw.max !== undefined && raw.min > raw.max) report([...path, 'max'], `${where}"max" (${raw.max}) is less than "min" (${raw.min})`);
      (raw.points ?? []).forEach((b, j) => {
        if (b.min !== undefined && b.max !== undefined && b.min >= b.max) report([...path, 'points', j], `${where}points band ${j + 1} is empty: "min" ${b.min} is not below "max" ${b.max}`);
      });
      if (raw.default !== undefined && ((raw.min !== undefined && raw.default < raw.min) || (raw.max !== undefined && raw.default > raw.max)))
        report([...path, 'default'], `${where}default ${raw.default} is outside min/max`);
      return {
        ...base,
        kind: 'number',
        integer: raw.integer ?? false,
        bands: (raw.points ?? []).map((b) => ({ points: b.points, ...(b.min !== undefined ? { min: b.min } : {}), ...(b.max !== undefined ? { max: b.max } : {}) })),
        ...(raw.unit !== undefined ? { unit: raw.unit } : {}),
        ...(raw.min !== undefined ? { min: raw.min } : {}),
        ...(raw.max !== undefined ? { max: raw.max } : {}),
        ...(raw.default !== undefined ? { default: raw.default } : {}),
      };
    }
    case 'yes-no':
      return { ...base, kind: 'yes-no', points: { yes: raw.points?.yes ?? 0, no: raw.points?.no ?? 0 }, ...(raw.default !== undefined ? { default: raw.default } : {}) };
    case 'date': {
      const checkDay = (v: string | undefined, key: string): void => {
        // Any fixed day will do: this only checks that the text can be read as a day.
        if (v !== undefined && parseDay(v, '2000-01-01') === undefined)
          report([...path, key], `${where}"${key}" should be a date such as 2026-09-30, "today" or "in 6 months", not ${show(v)}`);
      };
      checkDay(raw.min, 'min');
      checkDay(raw.max, 'max');
      checkDay(raw.default, 'default');
      const bands: DateBand[] = [];
      (raw.points ?? []).forEach((b, j) => {
        const set = [b.within_days, b.within_months].filter((x) => x !== undefined);
        if (set.length !== 1) {
          report([...path, 'points', j], `${where}points band ${j + 1} needs exactly one of "within_days" or "within_months"`);
          return;
        }
        bands.push({
          points: b.points,
          within: b.within_days !== undefined ? { amount: b.within_days, unit: 'days' } : { amount: b.within_months!, unit: 'months' },
        });
      });
      return {
        ...base,
        kind: 'date',
        bands,
        ...(raw.min !== undefined ? { min: raw.min } : {}),
        ...(raw.max !== undefined ? { max: raw.max } : {}),
        ...(raw.default !== undefined ? { default: raw.default } : {}),
      };
    }
  }
}

function carriesPoints(q: Question): boolean {
  switch (q.kind) {
    case 'select':
    case 'multi-select':
      return q.options.some((o) => o.points !== 0);
    case 'number':
    case 'date':
      return q.bands.length > 0;
    case 'yes-no':
      return q.points.yes !== 0 || q.points.no !== 0;
    case 'text':
      return false;
  }
}

function checkOutcome(
  raw: RawQuestionnaire,
  byId: Map<string, { step: number; kind?: QuestionKind; broken: boolean }>,
  ctx: CompileContext,
  report: Report,
): Questionnaire['outcome'] {
  const o = raw.outcome;
  const out: Questionnaire['outcome'] = {};
  if (!o) return out;
  const ids = [...byId.keys()];
  const check = (ref: string, path: Path, kinds: readonly QuestionKind[], what: string): boolean => {
    const q = byId.get(ref);
    if (!q) return report(path, `${what}: "${ref}" is not a question in this file${suggestion(ref, ids)}`), false;
    if (!q.broken && q.kind && !kinds.includes(q.kind)) return report(path, `${what}: "${ref}" is a ${q.kind} question; use a ${kinds.join(' or ')} question`), false;
    return true;
  };
  if (o.notes !== undefined && check(o.notes, ['outcome', 'notes'], ['text'], 'notes')) out.notes = o.notes;
  if (o.referral !== undefined && check(o.referral, ['outcome', 'referral'], ['text', 'select'], 'referral')) out.referral = o.referral;
  if (o.follow_up) {
    // Any call can book the next meeting: a needs assessment the discovery call, a discovery call
    // the demo or the proposal meeting (the calendar export of \`qualify followups --ics\` reads both).
    const okDate = check(o.follow_up.date, ['outcome', 'follow_up', 'date'], ['date'], 'follow-up date');
    const okWindow = o.follow_up.window === undefined || check(o.follow_up.window, ['outcome', 'follow_up', 'window'], ['select', 'text'], 'follow-up window');
    if (okDate && okWindow)
      out.followUp = {
        date: o.follow_up.date,
        // Without a booked day: a needs assessment promises contact; a discovery call says nothing.
        otherwise: o.follow_up.otherwise ?? (raw.kind === 'needs-assessment' ? 'sales will be in touch' : ''),
        ...(o.follow_up.window !== undefined ? { window: o.follow_up.window } : {}),
      };
  }
  if (o.opportunity) {
    const p: Path = ['outcome', 'opportunity'];
    if (raw.kind !== 'discovery') report(p, 'an opportunity is opened by a discovery call (kind: discovery)', { key: true });
    const when: Condition | undefined = compileCondition(o.opportunity.when, [...p, 'when'], ctx);
    const oks = [
      check(o.opportunity.amount, [...p, 'amount'], ['number'], 'opportunity amount'),
      check(o.opportunity.stage, [...p, 'stage'], ['select', 'text'], 'opportunity stage'),
      check(o.opportunity.next_step, [...p, 'next_step'], ['select', 'text'], 'opportunity next step'),
      check(o.opportunity.close_date, [...p, 'close_date'], ['date'], 'opportunity close date'),
    ];
    if (when && oks.every(Boolean))
      out.opportunity = { when, amount: o.opportunity.amount, stage: o.opportunity.stage, nextStep: o.opportunity.next_step, closeDate: o.opportunity.close_date };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Offset of `needle` inside the scalar at `path`, so an error can point at a placeholder. */
function placeholderOffset(src: YamlSource, path: Path, needle: string): number | undefined {
  const node = src.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  if (!node?.range) return undefined;
  const at = src.text.indexOf(needle, node.range[0]);
  return at >= 0 && at < node.range[2] ? at : undefined;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lastKey(path: Path): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return '';
}

function show(v: unknown): string {
  if (v === null) return 'empty';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return String(v);
}

export function humanize(id: string): string {
  const s = id.replace(/_/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function suggestion(name: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD > 0 && bestD <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : '';
}
