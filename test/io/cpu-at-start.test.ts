// The thread choice measures idle cores from start-up: the first run gets the counters taken when
// the module loaded (a window long enough for 10 ms ticks), later runs in the same process a
// fresh sample of their own.
import { describe, expect, it } from 'vitest';
import { firstRunSample, sampleCpu } from '../../src/io/cpu-at-start.js';

describe('firstRunSample', () => {
  it('gives the start-up counters once, then fresh ones', () => {
    const end = Date.now() + 50;
    while (Date.now() < end); // let the machine's counters move past the start-up sample
    const now = sampleCpu();
    const first = firstRunSample();
    const second = firstRunSample();
    if (now === null) return expect(first).toBeNull(); // a system without per-core counters
    expect(first!.totalMs).toBeLessThan(now.totalMs); // taken at module load, before `now`
    expect(second!.totalMs).toBeGreaterThanOrEqual(now.totalMs); // taken at this call
  });
});
