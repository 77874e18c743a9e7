// Drafts of interrupted calls: the answers given so far, kept in `<csv>.draft.json` next to the
// CSV, one entry per questionnaire and lead, so Ctrl-C or a closed terminal loses nothing and
// the next run offers to resume. Synchronous on purpose: after Ctrl-C or at EOF an `await` may
// never resume (the process is on its way out), so a save must be done before the call returns.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Answers } from '../core/questionnaire/schema.js';

export interface Draft {
  questionnaire: string;
  lead: string;
  answers: Answers;
  saved_at: string;
}

interface DraftFile {
  version: 1;
  drafts: Record<string, Draft>;
}

export function draftPath(csv: string): string {
  return `${csv}.draft.json`;
}

const keyOf = (questionnaire: string, lead: string): string => `${questionnaire} ${lead}`;

function readAll(path: string): DraftFile {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<DraftFile>;
    if (data && typeof data === 'object' && data.drafts && typeof data.drafts === 'object') return { version: 1, drafts: data.drafts };
  } catch {
    // No draft file, or one that a crash cut short: there is nothing to resume from it.
  }
  return { version: 1, drafts: {} };
}

function writeAll(path: string, data: DraftFile): void {
  if (Object.keys(data.drafts).length === 0) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
    return;
  }
  // Temp file and rename, so a crash mid-save leaves the previous draft, not half a JSON file.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
  renameSync(tmp, path);
}

export function loadDraft(csv: string, questionnaire: string, lead: string): Draft | undefined {
  return readAll(draftPath(csv)).drafts[keyOf(questionnaire, lead)];
}

export function saveDraft(csv: string, draft: Draft): void {
  const path = draftPath(csv);
  const all = readAll(path);
  all.drafts[keyOf(draft.questionnaire, draft.lead)] = draft;
  writeAll(path, all);
}

export function removeDraft(csv: string, questionnaire: string, lead: string): void {
  const path = draftPath(csv);
  const all = readAll(path);
  if (!(keyOf(questionnaire, lead) in all.drafts)) return;
  delete all.drafts[keyOf(questionnaire, lead)];
  writeAll(path, all);
}
