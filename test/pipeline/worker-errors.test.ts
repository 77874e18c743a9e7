// An error in the scoring worker reaches the caller in the shape inline scoring gives it: the
// same QualifyError code, message and location (so the CLI prints it the same way and exits 2),
// not a plain Error wrapping a stack trace (which the CLI reports as an internal error, exit 1).
// Runs the built dist/ (the worker is a separate .js module), which `npm test` builds first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
      const failure = await worker.format({ cells: [], rows: 0, records: null, duplicateOf: null }).then(
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
