// The cadence as pure functions (what an attempt does to a lead's follow-up columns, who is due
// on a day) and the rules' cadence: section (checked with file:line:col, compiled only when written).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CADENCE, dueOn, recordAttempt, type Attempt } from '../../src/core/pipeline/cadence.js';
import { parseDay, parseMoment } from '../../src/core/pipeline/when.js';
import { compileText, mustCompile } from '../helpers/rules.js';

const DAY = parseDay('2026-11-02')!;
const at = (result: Attempt['result'], channel: Attempt['channel'] = 'call', day = DAY): Attempt => ({ channel, result, day, at: `${new Date(day * 86_400_000).toISOString().slice(0, 10)}T10:00:00Z` });

describe('recordAttempt (default cadence: 5 attempts, email +1, call +2, email +2, call +2, then nurture)', () => {
  it.each([
    ['no-answer', 0, { fu_attempts: '1', fu_next_due: '2026-11-03', fu_next_channel: 'email', fu_status: 'chasing' }],
    ['voicemail', 1, { fu_attempts: '2', fu_next_due: '2026-11-04', fu_next_channel: 'call', fu_status: 'chasing' }],
    ['wrong-number', 1, { fu_attempts: '2', fu_next_due: '2026-11-04', fu_next_channel: 'email', fu_status: 'chasing' }],
    ['replied', 2, { fu_attempts: '3', fu_next_due: '', fu_next_channel: '', fu_status: 'replied' }],
    ['meeting-set', 0, { fu_attempts: '1', fu_next_due: '', fu_next_channel: '', fu_status: 'meeting-set' }],
    ['no-answer', 4, { fu_attempts: '5', fu_next_due: '', fu_next_channel: '', fu_status: 'nurture' }],
  ] as const)('%s after %i attempts', (result, before, expected) => {
    const out = recordAttempt(DEFAULT_CADENCE, { attempts: before, notes: '' }, at(result));
    expect(out.columns).toMatchObject({ ...expected, fu_last_result: result, fu_last_at: '2026-11-02T10:00:00Z' });
    expect(out.disqualified).toBeNull();
  });

  it('the last step repeats up to max_attempts; a disqualifying cadence gives its reason after the last', () => {
    const c = { steps: [{ channel: 'call' as const, days: 3 }], maxAttempts: 3, afterLast: 'disqualify' as const, reason: 'No reply after 3 attempts' };
    expect(recordAttempt(c, { attempts: 1, notes: '' }, at('no-answer')).columns.fu_next_due).toBe('2026-11-05');
    const last = recordAttempt(c, { attempts: 2, notes: '' }, at('no-answer'));
    expect(last.status).toBe('disqualified');
    expect(last.disqualified).toBe('No reply after 3 attempts');
  });

  it('notes are appended with the day, channel and result; blank notes add nothing', () => {
    const one = recordAttempt(DEFAULT_CADENCE, { attempts: 0, notes: '' }, { ...at('voicemail'), note: ' left a\nmessage ' });
    expect(one.columns.fu_notes).toBe('2026-11-02 call voicemail: left a message');
    const two = recordAttempt(DEFAULT_CADENCE, { attempts: 1, notes: one.columns.fu_notes }, { ...at('replied', 'email'), note: 'wants a demo' });
    expect(two.columns.fu_notes).toBe('2026-11-02 call voicemail: left a message; 2026-11-02 email replied: wants a demo');
    expect(recordAttempt(DEFAULT_CADENCE, { attempts: 1, notes: 'x' }, { ...at('no-answer'), note: '  ' }).columns.fu_notes).toBe('x');
  });
});

describe('dueOn', () => {
  it.each([
    [{ stage: 'MQL', attempts: 2, status: 'chasing', nextDueDay: DAY - 3 }, { kind: 'overdue', daysOverdue: 3 }],
    [{ stage: 'MQL', attempts: 2, status: 'chasing', nextDueDay: DAY }, { kind: 'due', daysOverdue: 0 }],
    [{ stage: 'MQL', attempts: 2, status: 'chasing', nextDueDay: DAY + 1 }, undefined],
    [{ stage: 'sales lead', attempts: 0, status: '', nextDueDay: undefined }, { kind: 'first-touch', daysOverdue: 0 }],
    [{ stage: 'lead', attempts: 0, status: '', nextDueDay: undefined }, undefined],
    [{ stage: 'lead', attempts: 5, status: 'nurture', nextDueDay: undefined }, { kind: 'out-of-attempts', daysOverdue: 0 }],
    [{ stage: 'MQL', attempts: 1, status: 'replied', nextDueDay: undefined }, undefined],
    [{ stage: 'SAL', attempts: 2, status: 'chasing', nextDueDay: DAY - 1 }, undefined],
    [{ stage: 'disqualified', attempts: 5, status: 'disqualified', nextDueDay: undefined }, undefined],
  ])('%j on 2026-11-02 → %j', (lead, expected) => {
    expect(dueOn(lead, DAY)).toEqual(expected);
  });
});

