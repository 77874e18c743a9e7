import { describe, expect, it } from 'vitest';
import { loadQuestionnaire } from '../../src/core/questionnaire/load.js';
import { MINI, load } from './helpers.js';

/** Replaces the first occurrence of `from` in MINI (the test fails if it is not there). */
function edit(from: string, to: string): string {
  if (!MINI.includes(from)) throw new Error(`MINI has no ${JSON.stringify(from)}`);
  return MINI.replace(from, to);
}

type Case = { name: string; yaml: string; code?: string; line: number; col: number; message: RegExp };

const cases: Case[] = [
  { name: 'unknown top-level key', yaml: edit('title: Mini', 'titel: Mini\ntitle: Mini'), line: 2, col: 1, message: /unknown key "titel" \(did you mean "title"\?\)/ },
  { name: 'unknown key in a question', yaml: edit('    options: [champion', '    optons: [x]\n    options: [champion'), line: 28, col: 5, message: /question "role": unknown key "optons" \(did you mean "options"\?\)/ },
  { name: 'comma inside a flow map', yaml: edit('{ value: b, points: 5 }', '{ value: b, label: Big, bold, points: 5 }'), line: 15, col: 33, message: /question "need": unknown key "bold"; a comma inside \{ ... \} ends the value: put the text in quotes/ },
  { name: 'wrong type', yaml: edit('    min: 0\n', '    min: fifty\n'), line: 21, col: 10, message: /question "budget": "min" should be a number, not "fifty"/ },
  { name: 'unknown question type', yaml: edit('    type: number', '    type: numeric'), line: 19, col: 11, message: /"type" should be one of select, multi-select, text, number, yes-no, date, not "numeric"/ },
  { name: 'missing type', yaml: edit('    type: number\n', ''), line: 17, col: 5, message: /question "budget": missing "type"/ },
  { name: 'missing ask', yaml: edit('    ask: Budget?\n', ''), line: 17, col: 5, message: /question "budget": missing "ask"/ },
  { name: 'when refers to a later question', yaml: edit('    when: { role: { in: [influencer, user] } }', '    when: { explore: true }'), line: 32, col: 13, message: /"explore" is asked later \(line 38\)/ },
  { name: 'when refers to an unknown question', yaml: edit('    when: { role: { in: [influencer, user] } }', '    when: { rol: { in: [influencer, user] } }'), line: 32, col: 13, message: /"rol" is not a question in this file \(did you mean "role"\?\)/ },
  { name: 'when on itself', yaml: edit('    when: { role: { in: [influencer, user] } }', '    when: { sponsor: { answered: true } }'), line: 32, col: 13, message: /cannot depend on its own answer/ },
  { name: 'placeholder naming no known field', yaml: edit('Hi {{first_name}} from', 'Hi {{frist_name}} from'), line: 9, col: 13, message: /placeholder \{\{frist_name\}\} names no known field \(did you mean "first_name"\?\)/ },
  { name: 'placeholder naming a later question', yaml: edit('from {{company}}', 'from {{company}} about {{need}}'), line: 9, col: 51, message: /names a question asked later/ },
  { name: 'placeholder in a question', yaml: edit('    ask: Role?', '    ask: Role at {{companie}}?'), line: 26, col: 18, message: /placeholder \{\{companie\}\} names no known field \(did you mean "company"\?\)/ },
  { name: 'placeholder in a question naming itself', yaml: edit('    ask: Role?', '    ask: Role ({{role}})?'), line: 26, col: 16, message: /placeholder \{\{role\}\} names a question asked at or after this one/ },
  { name: 'placeholder in a reason', yaml: edit('reason: "Need {{need}}"', 'reason: "Need {{needs}}"'), line: 54, col: 21, message: /placeholder \{\{needs\}\} names no known field/ },
  { name: 'duplicate question id', yaml: edit('  - id: sponsor', '  - id: budget'), line: 29, col: 9, message: /question id "budget" is used twice \(first at line 17\)/ },
  { name: 'empty options', yaml: edit('    options: [champion, influencer, user]', '    options: []'), line: 28, col: 14, message: /question "role": "options" is empty; add at least one option/ },
  { name: 'duplicate option', yaml: edit('[champion, influencer, user]', '[champion, influencer, champion]'), line: 28, col: 37, message: /option "champion" is listed twice/ },
  { name: 'condition value that is not an option', yaml: edit('{ role: { in: [influencer, user] } }', '{ role: { in: [influencr, user] } }'), line: 32, col: 25, message: /"influencr" is not an option of question "role"; options: champion, influencer, user/ },
  { name: 'unknown test', yaml: edit('{ budget: { gte: 10000 } }', '{ budget: { gtee: 10000 } }'), line: 56, col: 23, message: /unknown test "gtee"; for number question use equals, not_equals, in, not_in, gt, gte, lt, lte, answered/ },
  { name: 'test that does not apply to the kind', yaml: edit('{ need: { in: [a, b] } }', '{ need: { gte: 3 } }'), line: 53, col: 21, message: /"gte" does not apply to select question "need"/ },
  { name: 'number test with text', yaml: edit('{ budget: { gte: 10000 } }', '{ budget: { gte: lots } }'), line: 56, col: 28, message: /"budget" is a number question; gte takes a number, not "lots"/ },
  { name: 'condition that is not a map', yaml: edit('    when: { explore: true }', '    when: explore'), line: 46, col: 11, message: /a condition should be a map/ },
  { name: '$qualified before the deciding questions', yaml: edit('  - id: budget\n', '  - say: Great\n    when: { $qualified: true }\n  - id: budget\n'), line: 18, col: 13, message: /"\$qualified" can only be used after every question the qualification uses; "budget" \(line 19\) comes at or after this step/ },
  { name: 'unknown special name', yaml: edit('    when: { explore: true }', '    when: { $score: 3 }'), line: 46, col: 13, message: /unknown name "\$score"/ },
  { name: 'follow-up day that is not a date question', yaml: MINI + 'outcome:\n  follow_up: { date: notes }\n', line: 60, col: 22, message: /follow-up date: "notes" is a text question; use a date question/ },
  { name: 'opportunity amount of the wrong kind', yaml: MINI + 'outcome:\n  opportunity: { when: { explore: true }, amount: notes, stage: need, next_step: role, close_date: close }\n', line: 60, col: 51, message: /opportunity amount: "notes" is a text question; use a number question/ },
  { name: 'column written twice', yaml: edit('    type: text\n    when: { role', '    type: text\n    column: mini_role\n    when: { role'), line: 32, col: 13, message: /column "mini_role" is already written by the question at line 25/ },
  { name: 'reserved column', yaml: edit('    type: text\n    when: { role', '    type: text\n    column: stage\n    when: { role'), line: 32, col: 13, message: /column "stage" is reserved for the outcome/ },
  { name: 'bad questionnaire kind', yaml: edit('kind: discovery', 'kind: demo'), line: 3, col: 7, message: /"kind" should be one of needs-assessment, discovery, not "demo"/ },
  { name: 'bad date bound', yaml: edit('    min: today', '    min: someday'), line: 45, col: 10, message: /question "close": "min" should be a date such as 2026-09-30/ },
  { name: 'reserved question id', yaml: edit('  - id: notes', '  - id: all'), line: 47, col: 9, message: /"all" is a reserved word in conditions/ },
  { name: 'missing qualification', yaml: MINI.slice(0, MINI.indexOf('qualification:')), line: 1, col: 1, message: /missing "qualification"/ },
  { name: 'bad id', yaml: edit('  - id: sponsor', '  - id: Sponsor-Name'), line: 29, col: 9, message: /"id" should be lower-case letters, digits and _/ },
  { name: 'date band with both units', yaml: edit('    min: today\n', '    min: today\n    points: [{ within_days: 5, within_months: 1, points: 3 }]\n'), line: 46, col: 14, message: /needs exactly one of "within_days" or "within_months"/ },
  { name: 'YAML syntax', yaml: edit('title: Mini', 'title: [Mini'), code: 'RULES_SYNTAX', line: 3, col: 1, message: /./ },
  { name: 'YAML duplicate key', yaml: edit('title: Mini', 'title: Mini\ntitle: Maxi'), code: 'RULES_SYNTAX', line: 3, col: 1, message: /unique/i },
];

