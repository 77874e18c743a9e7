// `qualify diff OLD NEW FILE`, the run: every lead of the file scored with both rules files (read
// with the same options, as `score` reads them), fed to the diff accumulator
// (core/calibrate/diff.ts), and the leads that would leave or enter a stage counted for
// --fail-on-move. The command prints the report and turns the count into the exit status.
import { QualifyError } from '../core/errors.js';
import { DiffAccumulator, type DiffReport } from '../core/calibrate/diff.js';
import { createScorer } from '../core/scoring/engine.js';
import { STAGES } from '../core/stage/model.js';
import { openCsv } from '../io/csv-reader.js';
import { leadKeyColumns } from './find-lead.js';
import { loadReadingRules, type CsvFormOptions, type ReadingOverrides } from './reading-options.js';

export interface RulesDiffOptions {
  oldPath: string;
  newPath: string;
  /** The lead file, or '-' for stdin. */
  file: string;
  asOfDay: number;
  overrides: ReadingOverrides;
  csv: CsvFormOptions;
  /** A column with the known outcome (any case and spacing of its header). */
  outcome?: string | undefined;
  /** Outcome values that count as converted, any case. */
  positive: readonly string[];
  /** A stage: count the leads that would leave or enter it. */
  failOnMove?: string | undefined;
}

export interface RulesDiff {
  /** The lead file as named in messages. */
  file: string;
  report: DiffReport;
  /** Leads that would leave or enter the --fail-on-move stage (0 without it). */
  moving: number;
}

export async function diffRulesOnFile(o: RulesDiffOptions): Promise<RulesDiff> {
  const oldRules = loadReadingRules(o.oldPath, o.overrides).rules;
  const newRules = loadReadingRules(o.newPath, o.overrides).rules;
  const input = await openCsv(o.file, o.csv);
  let outcomeCol = -1;
  if (o.outcome !== undefined) {
    const want = o.outcome.trim().toLowerCase();
    outcomeCol = input.header.findIndex((h) => h.trim().toLowerCase() === want);
    if (outcomeCol < 0) throw new QualifyError('CSV_MISSING_COLUMN', `--outcome ${JSON.stringify(o.outcome)}: ${input.file} has no such column`, { kind: 'csv', file: input.file, column: o.outcome });
  }
  const positive = new Set(o.positive.map((v) => v.trim().toLowerCase()));
  const a = createScorer(oldRules, input.header, { asOfDay: o.asOfDay, file: input.file });
  const b = createScorer(newRules, input.header, { asOfDay: o.asOfDay, file: input.file });
  const keys = leadKeyColumns(oldRules, a.binding);
  const keyCol = keys.idCol >= 0 ? keys.idCol : keys.emailCol;
  const tierOrder = [...new Set([...[...oldRules.thresholds].sort((x, y) => y.min - x.min), ...[...newRules.thresholds].sort((x, y) => y.min - x.min)].map((t) => t.tier)), 'disqualified', 'bad'];
  const stageOrder = [...STAGES].reverse();
  const acc = new DiffAccumulator(tierOrder, stageOrder);
  const failStage = o.failOnMove?.trim().toLowerCase();
  let moving = 0;
  let record = 0;
  for await (const batch of input.batches()) {
    for (const row of batch) {
      record++;
      const ra = a.score(row, record);
      const rb = b.scoreShared(row, record);
      const cell = outcomeCol >= 0 ? (row[outcomeCol] ?? '').trim().toLowerCase() : '';
      const converted = outcomeCol >= 0 && cell !== '' ? positive.has(cell) : undefined;
      const lead = keyCol >= 0 && (row[keyCol] ?? '').trim() !== '' ? row[keyCol]!.trim() : `#${record}`;
      acc.add(ra, rb, lead, converted);
      if (failStage !== undefined && (ra.stage.trim().toLowerCase() === failStage) !== (rb.stage.trim().toLowerCase() === failStage)) moving++;
    }
  }
  return { file: input.file, report: acc.report(), moving };
}
