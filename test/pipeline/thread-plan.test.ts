// Work sharing with a worker thread (issue 17): by default on large files, kept only while it
// reads faster than one thread; QUALIFY_WORKER=1 always, =0 never.
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  createShareController,
  machineView,
  planThreads,
  MAX_RUN_BATCHES,
  PROBE_BATCHES,
  routeBatch,
  RUN_BATCHES,
  RUN_GROWTH,
  sampleCpu,
  SHARE_WINDOW,
  WARMUP_BATCHES,
  WORKER_MIN_BYTES,
  WORKER_MIN_IDLE_CORES,
  type MachineView,
  type ShareSizes,
} from '../../src/pipeline/thread-plan.js';

const BIG = 180 * 1024 * 1024;
const quiet2: MachineView = { cores: 2, loadAvg: 0.3, idleCores: 1.0, quotaCores: null };
const busy2: MachineView = { cores: 2, loadAvg: 9, idleCores: 0, quotaCores: null };
const one: MachineView = { cores: 1, loadAvg: 0, idleCores: 0, quotaCores: null };

describe('planThreads', () => {
  const cases: [string, number | null, string | undefined, MachineView, { worker: boolean; measure: boolean }][] = [
    ['the default, a large file, 2 cores: a worker, measured', BIG, undefined, quiet2, { worker: true, measure: true }],
    ['QUALIFY_WORKER=auto: the same as the default', BIG, 'auto', quiet2, { worker: true, measure: true }],
    ['another QUALIFY_WORKER value: the default', BIG, 'yes', quiet2, { worker: true, measure: true }],
    ['a busy machine (no core idle at start-up): one thread', BIG, undefined, busy2, { worker: false, measure: false }],
    ['one busy neighbour on 2 cores (0.05 idle): one thread', BIG, undefined, { ...quiet2, loadAvg: 1.9, idleCores: 0.05 }, { worker: false, measure: false }],
    ['a third of a core idle is not enough for a worker to pay', BIG, undefined, { ...quiet2, idleCores: 0.3 }, { worker: false, measure: false }],
    ['0.6 idle over start-up (node\'s own helper threads use the rest): a worker, measured', BIG, undefined, { ...quiet2, idleCores: 0.6 }, { worker: true, measure: true }],
    ['the threshold itself: a worker, measured', BIG, undefined, { ...quiet2, idleCores: WORKER_MIN_IDLE_CORES }, { worker: true, measure: true }],
    ['idle cores not measured (too short a window): a worker, measured', BIG, undefined, { ...quiet2, idleCores: null }, { worker: true, measure: true }],
    ['a high load average but a core idle now (the last minute\'s runs): a worker, measured', BIG, undefined, { ...quiet2, loadAvg: 4, idleCores: 0.9 }, { worker: true, measure: true }],
    ['one core: one thread', BIG, undefined, one, { worker: false, measure: false }],
    ['a CPU quota of one core on 2 cores (a container, a CI slice): one thread', BIG, undefined, { ...quiet2, quotaCores: 1 }, { worker: false, measure: false }],
    ['a quota of 1.4 cores: one thread (sharing costs more CPU than that gives)', BIG, undefined, { ...quiet2, quotaCores: 1.4 }, { worker: false, measure: false }],
    ['a quota of 1.5 cores: a worker, measured', BIG, undefined, { ...quiet2, quotaCores: 1.5 }, { worker: true, measure: true }],
    ['a small file: one thread', WORKER_MIN_BYTES - 1, undefined, quiet2, { worker: false, measure: false }],
    ['the threshold itself: a worker', WORKER_MIN_BYTES, undefined, quiet2, { worker: true, measure: true }],
    ['stdin (size unknown): one thread', null, undefined, quiet2, { worker: false, measure: false }],
    ['QUALIFY_WORKER=1: always sharing, on a busy machine too', BIG, '1', busy2, { worker: true, measure: false }],
    ['QUALIFY_WORKER=1 wins over a small file, one core and a quota', 10, '1', { ...one, quotaCores: 0.5 }, { worker: true, measure: false }],
    ['QUALIFY_WORKER=0 wins over a quiet machine', BIG, '0', quiet2, { worker: false, measure: false }],
    ['8 cores: a worker, measured', BIG, undefined, { cores: 8, loadAvg: 5, idleCores: 3, quotaCores: null }, { worker: true, measure: true }],
  ];
  it.each(cases)('%s', (_name, bytes, forced, machine, expected) => {
    const plan = planThreads(bytes, forced, machine);
    expect({ worker: plan.worker, measure: plan.measure }).toEqual(expected);
    expect(plan.why).not.toBe('');
  });
});

