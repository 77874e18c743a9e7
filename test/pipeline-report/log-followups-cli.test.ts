// `qualify log` and `qualify followups` through the built CLI (npm run build first): the row
// written under the lock with every other row byte for byte, refusals that write nothing, the
// list in each format, and the .ics file read back by a real parser (ical.js) with UIDs that
// survive a second export. The built CLI runs in this process (test/helpers/in-process-cli.ts),
// but for stdin and for the salespeople logging at once, who are separate processes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, ROOT, scoredLeads } from '../interactive/setup.js';
import { runInProcess } from '../helpers/in-process-cli.js';

const BIN = join(ROOT, 'bin', 'qualify.js');

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  if (!args.includes('-')) {
    const r = await runInProcess(args, { ...cliEnv(), ...env });
    return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  }
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...cliEnv(), ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let scored: string;
beforeAll(() => {
  scored = scoredLeads().csv;
});
function leads(): { dir: string; csv: string } {
  const dir = mkdtempSync(join(scored, '..', 'fu-'));
  const csv = join(dir, 'leads.csv');
  copyFileSync(scored, csv);
  return { dir, csv };
}
const lines = (s: string) => s.split(/\r\n/);

describe('qualify log', () => {
  it('writes the fu_* columns into the lead\'s row only; the other rows keep their bytes plus empty new cells', async () => {
    const { csv } = leads();
    const before = lines(readFileSync(csv, 'utf8'));
    const r = await run(['log', csv, '--lead', 'PL-0008', '--attempt', 'call', '--result', 'no-answer', '--at', '2026-11-02T09:30', '--note', '=HYPERLINK("x")']);
    expect(r.stderr).toBe(`PL-0008: attempt 1 (call, no-answer) logged. Follow up by email on 2026-11-03 (attempt 2 of 5). Wrote 8 columns (8 new) to ${csv}.\n`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const after = lines(readFileSync(csv, 'utf8'));
    expect(after[0]).toBe(before[0] + ',fu_attempts,fu_last_at,fu_last_channel,fu_last_result,fu_next_due,fu_next_channel,fu_status,fu_notes');
    const row = after.findIndex((l) => l.startsWith('PL-0008,'));
    expect(after[row]).toContain(',1,2026-11-02T09:30:00Z,call,no-answer,2026-11-03,email,chasing,"2026-11-02 call no-answer: =HYPERLINK(""x"")"');
    expect(after[row]).toContain('Follow up by email on 2026-11-03');
    for (let i = 1; i < before.length - 1; i++) if (i !== row) expect(after[i]).toBe(before[i] + ',,,,,,,,');
  });

  it.each([
    ['an unknown lead', ['--lead', 'PL-9999', '--attempt', 'call', '--result', 'no-answer'], 'LEAD_NOT_FOUND', /no lead "PL-9999"/],
    ['a disqualified lead', ['--lead', 'PL-0003', '--attempt', 'call', '--result', 'no-answer'], 'LEAD_WRONG_STAGE', /PL-0003 is a bad lead/],
    ['an unknown result', ['--lead', 'PL-0008', '--attempt', 'call', '--result', 'busy'], 'ARG_INVALID', /--result must be one of no-answer, voicemail, replied, meeting-set, wrong-number/],
    ['an unreadable --at', ['--lead', 'PL-0008', '--attempt', 'call', '--result', 'replied', '--at', 'yesterday'], 'ARG_INVALID', /--at must be a day/],
    ['stdin', ['--lead', 'PL-0008', '--attempt', 'call', '--result', 'replied'], 'ARG_INVALID', /needs a file/],
  ])('%s: exit 2 with its code, the file unchanged', async (name, args, code, message) => {
    const { csv } = leads();
    const before = readFileSync(csv);
    const r = await run(['log', name === 'stdin' ? '-' : csv, ...args]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(`[${code}]`);
    expect(r.status).toBe(2);
    expect(readFileSync(csv).equals(before)).toBe(true);
  });

  it('two salespeople logging at the same moment on one file: both attempts are in it (the lock serialises the writes)', async () => {
    const { csv } = leads();
    const { spawn } = await import('node:child_process');
    const one = (lead: string) =>
      new Promise<number | null>((done) => {
        const p = spawn(process.execPath, [BIN, 'log', csv, '--lead', lead, '--attempt', 'call', '--result', 'no-answer', '--at', '2026-11-02'], { cwd: ROOT, env: cliEnv(), stdio: 'ignore' });
        p.on('close', done);
      });
    expect(await Promise.all([one('PL-0008'), one('PL-0069'), one('PL-0020')])).toEqual([0, 0, 0]);
    const text = readFileSync(csv, 'utf8');
    for (const lead of ['PL-0008', 'PL-0069', 'PL-0020']) expect(lines(text).find((l) => l.startsWith(lead + ','))).toContain(',1,2026-11-02T12:00:00Z,call,no-answer,');
  }, 60_000);

  it('an attempt dated before the last one logged is refused (ARG_INVALID), nothing written', async () => {
    const { csv } = leads();
    expect((await run(['log', csv, '--lead', 'PL-0008', '--attempt', 'call', '--result', 'no-answer', '--at', '2026-11-03'])).status).toBe(0);
    const before = readFileSync(csv);
    const r = await run(['log', csv, '--lead', 'PL-0008', '--attempt', 'email', '--result', 'no-answer', '--at', '2026-11-02']);
    expect(r.stderr).toContain('is before the last attempt logged for PL-0008 (2026-11-03T12:00:00Z)');
    expect(r.status).toBe(2);
    expect(readFileSync(csv).equals(before)).toBe(true);
  });

  it('-o the CSV itself by another name is refused by identity (ARG_INVALID)', async () => {
    const { dir, csv } = leads();
    const r = await run(['log', csv, '--lead', 'PL-0008', '--attempt', 'call', '--result', 'no-answer', '-o', join(dir, '..', dir.split('/').pop()!, 'leads.csv')]);
    expect(r.stderr).toContain('[ARG_INVALID]');
    expect(r.status).toBe(2);
  });

  it('a cadence that disqualifies: the last attempt sets the stage, its reason and disqualified_at, and re-scoring keeps it', async () => {
    const { dir, csv } = leads();
    const rules = join(dir, 'rules.yaml');
    writeFileSync(rules, readFileSync(join(ROOT, 'rules', 'default.yaml'), 'utf8') + '\ncadence:\n  steps:\n    - { channel: email, days: 2 }\n  max_attempts: 2\n  after_last: disqualify\n  reason: No reply after 2 attempts\n');
    expect((await run(['log', csv, '-r', rules, '--lead', 'PL-0008', '--attempt', 'call', '--result', 'no-answer', '--at', '2026-11-02'])).status).toBe(0);
    const r = await run(['log', csv, '-r', rules, '--lead', 'PL-0008', '--attempt', 'email', '--result', 'no-answer', '--at', '2026-11-04']);
    expect(r.stderr).toContain('Disqualified: No reply after 2 attempts');
    expect(r.status).toBe(0);
    const json = JSON.parse((await run(['score', csv, '-r', rules, '--as-of', '2026-11-05', '--format', 'json'])).stdout) as Record<string, string>[];
    const row = json.find((x) => x['Lead ID'] === 'PL-0008')!;
    expect(row).toMatchObject({ stage: 'disqualified', fu_status: 'disqualified', disqualified_at: '2026-11-04T12:00:00Z', qualified_at: '2026-11-04T12:00:00Z' });
    const again = await run(['log', csv, '-r', rules, '--lead', 'PL-0008', '--attempt', 'call', '--result', 'no-answer']);
    expect(again.stderr).toContain('[LEAD_WRONG_STAGE]');
  });
});

describe('qualify followups', () => {
  let csv: string;
  let dir: string;
  beforeAll(async () => {
    ({ csv, dir } = leads());
    await run(['log', csv, '--lead', 'PL-0008', '--attempt', 'call', '--result', 'no-answer', '--at', '2026-11-02T09:00']);
    await run(['log', csv, '--lead', 'PL-0069', '--attempt', 'call', '--result', 'voicemail', '--at', '2026-10-30T16:00']);
    await run(['log', csv, '--lead', 'PL-0020', '--attempt', 'email', '--result', 'replied', '--at', '2026-11-02T11:00']);
  });

  it('CSV in a pipe: overdue and due leads, then first touches, best first; replied leads are not chased', async () => {
    const r = await run(['followups', csv, '--date', '2026-11-03']);
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('status,days_overdue,due,channel,lead,name,company,email,phone,owner,score,tier,stage,attempts,last_attempt,last_result');
    expect(rows[1]).toMatch(/^overdue,3,2026-10-31,email,PL-0069,/);
    expect(rows[2]).toMatch(/^due,0,2026-11-03,email,PL-0008,/);
    expect(rows.slice(3).every((l) => l.startsWith('first-touch,'))).toBe(true);
    expect(r.stdout).not.toContain('PL-0020');
    const scores = rows.slice(3).map((l) => Number(l.split(',').at(-6)));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('--format json and ndjson carry the same rows, numbers typed; the table goes to stderr', async () => {
    const json = JSON.parse((await run(['followups', csv, '--date', '2026-11-03', '--format', 'json'])).stdout) as { lead: string; score: number; attempts: number }[];
    const nd = (await run(['followups', csv, '--date', '2026-11-03', '--format', 'ndjson'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(nd).toEqual(json);
    expect(json[0]).toMatchObject({ lead: 'PL-0069', attempts: 1, score: 80 });
    const table = await run(['followups', csv, '--date', '2026-11-03', '--format', 'table']);
    expect(table.stdout).toBe('');
    expect(table.stderr).toMatch(/^Follow-ups for 2026-11-03: 1 overdue, 1 due today, \d+ first touch, 0 out of attempts/);
    expect(table.stderr).toContain('3d overdue');
  });

  it('--ics: a calendar ical.js reads, one event per follow-up and appointment, reminders, and the same UIDs on the next export', async () => {
    const ics = join(dir, 'followups.ics');
    expect((await run(['followups', csv, '--date', '2026-11-03', '--ics', ics, '--format', 'json'])).status).toBe(0);
    const read = () => {
      const cal = new ICAL.Component(ICAL.parse(readFileSync(ics, 'utf8')));
      return cal.getAllSubcomponents('vevent').map((v) => ({
        uid: String(v.getFirstPropertyValue('uid')),
        summary: String(v.getFirstPropertyValue('summary')),
        start: String(v.getFirstPropertyValue('dtstart')),
        stamp: String(v.getFirstPropertyValue('dtstamp')),
        seq: Number(v.getFirstPropertyValue('sequence') ?? 0),
        alarms: v.getAllSubcomponents('valarm').length,
      }));
    };
    const first = read();
    const hana = first.find((e) => e.summary.includes('Hana Silva'))!;
    expect(hana).toMatchObject({ summary: 'Email Hana Silva, Tailspin Toys (follow-up 2)', start: '2026-11-03T09:00:00', seq: 1, alarms: 1 });
    expect(hana.stamp).toBe('2026-11-02T10:00:00Z');
    expect(new Set(first.map((e) => e.uid)).size).toBe(first.length);
    // The next attempt moves PL-0069's follow-up: the new export updates that event (same UID, higher SEQUENCE).
    await run(['log', csv, '--lead', 'PL-0069', '--attempt', 'email', '--result', 'no-answer', '--at', '2026-11-03T08:00']);
    expect((await run(['followups', csv, '--date', '2026-11-05', '--ics', ics, '--format', 'json'])).status).toBe(0);
    const second = read();
    const moved = second.find((e) => e.summary.includes('Hana Silva'))!;
    expect(moved.uid).toBe(hana.uid);
    expect(moved.seq).toBe(2);
    expect(moved.start).toBe('2026-11-05T09:00:00');
    const common = first.filter((e) => second.some((s) => s.uid === e.uid));
    expect(common.length).toBeGreaterThan(first.length - 3);
  });

  it('--ics naming the CSV is refused by identity; --date must be a day', async () => {
    const before = readFileSync(csv);
    const r = await run(['followups', csv, '--ics', csv]);
    expect(r.stderr).toContain('[ARG_INVALID]');
    expect(r.status).toBe(2);
    expect(readFileSync(csv).equals(before)).toBe(true);
    const d = await run(['followups', csv, '--date', 'monday']);
    expect(d.stderr).toContain('--date must be a day written YYYY-MM-DD');
    expect(d.status).toBe(2);
  });
});
