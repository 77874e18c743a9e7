// Issue 14, "Done when": a scripted week (score a fixture, assess and discover a few leads with
// answers files, log attempts on others over several --at dates), then what the salesperson and
// the manager read: followups, report --format json, the .ics (parsed by ical.js, UIDs kept
// across two exports) and the HTML page. Runs the built CLI (npm run build first).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { qualifyAt, scriptedWeek } from './week.js';

const FRIDAY = '2026-11-06T08:00:00Z';
let dir: string;
let csv: string;
beforeAll(async () => {
  ({ dir, csv } = await scriptedWeek());
  // Eleven CLI runs one after another: seconds on a quiet machine, minutes on a loaded shared one.
}, 420_000);

function events(path: string) {
  const cal = new ICAL.Component(ICAL.parse(readFileSync(path, 'utf8')));
  return cal.getAllSubcomponents('vevent').map((v) => ({
    uid: String(v.getFirstPropertyValue('uid')),
    summary: String(v.getFirstPropertyValue('summary')),
    start: String(v.getFirstPropertyValue('dtstart')),
    stamp: String(v.getFirstPropertyValue('dtstamp')),
    duration: String(v.getFirstPropertyValue('duration') ?? ''),
    alarms: v.getAllSubcomponents('valarm').length,
    alarm: String(v.getFirstSubcomponent('valarm')?.getFirstPropertyValue('description') ?? ''),
  }));
}

