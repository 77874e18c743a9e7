// Scores batches of rows and formats only the score part of each output record (through the
// output format's scorePart: formats/), keeping the run's counts. One per file;
// it holds the only scorer state that spans rows (the duplicate index, unless the batches bring
// each row's duplicate, found by the reading thread). Plain-data configuration and plain-data
// batches, so the same code runs inline or in a worker thread (score-worker.ts) and gives
// byte-identical output either way.
//
// Rows arrive projected to the columns the scorer reads (`binding.readColumns`), flattened into
// one array per batch: a worker is sent only the cells the rules read, in one structured clone
// instead of an array per row, and the input cells never make the round trip (the main thread
// writes them, row-composer.ts): deserialising is most of a worker's overhead.
import type { CompiledRules } from '../core/rules/compiled.js';
import { leadFilter, selects, type LeadFilter } from '../core/pipeline/select.js';
import type { DedupSpill } from '../core/scoring/dedup-index.js';
import { createScorer, type DuplicateFinder, type Scorer } from '../core/scoring/engine.js';
import { humanStageOf } from '../core/stage/model.js';
import { scoreFields, type OutputFormat, type ScoreParts } from './formats/format.js';
import type { OutputFormatName } from './formats/registry.js';

export type { ScoreParts } from './formats/format.js';

export interface ScoreCellsConfig {
  rules: CompiledRules;
  header: string[];
  asOfDay: number;
  file: string;
  /** The output format, by name (this config is plain data, sent to a worker as it is). */
  format: OutputFormatName;
  sanitize: boolean;
  /** --in-place: a stage kept from the input (a person's) is written back as it was, like every
   * other input cell of an in-place rewrite. */
  inPlace?: boolean;
  delimiter: string;
  /** Rows the file is expected to hold, when known (sizes the duplicate index once). */
  expectedRows?: number | undefined;
  /** Batches come with `duplicateOf` (found by the reading thread): keep no duplicate index. */
  duplicatesGiven?: boolean;
  /** --stage, --class, --tier, --min-score as given (plain data; null: every row is written). */
  select?: LeadSelection | null;
}

/** The filters of `score` as typed: comma-separated lists, and a number. */
export interface LeadSelection {
  stage?: string;
  class?: string;
  tier?: string;
  minScore?: number;
}

/** A batch of rows, projected: row i's cell for `readColumns[j]` is cell `i * readColumns.length + j`,
 * held in `cells`, or (sent to a worker) packed: `packed.text.slice(ends[c - 1] ?? 0, ends[c])`. */
export interface ScoreBatch {
  cells: string[] | null;
  packed?: PackedCells | null;
  rows: number;
  /** Record number of the first row when `records` is null (rows consecutive from it). A run
   * that shares batches between two threads numbers each batch itself, not by counting. */
  firstRecord: number;
  /** Record numbers of the rows when rows were set aside (gaps); null when consecutive. */
  records: number[] | null;
  /** For each row, the record that first had its duplicate key (0: none); null when the
   * scorer finds duplicates itself. */
  duplicateOf: Int32Array | null;
}

/** A batch's cells as one string and where each ends: what crosses to a worker thread. One
 * string and one transferred Uint32Array cost the structured clone a copy of each, where an
 * array of thousands of small strings costs it a tag, a length and an allocation per cell. */
export interface PackedCells {
  text: string;
  ends: Uint32Array;
}

/** `batch` with its cells packed (see PackedCells); the cells array is dropped. */
export function packCells(batch: ScoreBatch): ScoreBatch {
  const cells = batch.cells!;
  const ends = new Uint32Array(cells.length);
  let at = 0;
  for (let i = 0; i < cells.length; i++) {
    at += cells[i]!.length;
    ends[i] = at;
  }
  return { ...batch, cells: null, packed: { text: cells.join(''), ends } };
}

export interface ScoreSummary {
  rows: number;
  byStage: [string, number][];
  byTier: [string, number][];
  disqualified: [string, { why: string; count: number }][];
  /** The record where each entry of byStage, byTier and disqualified first came up (same
   * order): two formatters' summaries merge into the order one formatter would have had. */
  firstSeen: { byStage: number[]; byTier: number[]; disqualified: number[] };
  unreadable: ReturnType<Scorer['unreadable']>;
}

/**
 * The summary of a file whose batches were split between two formatters (the reading thread
 * and the worker, mergeSummaries(inline, worker)): counts added, every list in the order a
 * single formatter would have given it (entries by the record they first came up in, unreadable
 * values by field and kind with the earliest example), so the run summary prints the same.
 */
