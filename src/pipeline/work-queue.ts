// The queue a salesperson works every morning (`qualify work`): discovery calls whose follow-up
// appointment is due first (earliest first), then sales-accepted leads waiting for their
// discovery call, then leads waiting for a needs assessment, each group by score. A follow-up
// attempt logged (`qualify log`, or from the queue) whose next one is due today or earlier counts
// as a follow-up due too. Leads already worked to a later stage, bad, disqualified or sent back
// to nurture by the cadence are not in it. A lead with an interrupted call (a draft) is marked.
import { ASSESSABLE_STAGES, DISCOVERABLE_STAGES } from '../core/stage/transitions.js';
import { readCsvDocument } from '../io/csv-row-update.js';
import { loadDraft } from '../io/draft.js';
import { leadView, type CallStep } from './lead-call.js';
import type { LeadCardData } from '../ui/lead-card.js';
import { loadReadingRules, type ReadingOverrides } from './reading-options.js';

export interface QueueEntry {
  record: number;
  /** What --lead takes for this lead. */
  key: string;
  step: CallStep;
  stage: string;
  score: number;
  /** The follow-up day (YYYY-MM-DD) when it is today or past. */
  due?: string;
  /** An interrupted call on this lead can be resumed. */
  unfinished: boolean;
  /** Follow-up attempts logged so far. */
  attempts: number;
  label: string;
  /** The lead card's data (scored when asked: only the lead picked needs it). */
  card(): LeadCardData;
}

export interface QueueOptions {
  rules?: string;
  overrides: ReadingOverrides;
  csv: { encoding?: string; delimiter?: string };
  asOfDay: number;
  /** The questionnaire ids whose drafts mark an unfinished call. */
  questionnaireIds: Record<CallStep, string>;
}

const FOLLOW_UP_COLUMN = 'na_follow_up';

export async function workQueue(file: string, o: QueueOptions): Promise<QueueEntry[]> {
  const { rules } = loadReadingRules(o.rules, o.overrides);
  const doc = await readCsvDocument(file, o.csv);
  const view = leadView(doc, rules, o.asOfDay);
  const today = new Date(o.asOfDay * 86_400_000).toISOString().slice(0, 10);
  const followUpCol = doc.header.indexOf(FOLLOW_UP_COLUMN);
  const cellOf = (r: number, name: string): string => {
    const i = doc.header.indexOf(name);
    return i >= 0 ? (view.row(r)[i] ?? '').trim() : '';
  };
  const entries: QueueEntry[] = [];
  for (const r of view.records()) {
    const stage = view.stageOf(r);
    const step: CallStep | undefined = DISCOVERABLE_STAGES.has(stage) ? 'discover' : ASSESSABLE_STAGES.has(stage) ? 'assess' : undefined;
    if (step === undefined) continue;
    const key = view.keyOf(r);
    const status = cellOf(r, 'fu_status');
    if (status === 'nurture' || status === 'disqualified') continue;
    const isoDay = (text: string): string | undefined => /^\d{4}-\d{2}-\d{2}/.exec(text)?.[0];
    const day = followUpCol >= 0 ? isoDay((view.row(r)[followUpCol] ?? '').trim()) : undefined;
    const appointment = step === 'discover' && day !== undefined && day <= today ? day : undefined;
    // The cadence's next attempt, while it is still chasing them.
    const nextAttempt = status === 'chasing' || status === '' ? isoDay(cellOf(r, 'fu_next_due')) : undefined;
    const chase = nextAttempt !== undefined && nextAttempt <= today ? nextAttempt : undefined;
    const due = [appointment, chase].filter((d): d is string => d !== undefined).sort()[0];
    const attempts = Number(cellOf(r, 'fu_attempts')) > 0 ? Math.floor(Number(cellOf(r, 'fu_attempts'))) : 0;
    const unfinished = loadDraft(file, o.questionnaireIds[step], key) !== undefined;
    const mark = [due ? `follow-up due ${due}` : '', attempts ? `${attempts} attempt${attempts === 1 ? '' : 's'}` : '', unfinished ? 'unfinished call' : ''].filter(Boolean).join(', ');
    entries.push({
      record: r,
      key,
      step,
      stage,
      score: view.scoreOf(r),
      ...(due ? { due } : {}),
      unfinished,
      attempts,
      label: `${view.label(r)}${mark ? ` [${mark}]` : ''}`,
      card: () => view.card(r, key),
    });
  }
  const group = (e: QueueEntry): number => (e.due ? 0 : e.step === 'discover' ? 1 : 2);
  return entries.sort((a, b) => group(a) - group(b) || (a.due ?? '').localeCompare(b.due ?? '') || b.score - a.score || a.record - b.record);
}
