// Drives one call: the engine's steps through a Prompter (script text said, questions asked),
// then the summary and a chance to change an answer before the outcome is confirmed. The
// salesperson can go back a question at any prompt of the call (the prompter's BackRequested):
// the last answer is taken back and asked again with itself as the default.
// Returns the outcome (or "discarded"); writes nothing itself: onProgress hands the answers
// after each one to the caller, which keeps a draft. Never reads the clock (opts.now).
import { QualifyError, type Location } from '../errors.js';
import { BackRequested, type Prompter, type PromptSpec } from './prompter.js';
import {
  advance,
  answer,
  answeredQuestions,
  describeAllowed,
  displayValue,
  next,
  parseAnswer,
  revise,
  start,
  summarize,
  type Outcome,
  type ParseResult,
  type Reading,
  type State,
} from './engine.js';
import { defaultFallback, fillPlaceholders } from './template.js';
import type { Answers, AnswerValue, Question, Questionnaire } from './schema.js';
import type { IsoDate } from './dates.js';

export interface RunOptions {
  now: Date;
  /** Answers kept from an interrupted call: those questions are not asked again. */
  draft?: Answers;
  vars?: Record<string, string>;
  /** The lead file's decimal mark and date format: typed amounts and dates are read with them. */
  reading?: Reading;
  /** Called after every answer with all answers so far. Kept synchronous on purpose: after
   * Ctrl-C or EOF an `await` may never resume (the process is on its way out), so save with
   * writeFileSync. */
  onProgress?: (answers: Answers) => void;
}

export type RunResult =
  | { status: 'saved'; outcome: Outcome; answers: Answers }
  | { status: 'discarded'; answers: Answers };

export async function runQuestionnaire(
  q: Questionnaire,
  lead: Readonly<Record<string, string>>,
  prompter: Prompter,
  opts: RunOptions,
): Promise<RunResult> {
  let state = start(q, lead, { now: opts.now, ...(opts.draft ? { answers: opts.draft } : {}), ...(opts.vars ? { vars: opts.vars } : {}), ...(opts.reading ? { reading: opts.reading } : {}) });
  for (;;) {
    const step = next(state);
    if (step.kind === 'script') {
      prompter.say(step.text, step.title !== undefined ? { title: step.title } : undefined);
      state = advance(state);
      continue;
    }
    if (step.kind === 'question') {
      let value: AnswerValue;
      try {
        const canGoBack = answeredQuestions(state).some((x) => x.step < step.question.step);
        value = await ask(prompter, step.question, { message: step.prompt, ...(step.help !== undefined ? { help: step.help } : {}) }, step.default, state.today, state.reading, canGoBack);
      } catch (e) {
        if (!(e instanceof BackRequested)) throw e;
        state = backFrom(state, step.question.step);
        opts.onProgress?.({ ...state.answers });
        continue;
      }
      const r = answer(state, step.question.id, value);
      if (!r.ok) throw new QualifyError('ANSWERS_INVALID', `${r.message}; allowed: ${r.allowed}`);
      state = r.state;
      opts.onProgress?.({ ...state.answers });
      continue;
    }
    prompter.say(summarize(state, step.outcome), { title: 'Summary' });
    const review = {
      ...control('$review', 'Save this outcome?', [
        { value: 'save', label: 'Save it' },
        { value: 'change', label: 'Change an answer' },
        { value: 'discard', label: 'Discard (the answers stay in the draft)' },
      ], 'save'),
      // Said, not only listed: a salesperson who spots a wrong answer knows how to fix it.
      help: 'Something wrong above? Choose "Change an answer" to correct any answer, or go back to the last question.',
    };
    let choice: AnswerValue;
    try {
      choice = await prompter.select(review);
    } catch (e) {
      if (!(e instanceof BackRequested)) throw e;
      state = backFrom(state, Infinity);
      opts.onProgress?.({ ...state.answers });
      continue;
    }
    if (choice === 'save') return { status: 'saved', outcome: step.outcome, answers: { ...state.answers } };
    if (choice === 'discard') return { status: 'discarded', answers: { ...state.answers } };
    const answered = answeredQuestions(state);
    let which: AnswerValue;
    try {
      which = await prompter.select(
        control('$change', 'Which answer do you want to change?', answered.map((x) => ({ value: x.id, label: `${x.label}: ${displayValue(x, state.answers[x.id])}` }))),
      );
    } catch (e) {
      // Back from "which answer": the summary again.
      if (!(e instanceof BackRequested)) throw e;
      continue;
    }
    state = revise(state, String(which));
  }
}

