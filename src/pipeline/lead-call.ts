// One call with one lead, end to end: the questionnaire and rules files, the lead (by id, email
// or #N, or picked from the best next leads), the stage check, the call through a Prompter
// (with a draft saved after every answer and resumed on the next run), then the outcome written
// into that lead's row: atomically, under the file's lock, every other row byte-identical.
// The CSV is never touched until the outcome is confirmed.
import { fileURLToPath } from 'node:url';
import { QualifyError, QualifyErrors } from '../core/errors.js';
import { loadQuestionnaire } from '../core/questionnaire/load.js';
import { checkAnswerIds, runQuestionnaire } from '../core/questionnaire/run.js';
import type { Outcome } from '../core/questionnaire/engine.js';
import type { Answers, Questionnaire } from '../core/questionnaire/schema.js';
import type { CompiledRules } from '../core/rules/compiled.js';
import { createScorer } from '../core/scoring/engine.js';
import { ASSESSABLE_STAGES, DISCOVERABLE_STAGES } from '../core/stage/model.js';
import { normalizeEmail } from '../core/values.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { readCsvDocument, updateRecord, type CsvDocument } from '../io/csv-row-update.js';
import { draftPath, loadDraft, removeDraft, saveDraft } from '../io/draft.js';
import { withFileLock } from '../io/lock.js';
import { checkLeadCallPaths } from '../io/path-identity.js';
import { loadRules, readTextFile } from '../io/rules-file.js';
import { neutralizeFormula } from '../io/sanitize.js';
import type { Prompter } from '../ui/prompter.js';

export type CallStep = 'assess' | 'discover';

export const DEFAULT_QUESTIONNAIRE: Readonly<Record<CallStep, string>> = {
  assess: fileURLToPath(new URL('../../rules/needs-assessment.yaml', import.meta.url)),
  discover: fileURLToPath(new URL('../../rules/discovery-bant.yaml', import.meta.url)),
};

export interface LeadCallOptions {
  step: CallStep;
  file: string;
  /** Write the updated CSV here instead of over `file`. */
  output?: string;
  /** id column value, email, or #N; without it the salesperson picks from the best next leads. */
  lead?: string;
  questionnaire?: string;
  rules?: string;
  /** Answers by question id (an --answers file): no prompts, no draft offered. */
  answers?: Record<string, unknown>;
  force: boolean;
  prompter: Prompter;
  now: Date;
  vars?: Record<string, string>;
  encoding?: string;
  delimiter?: string;
  /** How long to wait for another qualify writing the same file. */
  lockWaitMs?: number;
  /** Progress and result lines for the salesperson (stderr). */
  log: (line: string) => void;
}

export interface LeadCallResult {
  status: 'saved' | 'discarded';
  lead: string;
  record: number;
  outcome?: Outcome;
  target?: string;
  added?: string[];
}

export function loadQuestionnaireFile(path: string): Questionnaire {
  const r = loadQuestionnaire(path, readTextFile(path, 'questionnaire'));
  if (!r.questionnaire) throw new QualifyErrors(r.errors);
  return r.questionnaire;
}

