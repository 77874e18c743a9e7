// The questionnaire as a pure state machine: start(q, lead, {now}) → State; next(state) → the
// script text to read, the question to ask, or the outcome; answer/advance/revise/back → a new
// State. Answers are validated here (errors returned as data) and the outcome, points, reasons and
// write-back columns are computed here. Never does I/O, never prompts, never reads the clock.
import { CLASS_OF_STAGE, QUALIFIED_AT_COLUMN, STAGE, type RecordClass, type Stage } from '../stage/model.js';
import { stageAfter, STEP_OF_KIND, type CallVerdict } from '../stage/transitions.js';
import { isCurrencyUnit, readAmount } from '../amount.js';
import { parseBoolean, type DateFormat } from '../values.js';
import { evaluate, type EvalEnv } from './conditions.js';
import { addDays, addMonths, isoDay, parseDay, type IsoDate } from './dates.js';
import type { Answers, AnswerValue, Question, Questionnaire, QuestionnaireKind, QuestionnaireStep } from './schema.js';
import { defaultFallback, fillPlaceholders, lowerFirst } from './template.js';

export interface State {
  readonly q: Questionnaire;
  /** The lead's values for the questionnaire's declared lead fields ('' when the row lacks one). */
  readonly lead: Readonly<Record<string, string>>;
  readonly vars: Readonly<Record<string, string>>;
  /** The day of the call, for relative dates and "within 6 months". */
  readonly today: IsoDate;
  /** `qualified_at` stamp, passed in at start. */
  readonly timestamp: string;
  readonly answers: Readonly<Answers>;
  /** Question ids in the order they were answered (for back()). */
  readonly order: readonly string[];
  /** Script steps already read. */
  readonly seen: readonly number[];
  /** Earlier answers kept as suggestions after a revise or after they stopped applying. */
  readonly defaults: Readonly<Answers>;
  /** How typed numbers and dates are read: the lead file's settings. */
  readonly reading: Reading;
}

/** The lead file's reading settings (rules `settings.decimal`/`date_format`, `--decimal`,
 * `--date-format`), which answers are read with too: an amount such as `40.500` that the decimal
 * mark leaves ambiguous is asked again, and `03/04/2027` follows the date format. */
export interface Reading {
  decimal?: '.' | ',';
  dateFormat?: DateFormat;
}

export interface StartOptions {
  now: Date;
  /** Answers from a draft (resume) or an earlier run; invalid or unknown ones are dropped. */
  answers?: Answers;
  /** Overrides for the questionnaire's `vars` (e.g. the salesperson's name). */
  vars?: Record<string, string>;
  /** Decimal mark and date format of the lead file (default `.` and `auto`). */
  reading?: Reading;
}

export type Step =
  | { kind: 'script'; step: number; title?: string; text: string }
  /** `prompt` and `help`: the question's words with placeholders filled. */
  | { kind: 'question'; step: number; question: Question; prompt: string; help?: string; default?: AnswerValue }
  | { kind: 'done'; outcome: Outcome };

export type ParseResult = { ok: true; value: AnswerValue } | { ok: false; message: string };
export type AnswerResult = { ok: true; state: State } | { ok: false; questionId: string; message: string; allowed: string };

export interface Opportunity {
  amount: number;
  stage: string;
  nextStep: string;
  closeDate: string;
}

