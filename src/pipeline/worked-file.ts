// A worked lead file (scored, called, followed up) read as typed leads for `log`, `followups`,
// `report`, `split` and `export`: the rules' field mapping finds id, email, names, source and
// owner; score, tier and stage are the file's own score columns, or the scorer's for rows that
// lack them (as assess/discover do); the follow-up, call and step-time columns are read by name.
import type { CompiledRules } from '../core/rules/compiled.js';
import { createScorer, type Scorer } from '../core/scoring/engine.js';
import { humanStageOf, CLASS_OF_HUMAN_STAGE } from '../core/stage/model.js';
import { headerKey } from '../core/text-distance.js';
import { normalizeEmail, parseDate, parseNumber } from '../core/values.js';
import type { CsvDocument } from '../io/csv-row-update.js';
import { indexLeads, leadKeyColumns, theOneLead, type LeadKeyColumns } from './find-lead.js';

export interface WorkedLead {
  record: number;
  /** The id column's value, else the email, else #N: what --lead takes. */
  key: string;
  name: string;
  company: string;
  email: string;
  phone: string;
  owner: string;
  source: string;
  score: number;
  tier: string;
  /** The stage cell as written (or the scorer's). */
  stageText: string;
  /** Canonical: `SQL` for "Sales Qualified Lead", `closed won` for "Won". */
  stage: string;
  class: string;
  /** Why a disqualified or bad lead is out: a call's reason, or the rule that decided it. */
  disqualifiedWhy: string;
  /** Cells by column name (first column of that name), '' when absent. */
  cell(name: string): string;
}

export interface WorkedFile {
  doc: CsvDocument;
  scorer: Scorer;
  prefix: string;
  keyCols: LeadKeyColumns;
  leads: WorkedLead[];
  /** The one record `id` names (LEAD_NOT_FOUND / LEAD_AMBIGUOUS otherwise). */
  find(id: string): WorkedLead;
}

/** Header keys of an owner column in the common CRMs' exports (Salesforce, HubSpot, Pipedrive). */
const OWNER_KEYS = ['owner', 'leadowner', 'contactowner', 'dealowner', 'ownername', 'salesrep', 'rep', 'assignedto', 'hubspotownerid', 'ownerid'];

export function readWorkedFile(doc: CsvDocument, rules: CompiledRules, asOfDay: number): WorkedFile {
  const scorer = createScorer(rules, doc.header, { asOfDay, file: doc.file });
  const prefix = scorer.binding.prefix;
  const colOfField = (name: string): number => {
    const i = rules.fields.findIndex((f) => f.name === name);
    return i >= 0 ? scorer.binding.columnOf[i]! : -1;
  };
  const keyCols = leadKeyColumns(rules, scorer.binding);
  const col = new Map<string, number>();
  doc.header.forEach((h, i) => {
    if (!col.has(h)) col.set(h, i);
  });
  const keys = doc.header.map(headerKey);
  const ownerCol = OWNER_KEYS.map((k) => keys.indexOf(k)).find((i) => i >= 0) ?? -1;
  const sourceCol = rules.settings.sourceField !== null ? scorer.binding.columnOf[rules.settings.sourceField]! : colOfField('source');
  const outcomeCols = doc.header.flatMap((h) => {
    const m = /^(.+)_outcome$/.exec(h);
    return m && col.has(`${m[1]}_reason`) ? [{ outcome: col.get(h)!, reason: col.get(`${m[1]}_reason`)! }] : [];
  });
  const scoreCol = col.get(prefix + 'score') ?? -1;
  const stageCol = col.get(prefix + 'stage') ?? -1;
  const tierCol = col.get(prefix + 'tier') ?? -1;
  const classCol = col.get(prefix + 'class') ?? -1;
  const at = (row: string[], i: number): string => (i >= 0 ? (row[i] ?? '').trim() : '');

  const leads: WorkedLead[] = doc.rows.map((row, idx) => {
    const record = idx + 1;
    // Rows are scored in order even when the file has their score: duplicates need every earlier row.
    const scored = scorer.score(row, record);
    const fileScore = at(row, scoreCol);
    const fileStage = at(row, stageCol);
    const useFile = fileStage !== '' && fileScore !== '' && Number.isFinite(Number(fileScore));
    const stageText = useFile ? fileStage : scored.stage;
    const stage = humanStageOf(stageText) ?? stageText;
    const first = at(row, colOfField('first_name'));
    const last = at(row, colOfField('last_name'));
    let disqualifiedWhy = '';
    if (stage === 'disqualified' || stage === 'bad lead') {
      const call = outcomeCols.find((c) => at(row, c.outcome) === 'disqualified');
      disqualifiedWhy = call ? at(row, call.reason).split('; ')[0]! : (scored.disqualifiedBy ?? '');
      if (!disqualifiedWhy && (row[col.get('fu_status') ?? -1] ?? '') === 'disqualified') disqualifiedWhy = 'out of follow-up attempts';
    }
    return {
      record,
      key: '',
      name: [first, last].filter(Boolean).join(' '),
      company: at(row, colOfField('company')),
      email: at(row, keyCols.emailCol),
      phone: at(row, colOfField('phone')),
      owner: at(row, ownerCol),
      source: at(row, sourceCol),
      score: useFile ? Number(fileScore) : scored.score,
      tier: useFile ? at(row, tierCol) || scored.tier : scored.tier,
      stageText,
      stage,
      class: (useFile ? at(row, classCol) : '') || (CLASS_OF_HUMAN_STAGE[stage] ?? scored.class),
      disqualifiedWhy,
      cell: (name: string) => at(row, col.get(name) ?? -1),
    };
  });

  const index = indexLeads(doc.rows, keyCols);
  for (const lead of leads) {
    const row = doc.rows[lead.record - 1]!;
    const id = at(row, keyCols.idCol) || (lead.email ? normalizeEmail(lead.email) : '');
    // A key that names several records would find another lead later: the record number then.
    lead.key = id && index.matches(id).length === 1 ? id : `#${lead.record}`;
  }
  return {
    doc,
    scorer,
    prefix,
    keyCols,
    leads,
    find: (id) => leads[theOneLead(id, index.matches(id), { file: doc.file, header: doc.header, cols: keyCols, records: doc.rows.length }) - 1]!,
  };
}

/** A date cell (ISO, or as the rules read dates) as a UTC day number. */
export function dayOf(text: string, rules: Pick<CompiledRules, 'settings'>): number | undefined {
  if (text.trim() === '') return undefined;
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(text.trim());
  return parseDate(iso ? iso[1]! : text, iso ? 'ymd' : rules.settings.dateFormat);
}

/** An amount cell (`48000`, `48,000 EUR`, `€ 48.000`) as a number, read with the file's decimal mark. */
export function amountOf(text: string, rules: Pick<CompiledRules, 'settings'>): number | undefined {
  const cleaned = text.replace(/[A-Za-z€$£¥\s]/g, '');
  if (cleaned === '') return undefined;
  return parseNumber(cleaned, rules.settings.decimal);
}
