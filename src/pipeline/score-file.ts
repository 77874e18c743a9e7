// Scores one CSV stream end to end: reader -> engine -> writer -> sink (Miller's layers). Rows
// flow in batches and are scored as they are read, so memory does not grow with the file. The
// output format (formats/) writes the prologue, each record and the epilogue; this file drives
// any format the same way.
// Output goes to stdout, to a new file, or over the input (--in-place), the files always
// through a temp file renamed into place only once complete. Returns the run's statistics.
import type { CompiledRules } from '../core/rules/compiled.js';
import { MEMORY_KEYS, type DedupSpill } from '../core/scoring/dedup-index.js';
import { createDuplicateFinder, createScorer, type DuplicateFinder, type Scorer } from '../core/scoring/engine.js';
import { createTempRunStore } from '../io/temp-run-store.js';
import { openCsv, type CsvInput, type RecordBatch, type RejectedRow } from '../io/csv-reader.js';
import { writeRejects } from '../io/rejects.js';
import { createScoreCellFormatter, mergeSummaries, projectRows, type LeadSelection, type ScoreCellFormatter, type ScoreCellsConfig, type ScoreParts } from './score-cells.js';
import { ChunkBuilder } from '../io/chunk-builder.js';
import type { OutputFormat } from './formats/format.js';
import { loadOutputFormat, type OutputFormatName } from './formats/registry.js';
import { startScoreWorker, type AsyncFormatter } from './worker-pool.js';
import { createShareController, machineView, planThreads, routeBatch, SHARE_MAX_PENDING, SHARE_WINDOW, type BatchRoute, type CpuSample, type ShareController, type ThreadPlan } from './thread-plan.js';
import { firstRunSample } from '../io/cpu-at-start.js';
import { createHeapHygiene, GC_EVERY_BATCHES } from './heap-hygiene.js';
import { writeToStdout, writeToFile } from '../io/output.js';
import { replaceLocked, type ReplaceStepHook } from '../io/locked-replace.js';
import type { LockOptions } from '../io/lock.js';
import { checkRunPaths } from '../io/path-identity.js';

export interface ScoreFileOptions {
  input: string;
  rules: CompiledRules;
  asOfDay: number;
  format: OutputFormatName;
  /** '-' for stdout, a path, or null with inPlace. */
  output: string | null;
  inPlace: boolean;
  encoding?: string | undefined;
  delimiter?: string | undefined;
  /** Largest record read (--max-record-size), in bytes; the reader's default when unset. */
  maxRecordSize?: number | undefined;
  /** Neutralise spreadsheet formulas in cells of new files (OWASP); off with --no-sanitize. */
  sanitize: boolean;
  /** --skip-invalid: score the rest and write rows that cannot be read to this rejects file
   * (in place, they also stay where they were in the file, verbatim). Unset: such a row stops the run. */
  rejects?: string | undefined;
  onProgress?: (p: { rows: number; bytes: number; totalBytes: number | null }) => void;
  /** --in-place: how long to wait for another run's lock, when a lock is stale (lock.ts). */
  lock?: LockOptions;
  /** Tests: called at each step of the --in-place replacement (locked-replace.ts). */
  onReplaceStep?: ReplaceStepHook;
  /** --stage, --class, --tier, --min-score: only the rows they keep are written. */
  select?: LeadSelection | null;
  /** Tests: which thread scores batch `batch` (0-based) when a worker shares the scoring, in
   * place of the adaptive choice (thread-plan.ts routeBatch), so that a test can fix the mix. */
  route?: (batch: number, inFlight: number) => BatchRoute;
  /** Tests: measure whether sharing pays (the default plan on large files) with this controller,
   * whatever the file size (short probes, so that a small file goes through every phase). */
  controller?: () => ShareController;
  /** Tests: keys the duplicate index holds in memory before it goes on in a temp file (small,
   * so that a small file goes through the runs; MEMORY_KEYS otherwise). */
  dedupMemoryKeys?: number;
}

