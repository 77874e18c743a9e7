// How a lead moves through the funnel, as one table: which stage each verdict gives and from
// which stages a person's step may start. The scoring engine, the questionnaire engine and the
// lead-call pipeline look their stage up here instead of spelling it in an if-chain. Pure.
import { STAGE, type Stage } from './model.js';

/** A step a person takes on one lead, and the questionnaire kind that runs it. */
export type CallStep = 'assess' | 'discover';
export type CallKind = 'needs-assessment' | 'discovery';
export const STEP_OF_KIND: Readonly<Record<CallKind, CallStep>> = { 'needs-assessment': 'assess', discovery: 'discover' };

/** What a call concluded: qualified, qualified with an opportunity opened, or disqualified. */
export type CallVerdict = 'qualified' | 'opportunity' | 'disqualified';

/** The verdicts of the formula that move a row off its threshold's stage (engine.ts). */
export type ScoreVerdict = 'duplicate' | 'sales-sourced' | 'cold';

/** A step column stamped with the time the lead reached that step. */
export type StepColumn = 'sal_at' | 'sql_at' | 'opportunity_at' | 'disqualified_at';

export interface CallTransition {
  step: CallStep;
  /** Stages the step starts from (a lead elsewhere needs --force). */
  from: readonly Stage[];
  verdict: CallVerdict;
  to: Stage;
  /** Step columns stamped on the way (an opportunity is opened by a call that made it an SQL). */
  stamps: readonly StepColumn[];
}

const BEFORE_ASSESSMENT: readonly Stage[] = [STAGE.coldLead, STAGE.lead, STAGE.mql, STAGE.salesLead];
const BEFORE_DISCOVERY: readonly Stage[] = [STAGE.sal];

/** The funnel's moves by a person, in funnel order. */
export const CALL_TRANSITIONS: readonly CallTransition[] = [
  { step: 'assess', from: BEFORE_ASSESSMENT, verdict: 'qualified', to: STAGE.sal, stamps: ['sal_at'] },
  { step: 'assess', from: BEFORE_ASSESSMENT, verdict: 'disqualified', to: STAGE.disqualified, stamps: ['disqualified_at'] },
  { step: 'discover', from: BEFORE_DISCOVERY, verdict: 'qualified', to: STAGE.sql, stamps: ['sql_at'] },
  { step: 'discover', from: BEFORE_DISCOVERY, verdict: 'opportunity', to: STAGE.opportunity, stamps: ['sql_at', 'opportunity_at'] },
  { step: 'discover', from: BEFORE_DISCOVERY, verdict: 'disqualified', to: STAGE.disqualified, stamps: ['disqualified_at'] },
];

/** The moves of the formula: a hard verdict that overrides the threshold's stage. */
export const SCORE_TRANSITIONS: Readonly<Record<ScoreVerdict, Stage>> = {
  duplicate: STAGE.badLead,
  'sales-sourced': STAGE.salesLead, // a salesperson sourced it: no MQL step
  cold: STAGE.coldLead,
};

/** Every step column, in funnel order. */
export const STEP_COLUMNS: readonly StepColumn[] = ['sal_at', 'sql_at', 'opportunity_at', 'disqualified_at'];

/** The stage a call of this step ends in. Throws on a verdict the step cannot give (a needs
 * assessment opens no opportunity): that is a bug, not bad input. */
export function stageAfter(step: CallStep, verdict: CallVerdict): Stage {
  return transitionOf(step, verdict).to;
}

/** The step columns a call's outcome stamps, by the stage it reached ([] for a stage no call gives). */
export function stampsOf(stage: string): readonly StepColumn[] {
  return CALL_TRANSITIONS.find((t) => t.to === stage)?.stamps ?? [];
}

/** The stages a step may start from. */
export function stagesBefore(step: CallStep): ReadonlySet<string> {
  return new Set(CALL_TRANSITIONS.filter((t) => t.step === step).flatMap((t) => t.from));
}

export const ASSESSABLE_STAGES: ReadonlySet<string> = stagesBefore('assess');
export const DISCOVERABLE_STAGES: ReadonlySet<string> = stagesBefore('discover');

function transitionOf(step: CallStep, verdict: CallVerdict): CallTransition {
  const t = CALL_TRANSITIONS.find((x) => x.step === step && x.verdict === verdict);
  if (!t) throw new Error(`no ${verdict} outcome for the ${step} step`);
  return t;
}