describe('loadQuestionnaire errors', () => {
  it.each(cases)('$name', ({ yaml, code = 'QUESTIONNAIRE_SCHEMA', line, col, message }) => {
    const r = loadQuestionnaire('q.yaml', yaml);
    expect(r.questionnaire).toBeUndefined();
    const hit = r.errors.find((e) => message.test(e.message));
    expect(hit, r.errors.map((e) => `${(e.at as { line: number }).line}:${(e.at as { col: number }).col} ${e.message}`).join('\n')).toBeDefined();
    expect(hit!.code).toBe(code);
    expect(hit!.at).toMatchObject({ kind: 'yaml', file: 'q.yaml', line, col });
  });

  it('reports every problem, not just the first', () => {
    const yaml = edit('kind: discovery', 'kind: demo').replace('    min: 0\n', '    min: fifty\n').replace('    type: multi-select', '    type: checkboxes');
    const r = loadQuestionnaire('q.yaml', yaml);
    // kind (top level), budget.min and tools.type (two different steps)
    expect(r.errors.map((e) => (e.at as { line: number }).line)).toEqual([3, 21, 35]);
  });

  it('reports every cross-reference problem of a structurally valid file', () => {
    const yaml = edit('Hi {{first_name}}', 'Hi {{frist_name}}').replace('{ role: { in: [influencer, user] } }', '{ rol: x }').replace('{ budget: { gte: 10000 } }', '{ budget: { gte: lots } }');
    const r = loadQuestionnaire('q.yaml', yaml);
    expect(r.errors).toHaveLength(3);
    expect(r.errors.every((e) => e.code === 'QUESTIONNAIRE_SCHEMA')).toBe(true);
  });

  it('carries the offending line as a snippet', () => {
    const r = loadQuestionnaire('q.yaml', edit('kind: discovery', 'kind: demo'));
    expect(r.errors[0]!.at).toMatchObject({ snippet: 'kind: demo' });
  });

  it('reads a file with a BOM and CRLF line ends', () => {
    const q = load('\uFEFF' + MINI.replace(/\n/g, '\r\n'));
    expect(q.questions.map((x) => x.id)).toEqual(['need', 'budget', 'role', 'sponsor', 'tools', 'explore', 'close', 'notes']);
  });
});

