// Work sharing with a worker thread (issue 17): QUALIFY_WORKER=1 always, =auto on large files
// kept only while it reads faster than one thread; one thread by default.
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  createShareController,
  machineView,
  planThreads,
  PROBE_BATCHES,
  routeBatch,
  RUN_BATCHES,
  sampleCpu,
  SHARE_WINDOW,
  WORKER_MIN_BYTES,
  type MachineView,
} from '../../src/pipeline/thread-plan.js';

const BIG = 180 * 1024 * 1024;
const quiet2: MachineView = { cores: 2, loadAvg: 0.3, idleCores: 1.0 };
const busy2: MachineView = { cores: 2, loadAvg: 9, idleCores: 0 };

describe('planThreads', () => {
  const cases: [string, number | null, string | undefined, MachineView, { worker: boolean; measure: boolean }][] = [
    ['the default, even a large file on a quiet machine: one thread (sharing not yet never slower)', BIG, undefined, quiet2, { worker: false, measure: false }],
    ['QUALIFY_WORKER=auto, a large file, 2 cores: a worker, measured', BIG, 'auto', quiet2, { worker: true, measure: true }],
    ['=auto on a busy machine: a worker too (the measurement falls back to one thread)', BIG, 'auto', busy2, { worker: true, measure: true }],
    ['another QUALIFY_WORKER value: one thread', BIG, 'yes', quiet2, { worker: false, measure: false }],
    ['=auto, one core: one thread', BIG, 'auto', { cores: 1, loadAvg: 0, idleCores: 0 }, { worker: false, measure: false }],
    ['=auto, a small file: one thread', WORKER_MIN_BYTES - 1, 'auto', quiet2, { worker: false, measure: false }],
    ['=auto, the threshold itself: a worker', WORKER_MIN_BYTES, 'auto', quiet2, { worker: true, measure: true }],
    ['=auto, stdin (size unknown): one thread', null, 'auto', quiet2, { worker: false, measure: false }],
    ['QUALIFY_WORKER=1: always sharing, on a busy machine too', BIG, '1', busy2, { worker: true, measure: false }],
    ['QUALIFY_WORKER=1 wins over a small file and one core', 10, '1', { cores: 1, loadAvg: 0, idleCores: 0 }, { worker: true, measure: false }],
    ['QUALIFY_WORKER=0 wins over a quiet machine', BIG, '0', quiet2, { worker: false, measure: false }],
    ['=auto, 8 cores: a worker, measured', BIG, 'auto', { cores: 8, loadAvg: 5, idleCores: 3 }, { worker: true, measure: true }],
  ];
  it.each(cases)('%s', (_name, bytes, forced, machine, expected) => {
    const plan = planThreads(bytes, forced, machine);
    expect({ worker: plan.worker, measure: plan.measure }).toEqual(expected);
    expect(plan.why).not.toBe('');
  });
});

describe('createShareController: probes one thread, then sharing, keeps the faster', () => {
  /** Feeds `n` batches of 500 rows taking `msPerBatch` each; returns the routes asked meanwhile. */
  const feed = (c: ReturnType<typeof createShareController>, clock: { t: number }, n: number, msPerBatch: number): string[] => {
    const routes: string[] = [];
    for (let i = 0; i < n; i++) {
      routes.push(c.route(0));
      clock.t += msPerBatch;
      c.batchRead(500, clock.t);
    }
    return routes;
  };
  it.each([
    ['sharing reads 1.5x faster: kept', 10, 6.67, true],
    ['sharing reads slower (a busy neighbour keeps its share of the CPU): one thread', 10, 12, false],
    ['sharing reads 3% faster, less than it costs: one thread', 10, 9.7, false],
  ] as const)('%s', (_name, soloMs, shareMs, kept) => {
    const c = createShareController();
    const clock = { t: 0 };
    c.batchRead(500, clock.t); // the first batch starts the clock
    expect(feed(c, clock, PROBE_BATCHES, soloMs).every((r) => r === 'inline')).toBe(true);
    expect(c.state().phase).toBe('probe-share');
    expect(feed(c, clock, PROBE_BATCHES - 1, shareMs).every((r) => r === 'worker')).toBe(true);
    // The last batch of a sharing phase: the caller waits for the worker's batches first.
    expect(c.endsSharing()).toBe(true);
    expect(feed(c, clock, 1, shareMs)).toEqual(['worker']);
    expect(c.endsSharing()).toBe(false);
    expect(c.state()).toMatchObject({ phase: 'run', share: kept });
    expect(c.state().shareRate! / c.state().soloRate!).toBeCloseTo(soloMs / shareMs, 5);
    expect(new Set(feed(c, clock, RUN_BATCHES, kept ? shareMs : soloMs))).toEqual(new Set([kept ? 'worker' : 'inline']));
    // Then it probes again: the machine may have changed.
    expect(c.state().phase).toBe('probe-solo');
  });

  it('while sharing, a worker holding a full window means the batch is scored here', () => {
    const c = createShareController();
    const clock = { t: 0 };
    c.batchRead(500, 0);
    feed(c, clock, PROBE_BATCHES, 10);
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
