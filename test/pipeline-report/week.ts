// A scripted working week on the purchased-list fixture, through the built CLI as a salesperson
// runs it: score, needs assessments and discovery calls from answers files, follow-up attempts
// logged over several days with --at. Each step pins the clock (QUALIFY_NOW) to its moment.
// The built CLI runs in the test's process (runInProcess): the week is a dozen runs, none of
// which depends on being a separate process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../helpers/in-process-cli.js';
import { cliEnv, ROOT } from '../interactive/setup.js';

export async function qualifyAt(now: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const r = await runInProcess(args, { ...cliEnv(), QUALIFY_NOW: now }, ROOT);
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

async function must(now: string, args: string[]): Promise<string> {
  const r = await qualifyAt(now, args);
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
export async function scriptedWeek(): Promise<{ dir: string; csv: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-week-'));
  const csv = join(dir, 'leads.csv');
  const answers = (name: string, o: Record<string, unknown>) => {
    const p = join(dir, name);
    writeFileSync(p, yaml(o));
    return p;
  };
  // Monday: score the list, two first calls unanswered, three needs assessments.
  await must('2026-11-02T08:00:00Z', ['score', join(ROOT, 'fixtures', 'purchased-list.csv'), '--as-of', '2026-11-01', '-o', csv, '-q']);
  await must('2026-11-02T09:30:00Z', ['log', csv, '--lead', 'PL-0095', '--attempt', 'call', '--result', 'no-answer', '--at', '2026-11-02T09:00']);
  await must('2026-11-02T09:30:00Z', ['log', csv, '--lead', 'PL-0191', '--attempt', 'call', '--result', 'voicemail', '--at', '2026-11-02T09:20', '--note', 'left a message']);
  await must('2026-11-02T10:00:00Z', ['assess', csv, '--lead', 'PL-0008', '--answers', answers('na-0008.yaml', SAL_ANSWERS)]);
  await must('2026-11-02T11:00:00Z', ['assess', csv, '--lead', 'PL-0069', '--answers', answers('na-0069.yaml', { ...SAL_ANSWERS, follow_up_date: '2026-11-04', follow_up_window: '14:00-16:00' })]);
  await must('2026-11-02T14:00:00Z', ['assess', csv, '--lead', 'PL-0020', '--answers', answers('na-0020.yaml', { ...SAL_ANSWERS, follow_up_date: '2026-11-04', follow_up_window: '16:00-18:00' })]);
  // Tuesday: the second attempts.
  await must('2026-11-03T09:30:00Z', ['log', csv, '--lead', 'PL-0095', '--attempt', 'email', '--result', 'no-answer', '--at', '2026-11-03T09:00']);
  await must('2026-11-03T09:30:00Z', ['log', csv, '--lead', 'PL-0191', '--attempt', 'email', '--result', 'replied', '--at', '2026-11-03T09:10', '--note', 'call me Friday']);
  // Wednesday: two discovery calls: an opportunity, and a lead without budget.
  await must('2026-11-04T15:00:00Z', ['discover', csv, '--lead', 'PL-0069', '--answers', answers('bant-0069.yaml', OPPORTUNITY)]);
  await must('2026-11-04T17:00:00Z', ['discover', csv, '--lead', 'PL-0020', '--answers', answers('bant-0020.yaml', NO_BUDGET)]);
  // Thursday: a wrong number.
  await must('2026-11-05T10:30:00Z', ['log', csv, '--lead', 'PL-0095', '--attempt', 'call', '--result', 'wrong-number', '--at', '2026-11-05T10:00']);
  return { dir, csv };
}
