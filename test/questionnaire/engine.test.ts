import { describe as group, expect, it } from 'vitest';
import { advance, answer, back, next, revise, start, type State, type Step } from '../../src/core/questionnaire/engine.js';
import type { AnswerValue } from '../../src/core/questionnaire/schema.js';
import { MINI, NOW, load, loadShipped } from './helpers.js';

const q = load(MINI);
const LEAD = { 'First Name': 'Ada', Company: 'Acme', email: 'ada@acme.test' };

function must(state: State, id: string, value: unknown): State {
  const r = answer(state, id, value);
  if (!r.ok) throw new Error(r.message);
  return r.state;
}
/** Answers the given questions in order, reading past script text, and returns the final state. */
function play(state: State, answers: Record<string, AnswerValue>): State {
  for (const [id, v] of Object.entries(answers)) {
    let step = next(state);
    while (step.kind === 'script') {
      state = advance(state);
      step = next(state);
    }
    if (step.kind !== 'question' || step.question.id !== id) throw new Error(`expected question ${id}, got ${describe(step)}`);
    state = must(state, id, v);
  }
  return state;
}
function describe(step: Step): string {
  return step.kind === 'question' ? `question ${step.question.id}` : step.kind;
}
const nextQuestion = (s: State): string | undefined => {
  let step = next(s);
  while (step.kind === 'script') {
    s = advance(s);
    step = next(s);
  }
  return step.kind === 'question' ? step.question.id : undefined;
};

const QUALIFIED = { need: 'a', budget: 20000, role: 'champion', tools: ['bi', 'crm'], explore: true, close: 'in 2 weeks', notes: 'Call back Tuesday' };


group('script text', () => {
  it('fills placeholders from the lead row, matching headers loosely', () => {
    const step = next(start(q, LEAD, { now: NOW }));
    expect(step).toEqual({ kind: 'script', step: 0, text: 'Hi Ada from Acme' });
  });
  it('reads the fallback for a missing value', () => {
    const step = next(start(q, { email: 'x@y.test', company: '  ' }, { now: NOW }));
    expect(step.kind === 'script' && step.text).toBe('Hi there from [company]');
  });
  it('fills placeholders in the question and its help too', () => {
    const qq = load(MINI.replace('    ask: Role?\n', '    ask: "Your role at {{company}}, {{first_name}}?"\n    help: "Budget was {{budget}}"\n'));
    const s = play(advance(start(qq, LEAD, { now: NOW })), { need: 'a', budget: 5000 });
    expect(next(s)).toMatchObject({ kind: 'question', prompt: 'Your role at Acme, Ada?', help: 'Budget was 5,000 EUR', question: { prompt: 'Your role at {{company}}, {{first_name}}?' } });
  });
  it('shows script text once', () => {
    const s = advance(start(q, LEAD, { now: NOW }));
    expect(describe(next(s))).toBe('question need');
  });
});

group('answers', () => {
  const s0 = advance(start(q, LEAD, { now: NOW }));
  it.each<[string, string, unknown, AnswerValue]>([
    ['select by value', 'need', 'a', 'a'],
    ['select by label, any case', 'need', 'NONE', 'none'],
    ['number as typed', 'budget', '25k', 25000],
    ['number with currency and separators', 'budget', '€ 12,500', 12500],
    ['multi-select from a list, in option order', 'tools', ['bi', 'crm'], ['crm', 'bi']],
    ['multi-select from "; " text', 'tools', 'sheets; crm', ['crm', 'sheets']],
    ['optional multi-select left blank', 'tools', '', null],
    ['yes-no word', 'explore', 'y', true],
    ['text trimmed', 'notes', '  hello ', 'hello'],
    ['optional text left blank', 'notes', null, null],
  ])('%s', (_name, id, raw, expected) => {
    // Reach the question first where it is conditional.
    const s = id === 'close' ? play(s0, { need: 'a', budget: 1, role: 'champion', tools: [], explore: true }) : s0;
    const r = answer(s, id, raw);
    expect(r.ok && r.state.answers[id]).toEqual(expected);
  });

  it.each<[string, string, unknown, RegExp]>([
    ['an option that does not exist', 'need', 'c', /"c" is not a valid answer to "Need"/],
    ['a required answer left blank', 'need', '', /"Need" needs an answer/],
    ['a word for a number', 'budget', 'lots', /"lots" is not a valid answer to "Budget"/],
    ['a number below min', 'budget', -5, /"Budget" must be at least 0, not -5/],
    ['an unknown choice in a list', 'tools', ['crm', 'excel'], /"excel" is not a valid answer to "Tools"/],
    ['maybe for yes/no', 'explore', 'maybe', /"maybe" is not a valid answer to "Explore"/],
    ['a question that does not exist', 'nope', 1, /there is no question "nope"/],
    ['a question not asked given earlier answers', 'close', 'today', /"Close" is not asked/],
  ])('refuses %s, saying what is allowed', (_name, id, raw, message) => {
    const r = answer(s0, id, raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(message);
      expect(r.questionId).toBe(id);
      expect(r.allowed).not.toBe('');
    }
  });

  it('names the allowed values', () => {
    const r = answer(s0, 'need', 'c');
    expect(!r.ok && r.allowed).toBe('one of: a, b, none');
    const n = answer(s0, 'budget', 'x');
    expect(!n.ok && n.allowed).toBe('a number in EUR of at least 0');
  });

  it('reads relative dates against the day of the call and checks the bounds', () => {
    const s = play(s0, { need: 'a', budget: 1, role: 'champion', tools: [], explore: true });
    expect(answer(s, 'close', 'in 2 weeks')).toMatchObject({ ok: true, state: { answers: { close: '2026-07-15' } } });
    expect(answer(s, 'close', '2026-06-30')).toMatchObject({ ok: false, message: '"Close" must be on or after 2026-07-01 (today), not 2026-06-30' });
    expect(answer(s, 'close', 'whenever')).toMatchObject({ ok: false, allowed: expect.stringContaining('2027-03-31, 31/03/2027, 3/31/2027, March 31') });
  });

  it('never changes the state it was given', () => {
    const before = JSON.stringify(s0);
    answer(s0, 'need', 'a');
    back(must(s0, 'need', 'a'));
    expect(JSON.stringify(s0)).toBe(before);
  });
});