export function mergeSummaries(a: ScoreSummary, b: ScoreSummary): ScoreSummary {
  const merge = <V>(x: [string, V][], xFirst: number[], y: [string, V][], yFirst: number[], add: (p: V, q: V) => V): { list: [string, V][]; first: number[] } => {
    const all = new Map<string, { value: V; first: number }>();
    const take = (list: [string, V][], first: number[]) =>
      list.forEach(([k, v], i) => {
        const had = all.get(k);
        if (had === undefined) all.set(k, { value: v, first: first[i]! });
        else all.set(k, { value: add(had.value, v), first: Math.min(had.first, first[i]!) });
      });
    take(x, xFirst);
    take(y, yFirst);
    const sorted = [...all].sort((p, q) => p[1].first - q[1].first);
    return { list: sorted.map(([k, v]) => [k, v.value]), first: sorted.map(([, v]) => v.first) };
  };
  const sum = (p: number, q: number) => p + q;
  const stages = merge(a.byStage, a.firstSeen.byStage, b.byStage, b.firstSeen.byStage, sum);
  const tiers = merge(a.byTier, a.firstSeen.byTier, b.byTier, b.firstSeen.byTier, sum);
  const dq = merge(a.disqualified, a.firstSeen.disqualified, b.disqualified, b.firstSeen.disqualified, (p, q) => ({ why: p.why, count: p.count + q.count }));
  // The scorer lists unreadable values by field, then number before date (row-context.ts).
  const slot = (u: { field: number; kind: 'number' | 'date' }) => u.field * 2 + (u.kind === 'number' ? 0 : 1);
  const unreadable = new Map<number, ScoreSummary['unreadable'][number]>();
  for (const u of [...a.unreadable, ...b.unreadable]) {
    const had = unreadable.get(slot(u));
    if (had === undefined) unreadable.set(slot(u), u);
    else {
      const earlier = had.exampleRecord <= u.exampleRecord ? had : u;
      unreadable.set(slot(u), { ...earlier, count: had.count + u.count });
    }
  }
  return {
    rows: a.rows + b.rows,
    byStage: stages.list,
    byTier: tiers.list,
    disqualified: dq.list,
    firstSeen: { byStage: stages.first, byTier: tiers.first, disqualified: dq.first },
    unreadable: [...unreadable].sort((p, q) => p[0] - q[0]).map(([, u]) => u),
  };
}

export interface ScoreCellFormatter {
  /** The score part of each row's output record, in order (see createRowComposer). Its memory
   * is the caller's (a worker transfers it to the main thread without a copy). */
  format(batch: ScoreBatch): ScoreParts;
  /** Parts the caller has written (this thread's, or a worker's transferred to it): their
   * buffer is used again for a later batch. A batch's parts are half a megabyte in JSON; made
   * new for each batch, the dead ones waited for V8's next full collection outside its heap
   * (+46 MB of peak RSS at 1M rows). */
  release(parts: ScoreParts): void;
  summary(): ScoreSummary;
}

/**
 * Projects parsed rows onto the columns the scorer reads, as one flat array (see ScoreBatch).
 * `firstRecord` is the record number of rows[0] when `records` is null. With a DuplicateFinder,
 * also finds each row's duplicate here (in file order), so that the scoring thread need not.
 */
export function projectRows(
  rows: readonly (readonly string[])[],
  readColumns: readonly number[],
  records: number[] | null,
  firstRecord: number,
  duplicates: DuplicateFinder | null = null,
): ScoreBatch {
  const k = readColumns.length;
  const cells = new Array<string>(rows.length * k);
  const duplicateOf = duplicates === null ? null : new Int32Array(rows.length);
  for (let i = 0, o = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let j = 0; j < k; j++) cells[o++] = row[readColumns[j]!]!;
    if (duplicates !== null) duplicateOf![i] = duplicates.firstOf(row, records === null ? firstRecord + i : records[i]!);
  }
  return { cells, rows: rows.length, firstRecord, records, duplicateOf };
}

