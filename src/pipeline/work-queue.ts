// The queue a salesperson works every morning (`qualify work`): discovery calls whose follow-up
// appointment is due first (earliest first), then sales-accepted leads waiting for their
// discovery call, then leads waiting for a needs assessment, each group by score. Leads already
// worked to a later stage, bad or disqualified are not in it. A lead with an interrupted call
// (a draft) is marked.
import { ASSESSABLE_STAGES, DISCOVERABLE_STAGES } from '../core/stage/transitions.js';
import { readCsvDocument } from '../io/csv-row-update.js';
import { loadDraft } from '../io/draft.js';
import { leadView, type CallStep } from './lead-call.js';
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
  label: string;
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
  const entries: QueueEntry[] = [];
  for (const r of view.records()) {
    const stage = view.stageOf(r);
    const step: CallStep | undefined = DISCOVERABLE_STAGES.has(stage) ? 'discover' : ASSESSABLE_STAGES.has(stage) ? 'assess' : undefined;
    if (step === undefined) continue;
    const key = view.keyOf(r);
    const day = followUpCol >= 0 ? /^\d{4}-\d{2}-\d{2}/.exec((view.row(r)[followUpCol] ?? '').trim())?.[0] : undefined;
    const due = step === 'discover' && day !== undefined && day <= today ? day : undefined;
    const unfinished = loadDraft(file, o.questionnaireIds[step], key) !== undefined;
    const mark = [due ? `follow-up due ${due}` : '', unfinished ? 'unfinished call' : ''].filter(Boolean).join(', ');
    entries.push({ record: r, key, step, stage, score: view.scoreOf(r), ...(due ? { due } : {}), unfinished, label: `${view.label(r)}${mark ? ` [${mark}]` : ''}` });
  }
  const group = (e: QueueEntry): number => (e.due ? 0 : e.step === 'discover' ? 1 : 2);
  return entries.sort((a, b) => group(a) - group(b) || (a.due ?? '').localeCompare(b.due ?? '') || b.score - a.score || a.record - b.record);
}
