// The sales funnel as data (README "The funnel"): stage names (the words every column uses), the
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

/** Each stage by a name code can use instead of the literal (`STAGE.mql` is 'MQL'). */
export const STAGE = {
  badLead: 'bad lead',
  disqualified: 'disqualified',
  coldLead: 'cold lead',
  lead: 'lead',
  mql: 'MQL',
  salesLead: 'sales lead',
  sal: 'SAL',
  sql: 'SQL',
  opportunity: 'opportunity',
} as const satisfies Record<string, Stage>;

/** The stages a disqualifier may give (rules `disqualify[].stage`), the default first. */
export const DISQUALIFYING_STAGES = [STAGE.disqualified, STAGE.badLead] as const;
export type DisqualifyingStage = (typeof DISQUALIFYING_STAGES)[number];

/** The stages a score threshold may give (rules `thresholds[].stage`), in funnel order. */
export const THRESHOLD_STAGES = [STAGE.lead, STAGE.mql] as const;
export type ThresholdStage = (typeof THRESHOLD_STAGES)[number];

/** The `tier` of a row a disqualifier stopped, by the stage it gave: these two tier names are
 * reserved (no threshold may use them). */
export const TIER_OF_DISQUALIFYING_STAGE: Readonly<Record<DisqualifyingStage, string>> = {
  disqualified: 'disqualified',
  'bad lead': 'bad',
};
export const RESERVED_TIERS: readonly string[] = Object.values(TIER_OF_DISQUALIFYING_STAGE);

/** `class` column: what the record is in funnel terms (an SQL is a prospect). */
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
 * Stages only a person sets (through `qualify assess` / `qualify discover`, or by typing them in
 * the stage column, often in a CRM's words). Re-scoring never overwrites them: a human's
 * qualification outranks a formula.
 *
 * Every spelling of a human stage that re-scoring recognises, by canonical stage: ours, the
 * lifecycle and deal stages of the common CRMs (Salesforce's standard opportunity stages,
 * HubSpot's lifecycle and default deal pipeline), and the funnel's pipeline stages. A cell matches
 * when it equals a spelling ignoring case, spaces and punctuation (so `Sales-Qualified Lead`,
 * ` sql `, `closed_won` and HubSpot's `salesqualifiedlead` all count). The README's "The funnel"
 * shows this table; keep the two in step.
 */
export const HUMAN_STAGE_SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  SAL: ['SAL', 'Sales Accepted Lead', 'Accepted'],
  SQL: ['SQL', 'Sales Qualified Lead', 'Qualified', 'Prospect', 'Qualified To Buy'],
  opportunity: [
    'Opportunity',
    'Qualification',
    'Needs Analysis',
    'Value Proposition',
    'Id. Decision Makers',
    'Perception Analysis',
    'Appointment Scheduled',
    'Presentation Scheduled',
    'Decision Maker Bought-In',
    'Demo',
    'Proposal',
    'Proposal/Price Quote',
    'Contract Sent',
    'Negotiation',
    'Negotiation/Review',
  ],
  'closed won': ['Closed Won', 'Won', 'Customer', 'Evangelist'],
  'closed lost': ['Closed Lost', 'Lost'],
};

/** The key a stage spelling is compared by: lower case, letters and digits only. */
export function stageKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const HUMAN_STAGE_OF_KEY: ReadonlyMap<string, string> = new Map(
  Object.entries(HUMAN_STAGE_SPELLINGS).flatMap(([stage, spellings]) => spellings.map((s) => [stageKey(s), stage] as [string, string])),
);

/** The canonical human stage a cell spells (`Sales Qualified Lead ` -> `SQL`), or undefined. */
export function humanStageOf(cell: string): string | undefined {
  return HUMAN_STAGE_OF_KEY.get(stageKey(cell));
}

/** Class of each human stage that is not in STAGES. */
export const CLASS_OF_HUMAN_STAGE: Readonly<Record<string, RecordClass>> = {
  SAL: 'lead',
  SQL: 'prospect',
  opportunity: 'opportunity',
  'closed won': 'opportunity',
  'closed lost': 'opportunity',
};

/** The next step for a stage a person set, when its row has no action of its own. */
export const NEXT_STEP_OF_HUMAN_STAGE: Readonly<Record<string, string>> = {
  SAL: 'Hold the discovery call',
  SQL: 'Open an opportunity',
  opportunity: 'Advance the deal to its next pipeline stage',
  'closed won': 'Hand the account over to onboarding',
  'closed lost': 'Record why it was lost; nurture and revisit',
};

/** Column a person's outcome is stamped in; a non-empty value marks the stage as human-set. */
export const QUALIFIED_AT_COLUMN = 'qualified_at';


/**
 * humanStageOf for the scorer's per-row use: remembers the answer for each distinct cell text (a
 * stage column holds few), so a row costs one Map lookup. Bounded: past `limit` distinct texts
 * it computes without remembering.
 */
export function createHumanStageLookup(limit = 4096): (cell: string) => string | undefined {
  const seen = new Map<string, string | null>();
  return (cell) => {
    const hit = seen.get(cell);
    if (hit !== undefined) return hit ?? undefined;
    const stage = humanStageOf(cell);
    if (seen.size < limit) seen.set(cell, stage ?? null);
    return stage;
  };
}