group('conditional questions', () => {
  const s0 = advance(start(q, LEAD, { now: NOW }));
  it('skips a question whose condition is not met', () => {
    const s = play(s0, { need: 'a', budget: 1, role: 'champion' });
    expect(nextQuestion(s)).toBe('tools');
  });
  it('asks it when an earlier answer calls for it', () => {
    const s = play(s0, { need: 'a', budget: 1, role: 'user' });
    expect(nextQuestion(s)).toBe('sponsor');
  });
  it('asks the close date only when they agree to explore', () => {
    const yes = play(s0, { need: 'a', budget: 1, role: 'champion', tools: [], explore: true });
    expect(nextQuestion(yes)).toBe('close');
    const no = play(s0, { need: 'a', budget: 1, role: 'champion', tools: [], explore: false });
    expect(nextQuestion(no)).toBe('notes');
  });
});

group('back and change an answer', () => {
  const s0 = advance(start(q, LEAD, { now: NOW }));

  it('back() reopens the last answer with it as the default', () => {
    const s = back(play(s0, { need: 'a', budget: 5000 }));
    const step = next(s);
    expect(step).toMatchObject({ kind: 'question', question: { id: 'budget' }, default: 5000 });
    expect(s.answers).toEqual({ need: 'a' });
    expect(back(back(s)).answers).toEqual({});
    expect(back(s0)).toBe(s0);
  });

  it('drops answers that no longer apply, and keeps the others', () => {
    let s = play(s0, { need: 'a', budget: 1, role: 'user', sponsor: 'Grace (CFO)', tools: ['crm'] });
    s = revise(s, 'role');
    expect(nextQuestion(s)).toBe('role');
    s = must(s, 'role', 'champion');
    expect(s.answers).toEqual({ need: 'a', budget: 1, role: 'champion', tools: ['crm'] });
    expect(s.defaults).toEqual({ sponsor: 'Grace (CFO)' });
    // Carry on where the call was, not at the changed question.
    expect(nextQuestion(s)).toBe('explore');
  });

  it('asks a question that starts to apply, with its old answer offered again', () => {
    let s = play(s0, { need: 'a', budget: 1, role: 'user', sponsor: 'Grace', tools: [], explore: true });
    s = must(revise(s, 'role'), 'role', 'champion');
    s = must(revise(s, 'role'), 'role', 'influencer');
    expect(next(s)).toMatchObject({ kind: 'question', question: { id: 'sponsor' }, default: 'Grace' });
  });

  it('does not read the script again after a change', () => {
    const s = revise(play(s0, { need: 'a', budget: 1 }), 'need');
    expect(next(s).kind).toBe('question');
  });
});