describe('loadQuestionnaire normalises', () => {
  const q = load(MINI);
  it('names columns from the prefix', () => {
    expect(q.questions.map((x) => x.column)).toEqual(['mini_need', 'mini_budget', 'mini_role', 'mini_sponsor', 'mini_tools', 'mini_explore', 'mini_close', 'mini_notes']);
  });
  it('expands option shorthands and defaults', () => {
    const need = q.questions[0]!;
    expect(need.kind === 'select' && need.options).toEqual([
      { value: 'a', label: 'A', points: 10 },
      { value: 'b', label: 'B', points: 5 },
      { value: 'none', label: 'None', points: 0 },
    ]);
    expect(need.required).toBe(true);
    expect(need.label).toBe('Need');
  });
  it('sends opportunity answers to the shared opp_* columns and notes to <prefix>_notes', () => {
    const withOpp = load(
      MINI.replace('  - id: notes\n', '  - id: amount\n    ask: Amount\n    type: number\n  - id: stage\n    ask: Stage\n    type: select\n    options: [demo]\n  - id: next\n    ask: Next\n    type: text\n  - id: call_notes\n') +
        'outcome:\n  notes: call_notes\n  opportunity: { when: { explore: true }, amount: amount, stage: stage, next_step: next, close_date: close }\n',
    );
    const cols = Object.fromEntries(withOpp.questions.map((x) => [x.id, x.column]));
    expect(cols).toMatchObject({ amount: 'opp_amount', stage: 'opp_stage', next: 'opp_next_step', close: 'opp_close_date', call_notes: 'mini_notes' });
  });
  it('lets a discovery call book its next meeting (outcome.follow_up), with no promise when none was booked', () => {
    const q = load(MINI + 'outcome:\n  follow_up: { date: close }\n');
    expect(q.kind).toBe('discovery');
    expect(q.outcome.followUp).toEqual({ date: 'close', otherwise: '' });
  });
});
