// qualify.yaml `id_column` (and --id-column): the column that holds each lead's id, honoured by
// every command that finds a lead by it: explain, assess, discover, work (through the same
// finder) and log. A CRM export with its own reference beside the vendor's "Lead ID": once the
// project says the id is "CRM Ref", --lead takes CRM-1008, and the vendor's id is no longer an id.
// The built CLI runs in this process (runHere): nothing here depends on a separate process.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runHere } from './helpers.js';

let dir = '';
let csv = '';

/** The record of `ref` in the "CRM Ref" column, as column -> cell. */
function rowByRef(ref: string): Record<string, string> {
  const rows = parse(readFileSync(csv), { columns: true, bom: true }) as Record<string, string>[];
  return rows.find((r) => r['CRM Ref'] === ref)!;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qualify-idcol-'));
  const rows = parse(readFileSync(join(ROOT, 'fixtures', 'purchased-list.csv')), { bom: true }) as string[][];
  // Record N gets CRM-(1000+N): PL-0008 (record 8) is CRM-1008.
  const withRef = rows.map((r, i) => [...r, i === 0 ? 'CRM Ref' : `CRM-${1000 + i}`]);
  csv = join(dir, 'leads.csv');
  writeFileSync(csv, stringify(withRef));
  writeFileSync(join(dir, 'qualify.yaml'), 'id_column: CRM Ref\n');
  writeFileSync(join(dir, 'call.yaml'), ['source: webinar', 'need: [forecast_accuracy]', 'product_interest: platform', 'solution: one view of the pipeline', 'crm: salesforce', 'timeline: within_6_months', 'follow_up_agreed: no', ''].join('\n'));
});

describe('id_column in qualify.yaml', () => {
  it('explain finds the lead by the configured column; the vendor id is not an id any more; --id-column wins', async () => {
    const byRef = await runHere(['explain', csv, '--lead', 'CRM-1008', '--as-of', '2026-11-01'], { cwd: dir });
    expect(byRef.status, byRef.stderr).toBe(0);
    expect(byRef.stdout + byRef.stderr).toContain('Lead CRM-1008 (record 8)');
    const byVendorId = await runHere(['explain', csv, '--lead', 'PL-0008', '--as-of', '2026-11-01'], { cwd: dir });
    expect(byVendorId.status).toBe(2);
    expect(byVendorId.stderr).toContain('LEAD_NOT_FOUND');
    expect(byVendorId.stderr).toContain('id column "CRM Ref"');
    const option = await runHere(['explain', csv, '--lead', 'PL-0008', '--as-of', '2026-11-01', '--id-column', 'Lead ID'], { cwd: dir });
    expect(option.status, option.stderr).toBe(0);
  });

  it('assess and log find the lead by it, and name it by it', async () => {
    const assess = await runHere(['assess', csv, '--lead', 'CRM-1008', '--answers', join(dir, 'call.yaml'), '--rep', 'Kim', '--as-of', '2026-11-01'], { cwd: dir });
    expect(assess.status, assess.stderr).toBe(0);
    expect(assess.stderr).toMatch(/^CRM-1008: SAL/m);
    expect(rowByRef('CRM-1008')).toMatchObject({ 'Lead ID': 'PL-0008', stage: 'SAL' });
    const log = await runHere(['log', csv, '--lead', 'CRM-1008', '--attempt', 'call', '--result', 'no-answer'], { cwd: dir });
    expect(log.status, log.stderr).toBe(0);
    expect(rowByRef('CRM-1008')).toMatchObject({ 'Lead ID': 'PL-0008', fu_attempts: '1', fu_last_result: 'no-answer' });
  });

  it('--help of the lead commands says the setting feeds --id-column', async () => {
    for (const cmd of ['explain', 'work']) {
      const help = await runHere([cmd, '--help'], { cwd: dir });
      expect(help.stdout.replace(/\s+/g, ' ')).toContain('--id-column <header> the column that holds each lead\'s id');
      expect(help.stdout.replace(/\s+/g, ' ')).toContain('default from qualify.yaml "id_column:" when set');
    }
  });
});
