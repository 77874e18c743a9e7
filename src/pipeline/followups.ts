// `qualify followups`: who to chase on a day (overdue, due, first touch, out of attempts), best
// first, and the calendar of those follow-ups and of the appointments booked in needs assessments
// and discovery calls, as iCalendar events with stable UIDs (re-importing updates an event
// instead of adding one).
import { createHash } from 'node:crypto';
import { createEvents, type EventAttributes } from 'ics';
import { dueOn, type DueKind } from '../core/pipeline/cadence.js';
import { dayToIso } from '../core/pipeline/cadence.js';
import type { CompiledRules } from '../core/rules/compiled.js';
import { dayOf, type WorkedFile, type WorkedLead } from './worked-file.js';

export interface FollowupRow {
  status: DueKind;
  days_overdue: number;
  due: string;
  channel: string;
  lead: string;
  name: string;
  company: string;
  email: string;
  phone: string;
  owner: string;
  score: number;
  tier: string;
  stage: string;
  attempts: number;
  last_attempt: string;
  last_result: string;
}

export const FOLLOWUP_FIELDS: readonly (keyof FollowupRow)[] = [
  'status', 'days_overdue', 'due', 'channel', 'lead', 'name', 'company', 'email', 'phone', 'owner', 'score', 'tier', 'stage', 'attempts', 'last_attempt', 'last_result',
];

/** Later stages rank higher among leads of one score: a sales lead before an MQL before a lead. */
const STAGE_RANK: Readonly<Record<string, number>> = { 'sales lead': 3, MQL: 2, lead: 1, 'cold lead': 0 };
const GROUP: Readonly<Record<DueKind, number>> = { overdue: 0, due: 0, 'first-touch': 0, 'out-of-attempts': 1 };

export function followupsOn(wf: WorkedFile, rules: CompiledRules, day: number, owner?: string): FollowupRow[] {
  const rows: FollowupRow[] = [];
  const wantOwner = owner?.trim().toLowerCase();
  for (const lead of wf.leads) {
    if (wantOwner !== undefined && lead.owner.toLowerCase() !== wantOwner) continue;
    const attempts = Number(lead.cell('fu_attempts'));
    const nextDueDay = dayOf(lead.cell('fu_next_due'), rules);
    const due = dueOn({ stage: lead.stage, attempts: Number.isInteger(attempts) && attempts > 0 ? attempts : 0, status: lead.cell('fu_status'), nextDueDay }, day);
    if (!due) continue;
    rows.push({
      status: due.kind,
      days_overdue: due.daysOverdue,
      due: due.kind === 'first-touch' ? dayToIso(day) : nextDueDay !== undefined ? dayToIso(nextDueDay) : '',
      channel: due.kind === 'first-touch' ? 'call' : lead.cell('fu_next_channel'),
      lead: lead.key,
      name: lead.name,
      company: lead.company,
      email: lead.email,
      phone: lead.phone,
      owner: lead.owner,
      score: lead.score,
      tier: lead.tier,
      stage: lead.stageText,
      attempts: Number.isInteger(attempts) && attempts > 0 ? attempts : 0,
      last_attempt: lead.cell('fu_last_at'),
      last_result: lead.cell('fu_last_result'),
    });
  }
  return rows.sort(
    (a, b) =>
      GROUP[a.status] - GROUP[b.status] ||
      b.score - a.score ||
      (STAGE_RANK[b.stage] ?? 0) - (STAGE_RANK[a.stage] ?? 0) ||
      b.days_overdue - a.days_overdue ||
      a.lead.localeCompare(b.lead),
  );
}

export interface Appointment {
  lead: WorkedLead;
  day: number;
  /** Minutes after midnight and length, when the appointment has a time window. */
  start?: number;
  minutes?: number;
  what: string;
  /** The prefix of the call that booked it (`na`, `bant`, `meddic`): one event per lead and call. */
  call: string;
}

/** The needs assessment's prefix: its appointment is the discovery call. */
const NEEDS_ASSESSMENT_PREFIX = 'na';
const FOLLOW_UP_COLUMN = /^([a-z0-9_]+)_follow_up$/;
const BOOKED = /^(\d{4}-\d{2}-\d{2})(?:\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2}))?\s*$/;

/**
 * The appointments calls booked: each `<prefix>_follow_up` cell that holds a day (`2026-11-10`,
 * `2026-11-10 09:00-11:00`), as assess and discover write it. The needs assessment's (`na_`) is
 * the discovery call; a discovery call's (`bant_`, `meddic_`, ...) is the meeting of the
 * opportunity's next step (a demo, a proposal). Text such as "sales will be in touch" is no
 * appointment.
 */
export function appointmentsOf(wf: WorkedFile, rules: CompiledRules, owner?: string): Appointment[] {
  const out: Appointment[] = [];
  const wantOwner = owner?.trim().toLowerCase();
  const calls = wf.doc.header.flatMap((h) => FOLLOW_UP_COLUMN.exec(h)?.[1] ?? []);
  for (const lead of wf.leads) {
    if (wantOwner !== undefined && lead.owner.toLowerCase() !== wantOwner) continue;
    for (const call of calls) {
      const booked = BOOKED.exec(lead.cell(`${call}_follow_up`));
      const day = booked ? dayOf(booked[1]!, rules) : undefined;
      if (!booked || day === undefined) continue;
      const appt: Appointment = { lead, day, what: call === NEEDS_ASSESSMENT_PREFIX ? 'Discovery call' : meetingName(lead.cell('opp_next_step')), call };
      if (booked[2] !== undefined) {
        const start = +booked[2] * 60 + +booked[3]!;
        const end = +booked[4]! * 60 + +booked[5]!;
        if (end > start) Object.assign(appt, { start, minutes: end - start });
      }
      out.push(appt);
    }
  }
  return out;
}

