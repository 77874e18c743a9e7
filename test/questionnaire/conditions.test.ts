import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/questionnaire/conditions.js';
import type { Answers, Condition } from '../../src/core/questionnaire/schema.js';

const env = { today: '2026-07-01', qualified: () => true };
const leaf = (ref: string, kind: Extract<Condition, { ref: string }>['kind'], op: Extract<Condition, { ref: string }>['op'], operand: Extract<Condition, { ref: string }>['operand']): Condition => ({ ref, kind, op, operand });

const answers: Answers = {
  role: 'champion',
  tools: ['crm', 'bi'],
  budget: 12000,
  agrees: true,
  close: '2026-10-15',
  notes: 'Uses Salesforce',
  skipped: null,
};

describe('evaluate', () => {
  it.each<[string, Condition, boolean]>([
    ['select eq', leaf('role', 'select', 'eq', 'champion'), true],
    ['select ne', leaf('role', 'select', 'ne', 'champion'), false],
    ['select in', leaf('role', 'select', 'in', ['influencer', 'champion']), true],
    ['select not_in', leaf('role', 'select', 'not_in', ['influencer', 'champion']), false],
    ['multi eq means includes', leaf('tools', 'multi-select', 'eq', 'bi'), true],
    ['multi in means any', leaf('tools', 'multi-select', 'in', ['sheets', 'crm']), true],
    ['multi not_in means none', leaf('tools', 'multi-select', 'not_in', ['sheets']), true],
    ['number gte', leaf('budget', 'number', 'gte', 10000), true],
    ['number lt', leaf('budget', 'number', 'lt', 12000), false],
    ['number in', leaf('budget', 'number', 'in', [12000]), true],
    ['yes-no eq', leaf('agrees', 'yes-no', 'eq', true), true],
    ['date within_months 6', leaf('close', 'date', 'within_months', 6), true],
    ['date within_days 30', leaf('close', 'date', 'within_days', 30), false],
    ['date before a relative day', leaf('close', 'date', 'lt', 'end of year'), true],
    ['date after an ISO day', leaf('close', 'date', 'gt', '2026-10-15'), false],
    ['text contains, any case', leaf('notes', 'text', 'contains', 'salesforce'), true],
    ['text eq ignores case', leaf('notes', 'text', 'eq', 'uses salesforce'), true],
    ['unanswered is false', leaf('missing', 'number', 'gte', 0), false],
    ['unanswered is false for ne too', leaf('missing', 'select', 'ne', 'x'), false],
    ['blank counts as unanswered', leaf('skipped', 'text', 'answered', false), true],
    ['answered', leaf('budget', 'number', 'answered', true), true],
    ['all', { all: [leaf('budget', 'number', 'gte', 1), leaf('agrees', 'yes-no', 'eq', false)] }, false],
    ['any', { any: [leaf('budget', 'number', 'gte', 1), leaf('agrees', 'yes-no', 'eq', false)] }, true],
    ['not', { not: leaf('agrees', 'yes-no', 'eq', false) }, true],
    ['$qualified', leaf('$qualified', 'qualified', 'eq', true), true],
  ])('%s', (_name, cond, expected) => {
    expect(evaluate(cond, answers, env)).toBe(expected);
  });
});
