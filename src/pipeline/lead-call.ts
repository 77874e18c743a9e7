// One call with one lead, end to end: the questionnaire and rules files, the lead (by id, email
// or #N, or picked from the best next leads), the stage check, the call through a Prompter
// (with a draft saved after every answer and resumed on the next run), then the outcome written
// into that lead's row: atomically, under the file's lock, every other row byte-identical.
// The CSV is never touched until the outcome is confirmed.
import { fileURLToPath } from 'node:url';
import { QualifyError, QualifyErrors, type Location } from '../core/errors.js';
import { loadQuestionnaire } from '../core/questionnaire/load.js';
import { checkAnswers, runQuestionnaire } from '../core/questionnaire/run.js';
import { advance, answeredQuestions, displayValue, next, start, type Outcome } from '../core/questionnaire/engine.js';
import type { Answers, Questionnaire } from '../core/questionnaire/schema.js';
import type { CompiledRules } from '../core/rules/compiled.js';
import { createScorer } from '../core/scoring/engine.js';
import { humanStageOf, QUALIFIED_AT_COLUMN, STAGE } from '../core/stage/model.js';
import { ASSESSABLE_STAGES, DISCOVERABLE_STAGES, STEP_COLUMNS, stampsOf, type CallStep } from '../core/stage/transitions.js';
import { normalizeEmail } from '../core/values.js';
import { indexLeads, leadKeyColumns, theOneLead } from './find-lead.js';
import { lineOfRecord, readCsvDocument, updateRecord, type CsvDocument } from '../io/csv-row-update.js';
import { draftPath, loadDraft, removeDraft, saveDraft } from '../io/draft.js';
import { replaceLocked } from '../io/locked-replace.js';
import { checkLeadCallPaths } from '../io/path-identity.js';
import { readTextFile } from '../io/rules-file.js';
import { loadReadingRules, type ReadingOverrides } from './reading-options.js';
import { neutralizeCopiedText } from '../io/sanitize.js';
import type { Prompter } from '../ui/prompter.js';
import { cardFromRow, renderLeadCard, type LeadCardData } from '../ui/lead-card.js';

export type { CallStep };

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
  /** --date-format / --decimal: read the lead file (and typed amounts and dates) as `score` does. */
  readingOverrides?: ReadingOverrides;
  /** Answers by question id (an --answers file): no prompts, no draft offered or kept. */
  answers?: Record<string, unknown>;
  /** Where each answer is written in its file (line:col), for messages. */
  answersAt?: (id: string) => Location | undefined;
  /** Scores the leads the file has no score for as of this UTC day number (default: `now`'s day). */
  asOfDay?: number;
  /** Called once the lead is known (or before the picker), before the first prompt: the CLI
   * fails here without a terminal, so an unknown lead is reported as such first. */
  needTerminal?: () => void;
  /** The clock read when a timestamp is written (a draft saved, the outcome saved); default
   * the real time. `now` stays the day the call is about (relative dates). */
  clock?: () => Date;
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
  /** Show the lead card, laid out to this many columns, before the call (not with --answers). */
  cardColumns?: number;
  /** The card is on the screen already (`qualify work` showed it to choose what to do): it is
   * only kept for the key that shows it again. */
  cardShown?: boolean;
}

export interface LeadCallResult {
  /** cancelled: the salesperson chose not to resume an interrupted call now (its draft kept). */
  status: 'saved' | 'discarded' | 'cancelled';
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
  const clock = opts.clock ?? (() => new Date());
  const { rules } = loadReadingRules(opts.rules, opts.readingOverrides ?? {});
  const reading = { decimal: rules.settings.decimal, dateFormat: rules.settings.dateFormat };
  const csvOpts = { ...(opts.encoding ? { encoding: opts.encoding } : {}), ...(opts.delimiter ? { delimiter: opts.delimiter } : {}) };
  const doc = await readCsvDocument(opts.file, csvOpts);
  const asOfDay = opts.asOfDay ?? Math.floor(opts.now.getTime() / 86_400_000);
  const view = leadView(doc, rules, asOfDay);

