// Every shipped questionnaire, run to each of its outcomes with scripted answers, the way
// `qualify assess|discover --answers FILE` runs them.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outcomeColumns } from '../../src/core/questionnaire/engine.js';
import { loadQuestionnaire } from '../../src/core/questionnaire/load.js';
import { runQuestionnaire } from '../../src/core/questionnaire/run.js';
import { createScriptedPrompter } from '../../src/ui/prompter.js';
import { NOW, RULES_DIR, loadShipped } from './helpers.js';

const SHIPPED = ['needs-assessment.yaml', 'discovery-bant.yaml', 'discovery-meddic.yaml'];

async function run(file: string, lead: Record<string, string>, answers: Record<string, unknown>) {
  const prompter = createScriptedPrompter(answers);
  const q = loadShipped(file);
  const result = await runQuestionnaire(q, lead, prompter, { now: NOW });
  if (result.status !== 'saved') throw new Error('not saved');
  // Every outcome writes the same columns, in the order `qualify rules check` lists them.
  expect(Object.keys(result.outcome.columns)).toEqual(outcomeColumns(q));
  return { outcome: result.outcome, said: prompter.said, asked: prompter.asked };
}

describe('shipped questionnaires', () => {
  it.each(SHIPPED)('%s loads without errors', (file) => {
    const r = loadQuestionnaire(`rules/${file}`, readFileSync(RULES_DIR + file, 'utf8'));
    expect(r.errors.map((e) => e.message)).toEqual([]);
  });

  it('every questionnaire in rules/ is in this test', () => {
    const questionnaires = readdirSync(RULES_DIR).filter((f) => /^(needs-assessment|discovery-).*\.ya?ml$/.test(f));
    expect(questionnaires.sort()).toEqual([...SHIPPED].sort());
  });
});

describe('needs-assessment.yaml', () => {
  const lead = { 'First Name': 'Ada', 'Company Name': 'Acme Analytics', 'Lead Source': 'the revenue webinar', Email: 'ada@acme.test' };
  const sal = {
    source: 'webinar',
    need: ['pipeline_visibility', 'forecast_accuracy'],
    need_detail: 'The board wants a forecast they can trust',
    product_interest: 'forecasting',
    solution: 'One view of pipeline health per region',
    crm: 'salesforce',
    timeline: 'within_6_months',
    follow_up_agreed: true,
    follow_up_date: 'next tuesday',
    follow_up_window: '14:00-16:00',
    notes: 'CFO joins the next call',
  };

  it('SAL with a follow-up appointment', async () => {
    const { outcome, said } = await run('needs-assessment.yaml', lead, sal);
    expect(said[0]).toContain('Hi Ada, this is [your name] from Pipewise.');
    expect(said[0]).toContain('through the revenue webinar');
    expect(outcome).toMatchObject({ result: 'qualified', stage: 'SAL', class: 'lead', followUp: '2026-07-07 14:00-16:00', points: 5 + 25 + 10 + 5 + 10 });
    expect(outcome.columns).toMatchObject({
      na_source: 'webinar',
      na_need: 'forecast_accuracy; pipeline_visibility',
      na_timeline: 'within_6_months',
      na_follow_up_date: '2026-07-07',
      na_follow_up_window: '14:00-16:00',
      na_outcome: 'qualified',
      na_reason: 'Need we serve: More accurate forecasts, Visibility into pipeline health; Buying within 6 months (Within 6 months)',
      na_follow_up: '2026-07-07 14:00-16:00',
      na_notes: 'CFO joins the next call',
      na_points: '55',
      stage: 'SAL',
      class: 'lead',
      qualified_at: '2026-07-01T12:00:00Z',
    });
  });

  it('SAL without an appointment: sales will be in touch', async () => {
    const { outcome, asked, said } = await run('needs-assessment.yaml', lead, { ...sal, follow_up_agreed: false });
    expect(outcome).toMatchObject({ stage: 'SAL', followUp: 'sales will be in touch' });
    expect(asked).not.toContain('follow_up_date');
    expect(said.join('\n')).toContain('Someone from our sales team will be in touch');
    expect(outcome.columns['na_follow_up_date']).toBe('');
  });

  it('disqualified: no need we serve, no timeline', async () => {
    const { outcome, asked, said } = await run('needs-assessment.yaml', lead, { ...sal, need: ['crm_hygiene'], timeline: 'no_timeline' });
    expect(outcome).toMatchObject({
      result: 'disqualified',
      stage: 'disqualified',
      followUp: '',
      reasons: ['No need our product serves', 'No purchase planned within 6 months (No plans yet)'],
    });
    expect(asked).not.toContain('follow_up_agreed');
    expect(said.join('\n')).toContain("now isn't the\nright moment");
  });
});

