// A scripted working week on the purchased-list fixture, through the built CLI as a salesperson
// runs it: score, needs assessments and discovery calls from answers files, follow-up attempts
// logged over several days with --at. Each step pins the clock (QUALIFY_NOW) to its moment.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEnv, ROOT } from '../interactive/setup.js';

const BIN = join(ROOT, 'bin', 'qualify.js');

export function qualifyAt(now: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...cliEnv(), QUALIFY_NOW: now }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function must(now: string, args: string[]): string {
  const r = qualifyAt(now, args);
  if (r.status !== 0) throw new Error(`qualify ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stderr;
}

const yaml = (o: Record<string, unknown>) => JSON.stringify(o);

export const SAL_ANSWERS = {
  source: 'webinar',
  need: ['forecast_accuracy'],
  product_interest: 'forecasting',
  solution: 'One forecast for the board',
  crm: 'hubspot',
  timeline: 'this_quarter',
  follow_up_agreed: true,
  follow_up_date: '2026-11-10',
  follow_up_window: '09:00-11:00',
};
const OPPORTUNITY = {
  pain: ['forecast_misses'],
  budget_set: true,
  budget: 60000,
  authority: 'decision_maker',
  timeline: '2027-01-31',
  agrees_to_explore: true,
  deal_amount: 48000,
  deal_stage: 'demo',
  next_step: 'demo',
  close_date: '2026-12-15',
  // The demo is booked on the call: the calendar export carries it.
  meeting_date: '2026-11-12',
  meeting_time: '10:00-11:00',
};
const NO_BUDGET = { pain: ['forecast_misses'], budget_set: false, authority: 'decision_maker', timeline: '2027-01-31', referral: 'Ops at Contoso' };

/** Runs the week in a new temp directory; returns it and the worked leads.csv. */
export function scriptedWeek(): { dir: string; csv: string } {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-week-'));
  const csv = join(dir, 'leads.csv');
  const answers = (name: string, o: Record<string, unknown>) => {
    const p = join(dir, name);
    writeFileSync(p, yaml(o));
    return p;
  };
  // Monday: score the list, two first calls unanswered, three needs assessments.
  must('2026-11-02T08:00:00Z', ['score', join(ROOT, 'fixtures', 'purchased-list.csv'), '--as-of', '2026-11-01', '-o', csv, '-q']);
  must('2026-11-02T09:30:00Z', ['log', csv, '--lead', 'PL-0095', '--attempt', 'call', '--result', 'no-answer', '--at', '2026-11-02T09:00']);
  must('2026-11-02T09:30:00Z', ['log', csv, '--lead', 'PL-0191', '--attempt', 'call', '--result', 'voicemail', '--at', '2026-11-02T09:20', '--note', 'left a message']);
  must('2026-11-02T10:00:00Z', ['assess', csv, '--lead', 'PL-0008', '--answers', answers('na-0008.yaml', SAL_ANSWERS)]);
  must('2026-11-02T11:00:00Z', ['assess', csv, '--lead', 'PL-0069', '--answers', answers('na-0069.yaml', { ...SAL_ANSWERS, follow_up_date: '2026-11-04', follow_up_window: '14:00-16:00' })]);
  must('2026-11-02T14:00:00Z', ['assess', csv, '--lead', 'PL-0020', '--answers', answers('na-0020.yaml', { ...SAL_ANSWERS, follow_up_date: '2026-11-04', follow_up_window: '16:00-18:00' })]);
  // Tuesday: the second attempts.
  must('2026-11-03T09:30:00Z', ['log', csv, '--lead', 'PL-0095', '--attempt', 'email', '--result', 'no-answer', '--at', '2026-11-03T09:00']);
  must('2026-11-03T09:30:00Z', ['log', csv, '--lead', 'PL-0191', '--attempt', 'email', '--result', 'replied', '--at', '2026-11-03T09:10', '--note', 'call me Friday']);
  // Wednesday: two discovery calls: an opportunity, and a lead without budget.
  must('2026-11-04T15:00:00Z', ['discover', csv, '--lead', 'PL-0069', '--answers', answers('bant-0069.yaml', OPPORTUNITY)]);
  must('2026-11-04T17:00:00Z', ['discover', csv, '--lead', 'PL-0020', '--answers', answers('bant-0020.yaml', NO_BUDGET)]);
  // Thursday: a wrong number.
  must('2026-11-05T10:30:00Z', ['log', csv, '--lead', 'PL-0095', '--attempt', 'call', '--result', 'wrong-number', '--at', '2026-11-05T10:00']);
  return { dir, csv };
}
