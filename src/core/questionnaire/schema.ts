// The questionnaire file format: zod schemas for the YAML as written (structure only) and the
// types of the checked, normalised form the engine runs. Cross-references (conditions, known
// placeholders, ids, columns) are checked in load.ts. Pure data; no I/O.
import * as z from 'zod';

// ---------------------------------------------------------------------------------------------
// Normalised form (what load.ts returns and engine.ts runs)
// ---------------------------------------------------------------------------------------------

export const QUESTION_KINDS = ['select', 'multi-select', 'text', 'number', 'yes-no', 'date'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const QUESTIONNAIRE_KINDS = ['needs-assessment', 'discovery'] as const;
export type QuestionnaireKind = (typeof QUESTIONNAIRE_KINDS)[number];

/** An answer as stored in state, drafts and answers files. `null`: asked and left blank. */
export type AnswerValue = string | number | boolean | string[] | null;
export type Answers = Record<string, AnswerValue>;

export interface Option {
  value: string;
  label: string;
  points: number;
  help?: string;
}

/** Points for a number answer: the first band whose range holds it (min inclusive, max exclusive). */
export interface NumberBand {
  min?: number;
  max?: number;
  points: number;
}

/** Points for a date answer: the first band the date falls within, counted from today. */
export interface DateBand {
  within: { amount: number; unit: 'days' | 'months' };
  points: number;
}

interface QuestionBase {
  id: string;
  /** What the salesperson asks, as written. */
  prompt: string;
  /** Short name for summaries ("Budget"); defaults to the id in words. */
  label: string;
  help?: string;
  required: boolean;
  /** CSV column the answer is written to. */
  column: string;
  when?: Condition;
  /** Index in `steps`. */
  step: number;
}

export interface SelectQuestion extends QuestionBase {
  kind: 'select';
  options: Option[];
  default?: string;
}
export interface MultiSelectQuestion extends QuestionBase {
  kind: 'multi-select';
  options: Option[];
  min?: number;
  max?: number;
  maxPoints?: number;
  default?: string[];
}
export interface TextQuestion extends QuestionBase {
  kind: 'text';
  default?: string;
}
export interface NumberQuestion extends QuestionBase {
  kind: 'number';
  unit?: string;
  min?: number;
  max?: number;
  integer: boolean;
  bands: NumberBand[];
  default?: number;
}
export interface YesNoQuestion extends QuestionBase {
  kind: 'yes-no';
  points: { yes: number; no: number };
  default?: boolean;
}
export interface DateQuestion extends QuestionBase {
  kind: 'date';
  /** Bounds as written (ISO or relative, e.g. `today`), resolved against the day of the call. */
  min?: string;
  max?: string;
  bands: DateBand[];
  default?: string;
}

export type Question = SelectQuestion | MultiSelectQuestion | TextQuestion | NumberQuestion | YesNoQuestion | DateQuestion;

export interface ScriptStep {
  kind: 'script';
  title?: string;
  text: string;
  when?: Condition;
  step: number;
}
export type QuestionnaireStep = ScriptStep | Question;

// Conditions over answers. A leaf names a question (or `$qualified`, the qualification result
// from the answers so far) and one test. The operand is already checked against the question.
export type Op =
  | 'equals'
  | 'not_equals'
  | 'in'
  | 'not_in'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'within_days'
  | 'within_months'
  | 'contains'
  | 'answered';
export type Operand = string | number | boolean | (string | number)[];
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { ref: string; kind: QuestionKind | 'qualified'; op: Op; operand: Operand };

export interface QualificationRule {
  name?: string;
  if: Condition;
  /** Why the lead qualifies on this count (placeholders allowed). */
  reason: string;
  /** Why the lead is disqualified when the rule fails. */
  otherwise: string;
}

export interface Questionnaire {
  id: string;
  title: string;
  description?: string;
  kind: QuestionnaireKind;
  /** Column prefix: `na` gives `na_need`, `na_outcome`, ... */
  prefix: string;
  lead: Record<string, { aliases: string[]; fallback?: string }>;
  vars: Record<string, string>;
  steps: QuestionnaireStep[];
  questions: Question[];
  qualification: { rules: QualificationRule[]; minPoints?: number; minPointsReason?: string };
  outcome: {
    notes?: string;
    referral?: string;
    followUp?: { date: string; window?: string; otherwise: string };
    opportunity?: { when: Condition; amount: string; stage: string; nextStep: string; closeDate: string };
  };
}

// ---------------------------------------------------------------------------------------------
// The YAML as written
// ---------------------------------------------------------------------------------------------

const text = z.string({ error: 'should be text' });
const points = z.number({ error: 'should be a number of points' });
const count = z.int({ error: 'should be a whole number' }).min(0, { error: 'should be 0 or more' });
const ID = /^[a-z][a-z0-9_]*$/;
const id = z.string({ error: 'should be an id' }).regex(ID, { error: 'should be lower-case letters, digits and _ (e.g. "budget", "follow_up_date")' });
const column = z.string({ error: 'should be a column name' }).regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'should be letters, digits and _ (a CSV column name)' });
/** Conditions are checked and compiled by load.ts (they need to know the questions). */
const condition = z.unknown();

const optionObject = z.strictObject({
  value: z.union([z.string(), z.number()], { error: 'should be text' }),
  label: text.optional(),
  points: points.optional(),
  help: text.optional(),
});
/** `- champion` is short for `- { value: champion }`. */
const option = z.preprocess((v) => (typeof v === 'string' || typeof v === 'number' ? { value: v } : v), optionObject);
const options = z.array(option, { error: 'should be a list of options' }).min(1, { error: 'is empty; add at least one option' });

