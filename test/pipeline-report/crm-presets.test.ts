// Issue 14 item 5: "the result imports without errors in the real product". A CRM import fails on
// a header it does not know (the column is skipped, or the import refuses the file) and on a value
// its property does not take (a lifecycle stage, a picklist value, a date or amount it cannot
// read). So every shipped preset's headers and fixed values are checked against the names the
// vendors publish, written down below with their source, and against the real export headers in
// ../shared/datasets/crm-export-headers (skipped when ../shared is not beside the clone). Then
// each preset is run on the scripted week's file plus two closed deals, and every cell of an
// enumerated column, every date and every amount is checked against what the CRM accepts.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { leadFilter } from '../../src/core/pipeline/select.js';
import { readCsvDocument } from '../../src/io/csv-row-update.js';
import { exportLeads, loadPreset, presetPath, shippedPresets } from '../../src/pipeline/export-split.js';
import { loadReadingRules } from '../../src/pipeline/reading-options.js';
import { readWorkedFile } from '../../src/pipeline/worked-file.js';
import { ROOT } from '../interactive/setup.js';

interface Official {
  /** Where the names come from. */
  sources: string[];
  /** Every header the import maps to a field by itself. */
  headers: string[];
  /** Columns whose values must be one of these (a picklist, an enumeration). */
  values: Record<string, string[]>;
  dates?: string[];
  amounts?: string[];
}

const OFFICIAL: Record<string, Official> = {
  'hubspot-contacts': {
    sources: [
      // Default contact property labels (the import maps a header equal to a label by itself).
      'https://knowledge.hubspot.com/properties/hubspots-default-contact-properties',
      // Lifecycle stage internal values.
      'https://knowledge.hubspot.com/records/use-lifecycle-stages',
      // Labels as real exports write them: ../shared/datasets/crm-export-headers/README.md (HubSpot).
      'https://developers.hubspot.com/docs/api/crm/exports',
    ],
    headers: ['Email', 'First Name', 'Last Name', 'Phone Number', 'Mobile Phone Number', 'Company Name', 'Job Title', 'Industry', 'Country/Region', 'State/Region', 'City', 'Postal Code', 'Website URL', 'Annual Revenue', 'Lifecycle Stage', 'Lead Status', 'Contact owner'],
    values: {
      'Lifecycle Stage': ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'],
      // hs_lead_status's default options; empty leaves the property unset.
      'Lead Status': ['', 'NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'],
    },
  },
  'salesforce-leads': {
    sources: ['https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_Lead.htm'],
    headers: ['FirstName', 'LastName', 'Company', 'Title', 'Email', 'Phone', 'MobilePhone', 'Website', 'Industry', 'NumberOfEmployees', 'AnnualRevenue', 'Street', 'City', 'State', 'PostalCode', 'Country', 'LeadSource', 'Status', 'Rating', 'Description'],
    values: {
      // The default Lead Status picklist without its converted value (an import cannot convert a lead).
      Status: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted'],
      Rating: ['Hot', 'Warm', 'Cold'],
    },
    amounts: ['NumberOfEmployees'],
  },
  'salesforce-opportunities': {
    sources: [
      'https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_Opportunity.htm',
      // The default StageName values (OpportunityStage records of a new org).
      'https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-opportunitystage.html',
    ],
    headers: ['Name', 'AccountId', 'StageName', 'Amount', 'CloseDate', 'NextStep', 'LeadSource', 'Type', 'Probability', 'Description'],
    values: {
      StageName: ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'],
      Type: ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer'],
    },
    dates: ['CloseDate'],
    amounts: ['Amount'],
  },
  'pipedrive-deals': {
    sources: [
      // Deal fields an import takes (title, value, currency, owner, stage, expected close date) and
      // the person or organization name a deal needs.
      'https://support.pipedrive.com/en/article/importing-mandatory-fields',
      'https://support.pipedrive.com/en/article/import-fields',
      // The "Object - Field" headers of Pipedrive's own export, which its import maps back: as
      // public code that reads real exports spells them (the currency is "Deal - Currency of
      // Value", not "Deal - Currency").
    ],
    headers: ['Deal - Title', 'Deal - Value', 'Deal - Currency of Value', 'Deal - Owner', 'Deal - Stage', 'Deal - Expected close date', 'Person - Name', 'Person - Email', 'Person - Phone', 'Organization - Name'],
    values: {
      // The stages of Pipedrive's default pipeline.
      'Deal - Stage': ['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started'],
    },
    dates: ['Deal - Expected close date'],
    amounts: ['Deal - Value'],
  },
};