/**
 * Back from the question at `step` (Infinity: the summary): the answered question just before it
 * in the questionnaire is reopened, its answer kept as the default. By position rather than by
 * when it was answered, so that "back" after changing an answer from the summary goes to the
 * question above, as on paper. Before the first answer, nothing changes (the question is asked
 * again).
 */
export function backFrom(state: State, step: number): State {
  const before = answeredQuestions(state).filter((x) => x.step < step);
  const previous = before[before.length - 1];
  return previous === undefined ? state : revise(state, previous.id);
}

/**
 * Checks an --answers record before the call: every key must be a question of this file (a typo
 * would otherwise be ignored and the question reported missing, or worse, left blank).
 */
export function checkAnswerIds(q: Questionnaire, answers: Record<string, unknown>): QualifyError[] {
  const ids = new Set(q.questions.map((x) => x.id));
  return Object.keys(answers)
    .filter((k) => !ids.has(k) && !k.startsWith('$'))
    .map((k) => new QualifyError('ANSWERS_INVALID', `"${k}" is not a question of ${q.id}; questions: ${[...ids].join(', ')}`));
}

/**
 * Checks a whole --answers record before the call and returns every problem at once: unknown
 * question ids, answers of the wrong type or not allowed, and required questions left out (every
 * question always asked, and the first one asked on the path the valid answers take). Each
 * problem names the question by its wording and says what is allowed; `at` gives the position of
 * an answer in its file (line:col).
 */
export function checkAnswers(
  q: Questionnaire,
  lead: Readonly<Record<string, string>>,
  answers: Readonly<Record<string, unknown>>,
  opts: { now: Date; vars?: Record<string, string>; reading?: Reading; at?: (id: string) => Location | undefined; file?: string },
): QualifyError[] {
  const fileAt: Location | undefined = opts.file !== undefined ? { kind: 'file', file: opts.file } : undefined;
  const where = (id: string): Location | undefined => opts.at?.(id) ?? fileAt;
  const ids = q.questions.map((x) => x.id);
  const errors = Object.keys(answers)
    .filter((k) => !ids.includes(k) && !k.startsWith('$'))
    .map((k) => new QualifyError('ANSWERS_INVALID', `"${k}" is not a question of ${q.id}; questions: ${ids.join(', ')}`, where(k)));
  let state = start(q, lead, { now: opts.now, ...(opts.vars ? { vars: opts.vars } : {}), ...(opts.reading ? { reading: opts.reading } : {}) });
  const today = state.today;
  const reading = state.reading;
  const asked = (x: Question): string => `"${x.id}" (${x.label}: ${oneLine(wording(state, x))})`;
  const invalid = new Set<string>();
  for (const x of q.questions) {
    if (!Object.prototype.hasOwnProperty.call(answers, x.id)) continue;
    const raw = answers[x.id];
    const wrongType = typeProblem(x, raw);
    const r = wrongType ? { ok: false as const, message: wrongType } : parseAnswer(x, raw, today, reading);
    if (r.ok) continue;
    invalid.add(x.id);
    errors.push(new QualifyError('ANSWERS_INVALID', `answer to ${asked(x)}: ${r.message}; allowed: ${describeAllowed(x, today, reading)}`, where(x.id)));
  }
  const missing = (x: Question): QualifyError =>
    new QualifyError('ANSWERS_INVALID', `no answer to ${asked(x)}, which needs one; allowed: ${describeAllowed(x, today, reading)}`, where(x.id));
  const reported = new Set<string>();
  // Follow the call as the valid answers lead it, up to the first question that cannot be answered.
  for (let guard = 0; guard < 10_000; guard++) {
    const step = next(state);
    if (step.kind === 'script') {
      state = advance(state);
      continue;
    }
    if (step.kind === 'done') break;
    const x = step.question;
    if (invalid.has(x.id)) break;
    const given = Object.prototype.hasOwnProperty.call(answers, x.id) ? answers[x.id] : null;
    const r = answer(state, x.id, given);
    if (!r.ok) {
      errors.push(missing(x));
      reported.add(x.id);
      break;
    }
    state = r.state;
  }
  // Questions asked on every path need an answer whatever the other answers are.
  for (const x of q.questions) {
    if (x.required && x.when === undefined && !reported.has(x.id) && !invalid.has(x.id) && (answers[x.id] === undefined || answers[x.id] === null || answers[x.id] === '')) errors.push(missing(x));
  }
  return errors;
}

