import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Tests of pure code: no child process, no change to process.env, cwd, exitCode or signal
 * handlers, no module mocks. They run in worker threads that are reused from file to file
 * (isolate: false), so the source modules they share are loaded and compiled once per worker
 * instead of once per file; every other file keeps a fresh process of its own.
 * A file that starts to spawn the CLI or touch process state belongs in the other project.
 */
const PURE = [
  'test/calibrate/calibrate.test.ts',
  'test/calibrate/diff.test.ts',
  'test/calibrate/features.test.ts',
  'test/calibrate/logistic.test.ts',
  'test/calibrate/metrics.test.ts',
  'test/calibrate/monotonic.test.ts',
  'test/calibrate/patterns.test.ts',
  'test/core/amount.test.ts',
  'test/core/conditions/answer-slots.test.ts',
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
  'test/io/csv-fast-core.property.test.ts',
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
  'test/pipeline-report/crm-presets.test.ts',
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

/**
 * Seconds each test file took in a whole run (test/durations.json, written by
 * test/setup/write-durations.mjs from a fresh-clone CI run). Vitest orders files by the durations
 * of the previous run when it has them, but a fresh clone, as in CI's first (Node 20) run, has
 * none: the committed table gives every run the same order.
 */
const DURATIONS: Record<string, number> = (JSON.parse(readFileSync(new URL('./test/durations.json', import.meta.url), 'utf8')) as { files: Record<string, number> }).files;
const WORKERS = Math.max(4, availableParallelism());

/**
 * Longest first, so that the long files start at once and the many short ones fill the workers
 * around them at the end, instead of a long one starting last and running alone. A file not in
 * the table (new since it was written) goes first, as vitest does with a file it has no time
 * for. The pure files stay together, longest first: a worker thread is reused only from one pure
 * file to the next in the queue, and the block is placed by the time it takes on all workers.
 */
class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files); // vitest's order breaks ties
    const root = this.ctx.config.root.replaceAll('\\', '/');
    const seconds = (f: TestSpecification): number => {
      const path = f.moduleId.replaceAll('\\', '/');
      return DURATIONS[path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path] ?? Infinity;
    };
    const byTime = (list: TestSpecification[]) =>
      list
        .map((f, i) => ({ f, i, s: seconds(f) }))
        .sort((a, b) => b.s - a.s || a.i - b.i)
        .map(({ f, s }) => ({ f, s }));
    const pure = byTime(sorted.filter((f) => f.project.name === 'pure'));
    const rest = byTime(sorted.filter((f) => f.project.name !== 'pure'));
    if (pure.length === 0) return rest.map(({ f }) => f);
    const finite = pure.filter(({ s }) => Number.isFinite(s));
    const block = pure.some(({ s }) => !Number.isFinite(s)) ? Infinity : Math.max(finite[0]?.s ?? 0, finite.reduce((t, { s }) => t + s, 0) / WORKERS);
    const at = rest.findIndex(({ s }) => s < block);
    const order = at < 0 ? [...rest, ...pure] : [...rest.slice(0, at), ...pure, ...rest.slice(at)];
    return order.map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    // No include here: a project's include adds to the root's (extends: true), so each project says its own.
    setupFiles: ['test/setup/fast-check-seed.ts'],
    globalSetup: ['test/setup/system-packages.ts', 'test/setup/temp-dir.ts'],
    // A timeout is there to catch a hang, not to time the code (bench/ does that). Many tests
    // run the CLI on files of megabytes, and with the files running side by side on a shared
    // machine one such test took over 30 s without anything wrong: two minutes each.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Vitest's default is one worker less than the CPUs: a single worker on a 2-core machine,
    // every file in turn. The longest files (first in the order) mostly wait: for a terminal
    // (tmux), a PostgreSQL server, npm, or the CLI processes they start; at least four workers
    // keep both cores busy while two or three of them wait.
    maxWorkers: WORKERS,
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      { extends: true, test: { name: 'pure', include: PURE, pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'process', include: ['test/**/*.test.ts'], exclude: PURE } },
    ],
  },
});
