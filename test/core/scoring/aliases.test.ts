// Header matching with rules/default.yaml: aliases ignore case, spaces and punctuation; real
// CRM export headers (test/../shared/datasets/crm-export-headers: Salesforce, HubSpot, Marketo)
// map to the canonical fields; a missing required field is an error naming what was found;
// re-scoring finds the score columns of an earlier run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/core/scoring/engine.js';
import { isQualifyError, type QualifyError } from '../../../src/core/errors.js';
import { SCORE_COLUMNS } from '../../../src/core/rules/compiled.js';
import { AS_OF, mustCompile } from '../../helpers/rules.js';

const RULES = mustCompile(readFileSync(new URL('../../../rules/default.yaml', import.meta.url), 'utf8'));

function bind(header: string[]) {
  return createScorer(RULES, header, { asOfDay: AS_OF, file: 'leads.csv' }).binding;
}

/** Field name -> header it was bound to (fields absent from the file left out). */
function mapping(header: string[]): Record<string, string> {
  const b = bind(header);
  const out: Record<string, string> = {};
  RULES.fields.forEach((f, i) => {
    const col = b.columnOf[i]!;
    if (col >= 0) out[f.name] = header[col]!;
  });
  return out;
}

function bindError(header: string[]): QualifyError {
  try {
    bind(header);
  } catch (e) {
    if (isQualifyError(e)) return e as QualifyError;
    throw e;
  }
  throw new Error('expected a binding error');
}

describe('one field, many spellings: case, spaces and punctuation are ignored', () => {
  it.each(['email', 'Email', 'E-mail', 'E-Mail', 'Email Address', 'EMAIL_ADDRESS', ' e-mail address ', 'Work Email', 'E-mail Address', 'Attendee Email'])(
    '%j is the email field',
    (h) => {
      expect(mapping([h, 'Title']).email).toBe(h);
    },
  );

  it.each([
    ['Job Title', 'title'],
    ['jobtitle', 'title'],
    ['No. of Employees', 'employees'],
    ['Number of Employees', 'employees'],
    ['numberofemployees', 'employees'],
    ['Num Employees', 'employees'],
    ['Country/Region', 'country'],
    ['Country Code', 'country'],
    ['Company / Account', 'company'],
    ['Annual Revenue', 'revenue'],
    ['Time in Session (minutes)', 'minutes'],
    ['Last Activity Date', 'last_activity'],
    ['hs_analytics_num_visits', 'visits'],
  ])('%j is %s', (h, field) => {
    expect(mapping(field === 'title' ? ['Email', h] : ['Email', 'Title', h])[field]).toBe(h);
  });

  it('unmapped columns are left alone (bound to nothing, kept in the output width)', () => {
    const header = ['Email', 'Title', 'Favourite Colour', 'Notes, with a comma'];
    const b = bind(header);
    expect(Object.values(mapping(header)).sort()).toEqual(['Email', 'Title']);
    expect(b.outWidth).toBe(header.length + b.scoreNames.length);
  });
});

