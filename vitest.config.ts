import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, slowest first: they start at once, and the many short files fill
 * the other workers around them, instead of one of them starting last and running alone.
 * (Vitest orders by the durations of the previous run when it has them; a fresh clone, as in CI,
 * has none.) Most of their time is spent waiting for the CLI processes they start.
 */
const SLOW_FIRST = [
  'test/golden.test.ts',
  'test/cli/closed-streams.test.ts',
  'test/datasets/bank-marketing.test.ts',
  'test/pipeline/worker-equivalence.test.ts',
  'test/reliability/hostile-inputs.test.ts',
  'test/questionnaire/answers-cli.test.ts',
  'test/interactive/discover.tmux.test.ts',
  'test/cli/explain-table.test.ts',
  'test/workbench/init.test.ts',
  'test/sql/fixtures-parity.test.ts',
  'test/pipeline-report/scripted-week.test.ts',
  'test/workbench/package.test.ts',
];

class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((p) => f.moduleId.replaceAll('\\', '/').endsWith(p));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check-seed.ts'],
    globalSetup: ['test/setup/system-packages.ts'],
    // A timeout is there to catch a hang, not to time the code (bench/ does that). Many tests
    // run the CLI on files of megabytes, and with the files running side by side on a shared
    // machine one such test took over 30 s without anything wrong: two minutes each.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Vitest's default is one worker less than the CPUs: a single worker on a 2-core machine,
    // every file in turn. Many files mostly wait for the CLI processes they start, so at least
    // three workers keep both cores busy.
    maxWorkers: Math.max(3, availableParallelism()),
    sequence: { sequencer: SlowFirstSequencer },
  },
});
