// `qualify score --engine duckdb`: the rules compiled to SQL (src/sql) and run on DuckDB
// embedded (@duckdb/node-api: the binary comes inside the npm package, nothing to start). The
// header and the file's form come from qualify's own CSV reader; the records are loaded by
// DuckDB's parallel read_csv when it reads the file exactly as qualify's reader does
// (duckdb-direct-read.ts), else by qualify's reader (the same cells, encodings and errors as the
// default engine) through an appender. They are scored by the SELECT that `qualify rules sql
// --dialect duckdb` prints and written by the same writers, so the output is the default
// engine's, byte for byte. It is the parity oracle of the SQL back ends, and scores in DuckDB's
// own threads and memory (spilling to disk past its memory limit).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { QualifyError } from '../core/errors.js';
import type { CompiledRules } from '../core/rules/compiled.js';
import type { Reason, ScoreResult } from '../core/scoring/engine.js';
import { openCsv, type CsvInput } from '../io/csv-reader.js';
import { writeToFile, writeToStdout } from '../io/output.js';
import { checkRunPaths } from '../io/path-identity.js';
import { createCsvCellFormatter, createCsvRowWriter } from '../io/record-writer.js';
import { neutralizeCopiedText, neutralizeFormula } from '../io/sanitize.js';
import { ChunkBuilder } from '../io/chunk-builder.js';
import { compileSql } from '../sql/compile.js';
import { duckdb } from '../sql/dialects/duckdb.js';
import { scoreFields } from './formats/format.js';
import { createJsonInputFields, jsonScorePart } from './formats/json.js';
import { loadOutputFormat, type OutputFormatName } from './formats/registry.js';
import type { ScoreFileOptions, ScoreStats } from './score-file.js';
import { directReadObstacle, readCsvSql, scanForDuckDb } from './duckdb-direct-read.js';

const CHUNK = 256 * 1024;