describe('discovery-bant.yaml', () => {
  const lead = { first_name: 'Grace', company: 'Hopper Freight', title: 'VP Sales', industry: 'logistics', source: 'referral', na_solution: 'one forecast the whole team trusts' };
  const opportunity = {
    pain: ['forecast_misses', 'manual_reporting'],
    pain_impact: 'Missed Q2 by 18%',
    budget_set: 'yes',
    budget: '40k',
    authority: 'champion',
    decision_maker: 'Linus, CRO',
    timeline: 'end of quarter',
    competitors: 'clari',
    agrees_to_explore: true,
    deal_amount: 36000,
    deal_stage: 'demo',
    next_step: 'demo',
    close_date: '2026-10-31',
    notes: 'Send the Clari comparison',
  };

  it('opportunity: qualified and agrees to explore a change', async () => {
    const { outcome, said } = await run('discovery-bant.yaml', lead, opportunity);
    expect(said[0]).toContain('as VP Sales in logistics');
    expect(said[0]).toContain('When we first spoke, you said you were looking for\none forecast the whole team trusts.');
    expect(said.join('\n')).toContain('budget of about 40,000 EUR');
    // The summary before saving shows the opportunity as chosen: option labels, amount with its unit.
    expect(said.at(-1)).toContain('Opportunity: 36,000 EUR, stage Demo, next step Product demo, close 2026-10-31');
    expect(outcome).toMatchObject({
      result: 'qualified',
      stage: 'opportunity',
      class: 'opportunity',
      opportunity: { amount: 36000, stage: 'demo', nextStep: 'demo', closeDate: '2026-10-31' },
    });
    expect(outcome.reasons).toEqual([
      'Need we serve: Forecasts miss by a wide margin, Reporting is manual and slow',
      'Budget of 40,000 EUR (at least 10,000 EUR)',
      'Authority: They will push for it internally',
      'Timeline within 6 months (2026-09-30)',
    ]);
    expect(outcome.columns).toMatchObject({
      bant_pain: 'forecast_misses; manual_reporting',
      bant_budget: '40000',
      bant_budget_set: 'yes',
      bant_authority: 'champion',
      bant_timeline: '2026-09-30',
      opp_amount: '36000',
      opp_stage: 'demo',
      opp_next_step: 'demo',
      opp_close_date: '2026-10-31',
      bant_referral: '',
      bant_outcome: 'qualified',
      stage: 'opportunity',
      class: 'opportunity',
    });
  });

  it('SQL: qualified, but no agreement to explore a change yet', async () => {
    const { outcome, asked } = await run('discovery-bant.yaml', lead, { ...opportunity, agrees_to_explore: 'no' });
    expect(outcome).toMatchObject({ result: 'qualified', stage: 'SQL', class: 'prospect' });
    expect(outcome.opportunity).toBeUndefined();
    expect(asked).not.toContain('deal_amount');
    expect(outcome.columns).toMatchObject({ opp_amount: '', opp_close_date: '' });
  });

  it('disqualified: no budget, with a referral', async () => {
    const { outcome, asked } = await run('discovery-bant.yaml', lead, { ...opportunity, budget_set: false, referral: 'Talk to Ops at Hopper Air' });
    expect(asked).not.toContain('budget');
    expect(asked).not.toContain('agrees_to_explore');
    expect(outcome).toMatchObject({
      result: 'disqualified',
      stage: 'disqualified',
      reasons: ['No budget of at least 10,000 EUR a year'],
      referral: 'Talk to Ops at Hopper Air',
    });
    expect(outcome.columns).toMatchObject({ bant_referral: 'Talk to Ops at Hopper Air', bant_budget: '', opp_amount: '' });
  });

  it('disqualified: timeline beyond 6 months and an influencer only', async () => {
    const { outcome } = await run('discovery-bant.yaml', lead, { ...opportunity, authority: 'influencer', timeline: 'in 9 months' });
    expect(outcome.reasons).toEqual(['Not a decision maker or champion (They influence the decision)', 'Timeline beyond 6 months (2027-04-01)']);
  });
});

describe('discovery-meddic.yaml', () => {
  const lead = { first_name: 'Alan', company: 'Turing Robotics', na_solution: '' };
  const opportunity = {
    pain: ['forecast_misses', 'manual_reporting'],
    metric: 'forecast_accuracy',
    metric_target: '±25% today, ±5% by Q4',
    economic_buyer: 'engaged',
    economic_buyer_name: 'Joan Clarke, CFO',
    decision_criteria: ['crm_integration', 'ease_of_use'],
    decision_process: 'clear',
    decision_date: 'in 2 months',
    champion: 'strong',
    agrees_to_explore: true,
    deal_amount: '120,000',
    deal_stage: 'proposal',
    next_step: 'economic_buyer_meeting',
    close_date: 'end of next quarter',
  };

  it('opportunity', async () => {
    const { outcome, said } = await run('discovery-meddic.yaml', lead, opportunity);
    expect(said[0]).toContain('you were after a clearer view of your pipeline');
    expect(said.join('\n')).toContain('Joan Clarke, CFO\nsigns off');
    expect(outcome).toMatchObject({ stage: 'opportunity', points: 15 + 10 + 20 + 10 + 15 + 10 + 20 });
    expect(outcome.columns).toMatchObject({ meddic_champion: 'strong', opp_amount: '120000', opp_stage: 'proposal', opp_close_date: '2026-12-31' });
  });

  it('SQL', async () => {
    const { outcome } = await run('discovery-meddic.yaml', lead, { ...opportunity, agrees_to_explore: false });
    expect(outcome).toMatchObject({ result: 'qualified', stage: 'SQL' });
  });

  it('disqualified on too little evidence, though every rule holds', async () => {
    const { outcome, asked } = await run('discovery-meddic.yaml', lead, {
      ...opportunity,
      pain: ['manual_reporting'],
      metric: 'win_rate',
      economic_buyer: 'known',
      decision_criteria: ['price'],
      decision_process: 'unknown',
      champion: 'potential',
      referral: '',
    });
    expect(asked).not.toContain('decision_date');
    expect(outcome).toMatchObject({ stage: 'disqualified', points: 35, reasons: ['Too little known about the decision (under 50 points)'] });
  });
});