/** `format` is the loaded `cfg.format` (registry.ts): loading is asynchronous, creating not. */
export function createScoreCellFormatter(cfg: ScoreCellsConfig, format: OutputFormat, dedupSpill?: DedupSpill): ScoreCellFormatter {
  const scorer = createScorer(cfg.rules, cfg.header, {
    asOfDay: cfg.asOfDay,
    file: cfg.file,
    ...(cfg.expectedRows ? { expectedRows: cfg.expectedRows } : {}),
    ...(cfg.duplicatesGiven ? { duplicatesGiven: true } : {}),
    ...(dedupSpill ? { dedupSpill } : {}),
  });
  const { rules, binding } = scorer;
  const { readColumns } = binding;
  const k = readColumns.length;
  const partConfig = { fields: scoreFields(rules, binding.prefix), sanitize: cfg.sanitize, inPlace: cfg.inPlace === true, delimiter: cfg.delimiter };
  const scorePart = format.scorePart(partConfig);
  // A format that writes its score part as bytes (JSON, NDJSON) skips the string a row.
  const scorePartBytes = format.scorePartBytes?.(partConfig) ?? null;
  // Bytes a row's score part took in the last batch: the next batch's buffer is sized from it
  // (JSON's parts are several times CSV's), so that it rarely grows.
  let bytesPerRow = 160;
  // One row array, refilled for each row with the projected cells (the scorer reads no others).
  const row = new Array<string>(cfg.header.length).fill('');
  const filter: LeadFilter | null = cfg.select ? leadFilter(cfg.select) : null;
  // A stage a person typed is matched by its canonical name (`sql` is SQL).
  const selected = (s: { stage: string; class: string; tier: string; score: number }): boolean =>
    selects(filter!, { stage: humanStageOf(s.stage) ?? s.stage, class: s.class, tier: s.tier, score: s.score });
  const byStage = new Map<string, number>();
  const byTier = new Map<string, number>();
  const disqualified = new Map<string, { why: string; count: number }>();
  // The record each key of the maps above first came up in (for mergeSummaries).
  const firstStage: number[] = [];
  const firstTier: number[] = [];
  const firstDq: number[] = [];
  let rows = 0;
  /** Released buffers, to use again. */
  const spare: Buffer<ArrayBuffer>[] = [];

  return {
    format({ cells, packed, rows: n, firstRecord, records, duplicateOf }) {
      const ends = new Int32Array(n);
      const keep = filter === null ? null : new Uint8Array(n);
      // Its own ArrayBuffer (not a slice of Node's shared pool), so it can be transferred; a
      // released one when it is big enough.
      const want = Math.max(4096, n * bytesPerRow);
      let bytes = spare.pop() ?? Buffer.allocUnsafeSlow(want);
      if (bytes.length < want) bytes = Buffer.allocUnsafeSlow(want);
      let at = 0;
      const text = packed?.text ?? '';
      const cellEnds = packed?.ends ?? null;
      for (let b = 0, o = 0; b < n; b++) {
        if (cells !== null) for (let j = 0; j < k; j++) row[readColumns[j]!] = cells[o++]!;
        else for (let j = 0; j < k; j++, o++) row[readColumns[j]!] = text.slice(o === 0 ? 0 : cellEnds![o - 1]!, cellEnds![o]!);
        const record = records === null ? firstRecord + b : records[b]!;
        rows++;
        const s = scorer.scoreShared(row, record, duplicateOf === null ? undefined : duplicateOf[b]);
        const stageCount = byStage.get(s.stage);
        if (stageCount === undefined) firstStage.push(record);
        byStage.set(s.stage, (stageCount ?? 0) + 1);
        const tierCount = byTier.get(s.tier);
        if (tierCount === undefined) firstTier.push(record);
        byTier.set(s.tier, (tierCount ?? 0) + 1);
        if (s.disqualifiedBy !== null) {
          const dq = disqualified.get(s.disqualifiedBy);
          if (dq) dq.count++;
          else {
            firstDq.push(record);
            const why = s.disqualifiedBy === 'duplicate' ? (rules.duplicates?.why ?? '') : (s.reasons.find((r) => r.rule === s.disqualifiedBy)?.why ?? '');
            disqualified.set(s.disqualifiedBy, { why, count: 1 });
          }
        }
        if (keep !== null) keep[b] = selected(s) ? 1 : 0;
        if (scorePartBytes !== null) {
          let end = scorePartBytes(s, bytes, at);
          while (end < 0) {
            bytes = grown(bytes, at, bytes.length * 2);
            end = scorePartBytes(s, bytes, at);
          }
          at = end;
        } else {
          const part = scorePart(s);
          if (at + part.length * 3 > bytes.length) bytes = grown(bytes, at, Math.max(bytes.length * 2, at + part.length * 3));
          at += bytes.write(part, at);
        }
        ends[b] = at;
      }
      if (n > 0) bytesPerRow = Math.ceil((at / n) * 1.1) + 16;
      return { bytes: bytes.subarray(0, at), ends, keep };
    },
    release(parts) {
      const buffer = parts.bytes.buffer;
      if (spare.length < MAX_SPARE && buffer instanceof ArrayBuffer) spare.push(Buffer.from(buffer, 0, buffer.byteLength));
    },
    summary: () => ({
      rows,
      byStage: [...byStage],
      byTier: [...byTier],
      disqualified: [...disqualified],
      firstSeen: { byStage: firstStage.slice(), byTier: firstTier.slice(), disqualified: firstDq.slice() },
      unreadable: scorer.unreadable(),
    }),
  };
}

/** Released buffers kept for later batches (one batch's parts each). */
const MAX_SPARE = 4;

/** A bigger buffer of its own (transferable) holding the first `used` bytes of `bytes`. */
function grown(bytes: Buffer<ArrayBuffer>, used: number, size: number): Buffer<ArrayBuffer> {
  const bigger = Buffer.allocUnsafeSlow(size);
  bytes.copy(bigger, 0, 0, used);
  return bigger;
}
