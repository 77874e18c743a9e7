// The compiled rules: a plain-data intermediate representation (JSON-serialisable, no closures,
// no YAML nodes) produced once by compileRules and evaluated per row by the scoring engine.
// `qualify rules show --compiled` prints it; other back ends (SQL, explanations) read it too.

/** file:line:col of the YAML node a compiled piece came from. */
import type { DisqualifyingStage, ThresholdStage } from '../stage/model.js';
export interface SourcePos {
  line: number;
  col: number;
}

export type Condition =
  | { op: 'all'; of: Condition[] }
  | { op: 'any'; of: Condition[] }
  | { op: 'not'; of: Condition }
  | {
      op: 'test';
      /** Index into CompiledRules.fields. */
      field: number;
      operator: string;
      operand: unknown;
      ignoreCase: boolean;
      at: SourcePos;
    };

export interface CompiledField {
  name: string;
  /** Header keys (see headerKey) that map to this field, in order of preference. */
  keys: string[];
  /** The aliases as written, for messages. */
  aliases: string[];
  optional: boolean;
  at: SourcePos;
}

export type Category = 'fit' | 'engagement';

export interface CompiledRule {
  id: string;
  category: Category;
  why: string;
  /** Points when the condition holds; with `per`, points per whole unit of that field. */
  points: number;
  when: Condition | null;
  per: { field: number; max: number | null } | null;
  at: SourcePos;
}

export interface CompiledDisqualifier {
  id: string;
  why: string;
  stage: DisqualifyingStage;
  when: Condition;
  at: SourcePos;
}

export interface CompiledThreshold {
  min: number;
  max: number;
  tier: string;
  stage: ThresholdStage;
  action: string;
  at: SourcePos;
}

export interface GradeBand {
  label: string;
  min: number;
}

export interface CompiledExample {
  name: string;
  /** Canonical field name -> cell text. */
  lead: Record<string, string>;
  asOf: string | null;
  expect: { tier?: string; stage?: string; score?: number; min_score?: number; max_score?: number; grade?: string; class?: string };
  at: SourcePos;
}

export interface CompiledRules {
  format: 'qualify-rules-ir';
  version: 1;
  source: string;
  name: string;
  fields: CompiledField[];
  settings: {
    decimal: '.' | ',';
    dateFormat: 'auto' | 'ymd' | 'mdy' | 'dmy';
    placeholders: string[];
    salesSources: string[];
    sourceField: number | null;
    keyFitFields: number[];
    coldAction: string;
    columnPrefix: string;
  };
  fit: { max: number | null; rules: CompiledRule[] };
  engagement: {
    max: number | null;
    floor: number | null;
    decay: { field: number; halfLifeDays: number } | null;
    rules: CompiledRule[];
  };
  disqualifiers: CompiledDisqualifier[];
  duplicates: { field: number; why: string } | null;
  score: { min: number; max: number };
  thresholds: CompiledThreshold[];
  grade: { fit: GradeBand[]; engagement: GradeBand[] } | null;
  examples: CompiledExample[];
  /** The rules' `cadence:` section; absent when the file has none (the default cadence applies). */
  cadence?: CompiledCadence;
  /** The rules' `pipeline:` section; absent when the file has none (default probabilities). */
  pipeline?: CompiledPipeline;
}

export interface CompiledCadence {
  /** The attempts after the first contact, in order; the last repeats up to maxAttempts. */
  steps: { channel: 'call' | 'email'; days: number }[];
  maxAttempts: number;
  afterLast: 'nurture' | 'disqualify';
  /** With afterLast disqualify: the reason written to the row. */
  reason: string | null;
}

export interface CompiledPipeline {
  /** Pipeline stage key (stageKey of the name) -> win probability, 0..1. */
  probabilities: { stage: string; key: string; probability: number }[];
}

/** Score columns appended to every output row, in this order (grade only when configured). The
 * one place their order is written: every output format (pipeline/formats/) and the column
 * binding follow it. */
export const SCORE_COLUMNS = ['fit', 'engagement', 'score', 'tier', 'grade', 'stage', 'class', 'action', 'reasons'] as const;
export type ScoreColumn = (typeof SCORE_COLUMNS)[number];

/** The score columns these rules write, in output order, without a prefix. */
export function activeScoreColumns(rules: Pick<CompiledRules, 'grade'>): ScoreColumn[] {
  return SCORE_COLUMNS.filter((c) => c !== 'grade' || rules.grade !== null);
}

export function scoreColumns(rules: Pick<CompiledRules, 'grade' | 'settings'>): string[] {
  return activeScoreColumns(rules).map((c) => rules.settings.columnPrefix + c);
}

/** Adds the fields a condition reads to `into` (explanations, used-field checks). */
export function fieldsOfCondition(c: Condition | null, into: Set<number> = new Set()): Set<number> {
  if (c === null) return into;
  if (c.op === 'test') into.add(c.field);
  else if (c.op === 'not') fieldsOfCondition(c.of, into);
  else for (const sub of c.of) fieldsOfCondition(sub, into);
  return into;
}