export interface Outcome {
  questionnaire: string;
  kind: QuestionnaireKind;
  result: 'qualified' | 'disqualified';
  stage: Stage;
  class: RecordClass;
  reasons: string[];
  points: number;
  /** Needs assessment: "2026-07-14 09:00-11:00", or "sales will be in touch". */
  followUp?: string;
  opportunity?: Opportunity;
  referral?: string;
  notes: string;
  answers: Answers;
  qualifiedAt: string;
  /** The row's write-back: column name → cell text, in a stable order. */
  columns: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Moving through the call
// ---------------------------------------------------------------------------------------------

export function start(q: Questionnaire, lead: Readonly<Record<string, string>>, opts: StartOptions): State {
  const today = isoDay(opts.now);
  let state: State = {
    q,
    lead: resolveLead(q, lead),
    vars: { ...q.vars, ...opts.vars },
    today,
    timestamp: opts.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    answers: {},
    order: [],
    seen: [],
    defaults: {},
    reading: opts.reading ?? {},
  };
  if (opts.answers) {
    const answers: Answers = {};
    const order: string[] = [];
    for (const question of q.questions) {
      if (!(question.id in opts.answers)) continue;
      const r = parseAnswer(question, opts.answers[question.id], today, state.reading);
      // A draft written against an older version of the file may hold answers that no longer
      // fit; dropping them just means the question is asked again.
      if (r.ok) {
        answers[question.id] = r.value;
        order.push(question.id);
      }
    }
    state = prune({ ...state, answers, order });
    // The script up to the furthest answer was read in the interrupted call: not again. Only
    // what applies now counts as read; a script that a later change of answer brings into the
    // call is read then.
    const furthest = Math.max(-1, ...state.order.map((id) => questionById(q, id)?.step ?? -1));
    const read = q.steps.filter((st) => st.kind === 'script' && st.step < furthest && applies(state, st, state.answers)).map((st) => st.step);
    state = { ...state, seen: read };
  }
  return state;
}

export function next(state: State): Step {
  for (const s of state.q.steps) {
    if (!applies(state, s, state.answers)) continue;
    if (s.kind === 'script') {
      // A script is read once (a resumed call starts with the script it had read marked, see
      // start). One that a changed answer brings into the call for the first time is read then:
      // e.g. the qualified close, which leads into the question it sets up.
      if (state.seen.includes(s.step)) continue;
      return { kind: 'script', step: s.step, text: render(state, s.text, state.answers, true), ...(s.title !== undefined ? { title: s.title } : {}) };
    }
    if (s.id in state.answers) continue;
    const def = defaultFor(state, s);
    return {
      kind: 'question',
      step: s.step,
      question: s,
      prompt: render(state, s.prompt, state.answers, true),
      ...(s.help !== undefined ? { help: render(state, s.help, state.answers, true) } : {}),
      ...(def !== undefined ? { default: def } : {}),
    };
  }
  return { kind: 'done', outcome: outcomeOf(state) };
}

/** Past the script `next` returned (a no-op on anything else). */
export function advance(state: State): State {
  const step = next(state);
  if (step.kind !== 'script') return state;
  return { ...state, seen: [...state.seen, step.step] };
}

export function answer(state: State, questionId: string, raw: unknown): AnswerResult {
  const q = questionById(state.q, questionId);
  if (!q) return { ok: false, questionId, message: `there is no question "${questionId}"`, allowed: state.q.questions.map((x) => x.id).join(', ') };
  const allowed = describeAllowed(q, state.today, state.reading);
  if (!applies(state, q, state.answers)) return { ok: false, questionId, message: `"${q.label}" is not asked, given the earlier answers`, allowed };
  const r = parseAnswer(q, raw, state.today, state.reading);
  if (!r.ok) return { ok: false, questionId, message: r.message, allowed };
  const { [questionId]: _dropped, ...defaults } = state.defaults;
  const answered: State = {
    ...state,
    answers: { ...state.answers, [questionId]: r.value },
    order: [...state.order.filter((id) => id !== questionId), questionId],
    defaults,
  };
  return { ok: true, state: prune(answered) };
}

/**
 * Reopens an earlier answer: the question is asked again (its old answer as the default), while
 * the other answers stand. Answers that stop applying once it is answered again are dropped then.
 */
export function revise(state: State, questionId: string): State {
  if (!(questionId in state.answers)) return state;
  const { [questionId]: old, ...answers } = state.answers;
  return {
    ...state,
    answers,
    order: state.order.filter((id) => id !== questionId),
    defaults: { ...state.defaults, [questionId]: old as AnswerValue },
  };
}

/** Goes back to the most recently answered question (a no-op before the first answer). */
export function back(state: State): State {
  const last = state.order[state.order.length - 1];
  return last === undefined ? state : revise(state, last);
}

/** Questions answered so far, in the order they appear in the questionnaire. */
export function answeredQuestions(state: State): Question[] {
  return state.q.questions.filter((q) => q.id in state.answers);
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/** Words for "no date yet" accepted by an optional date question (as blank). */
const NOT_KNOWN = /^(?:not known(?: yet)?|unknown|don'?t know|n\/?a|tbd|tbc|\?)$/i;

/**
 * Reads an answer as the prompter or an answers file gives it: option values or labels, amounts
 * as typed (`50k`, `€ 50.000`, see amount.ts), yes/no words, dates as the scorer reads them plus
 * month names and relative days. Returns the stored form. Messages name the question by its
 * label, as the salesperson sees it.
 */
export function parseAnswer(q: Question, raw: unknown, today: IsoDate, reading: Reading = {}): ParseResult {
  const name = `"${q.label}"`;
  const blank = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
  if (blank) return q.required ? { ok: false, message: `${name} needs an answer` } : { ok: true, value: null };
  const fail = (what: string): ParseResult => ({ ok: false, message: `${what} is not a valid answer to ${name}` });
  const shown = typeof raw === 'string' ? JSON.stringify(raw) : Array.isArray(raw) ? JSON.stringify(raw) : String(raw);
  switch (q.kind) {
    case 'select': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return fail(shown);
      const o = findOption(q.options, String(raw));
      return o ? { ok: true, value: o.value } : fail(shown);
    }
    case 'multi-select': {
      let items: unknown[];
      if (Array.isArray(raw)) items = raw;
      else if (typeof raw === 'string') items = raw.split(/[;,]/).map((s) => s.trim()).filter((s) => s !== '');
      else if (typeof raw === 'number') items = [raw];
      else return fail(shown);
      const values: string[] = [];
      for (const item of items) {
        if (typeof item !== 'string' && typeof item !== 'number') return fail(JSON.stringify(item));
        const o = findOption(q.options, String(item));
        if (!o) return fail(JSON.stringify(String(item)));
        if (!values.includes(o.value)) values.push(o.value);
      }
      // Keep the file's option order so the same choices always write the same cell.
      values.sort((a, b) => q.options.findIndex((o) => o.value === a) - q.options.findIndex((o) => o.value === b));
      const min = q.min ?? (q.required ? 1 : 0);
      if (values.length < min) return { ok: false, message: `${name} needs at least ${min} choice${min === 1 ? '' : 's'}` };
      if (q.max !== undefined && values.length > q.max) return { ok: false, message: `${name} allows at most ${q.max} choice${q.max === 1 ? '' : 's'}` };
      return { ok: true, value: values };
    }
    case 'text':
      if (typeof raw !== 'string' && typeof raw !== 'number') return fail(shown);
      return { ok: true, value: String(raw).trim() };
    case 'number': {
      let n: number;
      if (typeof raw === 'number') n = raw;
      else if (typeof raw !== 'string') return fail(shown);
      else {
        const a = readAmount(raw, { ...(reading.decimal ? { decimal: reading.decimal } : {}), currencyUnit: isCurrencyUnit(q.unit) });
        if (!a.ok) {
          // Never a silent guess: the salesperson is asked again, an answers file is refused.
          if (a.reason === 'ambiguous') return { ok: false, message: `${shown} could mean ${a.suggest[0]} or ${a.suggest[1]}: write ${name} as ${a.suggest[0]} or as ${a.suggest[1]}` };
          if (a.reason === 'range') return { ok: false, message: `${shown} is a range: ${name} needs one amount` };
          return fail(shown);
        }
        n = a.value;
      }
      if (!Number.isFinite(n)) return fail(shown);
      if (q.integer && !Number.isInteger(n)) return { ok: false, message: `${name} needs a whole number, not ${n}` };
      if (q.min !== undefined && n < q.min) return { ok: false, message: `${name} must be at least ${formatNumber(q.min)}, not ${formatNumber(n)}` };
      if (q.max !== undefined && n > q.max) return { ok: false, message: `${name} must be at most ${formatNumber(q.max)}, not ${formatNumber(n)}` };
      return { ok: true, value: n };
    }
    case 'yes-no': {
      const b = typeof raw === 'boolean' ? raw : typeof raw === 'string' ? parseBoolean(raw) : undefined;
      return b === undefined ? fail(shown) : { ok: true, value: b };
    }
    case 'date': {
      let d: string | undefined;
      // YAML 1.1 and JS callers may hand over a Date: its UTC day is the day written.
      if (raw instanceof Date && !Number.isNaN(raw.getTime())) d = raw.toISOString().slice(0, 10);
      else if (typeof raw === 'string') {
        if (!q.required && NOT_KNOWN.test(raw.trim())) return { ok: true, value: null };
        d = parseDay(raw, today, reading.dateFormat);
      }
      if (d === undefined) return { ok: false, message: `${shown} is not a date ${name} understands; write it as ${dateForms(reading.dateFormat)}` };
      const min = q.min !== undefined ? parseDay(q.min, today) : undefined;
      const max = q.max !== undefined ? parseDay(q.max, today) : undefined;
      if (min !== undefined && d < min) return { ok: false, message: `${name} must be on or after ${min}${boundNote(q.min!)}, not ${d}` };
      if (max !== undefined && d > max) return { ok: false, message: `${name} must be on or before ${max}${boundNote(q.max!)}, not ${d}` };
      return { ok: true, value: d };
    }
  }
}

/** The date forms accepted, in words, for the hint and the messages. */
export function dateForms(format: DateFormat = 'auto'): string {
  const cell = format === 'dmy' ? '31/03/2027, ' : format === 'mdy' ? '3/31/2027, ' : format === 'ymd' ? '' : '31/03/2027, 3/31/2027, ';
  return `2027-03-31, ${cell}March 31 (the next one), or e.g. "in 2 weeks", "next friday", "end of quarter"`;
}

function boundNote(written: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(written.trim()) ? '' : ` (${written.trim()})`;
}

function findOption(options: readonly { value: string; label: string }[], s: string): { value: string } | undefined {
  const t = s.trim();
  const lower = t.toLowerCase();
  return options.find((o) => o.value === t) ?? options.find((o) => o.value.toLowerCase() === lower || o.label.toLowerCase() === lower);
}

/** The allowed values, in words, for error messages ("one of: champion, influencer, user"). */
export function describeAllowed(q: Question, today: IsoDate, reading: Reading = {}): string {
  const optional = q.required ? '' : ' (or leave blank)';
  switch (q.kind) {
    case 'select':
      return `one of: ${q.options.map((o) => o.value).join(', ')}${optional}`;
    case 'multi-select': {
      const n = q.max !== undefined ? `up to ${q.max} of` : q.required || (q.min ?? 0) > 0 ? 'one or more of' : 'any of';
      return `${n}: ${q.options.map((o) => o.value).join(', ')} (a list, or separated by ";")`;
    }
    case 'text':
      return q.required ? 'any text, not empty' : 'any text (or leave blank)';
    case 'number': {
      const unit = q.unit ? ` in ${q.unit}` : '';
      const range =
        q.min !== undefined && q.max !== undefined
          ? ` from ${formatNumber(q.min)} to ${formatNumber(q.max)}`
          : q.min !== undefined
            ? ` of at least ${formatNumber(q.min)}`
            : q.max !== undefined
              ? ` of at most ${formatNumber(q.max)}`
              : '';
      return `${q.integer ? 'a whole number' : 'a number'}${unit}${range}${optional}`;
    }
    case 'yes-no':
      return 'yes or no';
    case 'date': {
      const min = q.min !== undefined ? parseDay(q.min, today) : undefined;
      const max = q.max !== undefined ? parseDay(q.max, today) : undefined;
      const range = [min !== undefined ? `on or after ${min}` : '', max !== undefined ? `on or before ${max}` : ''].filter(Boolean).join(' and ');
      return `a date: ${dateForms(reading.dateFormat)}${range ? `, ${range}` : ''}${q.required ? '' : ' (or leave blank: not known yet)'}`;
    }
  }
}

/** How an answer reads in a summary and in script text. */
export function displayValue(q: Question, v: AnswerValue | undefined): string {
  if (v === undefined) return '';
  if (v === null) return '(left blank)';
  switch (q.kind) {
    case 'select':
      return q.options.find((o) => o.value === v)?.label ?? String(v);
    case 'multi-select':
      return Array.isArray(v) ? (v.length ? v.map((x) => q.options.find((o) => o.value === x)?.label ?? x).join(', ') : '(none)') : String(v);
    case 'number':
      return typeof v === 'number' ? `${formatNumber(v)}${q.unit ? ` ${q.unit}` : ''}` : String(v);
    case 'yes-no':
      return v === true ? 'yes' : v === false ? 'no' : String(v);
    default:
      return String(v);
  }
}

/** How an answer is written to its CSV cell: option values, `; ` between choices, plain numbers. */
export function columnValue(v: AnswerValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.join('; ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

function formatNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

// ---------------------------------------------------------------------------------------------
// Points, qualification, outcome
// ---------------------------------------------------------------------------------------------

export function pointsFor(q: Question, v: AnswerValue | undefined, today: IsoDate): number {
  if (v === undefined || v === null) return 0;
  switch (q.kind) {
    case 'select':
      return q.options.find((o) => o.value === v)?.points ?? 0;
    case 'multi-select': {
      const sum = (Array.isArray(v) ? v : []).reduce((acc, x) => acc + (q.options.find((o) => o.value === x)?.points ?? 0), 0);
      return q.maxPoints !== undefined ? Math.min(sum, q.maxPoints) : sum;
    }
    case 'number':
      if (typeof v !== 'number') return 0;
      return q.bands.find((b) => (b.min === undefined || v >= b.min) && (b.max === undefined || v < b.max))?.points ?? 0;
    case 'yes-no':
      return v === true ? q.points.yes : v === false ? q.points.no : 0;
    case 'date':
      if (typeof v !== 'string') return 0;
      return q.bands.find((b) => v <= (b.within.unit === 'days' ? addDays(today, b.within.amount) : addMonths(today, b.within.amount)))?.points ?? 0;
    case 'text':
      return 0;
  }
}

export function totalPoints(state: Pick<State, 'q' | 'today'>, answers: Readonly<Answers>): number {
  return state.q.questions.reduce((acc, q) => acc + pointsFor(q, answers[q.id], state.today), 0);
}

export interface Qualification {
  qualified: boolean;
  /** Why it qualifies (every rule's reason), or why not (each failed rule's `otherwise`). */
  reasons: string[];
  points: number;
}

export function qualify(state: State, answers: Readonly<Answers> = state.answers): Qualification {
  const env = envFor(state, answers);
  const points = totalPoints(state, answers);
  const passed: string[] = [];
  const failed: string[] = [];
  for (const rule of state.q.qualification.rules) {
    if (evaluate(rule.if, answers, env)) passed.push(render(state, rule.reason, answers));
    else failed.push(render(state, rule.otherwise, answers));
  }
  const min = state.q.qualification.minPoints;
  if (min !== undefined && points < min) failed.push(state.q.qualification.minPointsReason ?? `${points} points, below the ${min} needed`);
  return failed.length === 0 ? { qualified: true, reasons: passed, points } : { qualified: false, reasons: failed, points };
}

/** The columns every outcome of `q` writes, in outcomeOf's order (the same for every lead;
 * `stage` and `class` as named before the rules' column prefix is applied). */
export function outcomeColumns(q: Questionnaire): string[] {
  const p = q.prefix;
  const columns = q.questions.map((x) => x.column);
  columns.push(`${p}_outcome`, `${p}_reason`, `${p}_points`);
  if (hasFollowUp(q)) columns.push(`${p}_follow_up`);
  if (!columns.includes(`${p}_notes`)) columns.push(`${p}_notes`);
  columns.push('stage', 'class', 'action', QUALIFIED_AT_COLUMN);
  return columns;
}

export function outcomeOf(state: State): Outcome {
  const { q, answers } = state;
  const qual = qualify(state);
  const env = envFor(state, answers);
  const reasons = [...qual.reasons];
  let verdict: CallVerdict = qual.qualified ? 'qualified' : 'disqualified';
  let opportunity: Opportunity | undefined;
  if (qual.qualified && q.kind === 'discovery') {
    const o = q.outcome.opportunity;
    if (o && evaluate(o.when, answers, env)) {
      const amount = answers[o.amount], oppStage = answers[o.stage], nextStep = answers[o.nextStep], closeDate = answers[o.closeDate];
      const missing = [
        [o.amount, amount],
        [o.stage, oppStage],
        [o.nextStep, nextStep],
        [o.closeDate, closeDate],
      ].filter(([, v]) => v === undefined || v === null).map(([id]) => questionById(q, id as string)!.label.toLowerCase());
      // No deal without its numbers: an opportunity has an amount, a stage, a next step and a close date.
      if (missing.length === 0) {
        opportunity = { amount: amount as number, stage: String(oppStage), nextStep: String(nextStep), closeDate: String(closeDate) };
        verdict = 'opportunity';
      } else reasons.push(`No opportunity opened yet: ${missing.join(', ')} not given`);
    }
  }
  const stage = stageAfter(STEP_OF_KIND[q.kind], verdict);

  let followUp: string | undefined;
  if (hasFollowUp(q)) {
    const f = q.outcome.followUp;
    const date = f ? answers[f.date] : undefined;
    if (f && typeof date === 'string') {
      const w = f.window !== undefined ? answers[f.window] : undefined;
      const wq = f.window !== undefined ? questionById(q, f.window) : undefined;
      followUp = w !== undefined && w !== null && wq ? `${date} ${displayValue(wq, w)}` : date;
    } else followUp = qual.qualified ? (f?.otherwise ?? 'sales will be in touch') : '';
  }

  const notes = q.outcome.notes !== undefined ? columnValue(answers[q.outcome.notes]) : '';
  const referralValue = q.outcome.referral !== undefined ? answers[q.outcome.referral] : undefined;
  const referralQ = q.outcome.referral !== undefined ? questionById(q, q.outcome.referral) : undefined;
  const referral = referralQ && referralValue !== undefined && referralValue !== null ? displayValue(referralQ, referralValue) : undefined;

  const result = qual.qualified ? 'qualified' : 'disqualified';
  const columns: Record<string, string> = {};
  for (const question of q.questions) columns[question.column] = columnValue(answers[question.id]);
  const p = q.prefix;
  columns[`${p}_outcome`] = result;
  columns[`${p}_reason`] = reasons.join('; ');
  columns[`${p}_points`] = String(qual.points);
  if (followUp !== undefined) columns[`${p}_follow_up`] = followUp;
  if (!(`${p}_notes` in columns)) columns[`${p}_notes`] = notes;
  columns['stage'] = stage;
  columns['class'] = CLASS_OF_STAGE[stage];
  // The next step replaces the score's recommendation ("Send nurture email") in `action`.
  columns['action'] = nextAction(stage, reasons, followUp, referral, opportunity && q.outcome.opportunity ? displayValue(questionById(q, q.outcome.opportunity.nextStep)!, opportunity.nextStep) : undefined);
  columns[QUALIFIED_AT_COLUMN] = state.timestamp;

  return {
    questionnaire: q.id,
    kind: q.kind,
    result,
    stage,
    class: CLASS_OF_STAGE[stage],
    reasons,
    points: qual.points,
    notes,
    answers: { ...answers },
    qualifiedAt: state.timestamp,
    columns,
    ...(followUp !== undefined ? { followUp } : {}),
    ...(opportunity ? { opportunity } : {}),
    ...(referral !== undefined ? { referral } : {}),
  };
}

/** Whether a call writes `<prefix>_follow_up`: every needs assessment (the appointment, or that
 * sales will be in touch), and a discovery call that books its next meeting (outcome.follow_up). */
function hasFollowUp(q: Questionnaire): boolean {
  return q.kind === 'needs-assessment' || q.outcome.followUp !== undefined;
}

interface ActionFacts {
  reasons: string[];
  followUp: string | undefined;
  referral: string | undefined;
  nextStep: string | undefined;
}

/** The `action` cell a call writes, by the stage it ended in (the stages of CALL_TRANSITIONS). */
const NEXT_ACTION: Readonly<Partial<Record<Stage, (f: ActionFacts) => string>>> = {
  [STAGE.disqualified]: (f) => `Disqualified: ${f.reasons[0] ?? 'see the reason'}; ${f.referral !== undefined ? `referred to ${f.referral}` : 'ask for a referral'}`,
  [STAGE.sal]: (f) => (f.followUp !== undefined && /^\d{4}-\d{2}-\d{2}/.test(f.followUp) ? `Discovery call ${f.followUp}` : `Discovery call: ${f.followUp ?? 'sales will be in touch'}`),
  [STAGE.sql]: () => 'Open an opportunity',
  [STAGE.opportunity]: (f) => `Next step: ${f.nextStep ?? 'agree the next step'}${f.followUp !== undefined && /^\d{4}-\d{2}-\d{2}/.test(f.followUp) ? ` ${f.followUp}` : ''}`,
};

function nextAction(stage: Stage, reasons: string[], followUp: string | undefined, referral: string | undefined, nextStep: string | undefined): string {
  const action = NEXT_ACTION[stage];
  if (!action) throw new Error(`no next action for a call that ends in stage ${stage}`);
  return action({ reasons, followUp, referral, nextStep });
}

/** The outcome in a few plain lines, shown before it is saved. */
export function summarize(state: State, outcome: Outcome): string {
  const lines: string[] = [];
  lines.push(`${state.q.title}: ${outcome.result}, stage ${outcome.stage} (${outcome.points} points)`);
  for (const r of outcome.reasons) lines.push(`  - ${r}`);
  if (outcome.followUp) lines.push(`Follow-up: ${outcome.followUp}`);
  if (outcome.opportunity) {
    const o = outcome.opportunity;
    const ids = state.q.outcome.opportunity;
    // As the salesperson chose them (option labels, the amount with its unit), like the answers below.
    const shown = (id: string | undefined, v: AnswerValue): string => {
      const q = id !== undefined ? questionById(state.q, id) : undefined;
      return q ? displayValue(q, v) : String(v);
    };
    lines.push(
      `Opportunity: ${shown(ids?.amount, o.amount)}, stage ${shown(ids?.stage, o.stage)}, next step ${shown(ids?.nextStep, o.nextStep)}, close ${o.closeDate}`,
    );
  }
  if (outcome.referral) lines.push(`Referral: ${outcome.referral}`);
  if (outcome.notes) lines.push(`Notes: ${outcome.notes}`);
  const answered = answeredQuestions(state);
  if (answered.length) {
    lines.push('Answers:');
    const width = Math.min(28, Math.max(...answered.map((q) => q.label.length)));
    for (const q of answered) lines.push(`  ${q.label.padEnd(width)}  ${displayValue(q, state.answers[q.id])}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

function questionById(q: Questionnaire, id: string): Question | undefined {
  return q.questions.find((x) => x.id === id);
}

function envFor(state: State, answers: Readonly<Answers>): EvalEnv {
  let cached: boolean | undefined;
  return {
    today: state.today,
    qualified: () => (cached ??= qualify(state, answers).qualified),
  };
}

function applies(state: State, s: QuestionnaireStep, answers: Readonly<Answers>): boolean {
  return s.when === undefined || evaluate(s.when, answers, envFor(state, answers));
}

/**
 * Drops answers to questions that no longer apply (an earlier answer changed), keeping them as
 * defaults in case they apply again. One pass in file order is enough: a condition only uses
 * earlier answers (load.ts checks that).
 */
function prune(state: State): State {
  const answers: Answers = { ...state.answers };
  const defaults: Answers = { ...state.defaults };
  let changed = false;
  for (const q of state.q.questions) {
    if (!(q.id in answers)) continue;
    if (!applies(state, q, answers)) {
      defaults[q.id] = answers[q.id]!;
      delete answers[q.id];
      changed = true;
    }
  }
  if (!changed) return state;
  return { ...state, answers, defaults, order: state.order.filter((id) => id in answers) };
}

function defaultFor(state: State, q: Question): AnswerValue | undefined {
  if (q.id in state.defaults) return state.defaults[q.id];
  if (q.default === undefined) return undefined;
  const r = parseAnswer(q, q.default, state.today, state.reading);
  return r.ok ? r.value : undefined;
}

/** Fills `text`'s placeholders; `fit` (script text and prompts, read aloud) fits values into the
 * sentence (template.ts), reasons written to the CSV keep the values as they are. */
function render(state: State, text: string, answers: Readonly<Answers> = state.answers, fit = false): string {
  return fillPlaceholders(
    text,
    (name) => {
      if (name in state.vars) return state.vars[name];
      if (name in state.lead) return state.lead[name];
      const q = questionById(state.q, name);
      if (!q || answers[q.id] === null) return undefined;
      // Choices read in a sentence: "forecasts miss, no clear view of pipeline health".
      const v = answers[q.id];
      if (fit && q.kind === 'multi-select' && Array.isArray(v) && v.length > 1) return v.map((x, i) => ((l) => (i === 0 ? l : lowerFirst(l)))(q.options.find((o) => o.value === x)?.label ?? x)).join(', ');
      return displayValue(q, v);
    },
    (name) => state.q.lead[name]?.fallback ?? defaultFallback(name),
    { fit },
  );
}

/** Finds each declared lead field in the row by its name or an alias, ignoring case, spaces
 * and punctuation (`First Name`, `first_name` and `FirstName` are one field). */
function resolveLead(q: Questionnaire, row: Readonly<Record<string, string>>): Record<string, string> {
  const key = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const byKey = new Map<string, string>();
  for (const [k, v] of Object.entries(row)) {
    const kk = key(k);
    // The first non-empty value wins when two headers collapse to one key.
    if (!byKey.has(kk) || (byKey.get(kk)!.trim() === '' && v.trim() !== '')) byKey.set(kk, v);
  }
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(q.lead)) {
    const hit = [name, ...spec.aliases].map((a) => byKey.get(key(a))).find((v) => v !== undefined && v.trim() !== '');
    out[name] = hit?.trim() ?? '';
  }
  return out;
}
