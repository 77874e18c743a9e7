// The machine's CPU counters (os.cpus(), summed over every core) and their value when this process
// started. The thread choice of a long run (pipeline/thread-plan.ts) compares them with the
// counters at its first batch: measured from start-up, the window spans the whole start-up
// (100 ms or more), long enough for the kernel's 10 ms ticks, where the time it takes to open the
// input alone is often too short and left only the 1-minute load average, which still counts the
// previous run of a script that runs qualify in a loop. cli.ts imports this module first.
import { cpus } from 'node:os';

/** The machine's CPU counters at one moment (os.cpus(), summed over every core). */
export interface CpuSample {
  idleMs: number;
  totalMs: number;
}

export function sampleCpu(): CpuSample | null {
  const all = cpus();
  if (all.length === 0) return null;
  let idleMs = 0;
  let totalMs = 0;
  for (const c of all) {
    const t = c.times;
    idleMs += t.idle;
    totalMs += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idleMs, totalMs };
}

let atStart: CpuSample | null = sampleCpu();

/** The counters when this module was loaded (start-up, for the CLI) the first time it is asked;
 * a fresh sample after that, so that a later run in a long-lived process measures its own window. */
export function firstRunSample(): CpuSample | null {
  const s = atStart ?? sampleCpu();
  atStart = null;
  return s;
}
