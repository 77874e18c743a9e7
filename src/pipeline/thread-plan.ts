// Whether a run shares its scoring with a worker thread, and which thread scores each batch. A
// worker costs CPU of its own (the cells sent to it, its heap, the score parts sent back), which
// pays only when the process gets more than a core's worth of CPU; where it gets one core or
// less (one core, a CPU quota, a machine its neighbours keep busy) it makes the run slower than
// one thread (issue 17 measured 6.44 s with the worker against 5.00 s without it under a load of
// 3). So, in two steps: a run whose machine had no core idle while it started (the CPU counters
// from start-up to the first batch) stays in one thread, as issue 17 asks ("no worker when the
// second core is busy"); otherwise files large enough get a worker that shares the batches
// (routeBatch: the reading thread scores a batch itself rather than wait), and the run measures
// its own throughput with and without the worker and keeps the faster way
// (createShareController), since a core idle at start-up may not stay free (other sessions'
// jobs start, and Linux autogroups give each session its share, not each thread). The decisions
// are pure functions, tested table-driven.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { sampleCpu, type CpuSample } from '../io/cpu-at-start.js';
import { cpuQuotaCores } from '../io/cpu-quota.js';

export { sampleCpu, type CpuSample };

/** Files smaller than this are scored in one thread: the worker's start-up and the probes cost
 * what it saves (2026-12-04, quiet: 100k rows, 18 MB, 2.34 s shared against 2.37 s one thread at
 * 1.3x the CPU and +40 MB; 300k rows, 54 MB, 4.44-4.93 s against 5.84-6.20 s). */
export const WORKER_MIN_BYTES = 32 * 1024 * 1024;
/** Idle cores, over start-up, below which the other cores count as busy and the run stays in one
 * thread. A quiet 2-core machine shows 0.6-1.0 over start-up (node's compiler and GC threads use
 * some of the second core); one or two busy processes leave ~0. */
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
  /** The CPU quota of this process's control group, in cores (null: none). */
  quotaCores: number | null;
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
  return { cores, loadAvg: loadavg()[0] ?? 0, idleCores, quotaCores: cpuQuotaCores() };
}

/** Below this many cores' worth of CPU time a worker cannot pay: sharing costs 1.2-1.35x the
 * CPU of one thread (the hand-over, two heaps, two sets of compiled code, and cores that slow
 * each other down), so it needs more than that much CPU to read faster. */
export const MIN_SHARING_CORES = 1.5;

/**
 * The decision. `forced` is QUALIFY_WORKER: `0` is one thread, `1` always shares the scoring
 * with a worker; otherwise (unset, `auto`) a file of WORKER_MIN_BYTES or more, on a machine
 * with at least MIN_SHARING_CORES of CPU for this process (cores it may run on, and its control
 * group's quota) and at least WORKER_MIN_IDLE_CORES idle while it started, gets a worker whose
 * help the run keeps measuring (createShareController). Why both: a core busy at start-up is
 * the common case of a shared machine, and there a worker only lost (2026-12-04, 1M rows, two
 * busy processes, `npm run bench -- --load 2`: the measured sharing took 12.95 s against one
 * thread's 11.69, its probes and warm-up paid for and nothing gained, since the scheduler gives
 * this run's session its share of the CPU, not each thread); but a core idle at start-up may be
 * taken later (another session's jobs start), which only the measurement sees.
 */
