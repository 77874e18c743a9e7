// `qualify init [--from FILE]`: on every fixture and on the real CRM export headers of
// ../shared/datasets/crm-export-headers, the starter rules pass `rules check` and score the
// file; columns nothing maps are listed with a suggestion; existing files are kept. The built
// CLI runs in this process, in each test's own directory (runHere; help-completion and package
// tests run it as a child).
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/io/rules-file.js';
import { mapHeaders, suggestFor } from '../../src/core/rules/starter.js';
import { ROOT, runHere as run } from './helpers.js';

const fields = loadRules(undefined).rules.fields;

function csvFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? csvFiles(p) : name.endsWith('.csv') ? [p] : [];
  });
}

/** init --from `csv` in a new directory, then rules check and score there; the init report. */
async function initCheckScore(csv: string): Promise<{ dir: string; report: string; scored: Record<string, string>[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-init-'));
  const init = await run(['init', '--from', csv], { cwd: dir });
  expect(init.status, init.stderr).toBe(0);
  expect(init.stdout).toBe('');
  for (const f of ['rules.yaml', 'qualify.yaml', 'questionnaires/needs-assessment.yaml', 'questionnaires/discovery-bant.yaml', 'questionnaires/discovery-meddic.yaml'])
    expect(existsSync(join(dir, f)), f).toBe(true);
  const check = await run(['rules', 'check', 'rules.yaml', '--as-of', '2026-11-01'], { cwd: dir });
  expect(check.status, check.stderr).toBe(0);
  expect(check.stderr).toContain('"Starter rules for');
  const score = await run(['score', csv, '--rules', 'rules.yaml', '--as-of', '2026-11-01', '--format', 'ndjson', '-o', 'scored.ndjson', '-q'], { cwd: dir });
  expect(score.status, score.stderr).toBe(0);
  const scored = readFileSync(join(dir, 'scored.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, string>);
  const result = { dir, report: init.stderr, scored };
  done.set(csv, result);
  return result;
}
const done = new Map<string, { dir: string; report: string; scored: Record<string, string>[] }>();
const initOnce = async (csv: string): ReturnType<typeof initCheckScore> => done.get(csv) ?? (await initCheckScore(csv));

describe('qualify init --from on every fixture', () => {
  it.each(csvFiles(join(ROOT, 'fixtures')).map((f) => [relative(ROOT, f)]))('%s: starter rules pass rules check and score the file', { timeout: 180_000 }, async (file) => {
    const { report, scored } = await initCheckScore(join(ROOT, file));
    expect(report).toMatch(/ read as fields:/);
    expect(scored.length).toBeGreaterThan(0);
    for (const row of scored) expect(row['tier'] ?? row['qualify_tier'], JSON.stringify(row)).toMatch(/\w/);
  });

  it('purchased-list.csv: the vendor\'s odd headers are mapped, Notes is listed with a suggestion', async () => {
    const { report } = await initOnce(join(ROOT, 'fixtures', 'purchased-list.csv'));
    for (const line of ['E-mail Address -> email', 'Phone # -> phone', 'Company / Account -> company', 'No. of Employees -> employees', 'Annual Revenue ($) -> revenue'])
      expect(report).toContain(`  ${line}\n`);
    expect(report).toContain('  Notes: shown on the lead card; not scored\n');
  });
});

describe('qualify init', () => {
  it('without --from: the shipped rules, questionnaires and qualify.yaml; a second run keeps them (INIT_EXISTS, exit 2), --force rewrites', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-init-'));
    expect((await run(['init'], { cwd: dir })).status).toBe(0);
    expect(readFileSync(join(dir, 'questionnaires', 'discovery-bant.yaml'), 'utf8')).toBe(readFileSync(join(ROOT, 'rules', 'discovery-bant.yaml'), 'utf8'));
    writeFileSync(join(dir, 'rules.yaml'), '# mine\n');
    const again = await run(['init'], { cwd: dir });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('[INIT_EXISTS]');
    expect(readFileSync(join(dir, 'rules.yaml'), 'utf8')).toBe('# mine\n');
    expect((await run(['init', '--force'], { cwd: dir })).status).toBe(0);
    expect(readFileSync(join(dir, 'rules.yaml'), 'utf8')).not.toBe('# mine\n');
  });

  it('a missing --from file: FILE_NOT_FOUND, exit 2, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-init-'));
    const r = await run(['init', '--from', 'nope.csv'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[FILE_NOT_FOUND]');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['Lead Status', /^disqualify/],
    ['Unsubscribed from all email', /^disqualify/],
    ['Contact owner', /^the rep/],
    ['Number of Form Submissions', /^engagement: points per unit/],
    ['Became a Customer Date', /^engagement: decay/],
    ['HubSpot Score', /^fit: a rule on the vendor/],
    ['Compnay Name', /^looks like company/],
    ['State/Region', /^fit: a territory rule/],
    ['', /without a name/],
  ])('an unmapped %j: %s', (header, suggestion) => {
    expect(suggestFor(header, fields)).toMatch(suggestion);
  });
});

// ../shared/datasets/crm-export-headers: real header spellings of Salesforce, HubSpot and Marketo
// exports (its README's tables; no data rows). Each set becomes a small CSV with made-up rows.
const CRM = join(ROOT, '..', 'shared', 'datasets', 'crm-export-headers', 'README.md');
const haveCrm = existsSync(CRM);

/** The backticked names in column `col` of the table under the heading that starts with `heading`. */
function headerSet(markdown: string, heading: string, col: number): string[] {
  const section = markdown.split(/\n## /).find((s) => s.startsWith(heading)) ?? '';
  const names: string[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('|') || /^\|[-| ]+\|$/.test(line)) continue;
    const cell = line.split('|')[col + 1] ?? '';
    for (const m of cell.matchAll(/`([^`]+)`/g)) if (!names.includes(m[1]!) && !m[1]!.includes('…')) names.push(m[1]!);
  }
  return names;
}

function crmCsv(dir: string, name: string, header: string[]): string {
  const value = (h: string, i: number): string =>
    /^e-?mail( address)?$/i.test(h) ? `ada.${i}@acme-analytics.com` : /employees/i.test(h) ? String(100 * i) : /date/i.test(h) ? `2026-10-2${i}` : /phone/i.test(h) ? `+1 415 555 26${i}0` : `value ${i}`;
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = [header, ...[1, 2, 3].map((i) => header.map((h) => value(h, i)))];
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, rows.map((r) => r.map(q).join(',')).join('\n') + '\n');
  return file;
}

describe.skipIf(!haveCrm)(`qualify init --from real CRM export headers (${haveCrm ? 'crm-export-headers' : 'skipped: ../shared/datasets is not beside this clone'})`, () => {
  const md = haveCrm ? readFileSync(CRM, 'utf8') : '';
  const sets: Array<[string, string[], Record<string, string>]> = [
    ['salesforce-api', headerSet(md, 'Salesforce', 1), { Email: 'email', Company: 'company', Title: 'title', NumberOfEmployees: 'employees', Phone: 'phone', LastActivityDate: 'last_activity' }],
    ['hubspot-labels', headerSet(md, 'HubSpot', 1), { Email: 'email', 'Company Name': 'company', 'Job Title': 'title', 'Number of Employees': 'employees', 'Country/Region': 'country', 'Record ID': 'id' }],
    ['hubspot-internal', headerSet(md, 'HubSpot', 2), { email: 'email', firstname: 'first_name', annualrevenue: 'revenue' }],
    ['marketo-rest', headerSet(md, 'Marketo', 0), { email: 'email', company: 'company', numberOfEmployees: 'employees', title: 'title' }],
  ];

  it.each(sets)('%s: starter rules pass rules check, score every row, and map the usual headers', { timeout: 180_000 }, async (name, header, expected) => {
    expect(header.length).toBeGreaterThan(8);
    const dir = mkdtempSync(join(tmpdir(), 'qualify-crm-'));
    const { report, scored } = await initCheckScore(crmCsv(dir, name, header));
    expect(scored).toHaveLength(3);
    for (const [h, field] of Object.entries(expected)) expect(report).toContain(`  ${h} -> ${field}\n`);
  });

  it('two columns for one field (Phone and MobilePhone) are never merged silently: the second is reported as ignored', () => {
    const m = mapHeaders(fields, headerSet(md, 'Salesforce', 1));
    expect(m.duplicates).toContainEqual({ field: 'phone', header: 'MobilePhone', used: 'Phone' });
  });
});