describe('real CRM export headers map with the default rules', () => {
  it('Salesforce report export (field labels)', () => {
    const header = ['Lead ID', 'First Name', 'Last Name', 'Title', 'Company / Account', 'Email', 'Phone', 'Lead Source', 'Lead Status', 'Industry', 'Annual Revenue', 'No. of Employees', 'Country', 'Last Activity', 'Lead Owner', 'Rating'];
    expect(mapping(header)).toEqual({
      id: 'Lead ID',
      first_name: 'First Name',
      last_name: 'Last Name',
      email: 'Email',
      phone: 'Phone',
      company: 'Company / Account',
      title: 'Title',
      employees: 'No. of Employees',
      industry: 'Industry',
      country: 'Country',
      revenue: 'Annual Revenue',
      source: 'Lead Source',
      last_activity: 'Last Activity',
    });
    expect(bind(header).ambiguous).toEqual([]);
  });

  it('Salesforce Data Loader export (API names): two columns for one field use the preferred alias', () => {
    const header = ['Id', 'FirstName', 'LastName', 'Title', 'Company', 'Email', 'MobilePhone', 'Phone', 'LeadSource', 'Status', 'Industry', 'AnnualRevenue', 'NumberOfEmployees', 'CountryCode', 'Country', 'LastActivityDate', 'HasOptedOutOfEmail', 'IsConverted'];
    expect(mapping(header)).toEqual({
      id: 'Id',
      first_name: 'FirstName',
      last_name: 'LastName',
      email: 'Email',
      phone: 'Phone',
      company: 'Company',
      title: 'Title',
      employees: 'NumberOfEmployees',
      industry: 'Industry',
      country: 'Country',
      revenue: 'AnnualRevenue',
      source: 'LeadSource',
      last_activity: 'LastActivityDate',
    });
    expect(bind(header).ambiguous).toEqual([
      { field: 'phone', used: 'Phone', ignored: ['MobilePhone'] },
      { field: 'country', used: 'Country', ignored: ['CountryCode'] },
    ]);
  });

  it('Marketo list export (friendly labels)', () => {
    const header = ['Email Address', 'First Name', 'Last Name', 'Company Name', 'Job Title', 'Num Employees', 'Annual Revenue', 'Country', 'Lead Source', 'Lead Score', 'Do Not Call'];
    expect(mapping(header)).toMatchObject({
      email: 'Email Address',
      company: 'Company Name',
      title: 'Job Title',
      employees: 'Num Employees',
      revenue: 'Annual Revenue',
      source: 'Lead Source',
    });
  });

  it('HubSpot contact export with internal names', () => {
    const header = ['hs_object_id', 'firstname', 'lastname', 'email', 'phone', 'mobilephone', 'jobtitle', 'company', 'numemployees', 'annualrevenue', 'industry', 'country', 'hs_analytics_source', 'hs_analytics_num_visits'];
    expect(mapping(header)).toMatchObject({
      id: 'hs_object_id',
      first_name: 'firstname',
      last_name: 'lastname',
      email: 'email',
      phone: 'phone',
      title: 'jobtitle',
      employees: 'numemployees',
      revenue: 'annualrevenue',
      source: 'hs_analytics_source',
      visits: 'hs_analytics_num_visits',
    });
  });

  // The header of a real "all properties" HubSpot contact export (2023), as
  // listed in ../shared/datasets/crm-export-headers/README.md (182 columns): very wide, with "/", ":",
  // "(HH:mm:ss)", an apostrophe and a non-ASCII custom property ("höbbela").
  const HUBSPOT_ALL = ["Record ID","First Name","Last Name","Annual Revenue","Average Pageviews","Became a Customer Date","Became a Lead Date","Became a Marketing Qualified Lead Date","Became a Sales Qualified Lead Date","Became a Subscriber Date","Became an Evangelist Date","Became an Opportunity Date","Became an Other Lifecycle Date","Buying Role","Buying Role Option","Campaign of last booking in meetings tool","City","Close Date","Company domain name","Company Name","Company size","Contact owner","Contact priority","Contact unworked","Country/Region","Create Date","Created by user ID","Currently in Sequence","Currently in workflow","Date of birth","Date of last meeting booked in meetings tool","Days To Close","Degree","Domain name","Domain to which registration email was sent","Email","Email address automated quarantine reason","Email address quarantine reason","Email Address Quarantined","Email Confirmed","Email Domain","Email hard bounce reason","Event Revenue","Facebook click id","Fax Number","Field of study","First Conversion","First Conversion Date","First Deal Created Date","First marketing email click date","First marketing email open date","First marketing email reply date","First marketing email send date","First Page Seen","First Referring Site","First Touch Converting Campaign","Gender","Google ad click id","Graduation date","HubSpot Score","HubSpot Team","höbbela","Industry","Invalid email address","IP City","IP Country","IP Country Code","IP State Code/Region Code","IP State/Region","IP Timezone","Job function","Job Title","Last Activity Date","Last Contacted","Last Engagement Date","Last marketing email click date","Last marketing email name","Last marketing email open date","Last marketing email reply date","Last marketing email send date","Last Modified Date","Last NPS survey comment","Last NPS survey date","Last NPS survey rating","Last Page Seen","Last Referring Site","Last sequence ended date","Last sequence enrolled","Last sequence enrolled date","Last Touch Converting Campaign","Latest Source","Latest Source Date","Latest Source Drill-Down 1","Latest Source Drill-Down 2","Lead Rating","Lead Status","Legal basis for processing contact's data","Lifecycle Stage","Likelihood to close","Marital Status","Marketing contact until next update","Marketing email confirmation status","Marketing emails bounced","Marketing emails clicked","Marketing emails delivered","Marketing emails opened","Marketing emails replied","Medium of last booking in meetings tool","Membership Notes","Message","Military status","Mobile Phone Number","Next Activity Date","Number of Associated Deals","Number of Employees","Number of event completions","Number of Form Submissions","Number of Pageviews","Number of Sales Activities","Number of sequences enrolled","Number of Sessions","Number of times contacted","Number of Unique Forms Submitted","Object create date/time","Opted out of email: Customer Service Communication","Original Source","Original Source Drill-Down 1","Original Source Drill-Down 2","Owner Assigned Date","Persona","Phone Number","Postal Code","Predictive Lead Score","Preferred language","Private e-mail address","Recent Conversion","Recent Conversion Date","Recent Deal Amount","Recent Deal Close Date","Recent Sales Email Clicked Date","Recent Sales Email Opened Date","Recent Sales Email Replied Date","Registered At","Relationship Status","Salutation","School","Sends Since Last Engagement","Seniority","Source of last booking in meetings tool","Start date","State/Region","Status","Street Address","Time between contact creation and deal close (HH:mm:ss)","Time between contact creation and deal creation (HH:mm:ss)","Time First Seen","Time Last Seen","Time of First Session","Time of Last Session","Time registration email was sent","Time to move from lead to customer (HH:mm:ss)","Time to move from marketing qualified lead to customer (HH:mm:ss)","Time to move from opportunity to customer (HH:mm:ss)","Time to move from sales qualified lead to customer (HH:mm:ss)","Time to move from subscriber to customer (HH:mm:ss)","Time Zone","Total Revenue","Twitter Username","Unsubscribed from all email","Website URL","WhatsApp Phone Number","Work email","Associated Company","Associated Deal","Associated Ticket","Associated Payment","Associated Subscription","Associated Company IDs","Associated Deal IDs","Associated Ticket IDs","Associated Payment IDs","Associated Subscription IDs"];

  it('HubSpot "all properties" export (182 columns)', () => {
    expect(HUBSPOT_ALL).toHaveLength(182);
    expect(mapping(HUBSPOT_ALL)).toEqual({
      id: 'Record ID',
      first_name: 'First Name',
      last_name: 'Last Name',
      email: 'Email',
      phone: 'Phone Number',
      company: 'Company Name',
      title: 'Job Title',
      employees: 'Number of Employees',
      industry: 'Industry',
      country: 'Country/Region',
      revenue: 'Annual Revenue',
      source: 'Original Source',
      visits: 'Number of Pageviews',
      email_opens: 'Marketing emails opened',
      last_activity: 'Last Activity Date',
    });
    const b = bind(HUBSPOT_ALL);
    expect(b.ambiguous).toEqual(
      expect.arrayContaining([
        { field: 'email', used: 'Email', ignored: ['Work email'] },
        { field: 'visits', used: 'Number of Pageviews', ignored: ['Number of Sessions'] },
        { field: 'last_activity', used: 'Last Activity Date', ignored: ['Last Engagement Date'] },
      ]),
    );
    // Fields the rules use that this export lacks: their rules simply cannot fire.
    expect(b.absentOptional.sort()).toEqual(['attended', 'downloads', 'minutes', 'webinars']);
    // All 182 columns pass through; the score columns come after them.
    expect(b.outWidth).toBe(182 + b.scoreNames.length);
    expect([...b.scoreAt]).toEqual(b.scoreNames.map((_, j) => 182 + j));
  });

  it('a HubSpot row scores with its wide header', () => {
    const scorer = createScorer(RULES, HUBSPOT_ALL, { asOfDay: AS_OF, file: 'hubspot.csv' });
    const row = HUBSPOT_ALL.map(() => '');
    const set = (h: string, v: string) => (row[HUBSPOT_ALL.indexOf(h)] = v);
    set('Email', 'dana@northwind.io');
    set('Job Title', 'VP of Sales');
    set('Number of Employees', '250');
    set('Industry', 'SaaS');
    set('Country/Region', 'United States');
    set('Number of Pageviews', '12');
    set('Last Activity Date', '2026-10-28');
    set('Original Source', 'Website');
    const r = scorer.score(row, 1);
    expect(r.reasons.map((x) => x.rule)).toEqual(
      expect.arrayContaining(['title:exec', 'title:revenue-function', 'size:core', 'industry:target', 'country:served', 'visits', 'recent', 'source:inbound']),
    );
    expect(r.stage).not.toBe('cold lead');
  });
});

