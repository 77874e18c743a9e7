// Going back a question during a call (issue 16 item 2), through the scripted prompter: SCRIPTED_BACK
// in a list of answers is what Esc does in a terminal. The earlier answer is reopened with itself
// as the default, the answers after it stand, and the draft never holds the reopened answer.
import { describe, expect, it } from 'vitest';
import { runQuestionnaire } from '../../src/core/questionnaire/run.js';
import type { Answers } from '../../src/core/questionnaire/schema.js';
import { createScriptedPrompter, SCRIPTED_BACK as BACK, type Prompter } from '../../src/ui/prompter.js';
import { MINI, NOW, load } from '../questionnaire/helpers.js';

const q = load(MINI);
const LEAD = { first_name: 'Ada', company: 'Acme' };

/** A scripted prompter that also records each prompt's default and help, by prompt id in order. */
type Seen = { id: string; default: unknown; help?: string; back?: boolean };

function recording(answers: unknown[]): { p: ReturnType<typeof createScriptedPrompter>; prompts: Seen[] } {
  const p = createScriptedPrompter(answers);
  const prompts: Seen[] = [];
  const spy = {} as Record<string, unknown>;
  for (const k of ['select', 'checkbox', 'input', 'number', 'confirm', 'date'] as const) {
    const real = p[k].bind(p) as (s: { id: string; default?: unknown; help?: string; back?: boolean }) => Promise<unknown>;
    spy[k] = (s: { id: string; default?: unknown; help?: string; back?: boolean }) => {
      prompts.push({ id: s.id, default: s.default, ...(s.help !== undefined ? { help: s.help } : {}), ...(s.back !== undefined ? { back: s.back } : {}) });
      return real(s);
    };
  }
  return { p: Object.assign(p, spy as Partial<Prompter>), prompts };
}

describe('going back a question (scripted)', () => {
  it('reopens the previous question with its answer as the default; later answers continue from there', async () => {
    const { p, prompts } = recording(['a', 500, BACK, '15k', 'champion', ['crm'], false, '', 'save']);
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW });
    expect(p.asked).toEqual(['need', 'budget', 'role', 'budget', 'role', 'tools', 'explore', 'notes', '$review']);
    // The reopened budget question offers the first answer.
    expect(prompts[3]).toMatchObject({ id: 'budget', default: 500 });
    expect(r.status === 'saved' && r.outcome.answers).toMatchObject({ need: 'a', budget: 15000, role: 'champion' });
  });

  it('back twice goes two questions up; Esc at the first question does nothing, and nothing is lost', async () => {
    const { p, prompts } = recording([BACK, 'b', 20000, BACK, BACK, BACK, 'a', 20000, 'champion', [], false, '', 'save']);
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW });
    expect(p.asked).toEqual(['need', 'budget', 'role', 'budget', 'need', 'budget', 'role', 'tools', 'explore', 'notes', '$review']);
    // Back from role reopens budget (20000 offered), back again reopens need ("b" offered).
    expect(prompts.slice(3, 5).map((x) => [x.id, x.default])).toEqual([['budget', 20000], ['need', 'b']]);
    // The first question offers no way back; every later one does.
    expect(prompts.map((x) => x.back)).toEqual([false, true, true, true, false, true, true, true, true, true, true]);
    expect(r.status === 'saved' && r.outcome.answers).toMatchObject({ need: 'a', budget: 20000, role: 'champion' });
  });

  it('follows the path the answers took: back from tools reopens the sponsor question that role=user brought in', async () => {
    const { p } = recording(['a', 20000, 'user', 'Grace', BACK, 'Grace Hopper', [], false, '', 'save']);
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW });
    expect(p.asked).toEqual(['need', 'budget', 'role', 'sponsor', 'tools', 'sponsor', 'tools', 'explore', 'notes', '$review']);
    expect(r.status === 'saved' && r.outcome.answers['sponsor']).toBe('Grace Hopper');
  });

  it('back from the summary reopens the last question, and the summary says how to change an answer', async () => {
    const { p, prompts } = recording(['a', 20000, 'champion', [], true, '2026-08-01', 'first notes', BACK, 'better notes', 'save']);
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW });
    expect(p.asked.slice(-3)).toEqual(['$review', 'notes', '$review']);
    expect(prompts.find((x) => x.id === '$review')?.help).toMatch(/Choose "Change an answer" to correct any answer, or go back to the last question/);
    expect(r.status === 'saved' && r.outcome.answers['notes']).toBe('better notes');
  });

  it('after changing an answer from the summary, back goes to the question above it, not to the last one answered', async () => {
    const { p } = recording(['a', 20000, 'champion', [], false, '', 'change', 'role', BACK, 30000, 'champion', 'save']);
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW });
    expect(p.asked.slice(6)).toEqual(['$review', '$change', 'role', 'budget', 'role', '$review']);
    expect(r.status === 'saved' && r.outcome.answers).toMatchObject({ budget: 30000, role: 'champion', notes: null });
  });

  it('back from "which answer?" returns to the summary', async () => {
    const { p } = recording(['a', 20000, 'champion', [], false, '', 'change', BACK, 'save']);
    const r = await runQuestionnaire(q, LEAD, p, { now: NOW });
    expect(p.asked.slice(6)).toEqual(['$review', '$change', '$review']);
    expect(r.status).toBe('saved');
  });

  it('the draft drops the reopened answer at once, so an interruption there resumes at that question', async () => {
    const seen: Answers[] = [];
    // The list runs out at the reopened budget question: the run fails there, as Ctrl-C would stop it.
    const { p } = recording(['a', 500, 'user', BACK]);
    await expect(runQuestionnaire(q, LEAD, p, { now: NOW, onProgress: (a) => seen.push(a) })).rejects.toMatchObject({ code: 'ANSWERS_INVALID' });
    expect(seen).toEqual([{ need: 'a' }, { need: 'a', budget: 500 }, { need: 'a', budget: 500, role: 'user' }, { need: 'a', budget: 500 }]);
  });

  it('an answers file cannot go back: "$back" there is an answer like any other, and refused', async () => {
    const p = createScriptedPrompter({ need: BACK });
    await expect(runQuestionnaire(q, LEAD, p, { now: NOW })).rejects.toMatchObject({ code: 'ANSWERS_INVALID', message: expect.stringContaining('Need') });
  });
});
