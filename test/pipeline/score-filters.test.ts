// `score --stage/--class/--tier/--min-score` (issue 14 item 4): only the leads the filters keep
// are written, in CSV, JSON and NDJSON, the same inline and in the worker thread; the summary
// counts every row read; a filter value the rules can never give, a filter with --in-place or a
// bad number is a usage error (exit 2) and writes nothing. The built CLI runs in this process
// (test/helpers/in-process-cli.ts): what is checked is what it prints and its status.
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'fixtures', 'purchased-list.csv');
const AS_OF = ['--as-of', '2026-11-01'];

async function score(args: string[], env: Record<string, string> = {}) {
  const r = await runInProcess(['score', FIXTURE, ...AS_OF, ...args], { ...process.env, NO_COLOR: '1', ...env });
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** Every scored lead, unfiltered: what the filters are checked against. */
const all = parse((await score(['--quiet'])).stdout, { columns: true }) as Record<string, string>[];

describe('score filters keep exactly the leads they name', () => {
  it('the fixture has leads of several stages, classes and tiers to filter', () => {
    expect(new Set(all.map((r) => r['tier'])).size).toBeGreaterThanOrEqual(4);
    expect(new Set(all.map((r) => r['stage'])).size).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['--tier hot,warm', ['--tier', 'hot,warm'], (r: Record<string, string>) => r['tier'] === 'hot' || r['tier'] === 'warm'],
    ['--stage in another case and a CRM spelling', ['--stage', 'mql,Sales Lead'], (r: Record<string, string>) => r['stage'] === 'MQL' || r['stage'] === 'sales lead'],
    ['--min-score 50', ['--min-score', '50'], (r: Record<string, string>) => Number(r['score']) >= 50],
    ['--tier and --min-score together', ['--tier', 'nurture', '--min-score', '40'], (r: Record<string, string>) => r['tier'] === 'nurture' && Number(r['score']) >= 40],
  ])('%s: CSV keeps those rows in order, the header and every column', async (_name, args, keeps) => {
    const expected = all.filter(keeps);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const r = await score([...args, '--quiet']);
    expect(r.code).toBe(0);
    expect(parse(r.stdout, { columns: true })).toEqual(expected);
  });

  it.each(['json', 'ndjson'])('%s: the same leads, and the same bytes inline and in the worker thread', async (format) => {
    const inline = await score(['--tier', 'hot,warm', '--format', format, '--quiet'], { QUALIFY_WORKER: '0' });
    const worker = await score(['--tier', 'hot,warm', '--format', format, '--quiet'], { QUALIFY_WORKER: '1' });
    expect(inline.code).toBe(0);
    expect(worker.stdout).toBe(inline.stdout);
    const records = format === 'json' ? (JSON.parse(inline.stdout) as Record<string, unknown>[]) : inline.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((x) => x['Lead ID'])).toEqual(all.filter((r) => r['tier'] === 'hot' || r['tier'] === 'warm').map((r) => r['Lead ID']));
  });

  it('a filter that keeps nobody writes the header only (CSV) or [] (JSON)', async () => {
    const csv = await score(['--min-score', '1000', '--quiet']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.trim().split(/\r?\n/)).toHaveLength(1);
    // A purchased list holds no prospects yet; every lead is of class lead.
    expect(all.every((r) => r['class'] === 'lead')).toBe(true);
    expect((await score(['--class', 'prospect', '--quiet'])).stdout.trim().split(/\r?\n/)).toHaveLength(1);
    expect(parse((await score(['--class', 'lead', '--quiet'])).stdout, { columns: true })).toEqual(all);
    expect((await score(['--min-score', '1000', '--format', 'json', '--quiet'])).stdout).toBe('[]\n');
  });

  it('the summary counts every row read and says how many were written', async () => {
    const r = await score(['--tier', 'hot,warm', '-o', '/dev/null']);
    const kept = all.filter((x) => x['tier'] === 'hot' || x['tier'] === 'warm').length;
    expect(r.stderr).toContain(`qualify: ${all.length} rows read, ${kept} written to /dev/null`);
  });
});

describe('score filters: mistakes are usage errors that write nothing', () => {
  it.each([
    ['a tier the rules never give', ['--tier', 'hott'], /--tier "hott": these rules give hot, warm, nurture, low, disqualified, bad/],
    ['a stage that does not exist', ['--stage', 'prospectt'], /--stage "prospectt": these rules give bad lead, disqualified/],
    ['a class that does not exist', ['--class', 'customer'], /--class "customer": these rules give lead, prospect, opportunity/],
    ['a score that is not a number', ['--min-score', 'high'], /--min-score must be a number, got "high"/],
    ['a filter with --in-place', ['--tier', 'hot', '--in-place'], /--in-place keeps every row/],
  ])('%s: exit 2, nothing on stdout', async (_name, args, message) => {
    const r = await score(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('[ARG_INVALID]');
  });
});