/** An answer of a type no question of this kind takes (a map, a list where one value is meant). */
function typeProblem(q: Question, raw: unknown): string | undefined {
  const isMap = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
  const expected: Record<Question['kind'], string> = {
    select: 'one option',
    'multi-select': 'a list of options',
    text: 'text',
    number: 'a number',
    'yes-no': 'yes or no',
    date: 'a date',
  };
  const bad = isMap(raw) ? 'a map' : Array.isArray(raw) && (q.kind !== 'multi-select' || raw.some((v) => isMap(v) || Array.isArray(v))) ? (q.kind === 'multi-select' ? 'a nested list or map' : 'a list') : undefined;
  if (bad === undefined) return undefined;
  const shown = JSON.stringify(raw);
  return `${bad} (${shown.length > 60 ? `${shown.slice(0, 59)}…` : shown}) is not an answer to "${q.id}": it takes ${expected[q.kind]}`;
}

/** A question's wording with the script's names filled in (vars, the lead's fields). */
function wording(state: State, x: Question): string {
  return fillPlaceholders(
    x.prompt,
    (name) => state.vars[name] ?? state.lead[name],
    (name) => state.q.lead[name]?.fallback ?? defaultFallback(name),
  );
}

function oneLine(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

function ask(prompter: Prompter, q: Question, words: { message: string; help?: string }, def: AnswerValue | undefined, today: IsoDate, reading: Reading, back: boolean): Promise<AnswerValue> {
  const spec: PromptSpec = {
    id: q.id,
    back,
    required: q.required,
    allowed: describeAllowed(q, today, reading),
    parse: (raw) => parseAnswer(q, raw, today, reading),
    ...words,
  };
  const has = def !== undefined && def !== null;
  switch (q.kind) {
    case 'select':
      return prompter.select({ ...spec, choices: q.options.map(choiceOf), ...(has ? { default: String(def) } : {}) });
    case 'multi-select':
      return prompter.checkbox({ ...spec, choices: q.options.map(choiceOf), ...(has && Array.isArray(def) ? { default: def } : {}) });
    case 'text':
      return prompter.input({ ...spec, ...(has ? { default: String(def) } : {}) });
    case 'number':
      return prompter.number({ ...spec, ...(q.unit !== undefined ? { unit: q.unit } : {}), ...(has && typeof def === 'number' ? { default: def } : {}) });
    case 'yes-no':
      return prompter.confirm({ ...spec, ...(has && typeof def === 'boolean' ? { default: def } : {}) });
    case 'date':
      return prompter.date({ ...spec, ...(has ? { default: String(def) } : {}) });
  }
}

function choiceOf(o: { value: string; label: string; help?: string }): { value: string; label: string; help?: string } {
  return { value: o.value, label: o.label, ...(o.help !== undefined ? { help: o.help } : {}) };
}

function control(id: string, message: string, choices: { value: string; label: string }[], def?: string): PromptSpec & { choices: typeof choices; default?: string } {
  const values = choices.map((c) => c.value);
  const parse = (raw: unknown): ParseResult =>
    typeof raw === 'string' && values.includes(raw) ? { ok: true, value: raw } : { ok: false, message: `${JSON.stringify(raw)} is not a valid answer to "${id}"` };
  return { id, message, required: true, back: true, allowed: `one of: ${values.join(', ')}`, parse, choices, ...(def !== undefined ? { default: def } : {}) };
}
