// `qualify score` as one pipeline call, from typed options to the run's statistics and exit
// status: the option combinations that cannot work, every path compared with every other, the
// rules compiled with this file's reading overrides, the decimal-mark notes, the scoring, and
// whether rows set aside make the run a partial success. The command (commands/score.ts) only
// maps flags to a ScoreRequest and prints; the CLI (cli.ts) turns the status into the exit code.
import { QualifyError } from '../core/errors.js';
import { filterValues } from '../core/pipeline/select.js';
import { humanStageOf, RESERVED_TIERS, STAGES } from '../core/stage/model.js';
import type { CompiledRules } from '../core/rules/compiled.js';
import { checkRunPaths } from '../io/path-identity.js';
import { defaultRejectsPath } from '../io/rejects.js';
import { loadOutputFormat, type OutputFormatName } from './formats/registry.js';
import { decimalNotes, loadReadingRules, type CsvFormOptions, type ReadingOverrides } from './reading-options.js';
import type { LeadSelection } from './score-cells.js';
import { scoreFile, type ScoreFileOptions, type ScoreStats } from './score-file.js';

export interface ScoreRequest {
  /** --stage, --class, --tier, --min-score: write only the leads they keep (a new file only). */
  select?: LeadSelection | null;
  /** Which engine scores: this process (default), or the rules compiled to SQL on embedded DuckDB. */
  engine?: 'default' | 'duckdb';
  /** A path, or '-' for stdin. */
  input: string;
  /** The rules file (undefined: the shipped rules). */
  rules: string | undefined;
  overrides: ReadingOverrides;
  csv: CsvFormOptions;
  asOfDay: number;
  format: OutputFormatName;
  /** --output as given (undefined: stdout). */
  output: string | undefined;
  inPlace: boolean;
  sanitize: boolean;
  skipInvalid: boolean;
  /** --rejects as given (undefined: next to the output). */
  rejects: string | undefined;
  allowRejects: boolean;
  /** Look for numbers written with the other decimal mark (not with --decimal). */
  decimalHints: boolean;
  onProgress?: ScoreFileOptions['onProgress'];
}

export interface ScoreOutcome {
  stats: ScoreStats;
  rules: CompiledRules;
  /** Notes on numbers that look written with the other decimal mark (without "note:"). */
  decimalNotes: string[];
  /** 0, or 1 when rows were set aside without --allow-rejects (a partial success). */
  exitStatus: 0 | 1;
}

/** Refuses option combinations that cannot work (ARG_INVALID, exit 2) before anything is read. */
async function checkOptions(req: ScoreRequest): Promise<void> {
  if (req.inPlace) {
    if (req.input === '-') throw new QualifyError('ARG_INVALID', '--in-place needs a FILE, not stdin', { kind: 'arg', option: '--in-place' });
    if (req.output !== undefined) throw new QualifyError('ARG_INVALID', 'use either --in-place or --output, not both', { kind: 'arg', option: '--in-place' });
    if (!(await loadOutputFormat(req.format)).inPlace) {
      throw new QualifyError('ARG_INVALID', `--in-place rewrites the CSV file itself; use --output for ${req.format}`, { kind: 'arg', option: '--format' });
    }
  }
  if (req.select && req.inPlace) {
    throw new QualifyError('ARG_INVALID', '--in-place keeps every row of the file; to keep only some leads, write them to a new file with --output', { kind: 'arg', option: '--in-place' });
  }
  if (req.select && req.engine === 'duckdb') {
    throw new QualifyError('ARG_INVALID', '--stage, --class, --tier and --min-score need the default engine', { kind: 'arg', option: '--engine' });
  }
  if (!req.skipInvalid && (req.rejects !== undefined || req.allowRejects)) {
    const option = req.rejects !== undefined ? '--rejects' : '--allow-rejects';
    throw new QualifyError('ARG_INVALID', `${option} goes with --skip-invalid`, { kind: 'arg', option });
  }
}

export async function scoreLeads(req: ScoreRequest): Promise<ScoreOutcome> {
  await checkOptions(req);
  const output = req.inPlace ? null : (req.output ?? '-');
  const rejects = req.skipInvalid ? (req.rejects ?? defaultRejectsPath(req.input, output)) : undefined;
  // Every file written is compared with every file read, by identity (links, `..`), before
  // anything is read or written.
  const inputRead = { path: req.input, what: 'the input' };
  await checkRunPaths(
    [inputRead, ...(req.rules !== undefined ? [{ path: req.rules, what: 'the rules file' }] : [])],
    [
      output === null
        ? { path: req.input, what: '--in-place', option: '--in-place', replaces: inputRead }
        : { path: output, what: '--output', option: '--output', hintIfInput: 'to update the input file itself, use --in-place (it locks the file and refuses one changed on disk)' },
      ...(rejects !== undefined ? [{ path: rejects, what: req.rejects !== undefined ? '--rejects' : 'the rejects file', option: '--rejects' }] : []),
    ],
  );
  // The rules compile completely before the first row is read: a bad rules file writes nothing.
  const { rules } = loadReadingRules(req.rules, req.overrides);
  if (req.select) checkSelection(req.select, rules);
  const hints = req.decimalHints && req.overrides.decimal === undefined ? await decimalNotes(req.input, rules, req.csv) : [];
  // DuckDB loads only when asked for: it is a large native module.
  const score = req.engine === 'duckdb' ? (await import('./duckdb-engine.js')).scoreFileWithDuckDb : scoreFile;
  const stats = await score({
    input: req.input,
    rules,
    asOfDay: req.asOfDay,
    format: req.format,
    output,
    inPlace: req.inPlace,
    encoding: req.csv.encoding,
    delimiter: req.csv.delimiter,
    maxRecordSize: req.csv.maxRecordSize,
    select: req.select ?? null,
    sanitize: req.sanitize,
    rejects,
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
  });
  // Rows set aside make the run a partial success: exit 1 unless the user accepts that.
  return { stats, rules, decimalNotes: hints, exitStatus: stats.rejected > 0 && !req.allowRejects ? 1 : 0 };
}

/** A filter value that can never match is a mistake (a typo in a tier, a stage that does not
 * exist), not an empty output: refused with the values these rules can give. */
function checkSelection(sel: LeadSelection, rules: CompiledRules): void {
  const values = (s: string | undefined) => filterValues(s) ?? [];
  const check = (option: string, given: string[], known: readonly string[], canon: (v: string) => string) => {
    const allowed = new Set(known.map((k) => canon(k).toLowerCase()));
    for (const v of given) {
      if (!allowed.has(canon(v).toLowerCase())) {
        throw new QualifyError('ARG_INVALID', `${option} ${JSON.stringify(v)}: these rules give ${known.join(', ')}`, { kind: 'arg', option });
      }
    }
  };
  check('--stage', values(sel.stage), [...STAGES, 'closed won', 'closed lost'], (v) => humanStageOf(v) ?? v);
  check('--class', values(sel.class), ['lead', 'prospect', 'opportunity'], (v) => v);
  check('--tier', values(sel.tier), [...new Set([...rules.thresholds.map((t) => t.tier), ...RESERVED_TIERS])], (v) => v);
}
