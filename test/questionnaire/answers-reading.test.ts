// How typed answers are read (issue 11 items 1, 14, 17): amounts as a salesperson means them,
// dates in every form the scorer reads plus month names, and messages that name the question by
// its label. Through the engine and the scripted prompter, the way `--answers FILE` runs them.
import { describe, expect, it } from 'vitest';
import { answer, parseAnswer, start, type Reading } from '../../src/core/questionnaire/engine.js';
import { runQuestionnaire } from '../../src/core/questionnaire/run.js';
import type { Question } from '../../src/core/questionnaire/schema.js';
import { createScriptedPrompter } from '../../src/ui/prompter.js';
import { MINI, NOW, TODAY, load, loadShipped } from './helpers.js';

const bant = loadShipped('discovery-bant.yaml');
const meddic = loadShipped('discovery-meddic.yaml');
const question = (q: { questions: Question[] }, id: string): Question => q.questions.find((x) => x.id === id)!;

describe('amounts', () => {
  const forty = ['€ 40.000', '40.000,00 €', '$40,000', '40 000', '40k', '40000', '40.000', '40.000 EUR'];
  const settings: Reading[] = [{ decimal: '.' }, { decimal: ',' }, {}];
  it.each(settings.flatMap((r) => forty.map((text) => [text, r] as const)))('BANT budget %j with %j is forty thousand', (text, reading) => {
    expect(parseAnswer(question(bant, 'budget'), text, TODAY, reading)).toEqual({ ok: true, value: 40000 });
  });

  it.each([{ decimal: '.' }, { decimal: ',' }] as const)('1.5M is one and a half million with %j', (reading) => {
    expect(parseAnswer(question(bant, 'budget'), '1.5M', TODAY, reading)).toEqual({ ok: true, value: 1500000 });
  });

  // The issue: `budget: "€ 40.000"` in an answers file wrote bant_budget=40 and disqualified the lead.
  it('an answers file with budget "€ 40.000" writes 40000 and the lead qualifies', async () => {
    const lead = { first_name: 'Grace', company: 'Hopper Freight' };
    const answers = {
      pain: ['forecast_misses'], budget_set: 'yes', budget: '€ 40.000', authority: 'decision_maker', timeline: 'end of quarter',
      competitors: 'none', agrees_to_explore: false, notes: '',
    };
    const r = await runQuestionnaire(bant, lead, createScriptedPrompter(answers), { now: NOW });
    expect(r.status === 'saved' && r.outcome.columns).toMatchObject({ bant_budget: '40000', bant_outcome: 'qualified' });
  });

  // The issue: "60.000" typed in MEDDIC gave "Opportunity: 60 EUR".
  it('a MEDDIC deal amount typed as 60.000 is 60,000 EUR in the summary', async () => {
    const answers = {
      pain: ['forecast_misses', 'manual_reporting'], metric: 'forecast_accuracy', metric_target: '±5%', economic_buyer: 'engaged',
      economic_buyer_name: 'Joan', decision_criteria: ['crm_integration'], decision_process: 'clear', decision_date: 'in 2 months',
      champion: 'strong', agrees_to_explore: true, deal_amount: '60.000', deal_stage: 'proposal', next_step: 'economic_buyer_meeting',
      close_date: 'end of next quarter',
    };
    const p = createScriptedPrompter(answers);
    const r = await runQuestionnaire(meddic, { first_name: 'Alan', company: 'Turing' }, p, { now: NOW });
    expect(p.said.at(-1)).toContain('Opportunity: 60,000 EUR');
    expect(r.status === 'saved' && r.outcome.columns).toMatchObject({ opp_amount: '60000' });
  });

  const seats = load(MINI.replace('unit: EUR', 'unit: seats').replace('  - id: budget\n', '  - id: budget\n    label: Seats needed\n'));
  it.each<[string, Reading, string]>([
    ['40.500', { decimal: '.' }, '"40.500" could mean 40.5 or 40500: write "Seats needed" as 40.5 or as 40500'],
    ['40,500', { decimal: ',' }, '"40,500" could mean 40,5 or 40500: write "Seats needed" as 40,5 or as 40500'],
    ['12-15k', {}, '"12-15k" is a range: "Seats needed" needs one amount'],
    ['abc', {}, '"abc" is not a valid answer to "Seats needed"'],
  ])('refuses %j (%j) with the question\'s label, never a guess', (text, reading, message) => {
    const s = start(seats, {}, { now: NOW, reading });
    const r = answer(s, 'budget', text);
    expect(r).toMatchObject({ ok: false, message });
  });

  it('an answers file with an ambiguous amount is refused, naming the question and both readings', async () => {
    const p = createScriptedPrompter({ need: 'a', budget: '40.500', role: 'champion', explore: false });
    await expect(runQuestionnaire(seats, {}, p, { now: NOW })).rejects.toMatchObject({
      code: 'ANSWERS_INVALID',
      message: '"40.500" could mean 40.5 or 40500: write "Seats needed" as 40.5 or as 40500; allowed: a number in seats of at least 0',
    });
  });

  it('the same amount is read with the file\'s decimal mark when that settles it', () => {
    expect(answer(start(seats, {}, { now: NOW, reading: { decimal: ',' } }), 'budget', '40.500')).toMatchObject({ ok: true, state: { answers: { budget: 40500 } } });
    expect(answer(start(seats, {}, { now: NOW, reading: { decimal: '.' } }), 'budget', '40,500')).toMatchObject({ ok: true, state: { answers: { budget: 40500 } } });
  });
});

