// Whether a run scores in a worker thread. A worker costs CPU of its own (the cells sent to it,
// its heap, the score parts sent back), which pays only when a second core is free to run it:
// on a machine whose other cores are busy, or with one core, it makes the run slower than one
// thread (issue 17 measured 6.44 s with the worker against 5.00 s without it under a load of 3).
// So the choice looks at the machine when the run starts: the cores Node may use, and how much
// of them was idle while this run opened its input (the CPU counters of os.cpus(), sampled at
// the start and again at the first batch), or the load average when that window was too short
// to tell. The decision itself is a pure function, tested table-driven.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { sampleCpu, type CpuSample } from '../io/cpu-at-start.js';

export { sampleCpu, type CpuSample };

/** Files smaller than this are scored in one thread: starting a worker costs more than it saves. */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;
/** Idle cores needed (beyond the one this thread runs on) for a worker to pay. Measured over
 * start-up, a quiet 2-core machine shows ~0.6 (node's compiler and GC threads use the rest); one
 * busy process elsewhere leaves ~0. */
export const WORKER_MIN_IDLE_CORES = 0.4;
/** Below this much CPU time counted across the machine, the idle share is too coarse to use
 * (the kernel counts in 10 ms ticks). */
const MIN_SAMPLE_CPU_MS = 60;

export interface MachineView {
  /** Cores this process may use (os.availableParallelism()). */
  cores: number;
  /** The 1-minute load average (0 where the system has none, as on Windows). */
  loadAvg: number;
  /** Idle cores on average between two samples (this run's own thread busy meanwhile), or null
   * when not measured or the window was too short. */
  idleCores: number | null;
}

export interface ThreadPlan {
  worker: boolean;
  /** Why, in a few words (for --verbose output and the tests). */
  why: string;
}

/** What the machine looks like now, given a sample taken earlier in this run. */
export function machineView(since: CpuSample | null): MachineView {
  const cores = availableParallelism();
  const now = since === null ? null : sampleCpu();
  let idleCores: number | null = null;
  if (since !== null && now !== null) {
    const total = now.totalMs - since.totalMs;
    // os.cpus() lists every core of the machine; the share idle times the cores this process may use.
    if (total >= MIN_SAMPLE_CPU_MS) idleCores = ((now.idleMs - since.idleMs) / total) * cpus().length;
  }
  return { cores, loadAvg: loadavg()[0] ?? 0, idleCores };
}

/**
 * The decision. `forced` is QUALIFY_WORKER: `1` always a worker, `auto` lets the machine decide
 * as below, anything else (unset, `0`) one thread. One thread is the default since the CSV
 * scanner and the as-read row copy: on a quiet 2-core machine at 1M rows the worker run took
 * 1.09x the wall time of one thread and 1.67x its CPU (bench, 2026-12-03 15:38 UTC): the main
 * thread's reading and writing, not the scoring, now sets the pace, so a worker only adds the
 * cost of sending cells across.
 */
export function planThreads(fileBytes: number | null, forced: string | undefined, m: MachineView): ThreadPlan {
  if (forced === '1') return { worker: true, why: 'QUALIFY_WORKER=1' };
  if (forced !== 'auto') return { worker: false, why: forced === '0' ? 'QUALIFY_WORKER=0' : 'one thread (the default)' };
  if (fileBytes === null || fileBytes < WORKER_MIN_BYTES) return { worker: false, why: 'small or streamed input' };
  if (m.cores < 2) return { worker: false, why: 'one core' };
  if (m.idleCores !== null) {
    return m.idleCores >= WORKER_MIN_IDLE_CORES
      ? { worker: true, why: `${m.idleCores.toFixed(2)} cores idle` }
      : { worker: false, why: `${m.idleCores.toFixed(2)} cores idle (the others are busy)` };
  }
  // No usable sample: the load average (runnable threads, averaged over a minute) must leave a
  // core for this thread and the share a worker needs of another.
  return m.loadAvg + 1 + WORKER_MIN_IDLE_CORES <= m.cores
    ? { worker: true, why: `load average ${m.loadAvg.toFixed(2)} on ${m.cores} cores` }
    : { worker: false, why: `load average ${m.loadAvg.toFixed(2)} on ${m.cores} cores (busy)` };
}

/** Which thread scores a batch when a worker shares the scoring. */
export type BatchRoute = 'worker' | 'inline';

/** Batches the worker may hold (sent, not yet answered) before the reading thread scores the
 * next one itself: enough that the worker never runs dry between two looks at its answers. */
export const SHARE_WINDOW = 4;
/** Batches scored but not yet written (waiting behind one the worker still holds), beyond
 * which the reading thread waits for the worker: bounds the memory of rows held. */
export const SHARE_MAX_PENDING = 32;

/**
 * Work sharing: the next batch goes to the worker while it holds fewer than SHARE_WINDOW,
 * otherwise the reading thread scores it itself instead of waiting. So the split follows the
 * throughput each thread gets: on a quiet machine both score, and when the worker's core is
 * busy (or it falls behind) this thread does more of the batches, never waiting on the worker
 * for long. `inFlight`: batches sent to the worker and not yet answered.
 */
export function routeBatch(inFlight: number): BatchRoute {
  return inFlight < SHARE_WINDOW ? 'worker' : 'inline';
}
