// The periodic full collection that keeps a long run's memory flat must really collect on the
// Node versions we support (CI runs this file on 20, 22 and 24): an object only a WeakRef holds
// is gone after the collection, and not before it is due.
import { describe, expect, it } from 'vitest';
import { createHeapHygiene, exposedGc } from '../../src/pipeline/heap-hygiene.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('heap hygiene', () => {
  it('exposes a gc function on this Node', () => {
    expect(typeof exposedGc()).toBe('function');
  });

  it('collects garbage fully on every n-th batch, and only then', async () => {
    const hygiene = createHeapHygiene(3);
    let big: number[] | null = Array.from({ length: 100_000 }, (_, i) => i);
    const ref = new WeakRef(big);
    big = null;
    await tick(); // a WeakRef's target lives at least until the end of the job that made it
    hygiene.batchDone();
    hygiene.batchDone();
    expect(ref.deref()).toBeDefined(); // not due yet (nothing else in this test allocates much)
    await tick(); // deref() keeps the target alive until the end of this job, too
    hygiene.batchDone();
    expect(ref.deref()).toBeUndefined();
  });
});