describe('createShareController: shares while it warms up, then measures both ways and keeps the faster', () => {
  /** Wall and CPU clocks (ms); `cores`: CPU a ms of wall while sharing (one thread: 1). */
  type Clock = { t: number; cpu: number; cores: number };
  const newClock = (cores = 1.9): Clock => ({ t: 0, cpu: 0, cores });
  const controller = (clock: Clock, sizes: Partial<ShareSizes> = {}) =>
    createShareController({ probe: PROBE_BATCHES, run: RUN_BATCHES, ...sizes, cpuMs: () => clock.cpu });
  /** Feeds `n` batches of 500 rows taking `msPerBatch` each; returns the routes asked meanwhile. */
  const feed = (c: ReturnType<typeof createShareController>, clock: Clock, n: number, msPerBatch: number): string[] => {
    const routes: string[] = [];
    for (let i = 0; i < n; i++) {
      const route = c.route(0);
      routes.push(route);
      clock.t += msPerBatch;
      clock.cpu += msPerBatch * (route === 'worker' ? clock.cores : 1);
      c.batchRead(500, clock.t);
    }
    return routes;
  };
  const only = (routes: string[]) => [...new Set(routes)];

  it.each([
    ['sharing reads 1.5x faster on 1.9 cores: kept', 10, 6.67, 1.9, true],
    ['sharing reads slower (a CPU quota, a busy neighbour keeps its share): one thread', 10, 12, 1.0, false],
    ['sharing reads 3% faster, less than it costs: one thread', 10, 9.7, 1.9, false],
    ['sharing reads 10% faster, less than the 1.2-1.35x CPU it costs: one thread', 10, 9.09, 1.9, false],
    ['sharing reads 20% faster on 1.8 cores: kept', 10, 8.33, 1.8, true],
    ['sharing reads 20% faster on 1.1 cores (the same CPU, a lucky window): one thread', 10, 8.33, 1.1, false],
  ] as const)('%s', (_name, soloMs, shareMs, cores, kept) => {
    const clock = newClock(cores);
    const c = controller(clock);
    // Warm-up: shared, not timed (a slow warm-up must not count against either way).
    expect(c.state().phase).toBe('warmup');
    expect(c.timing()).toBe(false);
    expect(only(feed(c, clock, WARMUP_BATCHES, 100))).toEqual(['worker']);
    // The way it runs now (sharing), timed; its last batch waits for the worker's answers.
    expect(c.state().phase).toBe('measure');
    expect(c.timing()).toBe(true);
    expect(only(feed(c, clock, PROBE_BATCHES - 1, shareMs))).toEqual(['worker']);
    expect(c.endsSharing()).toBe(true);
    feed(c, clock, 1, shareMs);
    // Then the other way.
    expect(c.state()).toMatchObject({ phase: 'probe', share: false });
    expect(c.endsSharing()).toBe(false);
    expect(only(feed(c, clock, PROBE_BATCHES, soloMs))).toEqual(['inline']);
    expect(c.state()).toMatchObject({ phase: 'run', share: kept });
    // What decides whether the reading thread collects garbage now and then (score-file.ts).
    expect(c.sharing()).toBe(kept);
    expect(c.state().shareRate! / c.state().soloRate!).toBeCloseTo(soloMs / shareMs, 5);
    expect(c.state().soloCores).toBeCloseTo(1, 6);
    expect(c.state().shareCores).toBeCloseTo(cores, 6);
    expect(c.timing()).toBe(false);
    // Kept: the stretch grows (sharing confirmed after the warm-up); changed: the first length.
    const stretch = kept ? RUN_BATCHES * RUN_GROWTH : RUN_BATCHES;
    expect(c.state().runBatches).toBe(stretch);
    expect(only(feed(c, clock, stretch - PROBE_BATCHES, kept ? shareMs : soloMs))).toEqual([kept ? 'worker' : 'inline']);
    // The stretch's last window is timed (the way it runs), then the other way is probed.
    expect(c.state()).toMatchObject({ phase: 'measure', share: kept });
    feed(c, clock, PROBE_BATCHES, kept ? shareMs : soloMs);
    expect(c.state()).toMatchObject({ phase: 'probe', share: !kept });
  });

  it('follows a machine that changes: a confirmed way runs longer each time, a change of mind starts again', () => {
    const clock = newClock();
    const c = controller(clock);
    feed(c, clock, WARMUP_BATCHES, 10);
    /** One measure + probe cycle from where the controller stands, at these speeds. */
    const cycle = (soloMs: number, shareMs: number) => {
      feed(c, clock, PROBE_BATCHES, c.state().share ? shareMs : soloMs);
      feed(c, clock, PROBE_BATCHES, c.state().share ? shareMs : soloMs);
      const { share, runBatches } = c.state();
      feed(c, clock, runBatches - PROBE_BATCHES, share ? shareMs : soloMs);
      return [share, runBatches];
    };
    expect(cycle(10, 6)).toEqual([true, RUN_BATCHES * RUN_GROWTH]);
    expect(cycle(10, 6)).toEqual([true, Math.min(MAX_RUN_BATCHES, RUN_BATCHES * RUN_GROWTH ** 2)]);
    expect(cycle(10, 6)).toEqual([true, MAX_RUN_BATCHES]);
    // The machine gets busy: sharing now reads slower.
    expect(cycle(10, 14)).toEqual([false, RUN_BATCHES]);
    expect(cycle(10, 14)).toEqual([false, RUN_BATCHES * RUN_GROWTH]);
    // And quiet again.
    expect(cycle(10, 6)).toEqual([true, RUN_BATCHES]);
  });

  it('no full garbage collection is due in a timed window, only between them', () => {
    const clock = newClock();
    const c = controller(clock, { probe: 2, run: 4, warmup: 1 });
    const timed: boolean[] = [];
    for (let i = 0; i < 9; i++) {
      timed.push(c.timing());
      feed(c, clock, 1, 10);
    }
    // warm-up 1, measure 2, probe 2, run 2, measure 2
    expect(timed).toEqual([false, true, true, true, true, false, false, true, true]);
  });

  it('while sharing, a worker holding a full window means the batch is scored here', () => {
    const c = controller(newClock());
    expect(c.route(SHARE_WINDOW)).toBe('inline');
    expect(c.route(0)).toBe('worker');
  });
});

