// The periodic full collection that keeps a long run's memory flat must really collect on the
// Node versions we support (CI runs this file on 20, 22 and 24): an object only a WeakRef holds
// is gone after the collection; the counting is checked with a counter in its place.
import { describe, expect, it } from 'vitest';
import { createHeapHygiene, exposedGc } from '../../src/pipeline/heap-hygiene.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('heap hygiene', () => {
  it('exposes a gc function on this Node', () => {
    expect(typeof exposedGc()).toBe('function');
  });

  it('the exposed gc collects fully: an object only a WeakRef holds is gone after it', async () => {
    let big: number[] | null = Array.from({ length: 100_000 }, (_, i) => i);
    const ref = new WeakRef(big);
    big = null;
    await tick(); // a WeakRef's target lives at least until the end of the job that made it
    exposedGc()!();
    expect(ref.deref()).toBeUndefined();
  });

  // Not with the real gc: V8's memory reducer may collect on its own between two batches on a
  // loaded machine (CI saw it), so "not yet collected" is not something a test can assert.
  it('collects on every n-th batch, and only then', () => {
    let collections = 0;
    const hygiene = createHeapHygiene(3, () => collections++);
    const seen: number[] = [];
    for (let i = 0; i < 7; i++) {
      hygiene.batchDone();
      seen.push(collections);
    }
    expect(seen).toEqual([0, 0, 1, 1, 1, 2, 2]);
  });

  it('does nothing where no gc could be exposed', () => {
    const hygiene = createHeapHygiene(1, null);
    expect(() => hygiene.batchDone()).not.toThrow();
  });
});
