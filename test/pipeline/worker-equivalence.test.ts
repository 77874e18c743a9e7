// Large files are scored in a worker thread (QUALIFY_WORKER forces either path). Both paths run
// the same formatter code; these tests hold them to byte-identical output, counts and exit
// codes, including rows set aside and kept in place under --skip-invalid --in-place. The built
// CLI runs in this process (test/helpers/in-process-cli.ts); the worker is a real thread either
// way, and worker-errors.test.ts runs bin/qualify.js with QUALIFY_WORKER as a child.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const qualify = (args: string[], worker: '0' | '1') => runInProcess(args, { ...process.env, NO_COLOR: '1', QUALIFY_WORKER: worker });

describe('scoring in a worker thread gives the same bytes as inline', () => {
  it.each([
    ['purchased-list.csv', 'csv'],
    ['purchased-list.csv', 'json'],
    ['webinar-export.csv', 'ndjson'],
  ])('%s as %s', async (fixture, format) => {
    const args = ['score', join(root, 'fixtures', fixture), '--as-of', '2026-11-01', '--format', format];
    const inline = await qualify(args, '0');
    const worker = await qualify(args, '1');
    expect(inline.status).toBe(0);
    expect(worker.status).toBe(0);
    expect(worker.stdout.equals(inline.stdout)).toBe(true);
    expect(worker.stderr.toString()).toBe(inline.stderr.toString());
  });

  it('--skip-invalid --in-place keeps rejected rows in place the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-worker-'));
    const lines = readFileSync(join(root, 'fixtures', 'webinar-export.csv'), 'utf8').split('\n');
    lines.splice(5, 0, 'short,row');
    lines.splice(40, 0, 'another,"bad row');
    const source = join(dir, 'source.csv');
    writeFileSync(source, lines.join('\n'));
    const results = [];
    for (const w of ['0', '1'] as const) {
      const file = join(dir, `w${w}.csv`);
      copyFileSync(source, file);
      const r = await qualify(['score', file, '--in-place', '--skip-invalid', '--rejects', join(dir, `w${w}.rejects.csv`), '--as-of', '2026-11-01'], w);
      results.push({ status: r.status, file: readFileSync(file, 'utf8'), rejects: readFileSync(join(dir, `w${w}.rejects.csv`), 'utf8') });
    }
    expect(results[0]!.status).toBe(1);
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.file).toContain('\nshort,row\n');
  });
});

describe('control characters and file order across worker batches', () => {
  it('score the same inline and in the worker, in file order, with later batches in flight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-packing-'));
    const lines = ['Email,Job Title,Notes'];
    for (let i = 1; i <= 3000; i++) {
      const note = i === 10 ? 'nul\u0000here' : i === 1500 ? 'soh\u0001here' : `note ${i}`;
      // Row 2600 repeats row 5's email: a duplicate found only if rows are scored in order.
      lines.push(`${i === 2600 ? 'lead5' : `lead${i}`}@example.com,VP Sales,${note}`);
    }
    const file = join(dir, 'leads.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const args = ['score', file, '--as-of', '2026-11-01', '--format', 'ndjson'];
    const inline = await qualify(args, '0');
    const worker = await qualify(args, '1');
    expect(inline.status).toBe(0);
    expect(worker.stdout.equals(inline.stdout)).toBe(true);
    const rows = worker.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows.length).toBe(3000);
    expect(rows[9]!['Notes']).toBe('nul\u0000here');
    expect(rows[2599]!['stage']).toBe('bad lead');
  });
});

describe('duplicates found by the reading thread (worker runs)', () => {
  it('name the same first record as inline, with rows set aside leaving gaps in the numbering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-dups-'));
    const lines = ['Email,Job Title'];
    for (let i = 1; i <= 1500; i++) {
      if (i === 4) lines.push('short'); // record 4 set aside under --skip-invalid
      else if (i === 700) lines.push('LEAD6@Example.com ,CEO'); // record 700 repeats record 6 (case, space)
      else if (i === 1400) lines.push('lead3@example.com,CEO'); // and 1400 repeats 3
      else lines.push(`lead${i}@example.com,VP Sales`);
    }
    const file = join(dir, 'leads.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const args = ['score', file, '--as-of', '2026-11-01', '--skip-invalid', '--allow-rejects', '--rejects', join(dir, 'rejects.csv')];
    const inline = await qualify(args, '0');
    const worker = await qualify(args, '1');
    expect(inline.status).toBe(0);
    expect(worker.stdout.equals(inline.stdout)).toBe(true);
    const out = worker.stdout.toString();
    expect(out).toContain('duplicate of record 6');
    expect(out).toContain('duplicate of record 3');
    expect(out.match(/duplicate of record/g)).toHaveLength(2);
  });
});
