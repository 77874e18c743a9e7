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
  // From a quiet fresh-clone CI run on Node 24 (2026-12-03), slowest first.
  'test/sql/fixtures-parity.test.ts',
  'test/interactive/discover.tmux.test.ts',
  'test/workbench/package.test.ts',
  'test/golden.test.ts',
  'test/workbench/work.tmux.test.ts',
  'test/sql/readme-warehouse.test.ts',
  'test/questionnaire/answers-cli.test.ts',
  'test/pipeline-report/split-export.test.ts',
  'test/reliability/targets.test.ts',
  'test/pipeline-report/log-followups-cli.test.ts',
  'test/sql/duckdb-direct-read.test.ts',
  'test/reliability/hostile-inputs.test.ts',
];

/**
 * Tests of pure code: no child process, no change to process.env, cwd, exitCode or signal
 * handlers, no module mocks. They run in worker threads that are reused from file to file
 * (isolate: false), so the source modules they share are loaded and compiled once per worker
 * instead of once per file; every other file keeps a fresh process of its own.
 * A file that starts to spawn the CLI or touch process state belongs in the other project.
 */
const PURE = [
  'test/core/amount.test.ts',
  'test/core/conditions/operators.test.ts',
  'test/core/conditions/one-language.test.ts',
  'test/core/conditions/user-regex.property.test.ts',
  'test/core/dedup-index.test.ts',
  'test/core/read-columns.test.ts',
  // Not yaml-limits.test.ts: its nesting thousands deep needs a main thread's stack, not a worker thread's.
  'test/core/rules/compile-errors.test.ts',
  'test/core/rules/compile-regressions.test.ts',
  'test/core/rules/default-rules.test.ts',
  'test/core/rules/summary.test.ts',
  'test/core/scoring/*.test.ts',
  'test/core/stage/*.test.ts',
  'test/core/values.test.ts',
  'test/io/csv-reader.test.ts',
  'test/io/decode.test.ts',
  'test/io/locked-replace.test.ts',
  'test/io/max-record-size.test.ts',
  'test/io/record-writer.test.ts',
  'test/io/sanitize.test.ts',
  'test/io/sniff.test.ts',
  'test/layering.test.ts',
  'test/pipeline-report/appointments.test.ts',
  'test/pipeline-report/cadence.test.ts',
  'test/pipeline-report/funnel.test.ts',
  'test/pipeline/find-lead.test.ts',
  'test/pipeline/json-composer.test.ts',
  'test/pipeline/row-composer.test.ts',
  'test/pipeline/separator-injection.test.ts',
  'test/pipeline/thread-plan.test.ts',
  'test/questionnaire/answers-reading.test.ts',
  'test/questionnaire/conditions.test.ts',
  'test/questionnaire/csv-row-update.test.ts',
  'test/questionnaire/dates.test.ts',
  'test/questionnaire/engine.test.ts',
  'test/questionnaire/load.test.ts',
  'test/questionnaire/run.test.ts',
  'test/questionnaire/shipped.test.ts',
  'test/questionnaire/template.test.ts',
  'test/readme-citations.test.ts',
  'test/reliability/csv-spectrum.test.ts',
  'test/reliability/roundtrip.property.test.ts',
  'test/workbench/back-step.test.ts',
  'test/workbench/lead-card.test.ts',
  'test/workbench/work-queue.test.ts',
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
    // No include here: a project's include adds to the root's (extends: true), so each project says its own.
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
    projects: [
      { extends: true, test: { name: 'pure', include: PURE, pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'process', include: ['test/**/*.test.ts'], exclude: PURE } },
    ],
  },
});