export async function scoreFileWithDuckDb(opts: ScoreFileOptions & { skipInvalid?: boolean }): Promise<ScoreStats> {
  if (opts.inPlace) throw new QualifyError('ARG_INVALID', '--engine duckdb writes a new file or stdout; --in-place needs the default engine', { kind: 'arg', option: '--engine' });
  if (opts.rejects !== undefined) throw new QualifyError('ARG_INVALID', '--engine duckdb stops at a row it cannot read; --skip-invalid needs the default engine', { kind: 'arg', option: '--engine' });
  await checkRunPaths([{ path: opts.input, what: 'the input' }], [{ path: opts.output ?? '-', what: '--output', option: '--output' }]);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const input = await openCsv(opts.input, { encoding: opts.encoding, delimiter: opts.delimiter, ...(opts.maxRecordSize !== undefined ? { maxRecordSize: opts.maxRecordSize } : {}) });
  const header = input.header;
  // Bound before anything is loaded: a missing column is reported as the default engine does.
  // Rows are numbered by the table's insertion order (rowid), which is the file's.
  // Duplicates are found by a GROUP BY of the repeated keys joined back, not by a window over
  // whole rows (which holds every row's every column at once).
  const compiled = compileSql(opts.rules, header, duckdb, { table: 'leads', asOfDay: opts.asOfDay, columnRef: (i) => `c${i}`, recordColumn: '(rowid + 1)', detail: true, source: input.file, firstRowByJoin: true });

  // Memory stays bounded whatever the file's size: the table, the join and the sort back into
  // file order all spill past duckDbMemoryLimit(), to a directory of our own under the system's
  // temp dir (an in-memory database would otherwise use ./.tmp in the user's working directory),
  // removed at the end. The result is streamed a chunk at a time to the writers below.
  const memoryLimit = duckDbMemoryLimit();
  const spill = mkdtempSync(join(tmpdir(), 'qualify-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: spill, memory_limit: memoryLimit, preserve_insertion_order: 'true' });
  const db = await instance.connect();
  try {
    let record = await loadDirectly(db, opts.input, input, opts.maxRecordSize);
    if (record === null) {
      await db.run(`CREATE TABLE leads (${header.map((_, i) => `c${i} VARCHAR`).join(', ')})`);
      const appender = await db.createAppender('leads');
      record = 0;
      for await (const batch of input.batches()) {
        for (const row of batch) {
          record++;
          for (let i = 0; i < header.length; i++) appender.appendVarchar(row[i] ?? '');
          appender.endRow();
        }
        opts.onProgress?.({ rows: record, bytes: input.bytesRead(), totalBytes: input.totalBytes });
      }
      appender.closeSync();
    } else opts.onProgress?.({ rows: record, bytes: input.totalBytes ?? 0, totalBytes: input.totalBytes });

    const stats: ScoreStats = {
      file: input.file,
      output: opts.output === '-' || opts.output === null ? 'stdout' : opts.output,
      rowsRead: record,
      rowsWritten: 0,
      byStage: new Map(),
      byTier: new Map(),
      disqualified: new Map(),
      unreadable: [],
      absentOptional: compiled.binding.absentOptional,
      ambiguous: compiled.binding.ambiguous,
      clashes: compiled.binding.clashes,
      scoreNames: compiled.binding.scoreNames,
      closedEarly: false,
      rejected: 0,
      rejectsFile: null,
      readerNotes: input.notes(),
    };
    const result = await streamScored(db, compiled.sql);
    const chunks = writeRows(result, opts.rules, header, compiled.binding, opts.format, opts.sanitize, input.form, stats);
    if (opts.output === null || opts.output === '-') stats.closedEarly = await writeToStdout(chunks);
    else await writeToFile(opts.output, chunks, { form: opts.format === 'csv' ? input.form : null });
    return stats;
  } finally {
    db.closeSync();
    instance.closeSync();
    rmSync(spill, { recursive: true, force: true });
  }
}

/**
 * DuckDB's memory limit: its own default (80% of RAM) made a 10M-row run 11 GB. 1 GB plus
 * 512 MB per thread (each thread's sort and join buffers: 300 MB failed with 2 threads on 200k
 * rows; 512 MB held at 1M but spilled, and ran out at 10M; 2 GB ran 10M in 2.5 GB at the CPU of
 * the unlimited run), at most half the machine's memory; past it, the run spills to the temp
 * directory. QUALIFY_DUCKDB_MEMORY_LIMIT (e.g. `512MB`) sets it instead.
 */
function duckDbMemoryLimit(): string {
  const set = process.env['QUALIFY_DUCKDB_MEMORY_LIMIT'];
  if (set !== undefined && set !== '') {
    if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(set.trim())) {
      throw new QualifyError('ARG_INVALID', `QUALIFY_DUCKDB_MEMORY_LIMIT must be a size such as 512MB or 2GB, got ${JSON.stringify(set)}`, { kind: 'arg', option: '--engine' });
    }
    return set.trim();
  }
  const mb = Math.min(1024 + 512 * availableParallelism(), Math.floor(totalmem() / 2 / 2 ** 20));
  return `${Math.max(128, mb)}MB`;
}

/**
 * Streams the scored rows. The sort back into file order takes in the whole table before the
 * first chunk comes out, so when DuckDB runs out of memory under the limit (a 10M-row file did
 * at 512 MB), it does so before anything is written: the query then runs once more under
 * DuckDB's own limit (80% of RAM), as it did before the limit was set.
 */
async function streamScored(db: Connection, sql: string): Promise<ResultStream> {
  const start = async () => {
    const stream = await db.stream(sql);
    return { stream, first: await stream.fetchChunk() };
  };
  let got: Awaited<ReturnType<typeof start>>;
  try {
    got = await start();
  } catch (e) {
    if (!/Out of Memory Error/i.test(String(e))) throw e;
    // RESET would go back to the limit the instance was created with.
    await db.run(`SET memory_limit = '${Math.floor((totalmem() * 0.8) / 2 ** 20)}MB'`);
    got = await start();
  }
  let first: Awaited<ReturnType<ResultStream['fetchChunk']>> | undefined = got.first;
  return {
    fetchChunk: async () => {
      if (first === undefined) return got.stream.fetchChunk();
      const chunk = first;
      first = undefined;
      return chunk;
    },
  };
}

type Connection = Awaited<ReturnType<Awaited<ReturnType<typeof import('@duckdb/node-api').DuckDBInstance.create>>['connect']>>;

/**
 * Loads the file into table `leads` with DuckDB's own parallel CSV reader when it reads this
 * file exactly as qualify's reader does (duckdb-direct-read.ts), and says how many records it
 * holds; null when the file must go through qualify's reader (nothing loaded then).
 */
async function loadDirectly(db: Connection, path: string, input: CsvInput, maxRecordSize: number | undefined): Promise<number | null> {
  if (directReadObstacle(path, input) !== null || !scanForDuckDb(path, input.form.delimiter)) return null;
  try {
    await db.run(`CREATE TABLE leads AS SELECT * FROM ${readCsvSql(path, input, maxRecordSize)}`);
  } catch {
    // DuckDB refuses what qualify's reader may take (mixed line endings) or reports otherwise.
    await db.run('DROP TABLE IF EXISTS leads');
    return null;
  }
  const count = await db.runAndReadAll('SELECT count(*) FROM leads');
  return Number(count.getRows()[0]![0] as bigint);
}

interface ResultStream {
  fetchChunk(): Promise<{ rowCount: number; getRows(): unknown[][] } | null>;
}

/** Output records from the result rows (input cells, score cells, _q_rec, _q_detail, _q_dq). */
async function* writeRows(
  result: ResultStream,
  rules: CompiledRules,
  header: readonly string[],
  binding: ReturnType<typeof compileSql>['binding'],
  format: OutputFormatName,
  sanitize: boolean,
  form: { delimiter: string; recordDelimiter: string; sepLine: string | null },
  stats: ScoreStats,
): AsyncGenerator<Buffer> {
  const width = binding.outWidth;
  const scoreAt = Array.from(binding.scoreAt);
  const key = (j: number) => binding.scoreNames[j]!.slice(binding.prefix.length);
  const slot = new Map<string, number>(scoreAt.map((at, j) => [key(j), at]));
  const withGrade = rules.grade !== null;
  const out = new ChunkBuilder(CHUNK);
  const clean = sanitize ? neutralizeFormula : (s: string) => s;
  const d = form.delimiter;
  const cell = createCsvCellFormatter(d);
  const writeRow = createCsvRowWriter({ delimiter: d, recordDelimiter: form.recordDelimiter });
  const jsonInput = createJsonInputFields(header, new Set(scoreAt.filter((at) => at < header.length)));
  const jsonScore = jsonScorePart({ fields: scoreFields(rules, binding.prefix), sanitize, inPlace: false, delimiter: d });
  const epilogue = (await loadOutputFormat(format)).epilogue;
  // As the default engine's CSV score part: text in qualify's own columns (a person's stage, the
  // reasons that quote it) neutralised after separators too; numbers as they are.
  const numberSlots = new Set(['fit', 'engagement', 'score'].map((k) => slot.get(k)!));
  const ownText = new Set(scoreAt.filter((at) => !numberSlots.has(at)));
  const cleanOwn = sanitize ? neutralizeCopiedText : (s: string) => s;
  const whyOf = new Map<string, string>([...rules.fit.rules, ...rules.engagement.rules, ...rules.disqualifiers].map((r) => [r.id, r.why]));
  if (format === 'csv') {
    const names = header.slice();
    binding.scoreNames.forEach((n, j) => (names[scoreAt[j]!] = n));
    out.text((form.sepLine !== null ? form.sepLine + form.recordDelimiter : '') + writeRow(sanitize ? names.map(neutralizeFormula) : names));
  } else if (format === 'json') out.text('[');
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    for (const r of chunk.getRows()) {
      const text = (i: number) => String(r[i] ?? '');
      const num = (name: string) => Number(r[slot.get(name)!] as bigint | number);
      const s: ScoreResult = {
        record: Number(r[width] as bigint),
        fit: num('fit'),
        engagement: num('engagement'),
        score: num('score'),
        tier: text(slot.get('tier')!),
        grade: withGrade ? text(slot.get('grade')!) : null,
        stage: text(slot.get('stage')!),
        class: text(slot.get('class')!),
        action: text(slot.get('action')!),
        reasons: [],
        disqualifiedBy: r[width + 2] === null ? null : String(r[width + 2]),
      };
      stats.byStage.set(s.stage, (stats.byStage.get(s.stage) ?? 0) + 1);
      stats.byTier.set(s.tier, (stats.byTier.get(s.tier) ?? 0) + 1);
      if (s.disqualifiedBy !== null) {
        const dq = stats.disqualified.get(s.disqualifiedBy);
        if (dq) dq.count++;
        else stats.disqualified.set(s.disqualifiedBy, { why: s.disqualifiedBy === 'duplicate' ? (rules.duplicates?.why ?? '') : (whyOf.get(s.disqualifiedBy) ?? ''), count: 1 });
      }
      if (format === 'csv') {
        let line = '';
        // Every cell neutralised as the default engine does (the numbers never need it).
        for (let i = 0; i < width; i++) line += (i ? d : '') + cell(ownText.has(i) ? cleanOwn(text(i)) : numberSlots.has(i) ? text(i) : clean(text(i)));
        out.text(line + form.recordDelimiter);
      } else {
        const inputRow = header.map((_, i) => text(i));
        s.reasons = reasonsOf(text(width + 1), text(slot.get('reasons')!), rules, whyOf, s.stage);
        const lead = rows === 0 ? (format === 'json' ? '\n' : '') : format === 'json' ? ',\n' : '\n';
        out.text(lead + '{' + jsonInput(inputRow) + jsonScore(s) + '}');
      }
      rows++;
      if (out.full()) {
        stats.rowsWritten = rows;
        yield out.take();
      }
    }
  }
  out.text(epilogue(rows));
  stats.rowsWritten = rows;
  if (out.length > 0) yield out.take();
}