/** `technical_review` -> `Technical review`; the meeting of a discovery call without a next step is a `Meeting`. */
function meetingName(nextStep: string): string {
  const s = nextStep.replace(/_/g, ' ').trim();
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : 'Meeting';
}

/** A UID that stays the same across exports of the same lead and event kind, whatever else
 * changes in the row (the next due day, the attempt count): calendar apps then update the event.
 * The lead's key is hashed so that no e-mail address shows in the UID. */
export function stableUid(kind: string, file: string, key: string): string {
  const h = createHash('sha256').update(`${kind}\u0000${file}\u0000${key}`).digest('hex').slice(0, 24);
  return `${kind}-${h}@qualify`;
}

const ymd = (day: number): [number, number, number] => {
  const d = new Date(day * 86_400_000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
};

/**
 * The iCalendar text: one event per due follow-up (09:00 local time on its due day, 15 minutes,
 * a reminder 15 minutes before; the event of an overdue follow-up is on `day`) and per
 * appointment (its window, or the whole day; a reminder an hour before). `fileId` names the lead
 * file in the UIDs (its base name: the same list exported from another folder keeps its UIDs).
 */
export function followupCalendar(rows: readonly FollowupRow[], appointments: readonly Appointment[], opts: { fileId: string; now: Date; day: number }): string {
  // `timestamp` (DTSTAMP) is read by ics at run time but missing from its type declarations.
  const events: (EventAttributes & { timestamp?: number })[] = [];
  const who = (name: string, company: string, key: string) => [name, company].filter(Boolean).join(', ') || key;
  const stampMs = opts.now.getTime();
  for (const r of rows) {
    if (r.status === 'out-of-attempts') continue;
    const day = r.status === 'overdue' ? opts.day : Math.max(opts.day, dayFromIso(r.due));
    events.push({
      uid: stableUid('followup', opts.fileId, r.lead),
      title: `${r.channel === 'email' ? 'Email' : 'Call'} ${who(r.name, r.company, r.lead)} (follow-up ${r.attempts + 1})`,
      description: [`Lead ${r.lead}, score ${r.score}, ${r.stage}`, r.phone && `Phone: ${r.phone}`, r.email && `Email: ${r.email}`, r.last_result && `Last attempt: ${r.last_attempt} ${r.last_result}`, r.status === 'overdue' && `${r.days_overdue} days overdue (due ${r.due})`]
        .filter(Boolean)
        .join('\n'),
      start: [...ymd(day), 9, 0],
      startInputType: 'local',
      startOutputType: 'local',
      duration: { minutes: 15 },
      timestamp: stampMs,
      // The attempt count orders the versions of one follow-up: a later export wins.
      sequence: r.attempts,
      categories: ['qualify', 'follow-up'],
      alarms: [{ action: 'display', description: 'Follow-up due', trigger: { minutes: 15, before: true } }],
    });
  }
  for (const a of appointments) {
    const title = `${a.what} with ${who(a.lead.name, a.lead.company, a.lead.key)}`;
    const base = {
      // The needs assessment's UID is the one earlier versions gave: re-exports keep updating it.
      uid: stableUid(a.call === NEEDS_ASSESSMENT_PREFIX ? 'appointment' : `appointment-${a.call}`, opts.fileId, a.lead.key),
      title,
      description: [
        `Lead ${a.lead.key}, score ${a.lead.score}, ${a.lead.stageText}`,
        a.call !== NEEDS_ASSESSMENT_PREFIX && a.lead.cell('opp_amount') && `Opportunity: ${[a.lead.cell('opp_amount'), a.lead.cell('opp_stage'), a.lead.cell('opp_close_date') && `close ${a.lead.cell('opp_close_date')}`].filter(Boolean).join(', ')}`,
        a.lead.phone && `Phone: ${a.lead.phone}`,
        a.lead.email && `Email: ${a.lead.email}`,
      ]
        .filter(Boolean)
        .join('\n'),
      timestamp: stampMs,
      categories: ['qualify', 'appointment'],
      alarms: [{ action: 'display' as const, description: alarmText(title), trigger: { hours: 1, before: true } }],
    };
    if (a.start !== undefined && a.minutes !== undefined)
      events.push({ ...base, start: [...ymd(a.day), Math.floor(a.start / 60), a.start % 60], startInputType: 'local', startOutputType: 'local', duration: { minutes: a.minutes } });
    else events.push({ ...base, start: ymd(a.day), end: ymd(a.day + 1) });
  }
  const { error, value } = createEvents(events as EventAttributes[], { productId: '-//qualify//follow-ups//EN', calName: 'qualify follow-ups' });
  if (error || value === null) throw error ?? new Error('ics: no calendar produced');
  return value;
}

/** ics escapes an event's text but writes a VALARM's DESCRIPTION as given, so a comma in a name
 * ("Fabrikam, Inc.") would end the value for a strict reader: escaped here as RFC 5545 says. */
function alarmText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`);
}

function dayFromIso(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}
