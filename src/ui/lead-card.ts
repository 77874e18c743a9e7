// The lead card a salesperson sees before a call: who (name, title, company, email, phone), how
// good (score, tier and the reasons that weighed most), where in the funnel and since when, the
// file's own notes, the last activity, what the needs assessment found and any follow-up
// attempts. Pure: the row comes in as plain data, text goes out, laid out to a terminal width.
// At 60 columns or more it is a box of label/value lines; narrower, plain lines with no box, so
// nothing is ever cut: long values wrap.
import { QUALIFIED_AT_COLUMN } from '../core/stage/model.js';
import { safe } from './diagnostics.js';

export interface LeadCardData {
  /** The lead's key as --lead takes it (id, email or #N). */
  key: string;
  name: string;
  company: string;
  title: string;
  email: string;
  phone: string;
  score: string;
  tier: string;
  /** The reasons as the `reasons` column writes them (`title:exec +20`), in any order. */
  reasons: string[];
  stage: string;
  /** When the lead reached its stage (an ISO timestamp from sal_at, sql_at... or qualified_at). */
  stageSince: string;
  lastActivity: string;
  notes: string;
  /** Needs-assessment answers as [question id, answer], answered ones only. */
  assessment: Array<[string, string]>;
  /** Follow-up attempts as [column, value], non-empty ones only. */
  followUps: Array<[string, string]>;
}

/** Below this width the card has no box and labels go on their own line. */
export const BOXED_MIN_WIDTH = 60;
/** The box never grows beyond this, so a wide terminal does not stretch short lines. */
export const MAX_CARD_WIDTH = 100;
const LABEL_WIDTH = 13;

/** The reasons that weighed most: largest points first (ties in their order), at most `n`. */
export function topReasons(reasons: string[], n = 3): string[] {
  const points = (r: string): number => Number(/([+-]\d+)\s*$/.exec(r)?.[1] ?? 0);
  return reasons
    .map((r, i) => ({ r: r.trim(), i }))
    .filter((x) => x.r !== '' && points(x.r) !== 0)
    .sort((a, b) => Math.abs(points(b.r)) - Math.abs(points(a.r)) || a.i - b.i)
    .slice(0, n)
    .map((x) => x.r);
}

/** "3 days", "5 hours", "just now": how long ago `since` was. Empty when unreadable. */
export function durationSince(since: string, now: Date): string {
  const t = Date.parse(since);
  if (since.trim() === '' || Number.isNaN(t)) return '';
  const minutes = Math.floor((now.getTime() - t) / 60_000);
  if (minutes < 0) return '';
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return minutes < 1 ? 'just now' : unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return unit(hours, 'hour');
  return unit(Math.floor(hours / 24), 'day');
}

/** Columns a character takes in a terminal: 2 for East Asian wide and emoji, 0 for combining marks. */
function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (/\p{M}/u.test(ch) || cp === 0x200d) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** `text` in lines of at most `width` columns: at spaces where it can, inside a word when a word
 * is longer than a line. Never drops a character. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r\n|\n|\r/)) {
    let line = '';
    let lineW = 0;
    for (const word of para.split(/(?<= )/)) {
      const w = displayWidth(word);
      if (lineW + w <= width || (lineW === 0 && w <= width)) {
        line += word;
        lineW += w;
        continue;
      }
      if (line.trim() !== '') out.push(line.trimEnd());
      line = '';
      lineW = 0;
      for (const ch of word) {
        const cw = charWidth(ch);
        if (lineW + cw > width && line !== '') {
          out.push(line.trimEnd());
          line = '';
          lineW = 0;
        }
        if (line === '' && ch === ' ') continue;
        line += ch;
        lineW += cw;
      }
    }
    out.push(line.trimEnd());
  }
  return out;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** The card's rows as [label, value]; empty values left out. */
export function cardRows(d: LeadCardData, now: Date): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const add = (label: string, value: string): void => {
    if (value.trim() !== '') rows.push([label, value.trim()]);
  };
  add('company', d.company);
  add('title', d.title);
  add('email', d.email);
  add('phone', d.phone);
  const top = topReasons(d.reasons);
  add('score', [d.score, d.tier ? `(${d.tier})` : ''].filter(Boolean).join(' ') + (top.length ? `: ${top.join('; ')}` : ''));
  const since = durationSince(d.stageSince, now);
  add('stage', d.stage + (since ? `, for ${since} (since ${d.stageSince.slice(0, 10)})` : ''));
  add('last activity', d.lastActivity);
  add('notes', d.notes);
  add('assessment', d.assessment.map(([k, v]) => `${k}: ${v}`).join('; '));
  add('follow-ups', d.followUps.map(([k, v]) => `${k}: ${v}`).join('; '));
  return rows;
}

