// Runs a ScoreCellFormatter in a worker thread behind the same interface, asynchronously:
// batches are posted as they are parsed (the caller keeps a few in flight, for bounded memory)
// and their score parts come back in order.
import { Worker } from 'node:worker_threads';
import { packCells, type ScoreBatch, type ScoreCellsConfig, type ScoreParts, type ScoreSummary } from './score-cells.js';
import { deserializeError, type SerializedError } from './worker-errors.js';

export interface AsyncFormatter {
  /** Posts a batch; resolves with its rows' score parts once formatted (in posting order). */
  format(batch: ScoreBatch): Promise<ScoreParts>;
  summary(): Promise<ScoreSummary>;
  close(): Promise<void>;
}

export function startScoreWorker(cfg: ScoreCellsConfig): AsyncFormatter {
  // A small young generation keeps the worker's heap, and so the run's peak RSS, low for about
  // the same time (the measurements are in bench/README.md).
  const worker = new Worker(new URL('./score-worker.js', import.meta.url), { workerData: cfg, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  const waiting: { resolve: (v: never) => void; reject: (e: Error) => void; kind: 'parts' | 'summary' }[] = [];
  let failure: Error | null = null;
  // Closed by the caller (the run ended, or stopped early: `| head` closed the pipe): batches
  // still in flight are of no interest, and the worker's exit is not a failure.
  let closed = false;
  const fail = (e: Error) => {
    if (closed) return;
    failure = e;
    for (const w of waiting.splice(0)) w.reject(e);
  };
  worker.on('message', (m: { parts?: { bytes: Uint8Array; ends: Int32Array; keep?: Uint8Array | null }; summary?: ScoreSummary; error?: SerializedError }) => {
    const w = waiting.shift();
    if (!w) return;
    if (m.error !== undefined) {
      const e = deserializeError(m.error);
      w.reject(e);
      fail(e);
    } else if (w.kind === 'parts') {
      // A transferred Buffer arrives as a plain Uint8Array: view it as a Buffer again (no copy).
      const { bytes, ends, keep } = m.parts!;
      (w.resolve as (v: ScoreParts) => void)({ bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ends, keep: keep ?? null });
    } else (w.resolve as (v: unknown) => void)(m.summary);
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => {
    if (waiting.length) fail(new Error(`scoring worker exited with code ${code}`));
  });
  const ask = <T>(message: unknown, kind: 'parts' | 'summary', transfer: ArrayBuffer[] = []): Promise<T> => {
    const answer = failure
      ? Promise.reject(failure)
      : new Promise<T>((resolve, reject) => {
          waiting.push({ resolve: resolve as (v: never) => void, reject, kind });
          worker.postMessage(message, transfer);
        });
    // The caller awaits answers in order and stops at the first failure; the later ones must not
    // become unhandled rejections (which end the process with a stack trace).
    answer.catch(() => {});
    return answer;
  };
  return {
    format: (batch) => {
      // The cells as one string and their ends (transferred), not thousands of small strings.
      const sent = batch.cells === null ? batch : packCells(batch);
      const transfer = [sent.packed?.ends.buffer, sent.duplicateOf?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      return ask<ScoreParts>({ batch: sent }, 'parts', transfer);
    },
    summary: () => ask<ScoreSummary>({ end: true }, 'summary'),
    close: async () => {
      closed = true;
      waiting.splice(0);
      await worker.terminate();
    },
  };
}
