// The funnel's transition table: the stage each verdict gives, the stages each step starts from,
// and the step columns each stage stamps, as a user sees them in the stage and *_at columns.
import { describe, expect, it } from 'vitest';
import { STAGES, STAGE, RESERVED_TIERS, TIER_OF_DISQUALIFYING_STAGE, DISQUALIFYING_STAGES, THRESHOLD_STAGES } from '../../../src/core/stage/model.js';
import {
  ASSESSABLE_STAGES,
  CALL_TRANSITIONS,
  DISCOVERABLE_STAGES,
  SCORE_TRANSITIONS,
  STEP_COLUMNS,
  stageAfter,
  stampsOf,
  type CallStep,
  type CallVerdict,
} from '../../../src/core/stage/transitions.js';

describe('the stage model', () => {
  it('names every stage once, in funnel order', () => {
    expect(Object.values(STAGE)).toEqual([...STAGES]);
  });

  it('gives a disqualified row the tier of its stage; those tier names are reserved', () => {
    expect(DISQUALIFYING_STAGES.map((s) => TIER_OF_DISQUALIFYING_STAGE[s])).toEqual(['disqualified', 'bad']);
    expect(RESERVED_TIERS).toEqual(['disqualified', 'bad']);
    expect(THRESHOLD_STAGES).toEqual(['lead', 'MQL']);
  });
});

describe('the transition table', () => {
  it.each<[CallStep, CallVerdict, string, string[]]>([
    ['assess', 'qualified', 'SAL', ['sal_at']],
    ['assess', 'disqualified', 'disqualified', ['disqualified_at']],
    ['discover', 'qualified', 'SQL', ['sql_at']],
    ['discover', 'opportunity', 'opportunity', ['sql_at', 'opportunity_at']],
    ['discover', 'disqualified', 'disqualified', ['disqualified_at']],
  ])('%s, %s: stage %s, stamps %j', (step, verdict, stage, stamps) => {
    expect(stageAfter(step, verdict)).toBe(stage);
    expect(stampsOf(stage)).toEqual(stamps);
  });

  it('has no opportunity from a needs assessment (a bug, not a user error)', () => {
    expect(() => stageAfter('assess', 'opportunity')).toThrow(/no opportunity outcome for the assess step/);
  });

  it('starts a needs assessment from the stages before it, a discovery call from SAL only', () => {
    expect([...ASSESSABLE_STAGES].sort()).toEqual(['MQL', 'cold lead', 'lead', 'sales lead']);
    expect([...DISCOVERABLE_STAGES]).toEqual(['SAL']);
  });

  it('moves forward only: every transition ends later in the funnel than it starts, or disqualified', () => {
    const rank = (s: string) => STAGES.indexOf(s as (typeof STAGES)[number]);
    for (const t of CALL_TRANSITIONS) {
      expect(rank(t.to), `${t.step} ${t.verdict}`).toBeGreaterThanOrEqual(0);
      for (const from of t.from) {
        expect(rank(from)).toBeGreaterThanOrEqual(0);
        if (t.to !== STAGE.disqualified) expect(rank(t.to), `${from} -> ${t.to}`).toBeGreaterThan(rank(from));
      }
      for (const c of t.stamps) expect(STEP_COLUMNS).toContain(c);
    }
  });

  it('stamps nothing for a stage no call gives', () => {
    for (const s of ['lead', 'MQL', 'bad lead', 'Closed Won']) expect(stampsOf(s)).toEqual([]);
  });

  it('overrides the threshold stage for the formula verdicts', () => {
    expect(SCORE_TRANSITIONS).toEqual({ duplicate: 'bad lead', 'sales-sourced': 'sales lead', cold: 'cold lead' });
  });
});
