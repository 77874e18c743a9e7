// The appointments `followups --ics` exports, from the <prefix>_follow_up cells calls write: the
// needs assessment's discovery call, any discovery call's next meeting (whatever its framework's
// prefix), a day without a time as an all-day event, and no event for a promise without a day.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { readCsvDocument } from '../../src/io/csv-row-update.js';
import { appointmentsOf, followupCalendar, stableUid } from '../../src/pipeline/followups.js';
import { loadReadingRules } from '../../src/pipeline/reading-options.js';
import { readWorkedFile } from '../../src/pipeline/worked-file.js';

const HEADER = 'Email,First Name,Last Name,Company,Title,fit,engagement,score,tier,grade,stage,class,action,reasons,qualified_at,na_follow_up,spin_follow_up,opp_next_step,opp_amount';
const ROWS = [
  // Booked in the needs assessment, then a demo booked in a discovery call of a team's own framework (prefix spin).
  'ana@a.test,Ana,Ortiz,"Acme, Inc.",CFO,50,30,80,hot,A2,opportunity,opportunity,,,2026-11-04T10:00:00Z,2026-11-04 14:00-16:00,2026-11-12 10:00-11:00,technical_review,48000',
  // A needs assessment that promised contact without a day, and a discovery call that booked a day without a time.
  'bo@b.test,Bo,Lee,Beta,CRO,45,30,75,warm,B2,SQL,prospect,,,2026-11-05T10:00:00Z,sales will be in touch,2026-11-20,,',
  // Nothing booked.
  'cy@c.test,Cy,Roy,Gamma,VP Sales,40,30,70,warm,B2,SAL,lead,,,2026-11-05T10:00:00Z,,,,',
];

async function worked() {
  const file = join(mkdtempSync(join(tmpdir(), 'qualify-appts-')), 'leads.csv');
  writeFileSync(file, [HEADER, ...ROWS, ''].join('\r\n'));
  const { rules } = loadReadingRules(undefined, {});
  return { rules, wf: readWorkedFile(await readCsvDocument(file), rules, Date.UTC(2026, 10, 9) / 86_400_000) };
}

describe('appointmentsOf', () => {
  it('one per booked day and call: the discovery call, the next meeting named after the next step, an all-day meeting; none for a promise', async () => {
    const { rules, wf } = await worked();
    const got = appointmentsOf(wf, rules).map((a) => ({ lead: a.lead.key, call: a.call, what: a.what, start: a.start, minutes: a.minutes }));
    expect(got).toEqual([
      { lead: 'ana@a.test', call: 'na', what: 'Discovery call', start: 14 * 60, minutes: 120 },
      { lead: 'ana@a.test', call: 'spin', what: 'Technical review', start: 10 * 60, minutes: 60 },
      { lead: 'bo@b.test', call: 'spin', what: 'Meeting', start: undefined, minutes: undefined },
    ]);
  });

  it('as iCalendar: a UID per lead and call (the needs assessment\'s as before), DTSTAMP, DTSTART, a reminder; the all-day one a DATE', async () => {
    const { rules, wf } = await worked();
    const text = followupCalendar([], appointmentsOf(wf, rules), { fileId: 'leads.csv', now: new Date('2026-11-06T08:00:00Z'), day: Date.UTC(2026, 10, 9) / 86_400_000 });
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    const byUid = new Map(events.map((v) => [String(v.getFirstPropertyValue('uid')), v]));
    expect(byUid.size).toBe(3);
    const na = byUid.get(stableUid('appointment', 'leads.csv', 'ana@a.test'))!;
    expect(String(na.getFirstPropertyValue('summary'))).toBe('Discovery call with Ana Ortiz, Acme, Inc.');
    const review = byUid.get(stableUid('appointment-spin', 'leads.csv', 'ana@a.test'))!;
    expect(String(review.getFirstPropertyValue('summary'))).toBe('Technical review with Ana Ortiz, Acme, Inc.');
    expect(String(review.getFirstPropertyValue('dtstart'))).toBe('2026-11-12T10:00:00');
    expect(String(review.getFirstPropertyValue('dtstamp'))).toBe('2026-11-06T08:00:00Z');
    expect(String(review.getFirstPropertyValue('description'))).toContain('Opportunity: 48000');
    expect(review.getAllSubcomponents('valarm')).toHaveLength(1);
    const allDay = byUid.get(stableUid('appointment-spin', 'leads.csv', 'bo@b.test'))!;
    expect(allDay.getFirstProperty('dtstart')!.type).toBe('date');
    expect(String(allDay.getFirstPropertyValue('dtstart'))).toBe('2026-11-20');
  });
});