describe('dates', () => {
  const close = question(bant, 'close_date');
  // TODAY is 2026-07-01.
  it.each<[string, Reading, string]>([
    ['2027-03-31', {}, '2027-03-31'],
    ['31/03/2027', {}, '2027-03-31'],
    ['3/31/2027', {}, '2027-03-31'],
    ['31.03.2027', {}, '2027-03-31'],
    ['March 31', {}, '2027-03-31'],
    ['march 31st', {}, '2027-03-31'],
    ['31 Mar', {}, '2027-03-31'],
    ['Mar 31, 2027', {}, '2027-03-31'],
    ['31 March 2027', {}, '2027-03-31'],
    ['July 1', {}, '2026-07-01'], // today is on or after today
    ['Sept 3', {}, '2026-09-03'],
    ['03/04/2027', { dateFormat: 'dmy' }, '2027-04-03'],
    ['03/04/2027', { dateFormat: 'mdy' }, '2027-03-04'],
    ['03/04/2027', {}, '2027-03-04'], // auto: US unless the first part is above 12, as the scorer
    ['in 2 weeks', {}, '2026-07-15'],
  ])('%j (%j) is %s', (text, reading, iso) => {
    expect(parseAnswer(close, text, TODAY, reading)).toEqual({ ok: true, value: iso });
  });

  it('refuses a date that is not one, saying which forms are accepted', () => {
    expect(parseAnswer(close, '31/31/2027', TODAY)).toEqual({
      ok: false,
      message: '"31/31/2027" is not a date "Expected close date" understands; write it as 2027-03-31, 31/03/2027, 3/31/2027, March 31 (the next one), or e.g. "in 2 weeks", "next friday", "end of quarter"',
    });
    expect(parseAnswer(close, '3/31/2027', TODAY, { dateFormat: 'dmy' })).toMatchObject({ ok: false, message: expect.stringContaining('write it as 2027-03-31, 31/03/2027, March 31') });
  });

  const optional = load(MINI.replace("    type: date\n    min: today\n", "    type: date\n    required: false\n    min: today\n"));
  it('an optional date takes "not known yet" (as blank) and says so', () => {
    const q = question(optional, 'close');
    for (const text of ['not known yet', 'Unknown', 'tbd', '']) expect(parseAnswer(q, text, TODAY)).toEqual({ ok: true, value: null });
    expect(answer(start(optional, {}, { now: NOW }), 'need', 'zzz')).toMatchObject({ ok: false });
    const r = answer(start(optional, {}, { now: NOW }), 'close', 'x');
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.allowed).toContain('(or leave blank: not known yet)');
    // A required date does not.
    expect(parseAnswer(question(load(MINI), 'close'), 'not known yet', TODAY)).toMatchObject({ ok: false });
  });
});

describe('messages name the question by its label', () => {
  const q = load(MINI.replace('    type: multi-select\n    required: false\n', '    label: Tools in use\n    type: multi-select\n    min: 1\n    max: 2\n'));
  it.each<[string, unknown, string]>([
    ['tools', [], '"Tools in use" needs at least 1 choice'],
    ['tools', ['crm', 'sheets', 'bi'], '"Tools in use" allows at most 2 choices'],
    ['tools', ['excel'], '"excel" is not a valid answer to "Tools in use"'],
  ])('%s = %j: %s', (id, raw, message) => {
    expect(parseAnswer(question(q, id), raw, TODAY)).toEqual({ ok: false, message });
  });

  it('BANT pain left empty in an answers file', () => {
    expect(parseAnswer(question(bant, 'pain'), [], TODAY)).toEqual({ ok: false, message: '"Need (pain)" needs at least 1 choice' });
  });
});
