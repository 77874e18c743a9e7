// Whether a run shares its scoring with a worker thread, and which thread scores each batch. A
// worker costs CPU of its own (the cells sent to it, its heap, the score parts sent back), which
// pays only when a second core is really free to run it; on a machine whose other core is busy,
// or with one core, it would make the run slower than one thread (issue 17 measured 6.44 s with
// the worker against 5.00 s without it under a load of 3). So: files large enough get a worker
// that shares the batches (routeBatch: the reading thread scores a batch itself rather than
// wait), and the run measures its own throughput with and without the worker and keeps the
// faster way (createShareController). The decisions are pure functions, tested table-driven.
// (machineView's idle cores from the CPU counters at start-up are kept for diagnostics; they
// did not tell a busy neighbour's share of the CPU from a free core, the throughput does.)
import { availableParallelism, cpus, loadavg } from 'node:os';
import { sampleCpu, type CpuSample } from '../io/cpu-at-start.js';

export { sampleCpu, type CpuSample };

/** Files smaller than this are scored in one thread: starting a worker costs more than it saves. */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;
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
  /** A worker thread shares the scoring (work sharing, routeBatch). */
  worker: boolean;
  /** Whether the run measures, as it goes, that sharing reads faster than one thread and falls
   * back to one thread while it does not (createShareController); false: always share. */
  measure: boolean;
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
 * The decision. `forced` is QUALIFY_WORKER: `1` always shares the scoring with a worker, `auto`
 * gives a file of WORKER_MIN_BYTES or more on a machine with 2 cores or more a worker and lets
 * the run measure whether sharing reads faster than one thread (createShareController);
 * anything else (unset, `0`) is one thread. One thread stays the default: on this shared 2-core
 * VM (2026-12-03, 1M rows, medians of 3 alternated runs) the measured sharing was 0.81x and
 * 1.12x one thread's wall time in two runs without load of our own, and 0.95x with two busy
 * processes (1.16x in the bench before its probes drained the worker's batches), at 1.1-1.3x
 * its CPU: not yet "never slower". The measurement is needed at all because a free core and a
 * busy neighbour's share of the CPU (Linux autogroups) look alike from the load average and
 * the idle counters at start-up.
 */
export function planThreads(fileBytes: number | null, forced: string | undefined, m: MachineView): ThreadPlan {
  if (forced === '1') return { worker: true, measure: false, why: 'QUALIFY_WORKER=1' };
  if (forced !== 'auto') return { worker: false, measure: false, why: forced === '0' ? 'QUALIFY_WORKER=0' : 'one thread (the default)' };
  if (fileBytes === null || fileBytes < WORKER_MIN_BYTES) return { worker: false, measure: false, why: 'small or streamed input' };
  if (m.cores < 2) return { worker: false, measure: false, why: 'one core' };
  return { worker: true, measure: true, why: `${m.cores} cores: a worker, kept while sharing reads faster than one thread` };
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

/** Batches per probe of each way of running (about 16k rows), and per stretch run the faster way
 * between two probes (about 160k rows). */
export const PROBE_BATCHES = 32;
export const RUN_BATCHES = 320;
/** Sharing must read this much faster than one thread to be kept (it costs more CPU). */
export const SHARE_MIN_GAIN = 1.05;

export interface ShareController {
  /** Which thread scores the next batch; `inFlight`: batches the worker holds. */
  route(inFlight: number): BatchRoute;
  /** A batch of `rows` rows was read and handled by `nowMs` (a monotonic clock). */
  batchRead(rows: number, nowMs: number): void;
  /** Whether the next batchRead ends a phase in which the worker had batches: the caller first
   * waits for the worker's answers and writes them, so that work counts in the phase that made
   * it (a reading thread that ran ahead of its writes would look faster than it was). */
  endsSharing(): boolean;
  /** The phase now and the rates measured (for tests and --verbose). */
  state(): { phase: 'probe-solo' | 'probe-share' | 'run'; share: boolean; soloRate: number | null; shareRate: number | null };
}

/**
 * Throughput-driven sharing. Whether a worker helps depends on CPU the run cannot see from
 * inside: on a quiet 2-core machine the worker gets a core of its own; when the scheduler shares
 * the machine between sessions (Linux autogroups) a busy neighbour's share is not ours to take,
 * and a second thread only adds the cost of the hand-over. So the run measures: it reads
 * PROBE_BATCHES batches with this thread alone (the worker starts meanwhile), then as many
 * sharing, keeps the way that read more rows per second (sharing only when SHARE_MIN_GAIN
 * faster) for RUN_BATCHES batches, and probes again, so it follows a machine that gets busier or
 * quieter. At worst the probe of the slower way costs a few percent of the run.
 */
export function createShareController(sizes: { probe: number; run: number } = { probe: PROBE_BATCHES, run: RUN_BATCHES }): ShareController {
  let phase: 'probe-solo' | 'probe-share' | 'run' = 'probe-solo';
  let share = false;
  let batches = 0;
  let rows = 0;
  let startMs: number | null = null;
  let soloRate: number | null = null;
  let shareRate: number | null = null;
  const next = (nowMs: number) => {
    const rate = rows / Math.max(1e-3, nowMs - startMs!);
    if (phase === 'probe-solo') {
      soloRate = rate;
      phase = 'probe-share';
      share = true;
    } else if (phase === 'probe-share') {
      shareRate = rate;
      phase = 'run';
      share = shareRate > soloRate! * SHARE_MIN_GAIN;
    } else {
      phase = 'probe-solo';
      share = false;
    }
    batches = 0;
    rows = 0;
    startMs = nowMs;
  };
  return {
    route: (inFlight) => (share ? routeBatch(inFlight) : 'inline'),
    batchRead(n, nowMs) {
      if (startMs === null) {
        // The clock starts at the end of the first batch: before it, the run was starting up.
        startMs = nowMs;
        return;
      }
      batches++;
      rows += n;
      if (batches >= (phase === 'run' ? sizes.run : sizes.probe)) next(nowMs);
    },
    endsSharing: () => share && startMs !== null && batches + 1 >= (phase === 'run' ? sizes.run : sizes.probe),
    state: () => ({ phase, share, soloRate, shareRate }),
  };
}