export async function runLeadCall(opts: LeadCallOptions): Promise<LeadCallResult> {
  const qPath = opts.questionnaire ?? DEFAULT_QUESTIONNAIRE[opts.step];
  await checkLeadCallPaths(opts.file, qPath, opts.rules, opts.output, draftPath(opts.file));
  const q = loadQuestionnaireFile(qPath);
  const wantKind = opts.step === 'assess' ? 'needs-assessment' : 'discovery';
  if (q.kind !== wantKind)
    throw new QualifyError('ARG_INVALID', `${qPath} is a ${q.kind} questionnaire; "qualify ${opts.step}" needs kind: ${wantKind}`, { kind: 'arg', option: '--questionnaire' });
  if (opts.answers) {
    const bad = checkAnswerIds(q, opts.answers);
    if (bad.length) throw new QualifyErrors(bad);
  }
  const { rules } = loadRules(opts.rules);
  const csvOpts = { ...(opts.encoding ? { encoding: opts.encoding } : {}), ...(opts.delimiter ? { delimiter: opts.delimiter } : {}) };
  const doc = await readCsvDocument(opts.file, csvOpts);
  const view = leadView(doc, rules, opts.now);

  const record = opts.lead !== undefined ? view.find(opts.lead) : await pick(opts, q, view);
  const key = view.keyOf(record);
  const stage = view.stageOf(record);
  checkStage(opts.step, stage, opts.force, key, opts.file);

  // Resume an interrupted call on this lead (an answers file stands on its own: no draft).
  let draft: Answers | undefined;
  const saved = loadDraft(opts.file, q.id, key);
  if (saved && !opts.answers) {
    const resume = await opts.prompter.confirm({
      id: '$resume',
      message: `Resume the interrupted call with ${key} (${Object.keys(saved.answers).length} answers, saved ${saved.saved_at})?`,
      required: true,
      allowed: 'yes or no',
      default: true,
      parse: (raw) => (typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, message: 'answer yes or no' }),
    });
    if (resume === true) draft = saved.answers;
    else removeDraft(opts.file, q.id, key);
  }

  const prompter = opts.prompter;
  let result;
  try {
    result = await runQuestionnaire(q, view.leadRecord(record), prompter, {
      now: opts.now,
      ...(draft ? { draft } : {}),
      ...(opts.vars ? { vars: opts.vars } : {}),
      onProgress: (answers) => saveDraft(opts.file, { questionnaire: q.id, lead: key, answers, saved_at: opts.now.toISOString() }),
    });
  } catch (e) {
    if (loadDraft(opts.file, q.id, key)) opts.log(`The answers so far are kept in ${draftPath(opts.file)}; run the same command again to resume.`);
    throw e;
  }
  if (result.status === 'discarded') {
    opts.log(`Nothing was written to ${opts.file}; the answers are kept in ${draftPath(opts.file)}.`);
    return { status: 'discarded', lead: key, record };
  }

  const outcome = result.outcome;
  const values = columnsFor(outcome, rules);
  const target = opts.output ?? opts.file;
  const added = await withFileLock(
    target,
    async (signal) => {
      // Re-read under the lock: another salesperson may have saved a call on this file since.
      const fresh = target === opts.file ? await readCsvDocument(opts.file, csvOpts) : doc;
      const at = target === opts.file ? leadView(fresh, rules, opts.now).find(key) : record;
      const update = updateRecord(fresh, at, values);
      await writeFileAtomic(target, update.bytes, { signal, ...(target === opts.file ? { expect: fresh.identity } : {}) });
      return update.added;
    },
    opts.lockWaitMs !== undefined ? { waitMs: opts.lockWaitMs } : {},
  );
  removeDraft(opts.file, q.id, key);
  opts.log(
    `${key}: ${outcome.stage} (${outcome.result}, ${outcome.points} points). Wrote ${Object.keys(values).length} columns` +
      `${added.length ? ` (${added.length} new)` : ''} to ${target}.`,
  );
  return { status: 'saved', lead: key, record, outcome, target, added };
}

/** The outcome's columns, with the score's stage and class columns under the rules' prefix, and
 * every written cell neutralised against spreadsheet formulas (answers are typed by people). */
function columnsFor(outcome: Outcome, rules: CompiledRules): Record<string, string> {
  const out: Record<string, string> = {};
  const prefix = rules.settings.columnPrefix;
  for (const [name, value] of Object.entries(outcome.columns)) {
    const col = name === 'stage' || name === 'class' ? prefix + name : name;
    out[col] = neutralizeFormula(value);
  }
  return out;
}

function checkStage(step: CallStep, stage: string, force: boolean, key: string, file: string): void {
  if (force) return;
  const again = `use --force to ${step} it anyway`;
  if (stage === 'bad lead' || stage === 'disqualified')
    throw new QualifyError('LEAD_WRONG_STAGE', `${key} is a ${stage}; ${again}`, { kind: 'csv', file }, { hint: 'a bad lead has wrong or unreachable contact data; a disqualified lead was ruled out' });
  if (step === 'assess' && !ASSESSABLE_STAGES.has(stage))
    throw new QualifyError('LEAD_WRONG_STAGE', `${key} already had its needs assessment (stage ${stage}); ${again}`, { kind: 'csv', file });
  if (step === 'discover' && !DISCOVERABLE_STAGES.has(stage)) {
    if (ASSESSABLE_STAGES.has(stage))
      throw new QualifyError('LEAD_WRONG_STAGE', `${key} has no needs assessment yet (stage ${stage}); a discovery call is for a sales-accepted lead (SAL)`, { kind: 'csv', file }, {
        hint: `run "qualify assess ${file} --lead ${key}" first, or ${again}`,
      });
    throw new QualifyError('LEAD_WRONG_STAGE', `${key} already had its discovery call (stage ${stage}); ${again}`, { kind: 'csv', file });
  }
}