describe('machineView', () => {
  it('reads this machine: cores, a load average, idle cores from the CPU counters or null', () => {
    const m = machineView(sampleCpu());
    expect(m.cores).toBeGreaterThanOrEqual(1);
    expect(m.loadAvg).toBeGreaterThanOrEqual(0);
    // A window this short holds too few ticks to tell: no idle figure rather than a wrong one.
    expect(m.idleCores).toBeNull();
    expect(machineView(null).idleCores).toBeNull();
  });

  it('gives the idle cores over a window long enough to count', () => {
    // A sample with every counter at zero stands for "long ago": the whole uptime is the window.
    const m = machineView({ idleMs: 0, totalMs: 0 });
    expect(m.idleCores).not.toBeNull();
    expect(m.idleCores!).toBeGreaterThanOrEqual(0);
    expect(m.idleCores!).toBeLessThanOrEqual(cpus().length);
  });
});

describe('machineView and planThreads on a machine made busy', () => {
  // Real busy processes, one a core, as a neighbour's jobs: the counters must show no core idle
  // and the plan one thread. (More than 8 cores would mean starting that many: skipped there.)
  const n = cpus().length;
  it.skipIf(n > 8)('every core busy: no core idle over the window, so one thread', async () => {
    const busy = Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    try {
      await new Promise((r) => setTimeout(r, 300));
      const since = sampleCpu();
      await new Promise((r) => setTimeout(r, 500));
      const m = machineView(since);
      expect(m.idleCores).not.toBeNull();
      expect(m.idleCores!).toBeLessThan(WORKER_MIN_IDLE_CORES);
      const plan = planThreads(BIG, undefined, m);
      expect(plan.worker).toBe(false);
      expect(plan.why).toMatch(/idle at start-up: the others are busy|CPU quota|one core/);
    } finally {
      for (const b of busy) b.kill('SIGKILL');
    }
  });
});

describe('routeBatch (work sharing)', () => {
  it.each([
    ['nothing in the worker yet: the worker', 0, 'worker'],
    ['the worker holds less than the window: the worker', SHARE_WINDOW - 1, 'worker'],
    ['the worker holds a full window: scored here instead of waiting', SHARE_WINDOW, 'inline'],
    ['the worker behind by more (a busy core): here', SHARE_WINDOW + 3, 'inline'],
  ] as const)('%s', (_name, inFlight, route) => {
    expect(routeBatch(inFlight)).toBe(route);
  });
});