describe('a field the rules need but the file lacks', () => {
  it('required field missing: CSV_MISSING_COLUMN naming the headers found and the closest one', () => {
    const header = ['E-Mail-Adresse', 'Jobtitel', 'Firma'];
    const e = bindError(header);
    expect(e.code).toBe('CSV_MISSING_COLUMN');
    expect(e.at).toMatchObject({ kind: 'csv', file: 'leads.csv', line: 1 });
    for (const h of header) expect(e.message).toContain(JSON.stringify(h));
    expect(e.message).toContain('"email"');
    expect(e.message).toContain('"title"');
    expect(e.message).toMatch(/closest header: "E-Mail-Adresse"/);
    expect(e.message).toMatch(/closest header: "Jobtitel"/);
  });

  it('only the missing required field is named', () => {
    const e = bindError(['Email', 'Name']);
    expect(e.code).toBe('CSV_MISSING_COLUMN');
    expect(e.message).toContain('"title"');
    expect(e.message).not.toContain('"email" (looked for');
  });

  it('an empty header is missing everything required', () => {
    expect(bindError([]).code).toBe('CSV_MISSING_COLUMN');
  });

  it('optional fields the rules use may be absent: listed, not an error', () => {
    const b = bind(['Email', 'Title']);
    expect(b.absentOptional.sort()).toEqual(
      ['attended', 'country', 'downloads', 'email_opens', 'employees', 'first_name', 'industry', 'last_activity', 'last_name', 'minutes', 'phone', 'revenue', 'source', 'visits', 'webinars'].sort(),
    );
    // company is only read by a disabled disqualifier, and id by nothing.
    expect(b.absentOptional).not.toContain('company');
    expect(b.absentOptional).not.toContain('id');
  });

  it('a required field that no rule uses is not needed', () => {
    const rules = mustCompile(`
name: t
fields:
  email: {}
  title: {}
fit: { rules: [{ id: a, why: a, when: { title: vp }, points: 1 }] }
engagement: { rules: [] }
score: { min: 0, max: 1 }
thresholds: [{ min: 0, max: 1, tier: t, stage: lead, action: a }]
`);
    const b = createScorer(rules, ['Title'], { asOfDay: AS_OF, file: 'x.csv' }).binding;
    expect([...b.columnOf]).toEqual([-1, 0]);
  });
});

