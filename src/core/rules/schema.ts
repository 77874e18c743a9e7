// The shape of a rules file, as a zod schema. Strict objects, so that an unknown or misspelt
// key is an error rather than silently ignored. Conditions (`when`) are checked by hand in
// compile.ts, against the operator registry, so their messages can name operators and fields.
import { z } from 'zod';
import { DISQUALIFYING_STAGES, STAGE, THRESHOLD_STAGES } from '../stage/model.js';

/** C0, DEL and C1 controls: from a rules text they would reach the terminal and the CSV cells. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const plain = z.string().refine((s) => !CONTROL.test(s), 'must not contain control characters (such as "\\e" or "\\t" escapes): they would reach the terminal and the CSV');
const text = z.string().min(1, 'must not be empty').pipe(plain);
const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'an id starts with a letter or a digit, then letters, digits, "-", "_", ":" or "." (no spaces)');
/** The message of every whole-number check (compile.ts words type errors by it). */
export const WHOLE = 'must be a whole number';
const int = z.int(WHOLE);

export const fieldSchema = z.strictObject({
  aliases: z.array(text).default([]),
  optional: z.boolean().default(false),
  description: plain.optional(),
});

export const ruleSchema = z.strictObject({
  id,
  why: text,
  when: z.unknown().optional(),
  points: int,
  per: text.optional(),
  max: int.optional(),
  enabled: z.boolean().default(true),
});

export const disqualifierSchema = z.strictObject({
  id,
  why: text,
  when: z.unknown(),
  stage: z.enum(DISQUALIFYING_STAGES).default(STAGE.disqualified),
  enabled: z.boolean().default(true),
});

export const thresholdSchema = z.strictObject({
  min: int,
  max: int,
  tier: text,
  stage: z.enum(THRESHOLD_STAGES),
  action: text,
});

const gradeBands = z.record(z.string(), int);

/** A follow-up cadence: the attempts after the first contact, each so many days after the one
 * before, up to max_attempts, then nurture or disqualified (see src/core/pipeline/cadence.ts). */
export const cadenceStepSchema = z.strictObject({
  channel: z.enum(['call', 'email']),
  days: int.min(1, 'a follow-up waits at least 1 day after the attempt before it (0 would make every attempt due at once)'),
});
export const cadenceSchema = z.strictObject({
  steps: z.array(cadenceStepSchema).min(1, 'give at least one step, e.g. { channel: email, days: 2 }'),
  max_attempts: int.min(1, 'at least 1 attempt').optional(),
  after_last: z.enum(['nurture', 'disqualify']).default('nurture'),
  reason: text.optional(),
});

/** Win probability per opportunity pipeline stage, 0 to 100 (the weighted pipeline of `qualify report`). */
export const pipelineSchema = z.strictObject({
  probabilities: z.record(text, z.number().min(0, 'a probability is 0 to 100').max(100, 'a probability is 0 to 100')),
});

export const rulesSchema = z.strictObject({
  version: z.literal(1).default(1),
  name: text,
  description: plain.optional(),
  settings: z
    .strictObject({
      decimal: z.enum(['.', ',']).default('.'),
      date_format: z.enum(['auto', 'ymd', 'mdy', 'dmy']).default('auto'),
      placeholders: z.array(z.union([z.string(), z.number()])).default([]),
      sales_sources: z.array(text).default([]),
      source_field: text.optional(),
      key_fit_fields: z.array(text).default([]),
      cold_action: text.default('Prospect: first outreach'),
      column_prefix: z.string().regex(/^[A-Za-z0-9_]*$/, 'use letters, digits and "_" only').default(''),
    })
    .default({
      decimal: '.',
      date_format: 'auto',
      placeholders: [],
      sales_sources: [],
      key_fit_fields: [],
      cold_action: 'Prospect: first outreach',
      column_prefix: '',
    }),
  fields: z.record(id, fieldSchema),
  fit: z.strictObject({ max: int.optional(), rules: z.array(ruleSchema).default([]) }),
  engagement: z.strictObject({
    max: int.optional(),
    floor: int.optional(),
    decay: z.strictObject({ field: text, half_life_days: z.number().positive('must be more than 0 days') }).optional(),
    rules: z.array(ruleSchema).default([]),
  }),
  disqualify: z.array(disqualifierSchema).default([]),
  duplicates: z.strictObject({ field: text, why: text.default('Same contact as an earlier row') }).optional(),
  score: z.strictObject({ min: int, max: int }),
  thresholds: z.array(thresholdSchema).min(1, 'at least one threshold is needed'),
  grade: z.strictObject({ fit: gradeBands, engagement: gradeBands }).optional(),
  cadence: cadenceSchema.optional(),
  pipeline: pipelineSchema.optional(),
  examples: z
    .array(
      z.strictObject({
        name: text,
        as_of: z.string().optional(),
        lead: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
        expect: z
          .strictObject({
            tier: text.optional(),
            stage: text.optional(),
            class: text.optional(),
            grade: text.optional(),
            score: int.optional(),
            min_score: int.optional(),
            max_score: int.optional(),
          })
          .refine((e) => Object.keys(e).length > 0, 'say what the example must get (tier, stage, score, ...)'),
      }),
    )
    .default([]),
});

export type RulesInput = z.input<typeof rulesSchema>;
export type RulesDoc = z.output<typeof rulesSchema>;

/** Keys allowed at each object level, for "did you mean" suggestions. */
export function knownKeysAt(path: (string | number)[]): string[] {
  const p = path.filter((x) => typeof x === 'string');
  const last = p[p.length - 1];
  const parent = p[p.length - 2];
  if (p.length === 0) return Object.keys(rulesSchema.shape);
  if (parent === 'fields' && p.length === 2) return Object.keys(fieldSchema.shape);
  if (last === 'settings') return ['decimal', 'date_format', 'placeholders', 'sales_sources', 'source_field', 'key_fit_fields', 'cold_action', 'column_prefix'];
  if (last === 'fit') return ['max', 'rules'];
  if (last === 'engagement') return ['max', 'floor', 'decay', 'rules'];
  if (last === 'decay') return ['field', 'half_life_days'];
  if (last === 'rules') return Object.keys(ruleSchema.shape);
  if (last === 'disqualify') return Object.keys(disqualifierSchema.shape);
  if (last === 'thresholds') return Object.keys(thresholdSchema.shape);
  if (last === 'duplicates') return ['field', 'why'];
  if (last === 'score') return ['min', 'max'];
  if (last === 'grade') return ['fit', 'engagement'];
  if (last === 'examples') return ['name', 'as_of', 'lead', 'expect'];
  if (last === 'cadence') return Object.keys(cadenceSchema.shape);
  if (last === 'steps' && p[p.length - 2] === 'cadence') return Object.keys(cadenceStepSchema.shape);
  if (last === 'pipeline') return ['probabilities'];
  if (last === 'expect') return ['tier', 'stage', 'class', 'grade', 'score', 'min_score', 'max_score'];
  return [];
}
