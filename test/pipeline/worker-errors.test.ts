// An error in the scoring worker reaches the caller in the shape inline scoring gives it: the
// same QualifyError code, message and location (so the CLI prints it the same way and exits 2),
// not a plain Error wrapping a stack trace (which the CLI reports as an internal error, exit 1).
// Runs the built dist/ (the worker is a separate .js module), which `npm test` builds first.
// The inline run is the built CLI in this process (test/helpers/in-process-cli.ts); the worker
// run is `node bin/qualify.js` as a child, so that what a user sees of a worker's error (stderr,
// exit status) is a real process's.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

describe('worker errors keep their shape', () => {
  it('a QualifyError thrown in the worker is the same QualifyError as inline', async () => {
    expect(existsSync(`${dist}pipeline/worker-pool.js`), 'dist/ is missing: run npm run build').toBe(true);
    const { loadRules } = (await import(`${dist}io/rules-file.js`)) as typeof import('../../src/io/rules-file.js');
    const { startScoreWorker } = (await import(`${dist}pipeline/worker-pool.js`)) as typeof import('../../src/pipeline/worker-pool.js');
    const { createScoreCellFormatter } = (await import(`${dist}pipeline/score-cells.js`)) as typeof import('../../src/pipeline/score-cells.js');
    const { loadOutputFormat } = (await import(`${dist}pipeline/formats/registry.js`)) as typeof import('../../src/pipeline/formats/registry.js');
    const { rules } = loadRules(undefined);
    // No email column: binding the columns fails with CSV_MISSING_COLUMN.
    const cfg = { rules, header: ['nothing', 'useful'], asOfDay: 20_000, file: 'leads.csv', format: 'csv' as const, sanitize: true, delimiter: ',' };
    let inline: unknown;
    try {
      createScoreCellFormatter(cfg, await loadOutputFormat('csv'));
    } catch (e) {
      inline = e;
    }
    expect(inline).toMatchObject({ name: 'QualifyError', code: 'CSV_MISSING_COLUMN' });
    const worker = startScoreWorker(cfg);
    try {
      const failure = await worker.format({ cells: [], rows: 0, firstRecord: 1, records: null, duplicateOf: null }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toMatchObject({ name: 'QualifyError', code: 'CSV_MISSING_COLUMN', message: (inline as Error).message, at: (inline as { at: unknown }).at });
      expect((failure as Error).message).not.toContain('scoring worker failed');
    } finally {
      await worker.close();
    }
  });

  it('QualifyError and QualifyErrors survive the message round trip with code, location and hint', async () => {
    const { deserializeError, serializeError } = await import('../../src/pipeline/worker-errors.js');
    const { QualifyError, QualifyErrors } = await import('../../src/core/errors.js');
    const one = new QualifyError('CSV_BAD_RECORD', 'record 3 has 2 fields', { kind: 'csv', file: 'a.csv', record: 3, line: 4 }, { hint: 'use --skip-invalid' });
    // Structured clone, as postMessage does it.
    const back = deserializeError(structuredClone(serializeError(one)));
    expect(back).toBeInstanceOf(QualifyError);
    expect(back).toMatchObject({ code: 'CSV_BAD_RECORD', message: one.message, at: one.at, hint: 'use --skip-invalid' });
    const many = deserializeError(structuredClone(serializeError(new QualifyErrors([one, new QualifyError('ARG_INVALID', 'x', { kind: 'arg', option: '--y' })]))));
    expect(many).toBeInstanceOf(QualifyErrors);
    expect((many as InstanceType<typeof QualifyErrors>).errors.map((e) => e.code)).toEqual(['CSV_BAD_RECORD', 'ARG_INVALID']);
  });

  it('any other error stays an internal error, with the worker stack', async () => {
    const { deserializeError, serializeError } = await import('../../src/pipeline/worker-errors.js');
    const e = deserializeError(serializeError(new TypeError('boom')));
    expect(e.name).toBe('Error');
    expect(e.message).toMatch(/^scoring worker failed: TypeError: boom/);
  });
});

/** `qualify score FILE ARGS` with the scoring inline (QUALIFY_WORKER=0, in this process) or in
 * the worker (=1, a child process). */
async function score(file: string, args: string[], worker: '0' | '1'): Promise<{ status: number | null; stdout: string; stderr: string }> {
  if (worker === '0') {
    const r = await runInProcess(['score', file, '--as-of', '2026-11-01', ...args], { ...process.env, NO_COLOR: '1', QUALIFY_WORKER: worker });
    return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  }
  const bin = fileURLToPath(new URL('../../bin/qualify.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'score', file, '--as-of', '2026-11-01', ...args], { env: { ...process.env, NO_COLOR: '1', QUALIFY_WORKER: worker }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

// (What reached stdout before the error may differ: rows are written as they are scored, and the
// worker answers in batches; the exit status says the output is incomplete.)
describe('the same bad input inline and in the worker: the same exit status and stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-worker-errors-'));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const rows = (n: number): string => Array.from({ length: n }, (_, i) => `lead${i + 1}@example.com,VP Sales\n`).join('');
  it.concurrent.each([
    // Found when the columns are bound, before any row is scored.
    { name: 'a column the rules need is missing', file: () => file('no-email.csv', 'Name,Company\nAda,Acme\n'), args: [], code: 'CSV_MISSING_COLUMN' },
    // Found by the reading thread while earlier batches are with the worker.
    { name: 'a quote never closed after 2,000 good rows', file: () => file('open-quote.csv', `Email,Job Title\n${rows(2000)}bad@example.com,"VP\nlast@example.com,CEO\n`), args: [], code: 'CSV_BAD_RECORD' },
    { name: 'a record over --max-record-size', file: () => file('big.csv', `Email,Job Title\n${rows(10)}big@example.com,${'x'.repeat(3000)}\n`), args: ['--max-record-size', '1KB'], code: 'CSV_BAD_RECORD' },
    { name: 'the same as NDJSON diagnostics (--log-format json)', file: () => file('open-quote-json.csv', `Email,Job Title\n${rows(2000)}bad@example.com,"VP\n`), args: ['--log-format', 'json', '--format', 'ndjson'], code: 'CSV_BAD_RECORD' },
  ])('$name', async ({ file: make, args, code }) => {
    const path = make();
    const [inline, worker] = await Promise.all([score(path, args, '0'), score(path, args, '1')]);
    expect(inline.status).toBe(2);
    expect(inline.stderr).toContain(code);
    expect(inline.stderr).not.toMatch(/internal error|scoring worker failed|\n\s+at /);
    expect(worker.status).toBe(inline.status);
    expect(worker.stderr).toBe(inline.stderr);
  }, 120_000);
});
