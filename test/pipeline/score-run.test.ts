// Issue 12 item 5: `score`'s logic lives in the pipeline (scoreLeads), which returns the exit
// status instead of setting it; only src/cli.ts sets process.exitCode.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { scoreLeads, type ScoreRequest } from '../../src/pipeline/score-run.js';
import { AS_OF } from '../helpers/rules.js';
import { rejection } from '../io/helpers/rejection.js';

const dir = mkdtempSync(join(tmpdir(), 'qualify-score-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const src = fileURLToPath(new URL('../../src/', import.meta.url));

function request(over: Partial<ScoreRequest>): ScoreRequest {
  return {
    input: join(dir, 'leads.csv'),
    rules: undefined,
    overrides: {},
    csv: {},
    asOfDay: AS_OF,
    format: 'csv',
    output: join(dir, 'out.csv'),
    inPlace: false,
    sanitize: true,
    skipInvalid: false,
    rejects: undefined,
    allowRejects: false,
    decimalHints: false,
    ...over,
  };
}

describe('scoreLeads', () => {
  writeFileSync(join(dir, 'leads.csv'), 'Email,Job Title\nann@acme.com,VP Sales\nshort\nbob@acme.com,CEO\n');

  it.each([
    [false, 1],
    [true, 0],
  ] as const)('rows set aside, --allow-rejects %s: exit status %i, returned, not set', async (allowRejects, status) => {
    const before = process.exitCode;
    const out = await scoreLeads(request({ skipInvalid: true, allowRejects, rejects: join(dir, `rejects-${allowRejects}.csv`) }));
    expect(out.exitStatus).toBe(status);
    expect(out.stats.rejected).toBe(1);
    expect(out.stats.rowsWritten).toBe(2);
    expect(process.exitCode).toBe(before);
    expect(readFileSync(join(dir, `rejects-${allowRejects}.csv`), 'utf8')).toContain('short');
  });

  it('merges --date-format and --decimal into the compiled rules it scores with', async () => {
    writeFileSync(join(dir, 'good.csv'), 'Email,Job Title\nann@acme.com,VP Sales\n');
    const out = await scoreLeads(request({ input: join(dir, 'good.csv'), overrides: { dateFormat: 'dmy', decimal: ',' }, output: join(dir, 'out2.csv') }));
    expect(out.rules.settings.dateFormat).toBe('dmy');
    expect(out.rules.settings.decimal).toBe(',');
    expect(out.exitStatus).toBe(0);
  });

  it.each([
    [{ inPlace: true, format: 'json' as const, output: undefined }, '--format', /--in-place rewrites the CSV file itself; use --output for json/],
    [{ inPlace: true, input: '-', output: undefined }, '--in-place', /--in-place needs a FILE/],
    [{ inPlace: true }, '--in-place', /either --in-place or --output/],
    [{ allowRejects: true }, '--allow-rejects', /--allow-rejects goes with --skip-invalid/],
  ])('refuses %j before reading (ARG_INVALID at %s)', async (over, option, message) => {
    const e = await rejection(scoreLeads(request(over)));
    expect(e.code).toBe('ARG_INVALID');
    expect(e.at).toMatchObject({ kind: 'arg', option });
    expect(e.message).toMatch(message);
  });
});

it('only src/cli.ts sets process.exitCode', () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(src);
  expect(files.length).toBeGreaterThan(20);
  const setters = files.filter((f) => /process\.exitCode\s*=/.test(readFileSync(f, 'utf8'))).map((f) => f.slice(src.length));
  expect(setters).toEqual(['cli.ts']);
});
