// The funnel of ../shared/DOMAIN.md as data: stage names (the words every column uses), the
// class each stage belongs to, and who may set it. Pure; no I/O.

/** Stages written in the `stage` column, in funnel order. */
export const STAGES = [
  'bad lead',
  'disqualified',
  'cold lead',
  'lead',
  'MQL',
  'sales lead',
  'SAL',
  'SQL',
  'opportunity',
] as const;
export type Stage = (typeof STAGES)[number];

/** `class` column: what the record is in the DOMAIN's terms. */
export type RecordClass = 'lead' | 'prospect' | 'opportunity';

export const CLASS_OF_STAGE: Readonly<Record<Stage, RecordClass>> = {
  'bad lead': 'lead',
  disqualified: 'lead',
  'cold lead': 'lead',
  lead: 'lead',
  MQL: 'lead',
  'sales lead': 'lead',
  SAL: 'lead',
  SQL: 'prospect',
  opportunity: 'opportunity',
};

/**
 * Stages only a person sets (through `qualify assess` / `qualify discover`). Re-scoring never
 * overwrites them: a human's qualification outranks a formula.
 */
export const HUMAN_STAGES: ReadonlySet<string> = new Set(['SAL', 'SQL', 'opportunity']);

/** The next step for a stage a person set, when its row has no action of its own. */
export const NEXT_STEP_OF_HUMAN_STAGE: Readonly<Record<string, string>> = {
  SAL: 'Hold the discovery call',
  SQL: 'Open an opportunity',
  opportunity: 'Advance the deal to its next pipeline stage',
};

/** Column a person's outcome is stamped in; a non-empty value marks the stage as human-set. */
export const QUALIFIED_AT_COLUMN = 'qualified_at';


/** Stages each interactive step starts from. */
export const ASSESSABLE_STAGES: ReadonlySet<string> = new Set(['lead', 'cold lead', 'MQL', 'sales lead']);
export const DISCOVERABLE_STAGES: ReadonlySet<string> = new Set(['SAL']);

/** Whether a row's existing stage was set by a person and must survive re-scoring. */
export function isHumanStage(stage: string | undefined, qualifiedAt: string | undefined): boolean {
  if (qualifiedAt !== undefined && qualifiedAt.trim() !== '') return true;
  return stage !== undefined && HUMAN_STAGES.has(stage.trim());
}
