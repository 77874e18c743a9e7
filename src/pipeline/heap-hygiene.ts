// A full garbage collection now and then during a long run, in the thread that asks for it.
//
// V8 collects its old generation when that grows past a limit it set for itself, or when the
// thread is idle; the reading and scoring threads of a big run are never idle, and the dead
// objects they promote (row arrays, Buffers whose memory lives outside the heap) are small in
// the heap's own accounting: the live heap stays the same size through a long run while the
// process grows with garbage not yet collected. One full collection per ~150k rows in each
// thread keeps it flat (the measurements are in bench/README.md): every ~50k rows did too,
// before the output chunks, score-part buffers and decay reasons were reused, at 5% more CPU.
//
// `gc` is exposed the way Node's documentation shows for V8 flags (v8.setFlagsFromString),
// which only adds the function to contexts created afterwards; where that does not work, this
// does nothing and the run is merely less frugal.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Batches (of 512 rows) between full collections, in each thread while a worker shares the
 * scoring, and in `qualify calibrate`'s passes (one thread, row arrays of its own). For
 * calibrate at 1M rows (2026-12-04, three runs each): every 300 batches 18.0-20.4 CPU s at
 * 175-186 MB, every 100 20.5-24.4 s at 173-186 MB, never 17.8-18.5 s at 223-225 MB. */
export const GC_EVERY_BATCHES = 300;

let gc: (() => void) | null | undefined;

export function exposedGc(): (() => void) | null {
  if (gc !== undefined) return gc;
  try {
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('typeof gc === "function" ? gc : null');
    gc = typeof fn === 'function' ? (fn as () => void) : null;
  } catch {
    gc = null;
  }
  return gc;
}

/**
 * Counts batches; every `every`-th one, collects garbage fully. `collect` is the exposed `gc`
 * in real use; tests pass a counter, since whether V8 collects on its own in between (its
 * memory reducer does, on a timer) is V8's business and no test can rule it out.
 */
export function createHeapHygiene(
  every: number,
  collect: (() => void) | null = exposedGc(),
): { batchDone(): void } {
  let batches = 0;
  return {
    batchDone() {
      if (++batches % every !== 0) return;
      collect?.();
    },
  };
}