const common = {
  id,
  ask: text,
  label: text.optional(),
  help: text.optional(),
  required: z.boolean({ error: 'should be true or false' }).optional(),
  column: column.optional(),
  when: condition.optional(),
};

export const rawQuestionSchemas = {
  select: z.strictObject({ ...common, type: z.literal('select'), options, default: z.union([z.string(), z.number()]).optional() }),
  'multi-select': z.strictObject({
    ...common,
    type: z.literal('multi-select'),
    options,
    min: count.optional(),
    max: count.optional(),
    max_points: points.optional(),
    default: z.array(z.union([z.string(), z.number()]), { error: 'should be a list of option values' }).optional(),
  }),
  text: z.strictObject({ ...common, type: z.literal('text'), default: text.optional() }),
  number: z.strictObject({
    ...common,
    type: z.literal('number'),
    unit: text.optional(),
    min: z.number({ error: 'should be a number' }).optional(),
    max: z.number({ error: 'should be a number' }).optional(),
    integer: z.boolean({ error: 'should be true or false' }).optional(),
    points: z
      .array(
        z.strictObject({
          min: z.number({ error: 'should be a number' }).optional(),
          max: z.number({ error: 'should be a number' }).optional(),
          points,
        }),
        { error: 'should be a list of bands, e.g. - { min: 10000, points: 10 }' },
      )
      .optional(),
    default: z.number({ error: 'should be a number' }).optional(),
  }),
  'yes-no': z.strictObject({
    ...common,
    type: z.literal('yes-no'),
    points: z.strictObject({ yes: points.optional(), no: points.optional() }, { error: 'should be { yes: N, no: N }' }).optional(),
    default: z.boolean({ error: 'should be true or false' }).optional(),
  }),
  date: z.strictObject({
    ...common,
    type: z.literal('date'),
    min: text.optional(),
    max: text.optional(),
    points: z
      .array(
        z.strictObject({ within_days: count.optional(), within_months: count.optional(), points }),
        { error: 'should be a list of bands, e.g. - { within_days: 90, points: 10 }' },
      )
      .optional(),
    default: text.optional(),
  }),
} as const;
export type RawQuestion = z.infer<(typeof rawQuestionSchemas)[QuestionKind]>;

export const rawScriptSchema = z.strictObject({ say: text, title: text.optional(), when: condition.optional() });
export type RawScript = z.infer<typeof rawScriptSchema>;

export const rawQuestionnaireSchema = z.strictObject({
  id: z.string({ error: 'should be a name' }).regex(/^[a-z][a-z0-9-]*$/, { error: 'should be lower-case letters, digits and - (e.g. "discovery-bant")' }),
  title: text,
  description: text.optional(),
  kind: z.enum(QUESTIONNAIRE_KINDS, { error: `should be one of ${QUESTIONNAIRE_KINDS.join(', ')}` }),
  prefix: z.string({ error: 'should be a short column prefix' }).regex(/^[a-z][a-z0-9]*$/, { error: 'should be lower-case letters and digits (e.g. "bant")' }),
  lead: z
    .record(
      z.string(),
      z.union([z.null(), z.strictObject({ aliases: z.array(text, { error: 'should be a list of header names' }).optional(), fallback: text.optional() })], {
        error: 'should be empty or { aliases: [...], fallback: ... }',
      }),
      { error: 'should be a map of lead fields' },
    )
    .optional(),
  vars: z.record(z.string(), z.union([z.string(), z.number()], { error: 'should be text' }), { error: 'should be a map of names to text' }).optional(),
  steps: z.array(z.unknown(), { error: 'should be a list of script and question steps' }).min(1, { error: 'is empty; add the script and the questions' }),
  qualification: z.strictObject(
    {
      rules: z
        .array(z.strictObject({ name: text.optional(), if: condition, reason: text, otherwise: text }), { error: 'should be a list of rules' })
        .min(1, { error: 'is empty; add at least one rule' }),
      min_points: z.number({ error: 'should be a number' }).optional(),
      min_points_reason: text.optional(),
    },
    { error: 'should be a map with rules:' },
  ),
  outcome: z
    .strictObject(
      {
        notes: id.optional(),
        referral: id.optional(),
        follow_up: z.strictObject({ date: id, window: id.optional(), otherwise: text.optional() }, { error: 'should be { date: question, window: question }' }).optional(),
        opportunity: z
          .strictObject({ when: condition, amount: id, stage: id, next_step: id, close_date: id }, { error: 'should be a map' })
          .optional(),
      },
      { error: 'should be a map' },
    )
    .optional(),
});
export type RawQuestionnaire = z.infer<typeof rawQuestionnaireSchema>;

/** Every key the format knows, for "did you mean" suggestions on unknown keys. */
export const KNOWN_KEYS: readonly string[] = [
  ...new Set([
    ...Object.keys(rawQuestionnaireSchema.shape),
    ...Object.values(rawQuestionSchemas).flatMap((s) => Object.keys(s.shape)),
    ...Object.keys(rawScriptSchema.shape),
    'rules', 'min_points', 'min_points_reason', 'notes', 'referral', 'follow_up', 'opportunity', 'date', 'window', 'otherwise',
    'amount', 'stage', 'next_step', 'close_date', 'aliases', 'fallback', 'within_days', 'within_months', 'value', 'name', 'if', 'reason',
    'yes', 'no',
  ]),
];
