// Runs a ScoreCellFormatter in a worker thread behind the same interface, asynchronously:
// batches are posted as they are parsed (the caller keeps a few in flight, for bounded memory)
// and their score parts come back in order.
//
// The answers come back on a MessageChannel of their own, which the reading thread also drains
// synchronously (poll, with receiveMessageOnPort) before each decision: a thread that is busy
// parsing and writing visits its event loop only now and then, and the answers waiting there
// meanwhile counted as batches the worker still held, so the reading thread scored batches
// itself while the worker sat idle (NDJSON at 300k rows: the worker scored 28% of the rows and
// was idle two thirds of the time).
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { packCells, type ScoreBatch, type ScoreCellsConfig, type ScoreParts, type ScoreSummary } from './score-cells.js';
import { deserializeError, type SerializedError } from './worker-errors.js';

/** Called as soon as the answer for a batch is seen: its parts, or why it failed. */
export type OnSettled = (parts: ScoreParts | null, error: unknown) => void;

export interface AsyncFormatter {
  /** Posts a batch; resolves with its rows' score parts once formatted (in posting order).
   * `onSettled`, when given, is called first, in the same turn the answer is seen (by poll or
   * by the event loop). */
  format(batch: ScoreBatch, onSettled?: OnSettled): Promise<ScoreParts>;
  /** Takes the answers that have arrived, without waiting for the event loop. */
  poll(): void;
  /** Batches posted and not yet answered (as far as seen). */
  inFlight(): number;
  /** Hands the buffer of a batch's parts, once written, back to the worker (with the next batch
   * posted), to format a later batch into: without it the worker allocates a buffer a batch, and
   * the reading thread collects them (NDJSON: ~400 KB a batch, +10 MB of external memory in
   * each thread at 1M rows). */
  giveBack(parts: ScoreParts): void;
  summary(): Promise<ScoreSummary>;
  close(): Promise<void>;
}

/** What the worker is started with: the formatter's configuration and the port it answers on. */
export interface ScoreWorkerData {
  cfg: ScoreCellsConfig;
  answers: MessagePort;
}

type Answer = { parts?: { bytes: Uint8Array; ends: Int32Array; keep?: Uint8Array | null }; summary?: ScoreSummary; error?: SerializedError };

interface Waiting {
  resolve: (v: never) => void;
  reject: (e: Error) => void;
  kind: 'parts' | 'summary';
  onSettled?: OnSettled | undefined;
}

/** Buffers given back with one batch at most (the worker needs one a batch). */
const GIVE_BACK_MAX = 2;

export function startScoreWorker(cfg: ScoreCellsConfig): AsyncFormatter {
  const { port1: answers, port2: workerEnd } = new MessageChannel();
  // A small young generation keeps the worker's heap, and so the run's peak RSS, low for about
  // the same time (the measurements are in bench/README.md).
  const data: ScoreWorkerData = { cfg, answers: workerEnd };
  const worker = new Worker(new URL('./score-worker.js', import.meta.url), { workerData: data, transferList: [workerEnd], resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  const waiting: Waiting[] = [];
  let partsInFlight = 0;
  /** Buffers to give back to the worker with the next batch (a few: the worker keeps MAX_SPARE). */
  let returned: ArrayBuffer[] = [];
  let failure: Error | null = null;
  // Closed by the caller (the run ended, or stopped early: `| head` closed the pipe): batches
  // still in flight are of no interest, and the worker's exit is not a failure.
  let closed = false;
  const fail = (e: Error) => {
    if (closed) return;
    failure = e;
    for (const w of waiting.splice(0)) {
      if (w.kind === 'parts') partsInFlight--;
      w.onSettled?.(null, e);
      w.reject(e);
    }
  };
  const take = (m: Answer) => {
    const w = waiting.shift();
    if (!w) return;
    if (w.kind === 'parts') partsInFlight--;
    if (m.error !== undefined) {
      const e = deserializeError(m.error);
      w.onSettled?.(null, e);
      w.reject(e);
      fail(e);
    } else if (w.kind === 'parts') {
      // A transferred Buffer arrives as a plain Uint8Array: view it as a Buffer again (no copy).
      const { bytes, ends, keep } = m.parts!;
      const parts: ScoreParts = { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ends, keep: keep ?? null };
      w.onSettled?.(parts, undefined);
      (w.resolve as (v: ScoreParts) => void)(parts);
    } else (w.resolve as (v: unknown) => void)(m.summary);
  };
  answers.on('message', take);
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => {
    if (waiting.length) fail(new Error(`scoring worker exited with code ${code}`));
  });
  const ask = <T>(message: unknown, kind: 'parts' | 'summary', transfer: ArrayBuffer[] = [], onSettled?: OnSettled): Promise<T> => {
    const answer = failure
      ? Promise.reject(failure)
      : new Promise<T>((resolve, reject) => {
          waiting.push({ resolve: resolve as (v: never) => void, reject, kind, onSettled });
          if (kind === 'parts') partsInFlight++;
          worker.postMessage(message, transfer);
        });
    if (failure && onSettled) onSettled(null, failure);
    // The caller awaits answers in order and stops at the first failure; the later ones must not
    // become unhandled rejections (which end the process with a stack trace).
    answer.catch(() => {});
    return answer;
  };
  return {
    format: (batch, onSettled) => {
      // The cells as one string and their ends (transferred), not thousands of small strings.
      const sent = batch.cells === null ? batch : packCells(batch);
      const transfer = [sent.packed?.ends.buffer, sent.duplicateOf?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      const back = returned;
      returned = [];
      return ask<ScoreParts>(back.length === 0 ? { batch: sent } : { batch: sent, returned: back }, 'parts', [...transfer, ...back], onSettled);
    },
    poll: () => {
      for (let m = receiveMessageOnPort(answers); m !== undefined; m = receiveMessageOnPort(answers)) take(m.message as Answer);
    },
    inFlight: () => partsInFlight,
    giveBack: (parts) => {
      const buffer = parts.bytes.buffer;
      if (returned.length < GIVE_BACK_MAX && buffer instanceof ArrayBuffer && buffer.byteLength > 0) returned.push(buffer);
    },
    summary: () => ask<ScoreSummary>({ end: true }, 'summary'),
    close: async () => {
      closed = true;
      waiting.splice(0);
      partsInFlight = 0;
      answers.close();
      await worker.terminate();
    },
  };
}
