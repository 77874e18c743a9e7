// Real data: the UCI Bank Marketing file from ../shared/datasets (41,188 rows, `;` delimiter,
// quoted header, CRLF). Not copied into the project (licence); skipped, saying why, where
// ../shared is absent, as in a user's clone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const data = join(root, '..', 'shared', 'datasets', 'bank-marketing', 'bank-additional-full.csv');
const present = existsSync(data);

// Each test scores 41,188 rows with the built CLI run in this process (runInProcess: no process
// start per run; nothing here depends on being a separate process). Over two minutes were seen
// on a heavily loaded machine when each run was a child: a generous timeout.
describe.skipIf(!present)(`bank-marketing dataset (${present ? data : 'skipped: ../shared/datasets is not beside this clone'})`, { timeout: 300_000 }, () => {
  const run = (format: string) =>
    runInProcess(['score', data, '--rules', join(root, 'fixtures', 'rules', 'bank-telemarketing.yaml'), '--as-of', '2026-11-01', '--format', format], { ...process.env, NO_COLOR: '1' }, root);

  it('scores every row, keeps every cell, the delimiter and CRLF', async () => {
    const r = await run('csv');
    expect(r.status, r.stderr.toString()).toBe(0);
    const input = parse(readFileSync(data), { delimiter: ';', record_delimiter: '\r\n' }) as string[][];
    const output = parse(r.stdout, { delimiter: ';', record_delimiter: '\r\n' }) as string[][];
    expect(output.length).toBe(input.length);
    expect(input.length).toBe(41189);
    const width = input[0]!.length;
    // One comparison over every row: the same test as one expect per row, without 41,189 of them.
    expect(output.map((row) => row.slice(0, width))).toEqual(input);
    expect(output[0]!.slice(width)).toEqual(['fit', 'engagement', 'score', 'tier', 'stage', 'class', 'action', 'reasons']);
    expect(r.stdout.subarray(0, 300).toString()).toContain('\r\n');
    expect(r.stderr.toString()).toMatch(/41,188 rows read, 41,188 written/);
  });

  it('gives the subscribers a higher score on average than the rest (the rules carry signal)', async () => {
    const rows = r2objects((await run('ndjson')).stdout.toString());
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
