// Real data: the UCI Bank Marketing file from ../shared/datasets (41,188 rows, `;` delimiter,
// quoted header, CRLF). Not copied into the project (licence); skipped, saying why, where
// ../shared is absent, as in a user's clone.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const data = join(root, '..', 'shared', 'datasets', 'bank-marketing', 'bank-additional-full.csv');
const present = existsSync(data);

// Each test scores 41,188 rows in a child process: over two minutes were seen on a heavily
// loaded machine, so a generous timeout (vitest cannot interrupt a spawnSync anyway).
describe.skipIf(!present)(`bank-marketing dataset (${present ? data : 'skipped: ../shared/datasets is not beside this clone'})`, { timeout: 300_000 }, () => {
  const run = (format: string) =>
    spawnSync(process.execPath, [join(root, 'bin', 'qualify.js'), 'score', data, '--rules', join(root, 'fixtures', 'rules', 'bank-telemarketing.yaml'), '--as-of', '2026-11-01', '--format', format], {
      maxBuffer: 256 << 20,
      env: { ...process.env, NO_COLOR: '1' },
    });

  it('scores every row, keeps every cell, the delimiter and CRLF', () => {
    const r = run('csv');
    expect(r.status, r.stderr.toString()).toBe(0);
    const input = parse(readFileSync(data), { delimiter: ';', record_delimiter: '\r\n' }) as string[][];
    const output = parse(r.stdout, { delimiter: ';', record_delimiter: '\r\n' }) as string[][];
    expect(output.length).toBe(input.length);
    expect(input.length).toBe(41189);
    const width = input[0]!.length;
    for (let i = 0; i < input.length; i++) expect(output[i]!.slice(0, width)).toEqual(input[i]);
    expect(output[0]!.slice(width)).toEqual(['fit', 'engagement', 'score', 'tier', 'stage', 'class', 'action', 'reasons']);
    expect(r.stdout.subarray(0, 300).toString()).toContain('\r\n');
    expect(r.stderr.toString()).toMatch(/41,188 rows read, 41,188 written/);
  });

  it('gives the subscribers a higher score on average than the rest (the rules carry signal)', () => {
    const rows = r2objects(run('ndjson').stdout.toString());
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const yes = rows.filter((x) => x['y'] === 'yes').map((x) => x['score'] as number);
    const no = rows.filter((x) => x['y'] === 'no').map((x) => x['score'] as number);
    expect(yes.length).toBe(4640);
    expect(mean(yes)).toBeGreaterThan(mean(no) + 5);
  });
});

function r2objects(ndjson: string): Record<string, unknown>[] {
  return ndjson.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}
