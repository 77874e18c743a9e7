// The holdout split: stratified by outcome and reproducible from a seed, in one pass and flat
// memory. Within each outcome, leads are taken in blocks of BLOCK consecutive leads of that
// outcome; in each block the seed picks which ones go to the holdout, as many as the fraction
// asks (the fractional remainder carried from block to block). So each outcome's holdout share
// is the fraction to within one lead per outcome, and the same file and seed give the same split.
import { seededRandom, type Random } from './random.js';

const BLOCK = 20;

interface ClassState {
  slots: boolean[];
  next: number;
  carry: number;
}

export class StratifiedSplit {
  private readonly rand: Random;
  private readonly states = new Map<string, ClassState>();

  constructor(
    readonly holdout: number,
    seed: number,
  ) {
    this.rand = seededRandom(seed);
  }

  /** True when the next lead of this outcome goes to the holdout part. */
  isHoldout(outcome: string): boolean {
    let s = this.states.get(outcome);
    if (s === undefined) this.states.set(outcome, (s = { slots: [], next: BLOCK, carry: 0 }));
    if (s.next === BLOCK) {
      const exact = BLOCK * this.holdout + s.carry;
      const k = Math.floor(exact + 1e-9);
      s.carry = exact - k;
      s.slots = Array.from({ length: BLOCK }, (_, i) => i < k);
      // Fisher-Yates with the seeded generator.
      for (let i = BLOCK - 1; i > 0; i--) {
        const j = Math.floor(this.rand() * (i + 1));
        const t = s.slots[i]!;
        s.slots[i] = s.slots[j]!;
        s.slots[j] = t;
      }
      s.next = 0;
    }
    return s.slots[s.next++]!;
  }
}
