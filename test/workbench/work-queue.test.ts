// The work queue's order: follow-ups due (earliest first), then SALs, then leads to assess, each
// by score; later stages, bad and disqualified leads left out; interrupted calls marked.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveDraft } from '../../src/io/draft.js';
import { workQueue } from '../../src/pipeline/work-queue.js';

const DAY = Math.floor(Date.parse('2026-11-02T00:00:00Z') / 86_400_000);

describe('workQueue', () => {
  it('follow-ups due first, then SALs, then leads, by score; finished and disqualified leads left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-queue-'));
    const csv = join(dir, 'leads.csv');
    // A file qualify scored (the whole set of score columns), then worked: stages a person set.
    const header = ['Lead ID', 'Email', 'Title', 'fit', 'engagement', 'score', 'tier', 'grade', 'stage', 'class', 'action', 'reasons', 'qualified_at', 'na_follow_up'];
    const lead = (id: string, score: number, stage: string, at = '', followUp = ''): string[] => [id, `${id.toLowerCase()}@acme.test`, 'CEO', '0', '0', String(score), 'low', '', stage, 'lead', '', '', at, followUp];
    const at = '2026-10-01T10:00:00Z';
    const rows = [
      header,
      lead('L1', 50, 'lead'),
      lead('L2', 90, 'MQL'),
      lead('S1', 40, 'SAL', at, '2026-11-10 09:00-11:00'),
      lead('S2', 30, 'SAL', at, '2026-11-01 09:00-11:00'),
      lead('S3', 20, 'SAL', at, '2026-10-20'),
      lead('Q1', 95, 'SQL', at),
      lead('D1', 99, 'disqualified', at),
    ];
    writeFileSync(csv, rows.map((r) => r.join(',')).join('\n') + '\n');
    saveDraft(csv, { questionnaire: 'needs-assessment', lead: 'L1', answers: {}, saved_at: '2026-11-02T09:00:00Z' });
    const q = await workQueue(csv, { overrides: {}, csv: {}, asOfDay: DAY, questionnaireIds: { assess: 'needs-assessment', discover: 'discovery-bant' } });
    expect(q.map((e) => [e.key, e.step, e.due ?? null, e.unfinished])).toEqual([
      ['S3', 'discover', '2026-10-20', false],
      ['S2', 'discover', '2026-11-01', false],
      ['S1', 'discover', null, false],
      ['L2', 'assess', null, false],
      ['L1', 'assess', null, true],
    ]);
    expect(q[0]!.label).toContain('[follow-up due 2026-10-20]');
    expect(q[4]!.label).toContain('[unfinished call]');
  });
});

describe('workQueue and follow-up attempts', () => {
  it('an attempt whose next one is due counts as a follow-up due; a lead sent to nurture by the cadence leaves the queue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-queue-'));
    const csv = join(dir, 'leads.csv');
    const header = ['Lead ID', 'Email', 'Title', 'fit', 'engagement', 'score', 'tier', 'grade', 'stage', 'class', 'action', 'reasons', 'qualified_at', 'fu_attempts', 'fu_next_due', 'fu_status'];
    const lead = (id: string, score: number, attempts = '', next = '', status = ''): string[] => [id, `${id.toLowerCase()}@acme.test`, 'CEO', '0', '0', String(score), 'low', '', 'lead', 'lead', '', '', '', attempts, next, status];
    const rows = [
      header,
      lead('A1', 90),
      lead('A2', 10, '2', '2026-11-01', 'chasing'),
      lead('A3', 80, '1', '2026-11-05', 'chasing'),
      lead('A4', 99, '5', '', 'nurture'),
    ];
    writeFileSync(csv, rows.map((r) => r.join(',')).join('\n') + '\n');
    const q = await workQueue(csv, { overrides: {}, csv: {}, asOfDay: DAY, questionnaireIds: { assess: 'needs-assessment', discover: 'discovery-bant' } });
    expect(q.map((e) => [e.key, e.due ?? null, e.attempts])).toEqual([
      ['A2', '2026-11-01', 2],
      ['A1', null, 0],
      ['A3', null, 1],
    ]);
    expect(q[0]!.label).toContain('[follow-up due 2026-11-01, 2 attempts]');
    expect(q[2]!.label).toContain('[1 attempt]');
    // The card of the lead picked, scored on demand.
    expect(q[0]!.card()).toMatchObject({ key: 'A2', email: 'a2@acme.test' });
  });
});