export interface ScoreStats {
  file: string;
  output: string;
  rowsRead: number;
  rowsWritten: number;
  byStage: Map<string, number>;
  byTier: Map<string, number>;
  disqualified: Map<string, { why: string; count: number }>;
  unreadable: ReturnType<Scorer['unreadable']>;
  absentOptional: string[];
  ambiguous: { field: string; used: string; ignored: string[] }[];
  /** User columns named like a score column, kept; the score columns then went under `scoreNames`' prefix. */
  clashes: string[];
  scoreNames: string[];
  /** True when stdout was closed early by the reader (`| head`). */
  closedEarly: boolean;
  /** Rows set aside under --skip-invalid, and where they went (null without --skip-invalid). */
  rejected: number;
  rejectsFile: string | null;
  /** Notes from the reader: duplicate or blank header names, mixed line endings. */
  readerNotes: string[];
  /** Whether a worker thread shared the scoring, and how many rows it scored (the rest were
   * scored in the reading thread). */
  threads?: { worker: boolean; workerRows: number; why: string };
  /** Bytes of the duplicate index that went on in a temp file (0: it stayed in memory). */
  dedupOverflowBytes?: number;
}

const CHUNK = 256 * 1024;

export async function scoreFile(opts: ScoreFileOptions): Promise<ScoreStats> {
  // No output may be the input or another output, whatever its spelling (path-identity.ts).
  const inputRead = { path: opts.input, what: 'the input' };
  await checkRunPaths(
    [inputRead],
    [
      opts.inPlace ? { path: opts.input, what: '--in-place', option: '--in-place', replaces: inputRead } : { path: opts.output ?? '-', what: '--output', option: '--output', hintIfInput: 'to update the input file itself, use --in-place' },
      ...(opts.rejects !== undefined ? [{ path: opts.rejects, what: '--rejects', option: '--rejects' }] : []),
    ],
  );
  const format = await loadOutputFormat(opts.format);
  if (opts.inPlace) {
    // Lock, read, check unchanged, write, fsync, abort if the lock is lost, rename.
    return replaceLocked(opts.input, ({ write }) => run(opts, format, (chunks, input, _stats, release) => write(chunks, input.form, release)), {
      ...opts.lock,
      ...(opts.onReplaceStep ? { onStep: opts.onReplaceStep } : {}),
    });
  }
  return run(opts, format, async (chunks, input, stats, release) => {
    if (opts.output === null || opts.output === '-') stats.closedEarly = await writeToStdout(chunks, release);
    else await writeToFile(opts.output, chunks, { form: format.keepsInputEncoding ? input.form : null, release });
  });
}

/** Writes the chunks; `release` takes back each chunk once it is written (ChunkBuilder.recycle). */
type Sink = (chunks: AsyncGenerator<Buffer>, input: CsvInput, stats: ScoreStats, release: (chunk: Buffer) => void) => Promise<void>;

async function run(opts: ScoreFileOptions, format: OutputFormat, sink: Sink): Promise<ScoreStats> {
  // How busy the machine was from start-up to the first batch decides whether a worker thread
  // pays (thread-plan.ts; io/cpu-at-start.ts says why from start-up).
  const cpuAtStart = firstRunSample();
  const rejects: RejectedRow[] = [];
  const input = await openCsv(opts.input, {
    encoding: opts.encoding,
    delimiter: opts.delimiter,
    // What the format's row composer copies from: raw text in place, bytes read for a new file.
    ...(opts.maxRecordSize !== undefined ? { maxRecordSize: opts.maxRecordSize } : {}),
    ...format.reading(opts.inPlace),
    ...(opts.rejects !== undefined ? { onReject: (r: RejectedRow) => rejects.push(r) } : {}),
  });
  const scorer = createScorer(opts.rules, input.header, { asOfDay: opts.asOfDay, file: input.file });
  const stats: ScoreStats = {
    file: input.file,
    output: opts.inPlace ? input.file : opts.output === '-' || opts.output === null ? 'stdout' : opts.output,
    rowsRead: 0,
    rowsWritten: 0,
    byStage: new Map(),
    byTier: new Map(),
    disqualified: new Map(),
    unreadable: [],
    absentOptional: scorer.binding.absentOptional,
    ambiguous: scorer.binding.ambiguous,
    clashes: scorer.binding.clashes,
    scoreNames: scorer.binding.scoreNames,
    closedEarly: false,
    rejected: 0,
    rejectsFile: opts.rejects ?? null,
    readerNotes: [],
    threads: { worker: false, workerRows: 0, why: '' },
  };
  const out = new ChunkBuilder(CHUNK);
  await sink(produce(input, scorer, format, opts, stats, rejects, cpuAtStart, out), input, stats, (chunk) => out.recycle(chunk));
  stats.readerNotes = input.notes();
  return stats;
}