describe('the shipped CRM presets use the names the CRMs publish', () => {
  it('every shipped preset is listed here', () => {
    expect(shippedPresets().sort()).toEqual(Object.keys(OFFICIAL).sort());
  });

  describe.each(Object.entries(OFFICIAL))('%s', (name, official) => {
    const preset = loadPreset(presetPath(name));
    it('every header is one of the CRM\'s own field names, spelled as published', () => {
      for (const c of preset.columns) expect(official.headers, c.header).toContain(c.header);
      expect(new Set(preset.columns.map((c) => c.header)).size).toBe(preset.columns.length);
    });
    it('every value an enumerated column can take (map, by_stage, default, fixed value) is one of its options', () => {
      for (const c of preset.columns) {
        const allowed = official.values[c.header];
        if (!allowed) continue;
        const written = [...Object.values(c.map ?? {}), ...Object.values(c.by_stage ?? {}), ...(c.default !== undefined ? [c.default] : []), ...(c.value !== undefined ? [c.value] : [])];
        expect(written.length, c.header).toBeGreaterThan(0);
        for (const v of written) expect(allowed, `${c.header}: ${v}`).toContain(v);
        // A value that comes through unmapped could be anything: enumerated columns are always mapped.
        expect(c.map !== undefined || c.value !== undefined, c.header).toBe(true);
      }
    });
  });
});

const SHARED = join(ROOT, '..', 'shared', 'datasets', 'crm-export-headers', 'README.md');
const shared = existsSync(SHARED);

