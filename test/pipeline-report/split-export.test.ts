// `qualify split` and `qualify export` through the built CLI: split files keep the input's form
// byte for byte (a semicolon, CRLF, Windows-1252 file); filters; every shipped preset gives the
// CRM's headers and values; a broken preset is PRESET_INVALID at its line, nothing written.
// Every run is the built CLI in this process (test/helpers/in-process-cli.ts): none needs stdin,
// a terminal or a process of its own.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';
import { cliEnv, ROOT } from '../interactive/setup.js';

async function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await runInProcess(args, cliEnv(), ROOT);
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

describe('qualify split', () => {
  it('a Windows-1252, semicolon, CRLF file: five files in its form, every record byte for byte, each lead in exactly one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-split-'));
    const csv = join(dir, 'leads.csv');
    const text = [
      'sep=;',
      'Email;First Name;Title;Employees;Industry;Country;stage;class;qualified_at',
      'anna@müller.de;Anna;"VP Sales; EMEA";250;Software;Germany;SQL;prospect;2026-10-30T10:00:00Z',
      'bob@acme.com;Bob;CEO;300;SaaS;USA;Opportunity;opportunity;2026-10-31T10:00:00Z',
      'test@test.com;Test;x;1;x;x;;;',
      'carl@beta.com;Carl;"Head of ""Growth""";80;Software;France;;;',
      'dora@rivalcorp.com;Dora;CFO;500;Software;USA;;;',
      '',
    ].join('\r\n');
    writeFileSync(csv, Buffer.from(text, 'latin1'));
    const out = join(dir, 'out');
    mkdirSync(out);
    const r = await run(['split', csv, '--out-dir', out, '--encoding', 'win1252', '--as-of', '2026-11-01']);
    expect(r.stderr).toContain('Split');
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['leads.bad-leads.csv', 'leads.disqualified.csv', 'leads.leads.csv', 'leads.opportunities.csv', 'leads.prospects.csv']);
    const head = 'sep=;\r\nEmail;First Name;Title;Employees;Industry;Country;stage;class;qualified_at\r\n';
    const file = (g: string) => readFileSync(join(out, `leads.${g}.csv`)).toString('latin1');
    expect(file('prospects')).toBe(head + 'anna@müller.de;Anna;"VP Sales; EMEA";250;Software;Germany;SQL;prospect;2026-10-30T10:00:00Z\r\n');
    expect(file('opportunities')).toBe(head + 'bob@acme.com;Bob;CEO;300;SaaS;USA;Opportunity;opportunity;2026-10-31T10:00:00Z\r\n');
    expect(file('bad-leads')).toContain('test@test.com');
    expect(file('disqualified')).toContain('dora@rivalcorp.com');
    const all = ['leads', 'prospects', 'opportunities', 'bad-leads', 'disqualified'].map(file).join('');
    for (const line of text.split('\r\n').slice(2, -1)) expect(all.split(line).length - 1, line).toBe(1);
  });

  it('--out-dir that is not a directory, and a --min-score that is not a number: exit 2, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-split-'));
    const r = await run(['split', join(ROOT, 'fixtures', 'purchased-list.csv'), '--out-dir', join(dir, 'missing')]);
    expect(r.stderr).toContain('is not a directory');
    expect(r.status).toBe(2);
    const m = await run(['split', join(ROOT, 'fixtures', 'purchased-list.csv'), '--out-dir', dir, '--min-score', 'high']);
    expect(m.stderr).toContain('--min-score must be a number');
    expect(m.status).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('qualify export', () => {
  let csv: string;
  let dir: string;
  beforeAll(() => {
    // The scripted week's file (test/pipeline-report/week.ts), as committed: export only reads it.
    dir = mkdtempSync(join(tmpdir(), 'qualify-export-'));
    csv = join(dir, 'leads.csv');
    copyFileSync(join(ROOT, 'fixtures', 'pipeline', 'worked-week.csv'), csv);
  });
  const rows = (s: string) => parse(s, { columns: true }) as Record<string, string>[];

  it('--preset hubspot-contacts: HubSpot\'s property labels, lifecycle stage and lead status internal values; filters apply', async () => {
    const r = await run(['export', csv, '--preset', 'hubspot-contacts', '--stage', 'SAL,opportunity,disqualified', '--drop-unmapped']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\r\n')[0]).toBe('Email,First Name,Last Name,Phone Number,Company Name,Job Title,Industry,Country/Region,Lifecycle Stage,Lead Status');
    const got = rows(r.stdout);
    expect(got.find((x) => x['Email'] === 'sam@blueyonder.aero')).toMatchObject({ 'Lifecycle Stage': 'salesqualifiedlead', 'Lead Status': 'IN_PROGRESS' });
    expect(got.find((x) => x['Email'] === 'hana@tailspintoys.com')).toMatchObject({ 'Lifecycle Stage': 'opportunity', 'Lead Status': 'OPEN_DEAL' });
    expect(got.find((x) => x['Email'] === 'grace@fabrikam.com')).toMatchObject({ 'Lifecycle Stage': 'other', 'Lead Status': 'UNQUALIFIED' });
    expect(new Set(got.map((x) => x['Lifecycle Stage']))).toEqual(new Set(['salesqualifiedlead', 'opportunity', 'other']));
  });

  it('--preset salesforce-opportunities and pipedrive-deals: only opportunities, the CRMs\' stage names, ISO close date, plain amount', async () => {
    const sf = rows((await run(['export', csv, '--preset', 'salesforce-opportunities', '--drop-unmapped'])).stdout);
    expect(sf).toEqual([
      {
        Name: 'Tailspin Toys - PL-0069',
        StageName: 'Value Proposition',
        Amount: '48000',
        CloseDate: '2026-12-15',
        NextStep: 'demo',
        LeadSource: 'Purchased List',
        Type: 'New Customer',
        Description: 'Hana Silva <hana@tailspintoys.com>, VP of Sales',
      },
    ]);
    const pd = rows((await run(['export', csv, '--preset', 'pipedrive-deals', '--drop-unmapped'])).stdout);
    expect(pd).toEqual([
      {
        'Deal - Title': 'Tailspin Toys deal',
        'Deal - Value': '48000',
        'Deal - Currency of Value': 'EUR',
        'Deal - Stage': 'Demo Scheduled',
        'Deal - Expected close date': '2026-12-15',
        'Person - Name': 'Hana Silva',
        'Person - Email': 'hana@tailspintoys.com',
        'Person - Phone': 'n/a',
        'Organization - Name': 'Tailspin Toys',
      },
    ]);
  });

  it('--preset salesforce-leads keeps the unmapped columns after the mapped ones (and drops them with --drop-unmapped)', async () => {
    const kept = await run(['export', csv, '--preset', 'salesforce-leads', '--tier', 'hot']);
    const header = kept.stdout.split('\r\n')[0]!.split(',');
    expect(header.slice(0, 13)).toEqual(['FirstName', 'LastName', 'Company', 'Title', 'Email', 'Phone', 'Industry', 'NumberOfEmployees', 'Country', 'LeadSource', 'Status', 'Rating', 'Description']);
    expect(header).toContain('Lead ID');
    expect(header).toContain('na_need');
    expect(header).not.toContain('score');
    // Hana's lead became an opportunity: a converted lead in Salesforce, exported by salesforce-opportunities.
    expect(rows(kept.stdout).map((x) => [x['Email'], x['Status'], x['Rating']])).toEqual([['sam@blueyonder.aero', 'Working - Contacted', 'Hot']]);
    const dropped = await run(['export', csv, '--preset', 'salesforce-leads', '--tier', 'hot', '--drop-unmapped']);
    expect(dropped.stdout.split('\r\n')[0]!.split(',')).toHaveLength(13);
  });

  it('a preset of your own with a mistake: PRESET_INVALID at its line:col, exit 2, no output file', async () => {
    const preset = join(dir, 'mine.yaml');
    writeFileSync(preset, 'name: mine\ncolumns:\n  - { header: Email, from: email }\n  - { header: Stage, from: stage, typ: text }\n');
    const out = join(dir, 'mine.csv');
    const r = await run(['export', csv, '--preset', preset, '-o', out]);
    expect(r.stderr).toMatch(/mine\.yaml:4:\d+: error: .*typ.*\[PRESET_INVALID\]/);
    expect(r.status).toBe(2);
    expect(existsSync(out)).toBe(false);
    writeFileSync(preset, 'name: mine\ncolumns:\n  - { header: Email, from: e_mail }\n');
    const unknown = await run(['export', csv, '--preset', preset, '-o', out]);
    expect(unknown.stderr).toContain('reads "e_mail", which is neither a rules field');
    expect(unknown.status).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