/** Whether a worker thread shares the scoring with this one, and whether the run measures that
 * it pays (thread-plan.ts); `since`: the CPU counters at start. */
function threadPlan(input: CsvInput, since: CpuSample | null): ThreadPlan {
  return planThreads(input.totalBytes, process.env['QUALIFY_WORKER'], machineView(since));
}

/** A batch read, scored (or being scored by the worker), not yet written. */
interface PendingBatch {
  batch: RecordBatch;
  /** Its score parts once scored; null while the worker has it. */
  parts: ScoreParts | null;
  /** Scoring it failed: thrown when the batch's turn to be written comes (file order). */
  failed: boolean;
  error: unknown;
  /** Settles (never rejects) when the worker answers; null for a batch scored here. */
  answered: Promise<void> | null;
}

async function* produce(input: CsvInput, scorer: Scorer, format: OutputFormat, opts: ScoreFileOptions, stats: ScoreStats, rejects: RejectedRow[], cpuAtStart: CpuSample | null, out: ChunkBuilder): AsyncGenerator<Buffer> {
  const { binding } = scorer;
  const { scoreAt, scoreNames, readColumns } = binding;
  const sanitizeInput = opts.sanitize && !opts.inPlace;
  // In place (a format that can be written in place), the file keeps its form: a row set aside
  // stays where it was, verbatim (it is in the rejects file too), and a file without a final
  // line ending is written back without one (the last line ending is held back until the end,
  // when the reader knows).
  const keepForm = opts.inPlace && format.inPlace;
  const keepRejects = keepForm;
  const keepFinalNewline = keepForm;
  /** A row set aside, kept in place with the blank lines before it. */
  const keptReject = (r: RejectedRow): string => (r.before ?? '') + r.raw + eol;
  const eol = input.form.recordDelimiter;
  const eolBytes = Buffer.from(eol);
  let nextReject = 0;

  out.text(format.prologue({ header: input.header, headerRaw: input.headerRaw ?? null, form: input.form, scoreAt, scoreNames, sanitizeInput }));
  const config: ScoreCellsConfig = {
    rules: opts.rules,
    header: input.header,
    asOfDay: opts.asOfDay,
    file: input.file,
    format: opts.format,
    sanitize: opts.sanitize,
    inPlace: opts.inPlace,
    delimiter: input.form.delimiter,
    select: opts.select ?? null,
  };
  const compose = format.rowComposer({
    header: input.header,
    scoreAt,
    outWidth: binding.outWidth,
    sanitizeInput,
    delimiter: input.form.delimiter,
    recordDelimiter: eol,
  });
  // The same scoring code in this thread or in a worker thread: byte-identical output either
  // way. This thread writes the input cells of each record, the scorer only the score part.
  // Started at the first batch, when the size of the rows read so far tells how many the file
  // holds. With a worker, the two threads share the batches (work sharing): a batch goes to the
  // worker while it has fewer than SHARE_WINDOW in hand, and is otherwise scored here instead
  // of waiting, so on a quiet machine both threads score, and when the worker gets little CPU
  // (a busy machine) this thread simply scores more of the batches. This thread then also
  // finds the duplicates (in file order, as it reads) for both.
  let scoring: { inline: ScoreCellFormatter; worker: AsyncFormatter | null; duplicates: DuplicateFinder | null } | null = null;
  // Measuring whether sharing pays (the default on large files), or always sharing (QUALIFY_WORKER=1).
  let controller = null as ShareController | null;
  let threadsWhy = '';
  // Past a million keys the duplicate index goes on in a temp file (flat memory at 10M rows).
  const runStore = createTempRunStore();
  const dedupSpill: DedupSpill = { memoryKeys: opts.dedupMemoryKeys ?? MEMORY_KEYS, store: runStore.open };
  const start = () => {
    const estimate = input.estimatedRecords();
    // A little over the estimate: rows vary in size, and a grow costs more than the margin.
    const cfg: ScoreCellsConfig = estimate === null ? config : { ...config, expectedRows: Math.ceil(estimate * 1.05) };
    const plan = opts.controller ? { worker: true, measure: true, why: 'a test controller' } : threadPlan(input, cpuAtStart);
    threadsWhy = plan.why;
    if (!plan.worker) return { inline: createScoreCellFormatter(cfg, format, dedupSpill), worker: null, duplicates: null };
    if (plan.measure) controller = opts.controller?.() ?? createShareController();
    const duplicates = createDuplicateFinder(opts.rules, input.header, { asOfDay: opts.asOfDay, file: input.file, dedupSpill, ...(cfg.expectedRows ? { expectedRows: cfg.expectedRows } : {}) });
    const shared: ScoreCellsConfig = { ...cfg, duplicatesGiven: duplicates !== null };
    // This thread's formatter first: a rules/header mismatch fails here as it does inline.
    const inline = createScoreCellFormatter(shared, format);
    return { inline, worker: startScoreWorker(shared), duplicates };
  };
  const route = opts.route ?? ((_batch: number, inFlight: number) => (controller === null ? routeBatch(inFlight) : controller.route(inFlight)));
  const pending: PendingBatch[] = [];
  let batchIndex = 0;
  const hygiene = createHeapHygiene(GC_EVERY_BATCHES);
  let rows = 0;
  let written = 0;
  let record = 0;
  /** Writes a batch's records (those the filters keep), and the rows set aside before them that
   * stay in place, handing over each chunk as it fills: a batch of NDJSON is more than a chunk,
   * and a chunk grown past its size to hold it is a new buffer, twice the size, every batch
   * (780 MB allocated and copied for 300k rows) that cannot be filled again. */
  const write = function* (batch: RecordBatch, parts: ScoreParts): Generator<Buffer> {
    const records = batch.recordNumbers ?? null;
    for (let b = 0; b < batch.length; b++) {
      record = records === null ? record + 1 : records[b]!;
      if (keepRejects) while (nextReject < rejects.length && rejects[nextReject]!.record < record) out.text(keptReject(rejects[nextReject++]!));
      if (parts.keep && parts.keep[b] === 0) continue;
      compose(out, batch, b, parts);
      written++;
      if (out.full()) yield* flush();
    }
  };
  /** Hands over the chunk once it is big enough. */
  const flush = function* (): Generator<Buffer> {
    if (!out.full()) return;
    stats.rowsWritten = written;
    if (keepFinalNewline && out.endsWith(eolBytes)) {
      out.dropLast(eolBytes.length);
      yield out.take();
      out.bytes(eolBytes);
    } else yield out.take();
  };
  /** Writes the batches at the head of the queue that are scored, in file order; the first one
   * that failed throws. */
  const writeReady = function* (): Generator<Buffer> {
    while (pending.length > 0 && (pending[0]!.parts !== null || pending[0]!.failed)) {
      const done = pending.shift()!;
      if (done.failed) {
        scoringFailed = true;
        throw done.error;
      }
      yield* write(done.batch, done.parts!);
      // Its buffer serves a later batch of the thread that scored it: the worker's goes back
      // with the next batch it is sent (each thread then formats into buffers it has).
      if (done.answered !== null) scoring!.worker!.giveBack(done.parts!);
      else scoring!.inline.release(done.parts!);
    }
  };
  /** Waits for the worker's answer to the oldest batch it holds. */
  const awaitWorker = async (): Promise<void> => {
    await pending.find((p) => p.answered !== null && p.parts === null && !p.failed)?.answered;
  };
  let readError: { error: unknown } | null = null;
  let scoringFailed = false;
  let workerRows = 0;
  try {
    try {
      for await (const batch of input.batches()) {
        rows += batch.length;
        stats.rowsRead = rows;
        scoring ??= start();
        const { inline, worker, duplicates } = scoring;
        const projected = projectRows(batch, readColumns, batch.recordNumbers ?? null, rows - batch.length + 1, duplicates);
        if (worker === null) {
          const parts = inline.format(projected);
          yield* write(batch, parts);
          inline.release(parts);
        } else {
          const entry: PendingBatch = { batch, parts: null, failed: false, error: undefined, answered: null };
          // The answers that have come meanwhile, taken now (worker-pool.ts says why).
          worker.poll();
          if (route(batchIndex++, worker.inFlight()) === 'worker') {
            // A test's fixed route may send more than the window: keep the worker's queue bounded.
            while (worker.inFlight() >= SHARE_WINDOW) await awaitWorker();
            workerRows += batch.length;
            entry.answered = worker
              .format(projected, (parts, e) => {
                if (parts !== null) entry.parts = parts;
                else {
                  entry.failed = true;
                  entry.error = e;
                }
              })
              .then(
                () => {},
                () => {},
              );
          } else {
            try {
              entry.parts = inline.format(projected);
            } catch (e) {
              entry.failed = true;
              entry.error = e;
            }
          }
          pending.push(entry);
          // Only while sharing (a one-thread run, or stretch, needs none: the threads' garbage is
          // what piles up); and a full collection in a timed window would count against the way
          // measured then.
          if (controller === null || (controller.sharing() && !controller.timing())) hygiene.batchDone();
          worker.poll();
          yield* writeReady();
          // Batches scored here wait behind the worker's: bounded, for memory.
          while (pending.length > SHARE_MAX_PENDING) {
            await awaitWorker();
            yield* writeReady();
          }
          // This thread's formatter is unusable after a failure; the batches before it are
          // written (below) and its error thrown in turn.
          if (entry.failed && entry.answered === null) break;
          if (controller !== null) {
            if (controller.endsSharing()) {
              while (pending.length) {
                await awaitWorker();
                yield* writeReady();
              }
            }
            controller.batchRead(batch.length, performance.now());
          }
        }
        opts.onProgress?.({ rows, bytes: input.bytesRead(), totalBytes: input.totalBytes });
      }
    } catch (e) {
      if (scoringFailed) throw e;
      // A record that cannot be read: the batches before it are written first, as inline.
      readError = { error: e };
    }
    while (pending.length) {
      await awaitWorker();
      yield* writeReady();
    }
    if (readError !== null) throw readError.error;
    scoring ??= start();
    const summary = scoring.worker === null ? scoring.inline.summary() : mergeSummaries(scoring.inline.summary(), await scoring.worker.summary());
    stats.byStage = new Map(summary.byStage);
    stats.byTier = new Map(summary.byTier);
    stats.disqualified = new Map(summary.disqualified);
    stats.unreadable = summary.unreadable;
    stats.threads = { worker: scoring.worker !== null, workerRows, why: threadsWhy };
  } finally {
    stats.dedupOverflowBytes = runStore.size;
    runStore.close();
    await scoring?.worker?.close();
  }
  if (keepRejects) while (nextReject < rejects.length) out.text(keptReject(rejects[nextReject++]!));
  // In place, the blank lines after the last record stay too.
  if (keepFinalNewline) out.text(input.trailingBlankLines());
  out.text(format.epilogue(written));
  stats.rejected = input.rejected();
  stats.rowsRead = rows;
  stats.rowsWritten = written;
  if (keepFinalNewline && !input.finalNewline() && out.endsWith(eolBytes)) out.dropLast(eolBytes.length);
  if (out.length > 0) yield out.take();
  // Before the generator ends, so before the output file is renamed into place: if the rejected
  // rows cannot be saved, the output is not committed either.
  if (opts.rejects !== undefined) await writeRejects(opts.rejects, rejects, input.form, opts.sanitize);
}
