import { describe, expect, it } from 'vitest';
import { checkAnswerIds, runQuestionnaire } from '../../src/core/questionnaire/run.js';
import type { Answers } from '../../src/core/questionnaire/schema.js';
import { createScriptedPrompter } from '../../src/ui/prompter.js';
import { MINI, NOW, load } from './helpers.js';

const q = load(MINI);
const LEAD = { first_name: 'Ada', company: 'Acme' };
const ANSWERS = { need: 'a', budget: 20000, role: 'champion', tools: ['crm'], explore: true, close: '2026-08-01', notes: '' };

describe('runQuestionnaire', () => {
  it('says the script, asks the questions, shows a summary and saves', async () => {
    const p = createScriptedPrompter(ANSWERS);
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW });
    expect(r.status).toBe('saved');
    expect(p.asked).toEqual(['need', 'budget', 'role', 'tools', 'explore', 'close', 'notes', '$review']);
    expect(p.said[0]).toBe('Hi Ada from Acme');
    expect(p.said[1]).toContain('Mini: qualified, stage SQL (35 points)');
    expect(p.said[1]).toContain('Budget   20,000 EUR');
  });

  it('goes back to change an answer from the summary, then saves', async () => {
    // A list answers every prompt in turn, the review prompts included.
    const p = createScriptedPrompter(['a', 500, 'user', 'Grace', [], false, '', 'change', 'budget', '15k', 'change', 'role', 'champion', 'save']);
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW });
    expect(p.asked).toEqual(['need', 'budget', 'role', 'sponsor', 'tools', 'explore', 'notes', '$review', '$change', 'budget', '$review', '$change', 'role', '$review']);
    expect(r.status === 'saved' && r.outcome).toMatchObject({ result: 'qualified', answers: { budget: 15000, role: 'champion' } });
    // The sponsor question no longer applies once the role is champion.
    expect(r.status === 'saved' && r.outcome.answers).not.toHaveProperty('sponsor');
    // Each summary reflects the answers at that moment.
    const summaries = p.said.filter((s) => s.startsWith('Mini:'));
    expect(summaries.map((s) => s.split('\n')[0])).toEqual([
      'Mini: disqualified, stage disqualified (10 points)',
      'Mini: qualified, stage SQL (30 points)',
      'Mini: qualified, stage SQL (30 points)',
    ]);
  });

  it('offers to discard (the caller keeps the draft)', async () => {
    const p = createScriptedPrompter({ ...ANSWERS, $review: 'discard' });
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW });
    expect(r).toMatchObject({ status: 'discarded', answers: { need: 'a' } });
  });

  it('reports every answer as it is given, so an interruption loses nothing', async () => {
    const seen: Answers[] = [];
    const p = createScriptedPrompter({ need: 'b', budget: 1 });
    await expect(runQuestionnaire(q, LEAD, p, { now: NOW, onProgress: (a) => seen.push(a) })).rejects.toMatchObject({ code: 'ANSWERS_INVALID' });
    expect(seen).toEqual([{ need: 'b' }, { need: 'b', budget: 1 }]);
  });

  it('resumes from a draft without asking the answered questions again', async () => {
    const p = createScriptedPrompter({ ...ANSWERS, need: 'b' });
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW, draft: { need: 'a', budget: 20000, role: 'champion' } });
    expect(p.asked).toEqual(['tools', 'explore', 'close', 'notes', '$review']);
    // The opening was read in the first part of the call.
    expect(p.said[0]).toMatch(/^Mini:/);
    expect(r.status === 'saved' && r.outcome.answers['need']).toBe('a');
  });
});

describe('answers files', () => {
  it('a missing answer names the question and the allowed values', async () => {
    const { role: _r, ...rest } = ANSWERS;
    const p = createScriptedPrompter(rest, { source: 'call.yaml' });
    await expect(runQuestionnaire(q, LEAD, p, { now: NOW })).rejects.toMatchObject({
      name: 'QualifyError',
      code: 'ANSWERS_INVALID',
      message: 'no answer for question "role" (Role?); allowed: one of: champion, influencer, user',
      at: { kind: 'file', file: 'call.yaml' },
    });
  });

  it('an invalid answer names the question and the allowed values', async () => {
    const p = createScriptedPrompter({ ...ANSWERS, budget: 'a lot' });
    await expect(runQuestionnaire(q, LEAD, p, { now: NOW })).rejects.toMatchObject({
      code: 'ANSWERS_INVALID',
      message: '"a lot" is not a valid answer to "Budget"; allowed: a number in EUR of at least 0',
    });
  });

  it('an answer to a conditional question that is not asked is ignored', async () => {
    const p = createScriptedPrompter({ ...ANSWERS, sponsor: 'Grace' });
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW });
    expect(r.status === 'saved' && r.outcome.columns['mini_sponsor']).toBe('');
  });

  it('an optional question may be left out', async () => {
    const { notes: _n, tools: _t, ...rest } = ANSWERS;
    const r = await runQuestionnaire(q, LEAD, createScriptedPrompter(rest), { now: NOW });
    expect(r.status === 'saved' && r.outcome.answers).toMatchObject({ notes: null, tools: null });
  });

  it('unknown ids are reported before the call', () => {
    const errors = checkAnswerIds(q, { ...ANSWERS, budjet: 1, $review: 'save' });
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['ANSWERS_INVALID', '"budjet" is not a question of mini; questions: need, budget, role, sponsor, tools, explore, close, notes'],
    ]);
  });

  it('a list that runs out fails on the next question', async () => {
    const p = createScriptedPrompter(['a']);
    await expect(runQuestionnaire(q, LEAD, p, { now: NOW })).rejects.toMatchObject({ code: 'ANSWERS_INVALID', message: expect.stringContaining('"budget"') });
  });
});
