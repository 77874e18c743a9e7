// The follow-up cadence as pure functions: what an attempt (a call or an email, and how it went)
// does to a lead's follow-up columns, and where a lead stands on a given day (due, overdue, out
// of attempts). Dates are UTC day numbers (days since 1970-01-01), as everywhere in the core.
import type { CompiledCadence } from '../rules/compiled.js';

export const CHANNELS = ['call', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const RESULTS = ['no-answer', 'voicemail', 'replied', 'meeting-set', 'wrong-number'] as const;
export type AttemptResult = (typeof RESULTS)[number];

/** Used when the rules have no `cadence:` section: "a call and an email every other day, five
 * attempts, then nurture" (the seed material's cadence). */
export const DEFAULT_CADENCE: CompiledCadence = {
  steps: [
    { channel: 'email', days: 1 },
    { channel: 'call', days: 2 },
    { channel: 'email', days: 2 },
    { channel: 'call', days: 2 },
  ],
  maxAttempts: 5,
  afterLast: 'nurture',
  reason: null,
};

/** The follow-up columns `qualify log` writes, in this order, appended the first time. */
export const FOLLOWUP_COLUMNS = ['fu_attempts', 'fu_last_at', 'fu_last_channel', 'fu_last_result', 'fu_next_due', 'fu_next_channel', 'fu_status', 'fu_notes'] as const;
export type FollowupColumn = (typeof FOLLOWUP_COLUMNS)[number];

/**
 * Where a lead is in its cadence (the fu_status column):
 * - chasing: more attempts to come, next due on fu_next_due;
 * - replied / meeting-set: they answered; the next step is a call (assess / discover), not a chase;
 * - nurture: out of attempts, back to marketing's nurture track;
 * - disqualified: out of attempts with a cadence that disqualifies.
 */
export type FollowupStatus = 'chasing' | 'replied' | 'meeting-set' | 'nurture' | 'disqualified';

export interface FollowupState {
  attempts: number;
  notes: string;
}

export interface Attempt {
  channel: Channel;
  result: AttemptResult;
  /** When it happened, UTC, ISO to the second. */
  at: string;
  /** Its UTC day number. */
  day: number;
  note?: string;
}

export interface AttemptOutcome {
  /** Every follow-up column's new text. */
  columns: Record<FollowupColumn, string>;
  status: FollowupStatus;
  /** Set when the cadence ran out and disqualifies: the reason. */
  disqualified: string | null;
  /** A short "next step" for the action column and the message. */
  next: string;
}

/** The step that follows attempt `n` (1-based): the cadence's step n, the last one repeating. */
export function stepAfter(cadence: CompiledCadence, n: number): CompiledCadence['steps'][number] {
  return cadence.steps[Math.min(n, cadence.steps.length) - 1]!;
}

export function dayToIso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** What recording `attempt` does to a lead that had `before`. */
export function recordAttempt(cadence: CompiledCadence, before: FollowupState, attempt: Attempt): AttemptOutcome {
  const attempts = before.attempts + 1;
  const note = attempt.note?.trim() ? `${attempt.at.slice(0, 10)} ${attempt.channel} ${attempt.result}: ${attempt.note.trim().replace(/\s+/g, ' ')}` : '';
  const notes = [before.notes.trim(), note].filter(Boolean).join('; ');
  const base = {
    fu_attempts: String(attempts),
    fu_last_at: attempt.at,
    fu_last_channel: attempt.channel,
    fu_last_result: attempt.result,
    fu_notes: notes,
  };
  if (attempt.result === 'replied' || attempt.result === 'meeting-set') {
    const next = attempt.result === 'replied' ? 'They replied: hold the needs assessment (qualify assess)' : 'Meeting set: hold the call (qualify assess / discover)';
    return { columns: { ...base, fu_next_due: '', fu_next_channel: '', fu_status: attempt.result }, status: attempt.result, disqualified: null, next };
  }
  if (attempts >= cadence.maxAttempts) {
    if (cadence.afterLast === 'disqualify') {
      const reason = cadence.reason ?? `No reply after ${attempts} attempts`;
      return { columns: { ...base, fu_next_due: '', fu_next_channel: '', fu_status: 'disqualified' }, status: 'disqualified', disqualified: reason, next: `Disqualified: ${reason}` };
    }
    return { columns: { ...base, fu_next_due: '', fu_next_channel: '', fu_status: 'nurture' }, status: 'nurture', disqualified: null, next: `Out of attempts (${attempts}): back to nurture` };
  }
  const step = stepAfter(cadence, attempts);
  // A wrong number: the next attempts go by email, whatever the cadence says.
  const channel: Channel = attempt.result === 'wrong-number' ? 'email' : step.channel;
  const due = dayToIso(attempt.day + step.days);
  return {
    columns: { ...base, fu_next_due: due, fu_next_channel: channel, fu_status: 'chasing' },
    status: 'chasing',
    disqualified: null,
    next: `Follow up by ${channel} on ${due} (attempt ${attempts + 1} of ${cadence.maxAttempts})`,
  };
}

/** Where a lead stands on `day` in the follow-up list. */
export type DueKind = 'overdue' | 'due' | 'first-touch' | 'out-of-attempts';

export interface DueInput {
  /** Canonical stage (humanStageOf applied). */
  stage: string;
  attempts: number;
  status: string;
  /** fu_next_due as a day number, or undefined. */
  nextDueDay: number | undefined;
}

/** Stages that are chased: past them a call happened (SAL and later) or the lead is out. */
const CHASED_STAGES: ReadonlySet<string> = new Set(['MQL', 'sales lead', 'lead', 'cold lead']);
/** Stages that get a first touch without any attempt logged: those the scorer marks for sales. */
const FIRST_TOUCH_STAGES: ReadonlySet<string> = new Set(['MQL', 'sales lead']);

/** Whether and how a lead is due on `day`; undefined when it is not on the list. */
export function dueOn(lead: DueInput, day: number): { kind: DueKind; daysOverdue: number } | undefined {
  if (!CHASED_STAGES.has(lead.stage)) return undefined;
  if (lead.status === 'nurture' || lead.status === 'disqualified') return { kind: 'out-of-attempts', daysOverdue: 0 };
  if (lead.status === 'replied' || lead.status === 'meeting-set') return undefined;
  if (lead.attempts === 0) return FIRST_TOUCH_STAGES.has(lead.stage) ? { kind: 'first-touch', daysOverdue: 0 } : undefined;
  if (lead.nextDueDay === undefined || lead.nextDueDay > day) return undefined;
  return lead.nextDueDay < day ? { kind: 'overdue', daysOverdue: day - lead.nextDueDay } : { kind: 'due', daysOverdue: 0 };
}