  let record: number;
  if (opts.lead !== undefined) {
    record = await findOrChoose(opts, view, opts.lead);
  } else {
    if (!opts.answers) opts.needTerminal?.();
    record = await pick(opts, q, view);
  }
  const key = view.keyOf(record);
  const stage = view.stageOf(record);
  checkStage(opts.step, stage, opts.force, key, opts.file);
  const lead = view.leadRecord(record);
  if (opts.answers) {
    // Every problem of the answers file at once, each with its place in the file.
    const problems = checkAnswers(q, lead, opts.answers, {
      now: opts.now,
      reading,
      ...(opts.vars ? { vars: opts.vars } : {}),
      ...(opts.answersAt ? { at: opts.answersAt } : {}),
    });
    if (problems.length) throw new QualifyErrors(problems);
  } else {
    opts.needTerminal?.();
    // Who the salesperson is about to talk to, before the first question.
    if (opts.cardColumns !== undefined) {
      const card = renderLeadCard(view.card(record, key), opts.cardColumns, opts.now);
      if (!opts.cardShown) opts.log(card);
      // And again on a key during the call (Ctrl-O in a terminal).
      opts.prompter.setCard?.(() => card);
    }
  }

  // Resume an interrupted call on this lead (an answers file stands on its own: no draft).
  let draft: Answers | undefined;
  const saved = opts.answers ? undefined : loadDraft(opts.file, q.id, key);
  if (saved) {
    let choice: ResumeChoice;
    try {
      choice = await offerResume(opts, q, lead, key, saved.answers, saved.saved_at, clock());
    } catch (e) {
      opts.log(`The answers so far stay in ${draftPath(opts.file)}; run the same command again to resume.`);
      throw e;
    }
    if (choice === 'cancel') {
      opts.log(`Nothing was written to ${opts.file}; the answers so far stay in ${draftPath(opts.file)} for the next run.`);
      return { status: 'cancelled', lead: key, record };
    }
    if (choice === 'resume') draft = saved.answers;
    else removeDraft(opts.file, q.id, key);
  }

  const prompter = opts.prompter;
  let result;
  try {
    result = await runQuestionnaire(q, lead, prompter, {
      now: opts.now,
      reading,
      ...(draft ? { draft } : {}),
      ...(opts.vars ? { vars: opts.vars } : {}),
      // A run from an answers file keeps no draft: there is nothing to resume by hand.
      ...(opts.answers ? {} : { onProgress: (answers: Answers) => saveDraft(opts.file, { questionnaire: q.id, lead: key, answers, saved_at: stamp(clock()) }) }),
    });
  } catch (e) {
    if (!opts.answers && loadDraft(opts.file, q.id, key)) opts.log(`The answers so far are kept in ${draftPath(opts.file)}; run the same command again to resume.`);
    throw e;
  }
  if (result.status === 'discarded') {
    opts.log(`Nothing was written to ${opts.file}; the answers are kept in ${draftPath(opts.file)}.`);
    return { status: 'discarded', lead: key, record };
  }

  const outcome = result.outcome;
  const values = columnsFor(outcome, view.prefix);
  const target = opts.output ?? opts.file;
  const inPlace = target === opts.file;
  const added = await replaceLocked(
    target,
    async ({ write }) => {
      // Re-read under the lock: another salesperson may have saved a call on this file since.
      const fresh = inPlace ? await readCsvDocument(opts.file, csvOpts) : doc;
      const at = inPlace ? leadView(fresh, rules, asOfDay).find(key) : record;
      const update = updateRecord(fresh, at, { ...values, ...stepTimes(fresh, at, outcome, stamp(clock())) });
      await write(update.bytes);
      return update.added;
    },
    { readsTarget: inPlace, ...(opts.lockWaitMs !== undefined ? { waitMs: opts.lockWaitMs } : {}) },
  );
  removeDraft(opts.file, q.id, key);
  opts.log(
    `${key}: ${outcome.stage} (${outcome.result}, ${outcome.points} points). Wrote ${Object.keys(values).length + STEP_COLUMNS.length} columns` +
      `${added.length ? ` (${added.length} new)` : ''} to ${target}.`,
  );
  return { status: 'saved', lead: key, record, outcome, target, added };
}