/** The card as text for a terminal `columns` wide (at least 20 is assumed). */
export function renderLeadCard(d: LeadCardData, columns: number, now: Date): string {
  const width = Math.max(20, Math.min(columns, MAX_CARD_WIDTH));
  const title = safe([d.name || d.email || d.key, d.key !== d.name && d.key !== d.email ? d.key : ''].filter(Boolean).join(' · '));
  const rows = cardRows(d, now).map(([l, v]) => [l, safe(v)] as [string, string]);
  if (width < BOXED_MIN_WIDTH) {
    const out = wrap(title, width);
    out.push('-'.repeat(Math.min(width, Math.max(...out.map(displayWidth)))));
    for (const [label, value] of rows) {
      out.push(`${label}:`);
      for (const l of wrap(value, width - 2)) out.push(`  ${l}`);
    }
    return out.join('\n');
  }
  const inner = width - 4; // "│ " and " │"
  const valueWidth = inner - LABEL_WIDTH - 1;
  const head = wrap(title, inner - 4);
  const out: string[] = [];
  const first = `─ ${head[0]} `;
  out.push(`┌${first}${'─'.repeat(Math.max(0, width - 2 - displayWidth(first)))}┐`);
  for (const more of head.slice(1)) out.push(`│ ${pad(more, inner)} │`);
  for (const [label, value] of rows) {
    wrap(value, valueWidth).forEach((line, i) => out.push(`│ ${pad(i === 0 ? label : '', LABEL_WIDTH)} ${pad(line, valueWidth)} │`));
  }
  out.push(`└${'─'.repeat(width - 2)}┘`);
  return out.join('\n');
}

export interface CardSource {
  header: string[];
  row: string[];
  key: string;
  /** The column of a canonical field (`first_name`, `email`...), -1 when the file lacks it. */
  columnOf: (field: string) => number;
  /** The prefix of the score columns in this file (`` or `qualify_`). */
  prefix: string;
  /** Score, tier, stage and reasons when the file has none for this lead (scored now). */
  scored: { score: number; tier: string; stage: string; reasons: string[] };
}

const STAGE_SINCE: Record<string, string> = { SAL: 'sal_at', SQL: 'sql_at', opportunity: 'opportunity_at', disqualified: 'disqualified_at' };
const norm = (h: string): string => h.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** The card's data from a lead's row: the rules' fields, the file's score columns (else the
 * scorer's result), the step timestamps, a notes column, the needs assessment's `na_` answers
 * and follow-up columns. */
export function cardFromRow(s: CardSource): LeadCardData {
  const cell = (col: number): string => (col >= 0 ? (s.row[col] ?? '').trim() : '');
  const field = (name: string): string => cell(s.columnOf(name));
  const named = (name: string): string => cell(s.header.indexOf(name));
  const fileScore = named(s.prefix + 'score');
  const fromFile = fileScore !== '' && named(s.prefix + 'stage') !== '';
  const stage = fromFile ? named(s.prefix + 'stage') : s.scored.stage;
  const reasons = fromFile ? named(s.prefix + 'reasons').split(/;\s*/) : s.scored.reasons;
  const notesCol = s.header.findIndex((h) => /^(notes?|comments?|remarks|description|leadnotes|callnotes)$/.test(norm(h)));
  const assessment: Array<[string, string]> = [];
  const followUps: Array<[string, string]> = [];
  s.header.forEach((h, i) => {
    const v = cell(i);
    if (v === '') return;
    if (/^na_/.test(h) && h !== 'na_outcome') assessment.push([h.slice(3), v]);
    else if (/follow.?up|attempt/i.test(h)) followUps.push([h, v]);
  });
  return {
    key: s.key,
    name: [field('first_name'), field('last_name')].filter(Boolean).join(' ') || field('name'),
    company: field('company'),
    title: field('title'),
    email: field('email'),
    phone: field('phone'),
    score: fromFile ? fileScore : String(s.scored.score),
    tier: fromFile ? named(s.prefix + 'tier') : s.scored.tier,
    reasons,
    stage,
    stageSince: named(STAGE_SINCE[stage] ?? '') || named(QUALIFIED_AT_COLUMN),
    lastActivity: field('last_activity'),
    notes: cell(notesCol),
    assessment,
    followUps,
  };
}