export function planThreads(fileBytes: number | null, forced: string | undefined, m: MachineView): ThreadPlan {
  if (forced === '1') return { worker: true, measure: false, why: 'QUALIFY_WORKER=1' };
  if (forced === '0') return { worker: false, measure: false, why: 'QUALIFY_WORKER=0' };
  if (fileBytes === null || fileBytes < WORKER_MIN_BYTES) return { worker: false, measure: false, why: 'small or streamed input' };
  if (m.cores < 2) return { worker: false, measure: false, why: 'one core' };
  if (m.quotaCores !== null && m.quotaCores < MIN_SHARING_CORES) return { worker: false, measure: false, why: `a CPU quota of ${m.quotaCores} core${m.quotaCores === 1 ? '' : 's'}` };
  const idle = m.idleCores === null ? 'idle cores not measured' : `${m.idleCores.toFixed(2)} cores idle at start-up`;
  if (m.idleCores !== null && m.idleCores < WORKER_MIN_IDLE_CORES) return { worker: false, measure: false, why: `${m.cores} cores, ${idle}: the others are busy` };
  return { worker: true, measure: true, why: `${m.cores} cores, ${idle}: a worker, kept while sharing reads faster than one thread` };
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

/** Batches (of 512 rows) the run shares before it measures anything: both threads' code is
 * still being compiled, which would make either way look slower than it is. */
export const WARMUP_BATCHES = 64;
/** Batches per timed window of each way of running (about 32k rows): shorter windows measured
 * a busy machine's scheduling more than the way of running (rates of one way varied 3x). */
export const PROBE_BATCHES = 64;
/** The first stretch run the faster way between two probes (about 260k rows, the timed tail
 * included); it grows RUN_GROWTH-fold each time the probe confirms it, up to MAX_RUN_BATCHES, so
 * a machine that stays as it was pays for fewer probes of the slower way. */
export const RUN_BATCHES = 512;
export const RUN_GROWTH = 4;
export const MAX_RUN_BATCHES = 8192;
/** Sharing must read this much faster than one thread to be kept: it costs 1.2-1.35x the CPU,
 * which a shared machine's other users pay for, so a gain within the probes' noise is not worth
 * it. With two busy processes in other sessions (`npm run bench -- --load 2 --load-apart`,
 * 2026-12-04) sharing gained nothing (32.97 s against one thread's 31.84, at 1.19x its CPU) under
 * a 5% bar; a quiet machine's gain is ~1.4x. */
export const SHARE_MIN_GAIN = 1.15;
/** And the process must get this many times the CPU per second while sharing as with one
 * thread: the cores it really got, from its own CPU clock (all threads), which the scheduler's
 * moods move far less than the rows a window reads. Two busy processes of the same session on
 * 2 cores leave one thread a whole core but two threads half a core each: the same CPU, 1.3x
 * the work, yet a share window could read faster than a solo one by chance (traced 57 against
 * 41 rows/ms, and runs 1.06x and 1.62x one thread's time). */
export const SHARE_MIN_CORES_GAIN = 1.3;

export type SharePhase = 'warmup' | 'run' | 'measure' | 'probe';

export interface ShareController {
  /** Which thread scores the next batch; `inFlight`: batches the worker holds. */
  route(inFlight: number): BatchRoute;
  /** A batch of `rows` rows was read and handled by `nowMs` (a monotonic clock). */
  batchRead(rows: number, nowMs: number): void;
  /** Whether the next batchRead ends a timed window in which the worker had batches: the caller
   * first waits for the worker's answers and writes them, so that work counts in the window that
   * made it (a reading thread that ran ahead of its writes would look faster than it was). */
  endsSharing(): boolean;
  /** Whether the batches now are timed (a full garbage collection would be counted against the
   * way of running that happened to be measured: the caller puts it off). */
  timing(): boolean;
  /** Whether batches are shared with the worker now (false in a one-thread stretch). */
  sharing(): boolean;
  /** The phase now and the rates measured last (rows a ms; for tests and --verbose). */
  state(): { phase: SharePhase; share: boolean; soloRate: number | null; shareRate: number | null; soloCores: number | null; shareCores: number | null; runBatches: number };
}

export interface ShareSizes {
  probe: number;
  run: number;
  warmup?: number;
  growth?: number;
  maxRun?: number;
  /** This process's CPU time so far in ms, all threads (process.cpuUsage() by default). */
  cpuMs?: () => number;
}

function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Throughput-driven sharing. Whether a worker helps depends on CPU the run cannot see from
 * inside: on a quiet 2-core machine the worker gets a core of its own; when the scheduler shares
 * the machine between sessions (Linux autogroups) a busy neighbour's share is not ours to take,
 * and a second thread only adds the cost of the hand-over. So the run measures, in windows of
 * PROBE_BATCHES: after WARMUP_BATCHES shared, the way it runs now (the last window of each
 * stretch), then the other way, and runs the faster one (sharing only when SHARE_MIN_GAIN
 * faster and with SHARE_MIN_CORES_GAIN times the CPU a second) for the next stretch. A stretch
 * that the probe confirms is followed by a longer one; a change of mind starts again at
 * RUN_BATCHES, so the run follows a machine that gets busier or quieter. Only one probe of the slower way per stretch: at 1M rows on a machine that stays as
 * it was, two probes of 64 of ~1,950 batches.
 */
export function createShareController(sizes: ShareSizes = { probe: PROBE_BATCHES, run: RUN_BATCHES }): ShareController {
  const probe = sizes.probe;
  const warmup = sizes.warmup ?? (sizes.probe === PROBE_BATCHES ? WARMUP_BATCHES : sizes.probe);
  const growth = sizes.growth ?? RUN_GROWTH;
  const maxRun = sizes.maxRun ?? Math.max(sizes.run, MAX_RUN_BATCHES);
  let phase: SharePhase = 'warmup';
  let share = true;
  /** Batches in the phase so far, and the phase's length. */
  let batches = 0;
  let length = warmup;
  let rows = 0;
  let startMs = 0;
  let runBatches = sizes.run;
  const cpuMs = sizes.cpuMs ?? processCpuMs;
  let startCpu = 0;
  let soloRate: number | null = null;
  let shareRate: number | null = null;
  let soloCores: number | null = null;
  let shareCores: number | null = null;
  const begin = (next: SharePhase, len: number, nowMs: number) => {
    phase = next;
    length = Math.max(1, len);
    batches = 0;
    rows = 0;
    startMs = nowMs;
    if (next === 'measure' || next === 'probe') startCpu = cpuMs();
  };
  const end = (nowMs: number) => {
    const wall = Math.max(1e-3, nowMs - startMs);
    const rate = rows / wall;
    if (phase === 'warmup' || phase === 'run') return begin('measure', probe, nowMs);
    const cores = (cpuMs() - startCpu) / wall;
    if (share) {
      shareRate = rate;
      shareCores = cores;
    } else {
      soloRate = rate;
      soloCores = cores;
    }
    if (phase === 'measure') {
      share = !share;
      return begin('probe', probe, nowMs);
    }
    // phase 'probe': both ways measured, the probe's way last.
    const wasShare = !share;
    share = shareRate! > soloRate! * SHARE_MIN_GAIN && shareCores! >= soloCores! * SHARE_MIN_CORES_GAIN;
    runBatches = share === wasShare ? Math.min(maxRun, runBatches * growth) : sizes.run;
    begin('run', runBatches - probe, nowMs);
  };
  const timed = () => phase === 'measure' || phase === 'probe';
  return {
    route: (inFlight) => (share ? routeBatch(inFlight) : 'inline'),
    batchRead(n, nowMs) {
      batches++;
      rows += n;
      if (batches >= length) end(nowMs);
    },
    endsSharing: () => share && timed() && batches + 1 >= length,
    timing: timed,
    sharing: () => share,
    state: () => ({ phase, share, soloRate, shareRate, soloCores, shareCores, runBatches }),
  };
}