group('resume from a draft', () => {
  it('skips answered questions and the script before them', () => {
    const s = start(q, LEAD, { now: NOW, answers: { need: 'b', budget: '7,500', role: 'champion' } });
    expect(s.answers).toEqual({ need: 'b', budget: 7500, role: 'champion' });
    expect(describe(next(s))).toBe('question tools');
  });
  it('drops draft answers that no longer fit the questionnaire', () => {
    const s = start(q, LEAD, { now: NOW, answers: { need: 'zzz', budget: 10, sponsor: 'not asked', gone: 1 } });
    expect(s.answers).toEqual({ budget: 10 });
    expect(describe(next(s))).toBe('question need');
  });
});

group('script text after a changed answer', () => {
  const bant = loadShipped('discovery-bant.yaml');
  const disqualified = { pain: ['forecast_misses'], pain_impact: 'x', budget_set: true, budget: 5000, authority: 'decision_maker', timeline: 'in 2 months', competitors: 'none', referral: null, notes: null };
  const scriptTitle = (step: Step): string | undefined => (step.kind === 'script' ? (step.title ?? step.text.split('\n')[0]) : undefined);

  it('reads a script the new answers bring in for the first time (the qualified close), not the ones read before', () => {
    let s = play(advance(advance(start(bant, {}, { now: NOW }))), disqualified);
    expect(next(s).kind).toBe('done');
    s = must(revise(s, 'budget'), 'budget', 50000);
    const step = next(s);
    expect(scriptTitle(step)).toBe('Close');
    expect(step.kind === 'script' && step.text).toContain('Let me play back what I heard');
    expect(describe(next(advance(s)))).toBe('question agrees_to_explore');
  });

  it('after a resume, the script before the furthest answer counts as read, a new one does not', () => {
    let s = start(bant, {}, { now: NOW, answers: disqualified });
    expect(next(s).kind).toBe('done');
    s = must(revise(s, 'budget'), 'budget', 50000);
    expect(scriptTitle(next(s))).toBe('Close');
    // The opening and the agenda were read in the interrupted call.
    expect(describe(next(revise(s, 'pain')))).toBe('question pain');
  });
});

group('outcome', () => {
  const s0 = advance(start(q, LEAD, { now: NOW }));

  it('qualifies, with points, reasons and the columns to write back', () => {
    const s = play(s0, QUALIFIED);
    const step = next(s);
    expect(step.kind).toBe('done');
    if (step.kind !== 'done') return;
    expect(step.outcome).toMatchObject({ result: 'qualified', stage: 'SQL', class: 'prospect', points: 35, reasons: ['Need A', 'Budget'], notes: 'Call back Tuesday' });
    expect(step.outcome.columns).toEqual({
      mini_need: 'a',
      mini_budget: '20000',
      mini_role: 'champion',
      mini_sponsor: '',
      mini_tools: 'crm; bi',
      mini_explore: 'yes',
      mini_close: '2026-07-15',
      mini_notes: 'Call back Tuesday',
      mini_outcome: 'qualified',
      mini_reason: 'Need A; Budget',
      mini_points: '35',
      stage: 'SQL',
      class: 'prospect',
      action: 'Open an opportunity',
      qualified_at: '2026-07-01T12:00:00Z',
    });
  });

  it('disqualifies with every failed rule as a reason', () => {
    const s = play(s0, { ...QUALIFIED, need: 'none', budget: 500 });
    const step = next(s);
    expect(step.kind === 'done' && step.outcome).toMatchObject({
      result: 'disqualified',
      stage: 'disqualified',
      class: 'lead',
      reasons: ['No need', 'Budget too small'],
      points: 5, // explore: yes; need none and a budget under 1,000 earn nothing
    });
  });

  it('writes a blank cell for a question that was not asked or left blank', () => {
    const { close: _c, ...rest } = QUALIFIED;
    const s = play(s0, { ...rest, explore: false, notes: null });
    const step = next(s);
    expect(step.kind === 'done' && step.outcome.columns).toMatchObject({ mini_close: '', mini_sponsor: '', mini_notes: '', mini_explore: 'no' });
  });
});

group('$qualified', () => {
  const qq = load(
    MINI.replace(
      '  - id: notes\n',
      '  - say: "Good news, {{first_name}}"\n    when: { $qualified: true }\n  - id: referral\n    ask: Referral?\n    type: text\n    when: { $qualified: false }\n  - id: notes\n',
    ),
  );
  it('reads the qualification from the answers so far', () => {
    const s0 = advance(start(qq, LEAD, { now: NOW }));
    const yes = play(s0, { need: 'a', budget: 20000, role: 'champion', tools: [], explore: false });
    expect(next(yes)).toMatchObject({ kind: 'script', text: 'Good news, Ada' });
    const no = play(s0, { need: 'none', budget: 20000, role: 'champion', tools: [], explore: false });
    expect(describe(next(no))).toBe('question referral');
  });
});