describe('re-scoring a file that already has the score columns', () => {
  const names = RULES.grade ? [...SCORE_COLUMNS] : SCORE_COLUMNS.filter((c) => c !== 'grade');
  const input = ['Email', 'Title', 'Employees'];

  it('first run: score columns are appended after the input columns', () => {
    const b = bind(input);
    expect(b.scoreNames).toEqual(names);
    expect([...b.scoreAt]).toEqual(names.map((_, j) => input.length + j));
    expect(b.outWidth).toBe(input.length + names.length);
  });

  it('second run: the same columns, in the same place, nothing appended', () => {
    const header = [...input, ...names];
    const b = bind(header);
    expect([...b.scoreAt]).toEqual(names.map((_, j) => input.length + j));
    expect(b.outWidth).toBe(header.length);
    expect(mapping(header)).toEqual({ email: 'Email', title: 'Title', employees: 'Employees' });
  });

  it('score columns moved by a person stay where they are, when the whole set is there', () => {
    const header = ['score', 'Email', ...names.filter((n) => n !== 'score').reverse(), 'Title'];
    const b = bind(header);
    expect(b.scoreNames).toEqual(names);
    expect(b.scoreNames.map((n, j) => b.scoreAt[j] === header.indexOf(n))).toEqual(names.map(() => true));
    expect(b.outWidth).toBe(header.length);
    expect(b.clashes).toEqual([]);
  });

  it('a partial set is the user\'s: kept, and the score columns go under "qualify_" (issue 10 item 4)', () => {
    // Before: `score`, `tier` and `reasons` were taken as ours and overwritten.
    const header = ['score', 'Email', 'tier', 'Title', 'reasons'];
    const b = bind(header);
    expect(b.prefix).toBe('qualify_');
    expect(b.scoreNames).toEqual(names.map((n) => 'qualify_' + n));
    expect([...b.scoreAt]).toEqual(names.map((_, j) => header.length + j));
    expect(b.clashes).toEqual(['score', 'tier', 'reasons']);
    expect(b.stageCol).toBe(-1);
  });
  it('the stage, class and action columns of an earlier run are found for the human-stage check', () => {
    const header = [...input, ...names, 'qualified_at'];
    const b = bind(header);
    expect([b.stageCol, b.classCol, b.actionCol, b.qualifiedAtCol]).toEqual([header.indexOf('stage'), header.indexOf('class'), header.indexOf('action'), header.length - 1]);
  });

  it('with a column prefix, only prefixed columns count as ours, and a partial prefixed set is the user\'s', () => {
    const text = readFileSync(new URL('../../../rules/default.yaml', import.meta.url), 'utf8').replace('settings:\n', 'settings:\n  column_prefix: q_\n');
    const rules = mustCompile(text);
    const qNames = names.map((n) => 'q_' + n);
    const whole = ['Email', 'Title', 'score', ...qNames];
    const b = createScorer(rules, whole, { asOfDay: AS_OF, file: 'x.csv' }).binding;
    expect(b.scoreNames).toEqual(qNames);
    expect([...b.scoreAt]).toEqual(qNames.map((_, j) => 3 + j));
    expect(b.stageCol).toBe(whole.indexOf('q_stage'));
    expect(b.outWidth).toBe(whole.length);
    const partial = ['Email', 'Title', 'score', 'q_score', 'q_stage'];
    const p = createScorer(rules, partial, { asOfDay: AS_OF, file: 'x.csv' }).binding;
    expect(p.prefix).toBe('qualify_q_');
    expect(p.clashes).toEqual(['q_score', 'q_stage']);
    expect(p.stageCol).toBe(-1);
    expect(p.outWidth).toBe(partial.length + qNames.length);
  });
});