describe('a scripted week', () => {
  it('followups on Monday: PL-0095 overdue by email after a wrong number, PL-0191 (replied) and the called leads not chased', async () => {
    const r = await qualifyAt(FRIDAY, ['followups', csv, '--date', '2026-11-09', '--format', 'json']);
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as { status: string; lead: string; channel: string; due: string; attempts: number; last_result: string; days_overdue: number }[];
    expect(rows.filter((x) => x.status !== 'first-touch')).toHaveLength(1);
    expect(rows.find((x) => x.lead === 'PL-0095')).toMatchObject({ status: 'overdue', lead: 'PL-0095', channel: 'email', due: '2026-11-07', attempts: 3, last_result: 'wrong-number', days_overdue: 2 });
    const leads = rows.map((x) => x.lead);
    for (const worked of ['PL-0191', 'PL-0008', 'PL-0069', 'PL-0020']) expect(leads).not.toContain(worked);
    // Best first: by score, whatever the status (PL-0095 scores 75).
    const scores = rows.map((x) => (x as unknown as { score: number }).score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('report --format json: the funnel, the opportunity weighted by the rules, the disqualification reason, days between steps', async () => {
    const r = await qualifyAt(FRIDAY, ['report', csv, '--as-of', '2026-11-06', '--format', 'json']);
    expect(r.status).toBe(0);
    const rep = JSON.parse(r.stdout) as Record<string, unknown> & {
      funnel: { step: string; count: number; conversion: number | null }[];
      stages: { stage: string; count: number }[];
      open_opportunities: unknown[];
      weighted_pipeline: unknown;
      days_between_steps: { from: string; to: string; leads: number; average: number | null }[];
      disqualification_reasons: { reason: string; count: number }[];
      pipeline_by_close_month: unknown[];
    };
    expect(rep.leads).toBe(200);
    expect(rep.funnel.map((f) => [f.step, f.count])).toEqual([
      ['lead', 165],
      ['MQL', 2],
      ['SAL', 3],
      ['SQL', 1],
      ['opportunity', 1],
      ['closed won', 0],
    ]);
    // Both MQLs (PL-0008, PL-0069) became SAL; PL-0020, a sales lead, entered at SAL.
    expect(rep.funnel[2]!.conversion).toBe(1);
    expect(rep.funnel[3]!.conversion).toBeCloseTo(1 / 3);
    expect(rep.stages).toEqual(expect.arrayContaining([{ stage: 'SAL', count: 1 }, { stage: 'opportunity', count: 1 }]));
    expect(rep.open_opportunities).toEqual([{ lead: 'PL-0069', name: 'Hana Silva', company: 'Tailspin Toys', amount: 48000, stage: 'demo', close: '2026-12-15', probability: 0.3, weighted: 14400 }]);
    expect(rep.weighted_pipeline).toEqual({ open: 1, amount: 48000, weighted_rules: 14400, weighted_history: null });
    expect(rep.pipeline_by_close_month).toEqual([{ month: '2026-12', opportunities: 1, amount: 48000, weighted: 14400 }]);
    expect(rep.days_between_steps).toEqual([
      { from: 'SAL', to: 'SQL', leads: 1, average: 2.2, median: 2.2 },
      { from: 'SQL', to: 'opportunity', leads: 1, average: 0, median: 0 },
      { from: 'SAL', to: 'disqualified', leads: 1, average: 2.1, median: 2.1 },
    ]);
    expect(rep.disqualification_reasons[0]).toEqual({ reason: 'student', count: 21 });
    expect(rep.disqualification_reasons.map((d) => d.reason)).toContain('No budget of at least 10,000 EUR a year');
  });

  it('--ics: the follow-up and the appointments, parsed by ical.js; a second export keeps every UID', async () => {
    const ics = join(dir, 'week.ics');
    expect((await qualifyAt(FRIDAY, ['followups', csv, '--date', '2026-11-09', '--ics', ics, '--format', 'csv'])).status).toBe(0);
    const first = events(ics);
    const appointment = first.find((e) => e.summary.startsWith('Discovery call with Sam Costa'))!;
    expect(appointment).toMatchObject({ start: '2026-11-10T09:00:00', duration: 'PT120M', alarms: 1 });
    expect(first.find((e) => e.summary.includes('Kenji Jensen'))).toMatchObject({ summary: 'Email Kenji Jensen, Litware (follow-up 4)', start: '2026-11-09T09:00:00', alarms: 1 });
    expect(first.filter((e) => e.summary.startsWith('Discovery call with'))).toHaveLength(3);
    // The demo booked in PL-0069's discovery call: its own event, beside that lead's discovery call.
    const demo = first.find((e) => e.summary === 'Demo with Hana Silva, Tailspin Toys')!;
    expect(demo).toMatchObject({ start: '2026-11-12T10:00:00', duration: 'PT60M', alarms: 1, stamp: '2026-11-06T08:00:00Z' });
    expect(demo.uid).not.toBe(first.find((e) => e.summary === 'Discovery call with Hana Silva, Tailspin Toys')!.uid);
    expect(new Set(first.map((e) => e.uid)).size).toBe(first.length);
    // A comma in a company's name: escaped in every reminder's text, as RFC 5545 wants (a strict
    // reader ends the value at a bare comma), and read back whole (not escaped twice).
    const unfolded = readFileSync(ics, 'utf8').replace(/\r\n[ \t]/g, '');
    const alarmTexts = [...unfolded.matchAll(/BEGIN:VALARM[\s\S]*?\r\nDESCRIPTION:(.*)\r\n[\s\S]*?END:VALARM/g)].map((m) => m[1]!);
    expect(alarmTexts).toContain('Discovery call with Grace Costa\\, Fabrikam\\, Inc.');
    for (const t of alarmTexts) expect(t, t).not.toMatch(/(^|[^\\]),/);
    expect(first.find((e) => e.summary === 'Discovery call with Grace Costa, Fabrikam, Inc.')!.alarm).toBe('Discovery call with Grace Costa, Fabrikam, Inc.');
    // PL-0020's discovery call disqualified it: no meeting was asked, so no event.
    expect(first.filter((e) => e.summary.startsWith('Demo with') || e.summary.startsWith('Meeting with'))).toHaveLength(1);
    // Exported again later (a new DTSTAMP): the same events, by UID.
    expect((await qualifyAt('2026-11-06T12:00:00Z', ['followups', csv, '--date', '2026-11-09', '--ics', ics, '--format', 'csv'])).status).toBe(0);
    const second = events(ics);
    expect(second.map((e) => e.uid).sort()).toEqual(first.map((e) => e.uid).sort());
    expect(second.find((e) => e.summary === 'Demo with Hana Silva, Tailspin Toys')).toMatchObject({ uid: demo.uid, stamp: '2026-11-06T12:00:00Z' });
  });

  it('the discovery call records the booked demo in its row: bant_follow_up, and the next step with its day and time in action', () => {
    const row = readFileSync(csv, 'utf8').split(/\r?\n/).find((l) => l.startsWith('PL-0069,'))!;
    expect(row).toMatch(/,2026-11-12 10:00-11:00(,|$)/);
    expect(row).toContain('Next step: Product demo 2026-11-12 10:00-11:00');
  });

  it('--html: one self-contained page (no script, no external URL) with the four charts as inline SVG', async () => {
    const html = join(dir, 'week.html');
    const r = await qualifyAt(FRIDAY, ['report', csv, '--as-of', '2026-11-06', '--html', html]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`Wrote the report to ${html}.`);
    const page = readFileSync(html, 'utf8');
    for (const id of ['funnel', 'scores', 'pipeline', 'tiers']) {
      const section = page.slice(page.indexOf(`<section id="${id}">`), page.indexOf('</section>', page.indexOf(`<section id="${id}">`)));
      expect(section, id).toMatch(/<svg[^>]*viewBox="0 0 600 300"[\s\S]*<rect/);
    }
    expect(page).not.toMatch(/<script|<link|@import|url\(/i);
    expect(page.match(/(?:src|href)=/g)).toBeNull();
    expect(page).toContain('PL-0069');
  });
});