/** A timestamp as the CSV holds it: UTC, to the second (`2026-07-01T12:00:00Z`). */
function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The step columns for this save (one per step of the funnel; core/stage/transitions.ts says
 * which a stage stamps): `at` for the steps the outcome reached, the row's own value
 * for the others (an earlier step's time is kept), and `qualified_at`, the time of the last
 * qualification by a person, also `at` (the save, not the start of the session).
 */
function stepTimes(doc: CsvDocument, record: number, outcome: Outcome, at: string): Record<string, string> {
  const row = doc.rows[record - 1]!;
  const reached = stampsOf(outcome.stage);
  const out: Record<string, string> = { [QUALIFIED_AT_COLUMN]: at };
  for (const col of STEP_COLUMNS) {
    const i = doc.header.indexOf(col);
    out[col] = reached.includes(col) ? at : i >= 0 ? (row[i] ?? '') : '';
  }
  return out;
}

type ResumeChoice = 'resume' | 'discard' | 'cancel';

/** Shows what the interrupted call had reached and asks what to do with its answers. */
async function offerResume(opts: LeadCallOptions, q: Questionnaire, lead: Record<string, string>, key: string, answers: Answers, savedAt: string, now: Date): Promise<ResumeChoice> {
  let state = start(q, lead, { now: opts.now, answers, ...(opts.vars ? { vars: opts.vars } : {}) });
  let step = next(state);
  for (let guard = 0; step.kind === 'script' && guard < 10_000; guard++) {
    state = advance(state);
    step = next(state);
  }
  const answered = answeredQuestions(state);
  const where = step.kind === 'question' ? `at question ${q.questions.indexOf(step.question) + 1} of ${q.questions.length}` : 'after the last question';
  const lines = answered.map((x) => `${x.label}: ${displayValue(x, state.answers[x.id])}`);
  opts.prompter.say(lines.length ? lines.join('\n') : '(no answers yet)', { title: `Answers so far (${answered.length})`, preformatted: true });
  const choices: { value: ResumeChoice; label: string }[] = [
    { value: 'resume', label: 'Resume the call from there' },
    { value: 'discard', label: 'Start over (discard these answers)' },
    { value: 'cancel', label: 'Cancel (keep the answers for later)' },
  ];
  const values = choices.map((c) => c.value as string);
  const chosen = await opts.prompter.select({
    id: '$resume',
    message: `The call with ${key} was interrupted ${ago(savedAt, now)} ${where}. Resume it?`,
    required: true,
    allowed: `one of: ${values.join(', ')}`,
    choices,
    default: 'resume',
    parse: (raw) => {
      const v = raw === true ? 'resume' : raw;
      return typeof v === 'string' && values.includes(v) ? { ok: true, value: v } : { ok: false, message: `choose one of: ${values.join(', ')}` };
    },
  });
  return chosen as ResumeChoice;
}

/** "20 minutes ago"; with the day and time (UTC) when it was a day or more ago. */
export function ago(savedAt: string, now: Date): string {
  const then = new Date(savedAt);
  if (Number.isNaN(then.getTime())) return 'at an unknown time';
  const minutes = Math.round((now.getTime() - then.getTime()) / 60_000);
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (minutes < 1) return 'moments ago';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return plural(hours, 'hour');
  return `${plural(Math.round(hours / 24), 'day')} (${then.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
}

/** The outcome's columns, with the score's stage, class and action columns under the prefix the
 * scorer chose for this file (the rules' prefix, or another when a user's own column has that
 * name: bind-columns.ts), and every written cell neutralised against spreadsheet formulas, after
 * a separator too (answers are typed by people; sanitize.ts). */
function columnsFor(outcome: Outcome, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(outcome.columns)) {
    const col = name === 'stage' || name === 'class' || name === 'action' ? prefix + name : name;
    out[col] = neutralizeCopiedText(value);
  }
  return out;
}

function checkStage(step: CallStep, stage: string, force: boolean, key: string, file: string): void {
  if (force) return;
  const again = `use --force to ${step} it anyway`;
  if (stage === STAGE.badLead || stage === STAGE.disqualified)
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

/** The record `--lead` names; when it names several, an interactive call lets the salesperson
 * choose one of them, and an --answers run is refused (LEAD_AMBIGUOUS, never the first). */
async function findOrChoose(opts: LeadCallOptions, view: LeadView, id: string): Promise<number> {
  const hits = view.matches(id);
  if (hits.length <= 1 || opts.answers) return view.find(id);
  opts.needTerminal?.();
  const choices = hits.map((r) => ({ value: String(r), label: `record ${r}: ${view.label(r)}` }));
  const chosen = await opts.prompter.select({
    id: '$lead',
    message: `${JSON.stringify(id)} matches ${hits.length} leads; which one?`,
    required: true,
    allowed: 'a lead from the list',
    choices,
    parse: (raw) => (choices.some((c) => c.value === raw) ? { ok: true, value: raw as string } : { ok: false, message: 'choose a lead from the list' }),
  });
  return Number(chosen);
}

export interface LeadView {
  header: string[];
  /** Prefix of the score columns in this file (ColumnBinding.prefix). */
  prefix: string;
  records(): number[];
  row(record: number): string[];
  /** Records `id` names (createLeadMatcher), in file order. */
  matches(id: string): number[];
  /** The one record `id` names: LEAD_NOT_FOUND or LEAD_AMBIGUOUS otherwise. */
  find(id: string): number;
  keyOf(record: number): string;
  stageOf(record: number): string;
  scoreOf(record: number): number;
  label(record: number): string;
  leadRecord(record: number): Record<string, string>;
  card(record: number, key: string): LeadCardData;
}

/** The CSV as leads: the rules' field mapping finds id, email and names; each lead's score and
 * stage are the file's own score columns, or else the scorer's (which keeps a stage a person
 * set, as re-scoring does). */
export function leadView(doc: CsvDocument, rules: CompiledRules, asOfDay: number): LeadView {
  const scorer = createScorer(rules, doc.header, { asOfDay, file: doc.file });
  const colOf = (name: string): number => {
    const i = rules.fields.findIndex((f) => f.name === name);
    return i >= 0 ? scorer.binding.columnOf[i]! : -1;
  };
  const idCol = colOf('id');
  const emailCol = colOf('email');
  const keyCols = leadKeyColumns(rules, scorer.binding);
  const index = indexLeads(doc.rows, keyCols);
  // A file `qualify score` wrote has each lead's score and stage as of the day it was scored:
  // use them, and score only the rows that lack them (as of --as-of, default today).
  const scoreCol = doc.header.indexOf(scorer.binding.prefix + 'score');
  const stageCol = doc.header.indexOf(scorer.binding.prefix + 'stage');
  const cache = new Map<number, { score: number; stage: string }>();
  const result = (r: number): { score: number; stage: string } => {
    let got = cache.get(r);
    if (got) return got;
    const row = doc.rows[r - 1]!;
    const fileScore = scoreCol >= 0 ? (row[scoreCol] ?? '').trim() : '';
    const fileStage = stageCol >= 0 ? (row[stageCol] ?? '').trim() : '';
    if (fileScore !== '' && Number.isFinite(Number(fileScore)) && fileStage !== '') got = { score: Number(fileScore), stage: fileStage };
    else {
      const s = scorer.score(row, r);
      got = { score: s.score, stage: s.stage };
    }
    cache.set(r, got);
    return got;
  };
  const cell = (record: number, col: number): string => (col >= 0 ? (doc.rows[record - 1]?.[col] ?? '').trim() : '');
  return {
    header: doc.header,
    prefix: scorer.binding.prefix,
    records: () => doc.rows.map((_, i) => i + 1),
    row: (r) => doc.rows[r - 1]!,
    matches: (id) => index.matches(id),
    find: (id) => theOneLead(id, index.matches(id), { file: doc.file, header: doc.header, cols: keyCols, records: doc.rows.length, lineOf: (r) => lineOfRecord(doc, r) }),
    keyOf(r) {
      const key = cell(r, idCol) || (cell(r, emailCol) ? normalizeEmail(cell(r, emailCol)) : `#${r}`);
      // A key that names several records (a repeated id or email) would find another lead when
      // the file is read again under the lock: the record number then.
      return index.matches(key).length === 1 ? key : `#${r}`;
    },
    // A stage a person typed (`sal`, `Sales Accepted Lead`) as its canonical name, for the stage checks.
    stageOf: (r) => humanStageOf(result(r).stage) ?? result(r).stage,
    scoreOf: (r) => result(r).score,
    label(r) {
      const name = [cell(r, colOf('first_name')), cell(r, colOf('last_name'))].filter(Boolean).join(' ');
      const who = [name, cell(r, colOf('company'))].filter(Boolean).join(', ') || cell(r, emailCol) || `record ${r}`;
      // The id (or email) last, so that the salesperson can note it or pass it to --lead later.
      const id = cell(r, idCol) || cell(r, emailCol);
      return `${who} (${result(r).stage}, score ${result(r).score})${id && id !== who ? ` · ${id}` : ''}`;
    },
    card(r, key) {
      const s = scorer.score(doc.rows[r - 1]!, r);
      const scored = { score: s.score, tier: s.tier, stage: s.stage, reasons: s.reasons.map((x) => x.label) };
      return cardFromRow({ header: doc.header, row: doc.rows[r - 1]!, key, columnOf: colOf, prefix: scorer.binding.prefix, scored });
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