describe('--at and --date', () => {
  it.each([
    ['2026-11-02', '2026-11-02T12:00:00.000Z'],
    ['2026-11-02T10:30', '2026-11-02T10:30:00.000Z'],
    ['2026-11-02 10:30:15Z', '2026-11-02T10:30:15.000Z'],
    ['2026-11-02T10:30+01:00', '2026-11-02T09:30:00.000Z'],
    ['2026-11-02T10:30+0100', '2026-11-02T09:30:00.000Z'],
  ])('%s is %s', (text, iso) => expect(parseMoment(text)?.toISOString()).toBe(iso));
  it.each(['2026-02-30', 'tomorrow', '2026-11-02T25:00', '02/11/2026', ''])('%j is refused', (text) => expect(parseMoment(text)).toBeUndefined());
});

const BASE = readFileSync(new URL('../../rules/default.yaml', import.meta.url), 'utf8');

describe('the cadence: section of the rules', () => {
  it('compiles steps, max_attempts (default: steps + 1) and after_last', () => {
    const rules = mustCompile(BASE + '\ncadence:\n  steps:\n    - { channel: email, days: 2 }\n    - { channel: call, days: 3 }\n  after_last: disqualify\n  reason: No reply after 3 attempts\n');
    expect(rules.cadence).toEqual({ steps: [{ channel: 'email', days: 2 }, { channel: 'call', days: 3 }], maxAttempts: 3, afterLast: 'disqualify', reason: 'No reply after 3 attempts' });
  });

  it('a file without it compiles as before: no cadence key in the compiled form', () => {
    expect(Object.keys(mustCompile(BASE))).not.toContain('cadence');
  });

  it.each([
    ['a step of 0 days', 'cadence:\n  steps:\n    - { channel: call, days: 0 }\n', /at least 1 day/, 'RULES_SCHEMA'],
    ['an unknown channel', 'cadence:\n  steps:\n    - { channel: sms, days: 2 }\n', /call|email/, 'RULES_SCHEMA'],
    ['disqualify without a reason', 'cadence:\n  steps:\n    - { channel: call, days: 2 }\n  after_last: disqualify\n', /needs a reason/, 'RULES_SCHEMA'],
    ['a misspelt key', 'cadence:\n  steps:\n    - { channel: call, days: 2 }\n  max_attempt: 3\n', /max_attempts/, 'RULES_UNKNOWN_KEY'],
    ['a probability over 100', 'pipeline:\n  probabilities: { Demo: 130 }\n', /0 to 100/, 'RULES_SCHEMA'],
  ])('%s is an error at its line', (_name, extra, message, code) => {
    const { errors } = compileText(BASE + '\n' + extra);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.code).toBe(code);
    expect(errors.map((e) => e.message + ' ' + (e.hint ?? '')).join('\n')).toMatch(message);
    const at = errors[0]!.at;
    expect(at?.kind === 'yaml' && at.line).toBeGreaterThan(BASE.split('\n').length);
  });
});

describe('the README examples of the cadence and of a preset of your own', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  it('the cadence: and pipeline: block compiles into what the README says', () => {
    const start = readme.indexOf('```yaml\ncadence:\n');
    const block = readme.slice(start + '```yaml\n'.length, readme.indexOf('```', start + 7));
    const rules = mustCompile(BASE + '\n' + block);
    expect(rules.cadence).toEqual(DEFAULT_CADENCE);
    expect(rules.pipeline?.probabilities.map((p) => [p.stage, p.probability])).toEqual([['qualification', 0.1], ['demo', 0.3], ['proposal', 0.6], ['negotiation', 0.8]]);
  });
  it('the preset block is a valid preset', async () => {
    const { presetSchema } = await import('../../src/core/pipeline/preset.js');
    const { parse } = await import('yaml');
    const start = readme.indexOf('```yaml\nname: my-crm\n');
    const block = readme.slice(start + '```yaml\n'.length, readme.indexOf('```', start + 7));
    expect(presetSchema.safeParse(parse(block)).success).toBe(true);
  });
});