async function pick(opts: LeadCallOptions, q: Questionnaire, view: LeadView): Promise<number> {
  if (opts.answers) throw new QualifyError('ARG_INVALID', '--answers needs --lead: say which lead the answers are for', { kind: 'arg', option: '--lead' });
  const allowed = opts.step === 'assess' ? ASSESSABLE_STAGES : DISCOVERABLE_STAGES;
  const workedCol = view.header.indexOf(`${q.prefix}_outcome`);
  const candidates = view
    .records()
    .filter((r) => allowed.has(view.stageOf(r)) && (workedCol < 0 || (view.row(r)[workedCol] ?? '').trim() === ''))
    .sort((a, b) => view.scoreOf(b) - view.scoreOf(a) || a - b)
    .slice(0, 15);
  if (candidates.length === 0)
    throw new QualifyError('LEAD_NOT_FOUND', `no lead in ${opts.file} is waiting for a ${opts.step === 'assess' ? 'needs assessment' : 'discovery call'} (stage ${[...allowed].join(', ')}, not yet done)`, {
      kind: 'csv',
      file: opts.file,
    });
  const choices = candidates.map((r) => ({ value: String(r), label: view.label(r) }));
  const chosen = await opts.prompter.select({
    id: '$lead',
    message: `Which lead? (best ${opts.step === 'assess' ? 'for a needs assessment' : 'for a discovery call'} first)`,
    required: true,
    allowed: 'a lead from the list',
    choices,
    parse: (raw) => (choices.some((c) => c.value === raw) ? { ok: true, value: raw as string } : { ok: false, message: 'choose a lead from the list' }),
  });
  return Number(chosen);
}

interface LeadView {
  header: string[];
  records(): number[];
  row(record: number): string[];
  find(id: string): number;
  keyOf(record: number): string;
  stageOf(record: number): string;
  scoreOf(record: number): number;
  label(record: number): string;
  leadRecord(record: number): Record<string, string>;
}

/** The CSV as leads: the rules' field mapping finds id, email and names; the scorer gives each
 * lead's score and stage (keeping a stage a person set, as re-scoring does). */
function leadView(doc: CsvDocument, rules: CompiledRules, now: Date): LeadView {
  const scorer = createScorer(rules, doc.header, { asOfDay: Math.floor(now.getTime() / 86_400_000), file: doc.file });
  const colOf = (name: string): number => {
    const i = rules.fields.findIndex((f) => f.name === name);
    return i >= 0 ? scorer.binding.columnOf[i]! : -1;
  };
  const idCol = colOf('id');
  const emailCol = colOf('email');
  const results = doc.rows.map((row, i) => scorer.score(row, i + 1));
  const cell = (record: number, col: number): string => (col >= 0 ? (doc.rows[record - 1]?.[col] ?? '').trim() : '');
  return {
    header: doc.header,
    records: () => doc.rows.map((_, i) => i + 1),
    row: (r) => doc.rows[r - 1]!,
    find(id) {
      const wanted = id.trim();
      const email = normalizeEmail(wanted);
      const m = /^#(\d+)$/.exec(wanted);
      if (m && Number(m[1]) >= 1 && Number(m[1]) <= doc.rows.length) return Number(m[1]);
      for (let r = 1; r <= doc.rows.length; r++) {
        if ((idCol >= 0 && cell(r, idCol) === wanted) || (emailCol >= 0 && normalizeEmail(cell(r, emailCol)) === email)) return r;
      }
      const by = [idCol >= 0 ? `id column "${doc.header[idCol]}"` : null, emailCol >= 0 ? `email column "${doc.header[emailCol]}"` : null].filter(Boolean).join(' or ');
      throw new QualifyError('LEAD_NOT_FOUND', `no lead ${JSON.stringify(id)} in ${doc.file} (looked in the ${by || 'record numbers'}; ${doc.rows.length} records)`, { kind: 'csv', file: doc.file }, {
        hint: 'give the value of the id column, the email address, or #N for record N',
      });
    },
    keyOf: (r) => cell(r, idCol) || (cell(r, emailCol) ? normalizeEmail(cell(r, emailCol)) : `#${r}`),
    stageOf: (r) => results[r - 1]!.stage,
    scoreOf: (r) => results[r - 1]!.score,
    label(r) {
      const name = [cell(r, colOf('first_name')), cell(r, colOf('last_name'))].filter(Boolean).join(' ');
      const who = [name, cell(r, colOf('company'))].filter(Boolean).join(', ') || cell(r, emailCol) || `record ${r}`;
      // The id (or email) last, so that the salesperson can note it or pass it to --lead later.
      const id = cell(r, idCol) || cell(r, emailCol);
      return `${who} (${results[r - 1]!.stage}, score ${results[r - 1]!.score})${id && id !== who ? ` · ${id}` : ''}`;
    },
    leadRecord(r) {
      const row = doc.rows[r - 1]!;
      const lead: Record<string, string> = {};
      doc.header.forEach((h, i) => {
        if (!(h in lead)) lead[h] = row[i] ?? '';
      });
      // The rules' canonical names too (`company` for "Company / Account"), so questionnaires
      // find the fields the rules already know how to map.
      rules.fields.forEach((f, i) => {
        const col = scorer.binding.columnOf[i]!;
        if (col >= 0 && !(f.name in lead)) lead[f.name] = row[col] ?? '';
      });
      return lead;
    },
  };
}