/** The backticked names of one `## ` section of the crm-export-headers README. */
function namesIn(text: string, heading: string): Set<string> {
  const start = text.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`no section "${heading}" in ${SHARED}`);
  const end = text.indexOf('\n## ', start + 3);
  const section = text.slice(start, end < 0 ? undefined : end);
  return new Set([...section.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

describe.skipIf(!shared)(`the presets against the real export headers (${shared ? SHARED : 'skipped: ../shared/datasets/crm-export-headers is not beside this clone'})`, () => {
  const text = shared ? readFileSync(SHARED, 'utf8') : '';
  it('hubspot-contacts: every header is a label HubSpot exports write; lifecycle stages and lead statuses are the listed internal values', () => {
    const names = namesIn(text, 'HubSpot');
    const preset = loadPreset(presetPath('hubspot-contacts'));
    for (const c of preset.columns) expect(names, c.header).toContain(c.header);
    const stages = /lifecycle stages are documented[^:]*:\s*([a-z, ]+)\./i.exec(text.replace(/\s+/g, ' '))?.[1]?.split(/,\s*/) ?? [];
    expect(stages).toContain('marketingqualifiedlead');
    const lifecycle = preset.columns.find((c) => c.header === 'Lifecycle Stage')!;
    for (const v of [...Object.values(lifecycle.map ?? {}), lifecycle.default!]) expect(stages, v).toContain(v);
    const status = preset.columns.find((c) => c.header === 'Lead Status')!;
    for (const v of Object.values(status.map ?? {})) expect(names, v).toContain(v);
  });
  it('salesforce-leads: every header is a Lead API name a Data Loader export writes (Description: the field reference); Status and Rating are default picklist values', () => {
    const names = namesIn(text, 'Salesforce');
    const preset = loadPreset(presetPath('salesforce-leads'));
    // Not in that table, but a Lead field of the field reference cited above (a 32,000-character textarea).
    const elsewhere = new Set(['Description']);
    for (const c of preset.columns) if (!elsewhere.has(c.header)) expect(names, c.header).toContain(c.header);
    for (const header of ['Status', 'Rating']) {
      const c = preset.columns.find((x) => x.header === header)!;
      for (const v of [...Object.values(c.map ?? {}), c.default!]) expect(names, `${header}: ${v}`).toContain(v);
    }
  });
});

describe('each preset on a worked file: what the CRM reads', () => {
  // The scripted week's file, plus a won and a lost deal (a closed deal keeps its last pipeline stage in opp_stage).
  const dir = mkdtempSync(join(tmpdir(), 'qualify-presets-'));
  const csv = join(dir, 'leads.csv');
  writeFileSync(csv, readFileSync(join(ROOT, 'fixtures', 'pipeline', 'worked-week.csv')));

  it.each(Object.entries(OFFICIAL))('%s: the headers in order, enumerated cells among the options, ISO dates, plain amounts', async (name, official) => {
    const { rules } = loadReadingRules(undefined, {});
    const preset = loadPreset(presetPath(name));
    const wf = readWorkedFile(await readCsvDocument(csv), rules, Date.UTC(2026, 10, 9) / 86_400_000);
    const out = exportLeads(wf, rules, leadFilter({}), preset, { dropUnmapped: true });
    expect(out.header).toEqual(preset.columns.map((c) => c.header));
    const rows = parse(out.text, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      for (const [h, allowed] of Object.entries(official.values)) if (h in row) expect(allowed, `${h} = ${row[h]}`).toContain(row[h]);
      for (const h of official.dates ?? []) expect(row[h], h).toMatch(/^(\d{4}-\d{2}-\d{2})?$/);
      for (const h of official.amounts ?? []) expect(row[h], h).toMatch(/^(\d+(\.\d+)?)?$/);
    }
  });

  it('salesforce-opportunities: a won and a lost deal are Closed Won and Closed Lost, whatever their last pipeline stage; salesforce-leads leaves deals out', async () => {
    const closed = join(dir, 'closed.csv');
    writeFileSync(
      closed,
      [
        'Email,First Name,Last Name,Company,Title,fit,engagement,score,tier,grade,stage,class,action,reasons,qualified_at,opp_amount,opp_stage,opp_next_step,opp_close_date',
        'ana@won.test,Ana,Ortiz,Won Ltd,CFO,50,30,80,hot,A2,Closed Won,opportunity,,,2026-11-20T10:00:00Z,"48,000",negotiation,contract,2026-11-20',
        'lou@lost.test,Lou,Park,Lost plc,CRO,45,25,70,warm,B2,Closed Lost,opportunity,,,2026-11-21T10:00:00Z,12000,proposal,proposal,2026-11-21',
        'max@open.test,Max,Roy,Open AG,VP Sales,45,30,75,warm,B2,opportunity,opportunity,,,2026-11-02T10:00:00Z,9000,demo,demo,2026-12-01',
        '',
      ].join('\r\n'),
    );
    const { rules } = loadReadingRules(undefined, {});
    const wf = readWorkedFile(await readCsvDocument(closed), rules, Date.UTC(2026, 10, 30) / 86_400_000);
    const sf = parse(exportLeads(wf, rules, leadFilter({}), loadPreset(presetPath('salesforce-opportunities')), { dropUnmapped: true }).text, { columns: true }) as Record<string, string>[];
    expect(sf.map((r) => [r['Name'], r['StageName'], r['Amount'], r['CloseDate']])).toEqual([
      ['Won Ltd - ana@won.test', 'Closed Won', '48000', '2026-11-20'],
      ['Lost plc - lou@lost.test', 'Closed Lost', '12000', '2026-11-21'],
      ['Open AG - max@open.test', 'Value Proposition', '9000', '2026-12-01'],
    ]);
    const leads = exportLeads(wf, rules, leadFilter({}), loadPreset(presetPath('salesforce-leads')), { dropUnmapped: true });
    expect(leads.rows).toBe(0);
  });
});
