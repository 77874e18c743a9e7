// The report's statistics as pure functions: who counts at each step of the funnel (sales-sourced
// leads enter at SAL), the history beside the rules' probabilities, win rate, histogram bins and
// days between steps.
import { describe, expect, it } from 'vitest';
import { buildReport, DEFAULT_PROBABILITIES, type ReportLead } from '../../src/core/pipeline/funnel.js';

const D = 86_400_000;
function lead(over: Partial<ReportLead>): ReportLead {
  return {
    key: 'L', name: '', company: '', stage: 'lead', stageText: over.stage ?? 'lead', score: 50, tier: 'low', source: 'Webinar', salesSourced: false, disqualifiedWhy: '',
    oppAmount: undefined, oppStage: '', closeDay: undefined, salAt: undefined, sqlAt: undefined, opportunityAt: undefined, disqualifiedAt: undefined, ...over,
  };
}
const opts = { probabilities: DEFAULT_PROBABILITIES, scoreRange: { min: 0, max: 100 }, tierOrder: ['hot', 'low'] };

describe('buildReport', () => {
  it('the funnel: bad leads are not leads; MQL counts marketing-sourced leads; sales-sourced ones enter at SAL', () => {
    const r = buildReport(
      [
        lead({ stage: 'bad lead' }),
        lead({ stage: 'lead' }),
        lead({ stage: 'MQL' }),
        lead({ stage: 'SAL', salAt: 0 }),
        lead({ stage: 'disqualified', salAt: 0, disqualifiedAt: 2 * D, disqualifiedWhy: 'No budget' }),
        lead({ stage: 'sales lead', salesSourced: true }),
        lead({ stage: 'SQL', salesSourced: true, salAt: 0, sqlAt: 3 * D }),
      ],
      opts,
    );
    expect(r.funnel.map((f) => [f.step, f.count, f.conversion])).toEqual([
      ['lead', 6, null],
      ['MQL', 3, 3 / 4],
      ['SAL', 3, 2 / 3],
      ['SQL', 1, 1 / 3],
      ['opportunity', 0, 0],
      ['closed won', 0, null],
    ]);
    expect(r.disqualification_reasons).toEqual([{ reason: 'No budget', count: 1 }]);
    expect(r.days_between_steps[0]).toEqual({ from: 'SAL', to: 'SQL', leads: 1, average: 3, median: 3 });
    expect(r.days_between_steps[2]).toEqual({ from: 'SAL', to: 'disqualified', leads: 1, average: 2, median: 2 });
  });

  it('open opportunities weighted by the rules; the file\'s history by the stage deals were opened at; win rate', () => {
    const r = buildReport(
      [
        lead({ key: 'A', stage: 'opportunity', stageText: 'opportunity', oppStage: 'demo', oppAmount: 10_000, closeDay: 20_800 }),
        lead({ key: 'B', stage: 'opportunity', stageText: 'Proposal', oppStage: 'demo', oppAmount: 20_000, closeDay: 20_700 }),
        lead({ key: 'C', stage: 'closed won', stageText: 'Closed Won', oppStage: 'demo', oppAmount: 5_000 }),
        lead({ key: 'D', stage: 'closed lost', stageText: 'Lost', oppStage: 'demo', oppAmount: 5_000 }),
        lead({ key: 'E', stage: 'closed won', stageText: 'Won', oppStage: 'proposal', oppAmount: 5_000 }),
      ],
      opts,
    );
    // A stage typed in the stage column (Proposal) wins over the call's opp_stage.
    expect(r.open_opportunities.map((o) => [o.lead, o.stage, o.probability, o.weighted])).toEqual([
      ['B', 'Proposal', 0.6, 12_000],
      ['A', 'demo', 0.3, 3_000],
    ]);
    expect(r.probabilities).toEqual([
      { stage: 'Proposal', rules: 0.6, history: 1, history_deals: 1 }, // and "proposal" of E: one stage
      { stage: 'demo', rules: 0.3, history: 0.5, history_deals: 2 },
    ]);
    expect(r.weighted_pipeline).toEqual({ open: 2, amount: 30_000, weighted_rules: 15_000, weighted_history: 25_000 });
    expect(r.win_rate).toEqual({ won: 2, lost: 1, rate: 2 / 3 });
    expect(r.pipeline_by_close_month.map((m) => m.month)).toEqual(['2026-09', '2026-12']);
  });

  it.each([
    [{ min: 0, max: 100 }, ['0-9', '10-19', '20-29', '30-39', '40-49', '50-59', '60-69', '70-79', '80-89', '90-100']],
    [{ min: -10, max: 10 }, ['-10--9', '-8--7', '-6--5', '-4--3', '-2--1', '0-1', '2-3', '4-5', '6-7', '8-10']],
    [{ min: 0, max: 5 }, ['0-0', '1-1', '2-2', '3-3', '4-4', '5-5']],
  ])('score range %j: bins %j, the maximum in the last', (range, labels) => {
    const r = buildReport([lead({ score: range.max }), lead({ score: range.min })], { ...opts, scoreRange: range });
    expect(r.score_histogram.map((b) => `${b.from}-${b.to}`)).toEqual(labels);
    expect(r.score_histogram.at(-1)!.count).toBe(1);
    expect(r.score_histogram[0]!.count).toBe(1);
  });
});