/**
 * The typed reasons of a row, from _q_detail (`rule|points|extra`, space-separated) and the
 * `reasons` labels: the same `why` texts the engine gives (engine.ts).
 */
function reasonsOf(detail: string, labels: string, rules: CompiledRules, whyOf: Map<string, string>, stageCell: string): Reason[] {
  if (detail === '') return [];
  const labelList = labels.split('; ');
  const keyFitNames = rules.settings.keyFitFields.map((f) => rules.fields[f]!.name).join(', ');
  return detail.split(' ').map((entry, i): Reason => {
    const [rule, pointsText, extra] = entry.split('|') as [string, string, string | undefined];
    const points = Number(pointsText);
    let why = whyOf.get(rule) ?? '';
    if (rule === 'fit-cap') why = `Fit points are capped at ${rules.fit.max}`;
    else if (rule === 'engagement-cap') why = `Engagement points are capped at ${rules.engagement.max}`;
    else if (rule === 'fit-unknown') why = `Fit is unknown, not zero: ${keyFitNames} are all missing`;
    else if (rule === 'decay') why = `Engagement halves every ${rules.engagement.decay!.halfLifeDays} days without activity; last activity ${extra} days before the as-of date`;
    else if (rule === 'engagement-floor') why = `Engagement never drops below ${rules.engagement.floor}, so a lead that went quiet can climb back`;
    else if (rule === 'score-range') why = `Scores are kept within ${rules.score.min}-${rules.score.max}`;
    else if (rule === 'duplicate') why = `${rules.duplicates!.why}: same ${rules.fields[rules.duplicates!.field]!.name} as record ${extra}`;
    else if (rule === 'human-stage') why = `Stage "${stageCell.trim()}" was set by a person; re-scoring keeps it`;
    return { rule, points, why, label: labelList[i] ?? '' };
  });
}