describe('a user column named like a score column is never ours (issue 10 item 4)', () => {
  const names = RULES.grade ? [...SCORE_COLUMNS] : SCORE_COLUMNS.filter((c) => c !== 'grade');
  it.each([
    [['Email', 'Title', 'Employees', 'score', 'notes'], ['score']],
    [['Email', 'Title', 'Employees', 'Score', 'notes'], ['Score']],
    [['Email', 'Title', 'SCORE'], ['SCORE']],
    [['Email', 'Title', ' stage '], [' stage ']],
    [['Email', 'Title', 'stage'], ['stage']],
    [['Email', 'Title', 'Stage', 'Class', 'Next Action'], ['Stage', 'Class']],
    [['Email', 'Title', 'Tier', 'Action', 'Reasons', 'Fit', 'Engagement', 'Grade'], ['Tier', 'Action', 'Reasons', 'Fit', 'Engagement', 'Grade']],
  ])('%j: kept, clashes %j, score columns appended under qualify_', (header, clashes) => {
    const b = bind(header);
    expect(b.clashes).toEqual(clashes);
    expect(b.scoreNames).toEqual(names.map((n) => 'qualify_' + n));
    expect([...b.scoreAt]).toEqual(names.map((_, j) => header.length + j));
    expect([b.stageCol, b.classCol, b.actionCol]).toEqual([-1, -1, -1]);
  });

  it('the second run finds the qualify_ columns it wrote: same place, nothing appended', () => {
    const first = ['Email', 'Title', 'Employees', 'score', 'notes'];
    const header = [...first, ...bind(first).scoreNames];
    const b = bind(header);
    expect(b.prefix).toBe('qualify_');
    expect([...b.scoreAt]).toEqual(names.map((_, j) => first.length + j));
    expect(b.outWidth).toBe(header.length);
    expect(b.stageCol).toBe(header.indexOf('qualify_stage'));
  });

  it('a header clashing with "qualify_" too moves on to "qualify2_"', () => {
    const b = bind(['Email', 'Title', 'score', 'Qualify Score']);
    expect(b.prefix).toBe('qualify2_');
    expect(b.clashes).toEqual(['score']);
  });

  it('stage, class and action written by assess next to qualified_at are ours; other clashes still move', () => {
    const header = ['Email', 'Title', 'na_outcome', 'stage', 'class', 'action', 'qualified_at'];
    const b = bind(header);
    expect(b.prefix).toBe('');
    expect([b.stageCol, b.classCol, b.actionCol]).toEqual([3, 4, 5]);
    expect(b.clashes).toEqual([]);
    const withScore = bind(['Email', 'Title', 'score', 'stage', 'class', 'action', 'qualified_at']);
    expect(withScore.prefix).toBe('qualify_');
    expect(withScore.stageCol).toBe(-1);
    // A user's lone `stage` beside qualify_* columns that assess wrote is still the user's.
    const lone = bind(['Email', 'Title', 'stage', 'qualify_stage', 'qualify_class', 'qualify_action', 'qualified_at']);
    expect(lone.prefix).toBe('qualify_');
    expect([lone.stageCol, lone.classCol, lone.actionCol]).toEqual([3, 4, 5]);
    expect(lone.clashes).toEqual(['stage']);
  });

  it('the whole set under exact names is ours even beside a user column that spells one differently', () => {
    const header = ['Email', 'Title', 'Score', ...names];
    const b = bind(header);
    expect(b.prefix).toBe('');
    expect(b.scoreAt[names.indexOf('score')]).toBe(header.indexOf('score'));
    expect(b.outWidth).toBe(header.length);
  });
});
