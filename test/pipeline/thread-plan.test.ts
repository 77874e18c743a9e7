// The worker thread only when the machine has a core to spare for it (issue 17): a busy or
// absent second core means one thread, which is then faster.
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { machineView, planThreads, routeBatch, sampleCpu, SHARE_WINDOW, WORKER_MIN_BYTES, type MachineView } from '../../src/pipeline/thread-plan.js';

const BIG = 180 * 1024 * 1024;
const quiet2: MachineView = { cores: 2, loadAvg: 0.3, idleCores: 1.0 };

describe('planThreads', () => {
  const cases: [string, number | null, string | undefined, MachineView, boolean][] = [
    ['a large file on a quiet 2-core machine: a worker', BIG, 'auto', quiet2, true],
    ['the second core busy (2 busy processes): one thread', BIG, 'auto', { cores: 2, loadAvg: 2.9, idleCores: 0.05 }, false],
    ['a third of a core idle is not enough for the worker to pay', BIG, 'auto', { cores: 2, loadAvg: 1.5, idleCores: 0.3 }, false],
    ['0.6 of a core idle over start-up (node\'s own helper threads take the rest on a quiet machine) is', BIG, 'auto', { cores: 2, loadAvg: 1.2, idleCores: 0.6 }, true],
    ['one core: one thread, however idle', BIG, 'auto', { cores: 1, loadAvg: 0, idleCores: 0 }, false],
    ['a small file: one thread', WORKER_MIN_BYTES - 1, 'auto', quiet2, false],
    ['the threshold itself: a worker', WORKER_MIN_BYTES, 'auto', quiet2, true],
    ['stdin (size unknown): one thread', null, 'auto', quiet2, false],
    ['QUALIFY_WORKER=1 wins over a busy machine', BIG, '1', { cores: 2, loadAvg: 9, idleCores: 0 }, true],
    ['QUALIFY_WORKER=1 wins over a small file', 10, '1', quiet2, true],
    ['QUALIFY_WORKER=0 wins over a quiet machine', BIG, '0', quiet2, false],
    ['unset: one thread, even on a quiet machine (the worker no longer pays)', BIG, undefined, quiet2, false],
    ['another QUALIFY_WORKER value: one thread', BIG, 'yes', quiet2, false],
    ['QUALIFY_WORKER=auto on an 8-core machine with 3 idle: a worker', BIG, 'auto', { cores: 8, loadAvg: 5, idleCores: 3 }, true],
    ['no idle sample, low load average: a worker', BIG, 'auto', { cores: 2, loadAvg: 0.2, idleCores: null }, true],
    ['no idle sample, load average of 1 on 2 cores: one thread', BIG, 'auto', { cores: 2, loadAvg: 1, idleCores: null }, false],
    ['no idle sample, 8 cores with a load of 4: a worker', BIG, 'auto', { cores: 8, loadAvg: 4, idleCores: null }, true],
    ['8 cores, 3 idle: a worker', BIG, 'auto', { cores: 8, loadAvg: 5, idleCores: 3 }, true],
  ];
  it.each(cases)('%s', (_name, bytes, forced, machine, worker) => {
    const plan = planThreads(bytes, forced, machine);
    expect(plan.worker).toBe(worker);
    expect(plan.why).not.toBe('');
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
