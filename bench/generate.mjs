#!/usr/bin/env node
// Deterministic generator of "dirty" purchased-list lead CSVs for `npm run bench`.
//
//   node bench/generate.mjs --rows 1000000 --seed 42 --out leads.csv
//   node bench/generate.mjs --rows 1000 --seed 7            # to stdout
//   node bench/generate.mjs --rows 100000 --cache           # ensure bench/out/leads-…csv, print its path
//   node bench/generate.mjs --rows 1000000 --outcome --cache  # plus a last column "Converted" (yes/no)
//
// Why hand-rolled and not csv-stringify: the generator must not be the bottleneck of the bench
// (1M rows in a few seconds), and we want full control over the *dirt*: which cells are quoted,
// which numbers carry thousands separators, where a note breaks a line. Quoting is still
// RFC 4180: a cell with `,`, `"`, CR or LF is wrapped in quotes and its quotes are doubled.
//
// --outcome adds a last column, "Converted", for `qualify calibrate`: drawn from a second generator
// seeded from the same seed, so every other cell is the one the plain file has, and the plain
// file stays byte-identical. The chance of converting follows a logistic model of the lead's own
// cells (title, source, engagement, recency, size), so calibrate has something real to find.
//
// Same (rows, seed, GENERATOR_VERSION) => byte-identical file. Bump GENERATOR_VERSION whenever
// the output changes, so the cache in bench/out/ (keyed by it) never serves a stale file.

import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const GENERATOR_VERSION = 1;
export const HEADERS = [
  'Lead ID', 'First Name', 'Last Name', 'Email', 'Phone', 'Company', 'Job Title',
  'No. of Employees', 'Industry', 'Country', 'Annual Revenue', 'Lead Source', 'Website Visits',
  'Email Opens', 'Content Downloads', 'Webinars Attended', 'Last Activity Date', 'Notes',
];

export const OUTCOME_HEADER = 'Converted';

const HERE = dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = join(HERE, 'out');

// mulberry32: tiny, fast, good enough for test data, and identical on every platform/Node version
// (Math.random is neither seedable nor reproducible).
function mulberry32(seed) {
  let a = seed >>> 0;
  return function rnd() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- vocabularies --------------------------------------------------------------------------
const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen', 'Wei', 'Priya',
  'Ahmed', 'Fatima', 'Hiroshi', 'Yuki', 'Olga', 'Lars', 'Sofia', 'Mateo', 'Chloé', 'José', 'Zoë', 'Anne-Marie', "D'Andre",
  'Liam', 'Emma', 'Noah', 'Olivia', 'Lucas', 'Mia', 'Ethan', 'Ava', 'Ravi', 'Ngozi', 'Kwame', 'Ingrid', 'Björn', 'Siobhan'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee',
  'Chen', 'Wang', 'Kumar', 'Patel', 'Nakamura', 'Müller', 'Schmidt', 'Dubois', "O'Brien", 'van der Berg', 'Nguyen',
  'Kowalski', 'Rossi', 'Silva', 'Okafor', 'Mensah', 'Larsen', 'García Márquez', 'Smith-Jones', 'MacDonald', 'Ivanova'];
const CO_A = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Cyberdyne',
  'Tyrell', 'Wonka', 'Gringotts', 'Aperture', 'Blue Sun', 'Northwind', 'Contoso', 'Fabrikam', 'Pied Piper', 'Massive Dynamic',
  'Oscorp', 'Dunder Mifflin', 'Prestige Worldwide', 'Sterling Cooper', 'Bluth', 'Krusty', 'Nakatomi', 'Zorg', 'Virtucon', 'Genco'];
// Invented company names from syllables (16 x 16 x 12 stems), so that first.last@company collides
// by chance well under 1% at 1M rows; the ~1% duplicates the bench wants are injected on purpose.
const SYL_A = ['Vel', 'Quan', 'Nor', 'Zen', 'Cor', 'Lum', 'Ar', 'Tri', 'Syn', 'Oro', 'Bright', 'Hex', 'Kin', 'Mer', 'Pax', 'Sol'];
const SYL_B = ['tr', 'v', 'd', 'l', 'n', 'ph', 'r', 'x', 'st', 'g', 'k', 'm', 'c', 'b', 'z', 'sp'];
const SYL_C = ['ix', 'ora', 'ex', 'ium', 'ara', 'on', 'ify', 'ent', 'ly', 'io', 'os', 'a'];
const CO_B = ['', '', ' Inc', ' Inc.', ' LLC', ' Ltd', ' GmbH', ' Corp', ' Corporation', ' Group', ' Labs', ' Systems',
  ' Solutions', ' Technologies', ', Inc.', ' & Sons', ' Holdings', ' S.A.'];
// Mixed case on purpose: purchased lists are typed by hand.
const TITLES = ['VP of Sales', 'vp marketing', 'VP Marketing', 'Chief Revenue Officer', 'CRO', 'Sales Manager',
  'sales manager', 'Marketing Manager', 'Director of Marketing', 'director, demand generation', 'Head of Growth',
  'CEO', 'Founder & CEO', 'co-founder', 'CTO', 'Chief Marketing Officer', 'CMO', 'VP, Business Development',
  'Account Executive', 'SDR', 'Sales Development Representative', 'Marketing Coordinator', 'Operations Manager',
  'IT Director', 'Software Engineer', 'Intern', 'Marketing Intern', 'Student', 'student', 'Consultant', 'Owner',
  'President', 'SVP Sales', 'Senior Vice President, Sales', 'Procurement Specialist', 'Office Manager', 'Analyst'];
const INDUSTRIES = ['Software', 'SaaS', 'Information Technology', 'Financial Services', 'Banking', 'Insurance',
  'Healthcare', 'Manufacturing', 'Retail', 'E-commerce', 'Education', 'Higher Education', 'Government',
  'Non-profit', 'Telecommunications', 'Media', 'Real Estate', 'Consulting', 'Logistics', 'Energy', 'software',
  'Computer Software', 'Hospital & Health Care', 'Marketing & Advertising'];
const COUNTRIES = ['United States', 'United States', 'United States', 'USA', 'US', 'U.S.', 'Canada', 'United Kingdom', 'UK',
  'Germany', 'France', 'Netherlands', 'Australia', 'India', 'Brazil', 'Japan', 'Spain', 'Ireland', 'Sweden', 'Singapore',
  'Mexico', 'Nigeria', 'South Africa', 'Israel'];
const SOURCES = ['Webinar', 'Content Download', 'Purchased List', 'Referral', 'Outbound', 'Website', 'Trade Show', 'Partner'];
// Weighted: most of a bought list says "Purchased List".
const SOURCE_W = [0.10, 0.12, 0.38, 0.06, 0.12, 0.12, 0.06, 0.04];
const PERSONAL = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'aol.com', 'icloud.com'];
const EDU = ['stanford.edu', 'mit.edu', 'umich.edu', 'berkeley.edu', 'nyu.edu', 'ox.ac.uk'];
const COMPETITORS = ['rivalcorp.com', 'competitor.io', 'leadscorer.com'];
const FAKE_EMAILS = ['test@test.com', 'asdf@asdf.com', 'noreply@example.com', 'a@b.c', 'none@none.com', 'xxx@xxx.com'];
const NOTE_BITS = ['Met at booth', 'asked for pricing', 'wants a demo next quarter', 'no budget until Q3',
  'using a competitor, contract ends in March', 'downloaded the ROI e-book', 'attended "Scaling Outbound" webinar',
  'said "call me later"', 'bounced once', 'left voicemail', 'interested, but needs approval from CFO',
  'Referred by Dana', 'requested case study', 'not the decision maker', 'Budget: ~$50k', 'follow up w/ IT team',
  'unsubscribed from newsletter', 'prefers email', 'timezone: PST', 'replied "not now, maybe 2027"'];

// ---- the generator ------------------------------------------------------------------------
// Dates are relative to this fixed as-of date (the same one the bench passes to `qualify score`).
const AS_OF_MS = Date.UTC(2026, 10, 1); // 2026-11-01
const DAY_MS = 86400000;

function pad2(n) { return n < 10 ? '0' + n : '' + n; }

function quote(s) {
  // RFC 4180: wrap when needed, double the quotes inside. Cheap checks first: most cells are clean.
  if (s.indexOf('"') !== -1) return '"' + s.replace(/"/g, '""') + '"';
  if (s.indexOf(',') !== -1 || s.indexOf('\n') !== -1 || s.indexOf('\r') !== -1) return '"' + s + '"';
  return s;
}

function withThousands(n) {
  // 1200 -> "1,200" without toLocaleString (locale-dependent and slow).
  const s = '' + n;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return out;
}

function slug(company) {
  return company.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

// Lookup tables built once: string work per row (regexes, toLowerCase, Date objects) profiled as
// the main cost of generation, and all of it depends on a small set of inputs.
const STEMS = [...CO_A];
for (const a of SYL_A) for (const b of SYL_B) for (const c of SYL_C) STEMS.push(a + b + c);
const COMPANIES = STEMS.flatMap((a) => CO_B.map((b) => a + b));
const DOMAIN_STEMS = COMPANIES.map((c) => slug(c.replace(/,? ?(Inc\.?|LLC|Ltd|GmbH|Corp|Corporation|S\.A\.)$/, '')));
const DOMAINS_COM = DOMAIN_STEMS.map((d) => d + '.com');
const DOMAINS_IO = DOMAIN_STEMS.map((d) => d + '.io');
// Four common corporate patterns per person: j.smith, john.smith, jsmith, johns.
const LOCAL = Object.fromEntries(FIRST.map((f) => [f, Object.fromEntries(LAST.map((l) => [l,
  [f[0] + '.' + l, f + '.' + l, f[0] + l, f + l[0]].map((x) => x.toLowerCase().normalize('NFD').replace(/[^a-z0-9.]/g, ''))]))]));
const ISO_DAYS = [];
const US_DAYS = [];
for (let k = 0; k <= 400; k++) {
  const dt = new Date(AS_OF_MS - k * DAY_MS);
  const y = dt.getUTCFullYear(), mo = dt.getUTCMonth() + 1, da = dt.getUTCDate();
  ISO_DAYS.push(y + '-' + pad2(mo) + '-' + pad2(da));
  US_DAYS.push(mo + '/' + da + '/' + y);
}

const SENIOR = /\b(vp|vice president|chief|cro|cmo|ceo|cto|head|director|founder|owner|president|svp)\b/i;
const JUNIOR = /\b(intern|student|coordinator)\b/i;
const SOURCE_LOGIT = { Referral: 1.2, Webinar: 0.8, 'Trade Show': 0.6, 'Content Download': 0.4, Partner: 0.5, Website: 0.2, Outbound: -0.3, 'Purchased List': -0.8, '': -0.2 };
const titleLogit = new Map();

/** Chance that the lead converted, from its own cells (a logistic model, base rate ~10%). */
function conversionChance(title, src, visits, downloads, webinars, dateDraw, employees, email) {
  let t = titleLogit.get(title);
  if (t === undefined) titleLogit.set(title, (t = SENIOR.test(title) ? 1.0 : JUNIOR.test(title) ? -1.5 : 0));
  let z = -4.0 + t + (SOURCE_LOGIT[src] ?? 0);
  const v = Number(visits.replace(/,/g, ''));
  if (v >= 1000) z -= 1; // a bot
  else if (v > 0) z += Math.min(v, 30) * 0.04;
  z += Number(downloads || 0) * 0.25 + Number(webinars || 0) * 0.45;
  if (dateDraw < 0.05) z -= 0.5; // no activity on record
  if (employees >= 200 && employees < 10000) z += 0.4;
  if (email.indexOf('@') < 1 || email.endsWith('.edu')) z -= 0.7;
  return 1 / (1 + Math.exp(-z));
}

/**
 * Returns an iterator of CSV text chunks (header first) of roughly `chunkBytes` each.
 * Building big strings and writing few chunks is much faster than one write per row.
 */
export function* generateChunks({ rows, seed = 42, bom = false, outcome = false, chunkBytes = 1 << 20 }) {
  const rnd = mulberry32(seed);
  // Its own stream: drawing outcomes must not shift any other cell.
  const rndOutcome = mulberry32((seed ^ 0x5bd1e995) >>> 0);
  const pick = (arr) => arr[(rnd() * arr.length) | 0];
  const int = (lo, hi) => lo + ((rnd() * (hi - lo + 1)) | 0);
  const blank = () => rnd() < 0.03; // ~3% blanks in each optional field
  const sourceCdf = [];
  SOURCE_W.reduce((acc, w, i) => (sourceCdf[i] = acc + w), 0);

  // Ring of earlier (first, last, email) so ~1% of rows can repeat an earlier lead with the email
  // in a different case, the way the same person lands twice in merged lists.
  const RING = 4096;
  const ringFirst = new Array(RING), ringLast = new Array(RING), ringEmail = new Array(RING);
  let ringSize = 0;

  // Rows are collected in an array and joined once per chunk: appending to one big string builds a
  // deep rope that V8 must flatten on write, which profiled as ~50% GC/flattening time.
  let parts = [(bom ? '\ufeff' : '') + (outcome ? [...HEADERS, OUTCOME_HEADER] : HEADERS).map(quote).join(',') + '\n'];
  let size = 0;
  for (let r = 1; r <= rows; r++) {
    let first = pick(FIRST);
    let last = pick(LAST);
    const ci = (rnd() * COMPANIES.length) | 0;
    const coName = COMPANIES[ci];
    const domain = rnd() < 0.8 ? DOMAINS_COM[ci] : DOMAINS_IO[ci];
    let title = pick(TITLES);
    const studentish = title === 'Student' || title === 'student' || title === 'Intern';

    // Email: mostly firstname.lastname@company; the rest is the dirt of bought lists.
    let email;
    const e = rnd();
    const local = LOCAL[first][last][(rnd() * 4) | 0];
    if (ringSize > 0 && e < 0.01) {
      const k = (rnd() * ringSize) | 0;
      first = ringFirst[k];
      last = ringLast[k];
      const old = ringEmail[k];
      // Different case, same address: the dedupe must be case-insensitive to catch it.
      email = rnd() < 0.5 ? old.toUpperCase() : old[0].toUpperCase() + old.slice(1);
    } else if (e < 0.03) {
      // ~2% malformed
      const m = (rnd() * 5) | 0;
      email = m === 0 ? local + '@' : m === 1 ? local + '.' + domain : m === 2 ? first.toLowerCase() + ' ' + local + '@' + domain
        : m === 3 ? local + '@@' + domain : 'asdf';
    } else if (e < 0.04) {
      email = pick(FAKE_EMAILS);
    } else if (e < 0.05) {
      email = local + '@' + pick(COMPETITORS);
    } else if (studentish || e < 0.065) {
      email = local + int(1, 999) + '@' + pick(EDU);
    } else if (e < 0.16) {
      email = local + int(1, 99) + '@' + pick(PERSONAL);
    } else {
      email = local + '@' + domain;
    }
    if (ringSize < RING) { ringFirst[ringSize] = first; ringLast[ringSize] = last; ringEmail[ringSize] = email; ringSize++; }
    else if (rnd() < 0.05) { const k = (rnd() * RING) | 0; ringFirst[k] = first; ringLast[k] = last; ringEmail[k] = email; }

    const phone = blank() ? '' : rnd() < 0.6
      ? '+1-' + int(200, 989) + '-' + int(200, 999) + '-' + int(1000, 9999)
      : '(' + int(200, 989) + ') ' + int(200, 999) + '-' + int(1000, 9999);

    // Company size: log-uniform-ish, sometimes with a thousands separator (then it must be quoted).
    let emp = '';
    let empN = 0;
    if (!blank()) {
      empN = Math.round(Math.exp(rnd() * Math.log(50000)));
      emp = empN >= 1000 && rnd() < 0.5 ? withThousands(empN) : '' + empN;
    }

    let revenue = '';
    if (!blank()) {
      const rev = Math.max(1, empN || int(5, 500)) * int(80, 300) * 1000;
      const f = rnd();
      if (f < 0.35) revenue = '$' + withThousands(rev);
      else if (f < 0.65) revenue = rev >= 1e9 ? (rev / 1e9).toFixed(1) + 'B' : rev >= 1e6 ? Math.round(rev / 1e6) + 'M' : Math.round(rev / 1e3) + 'K';
      else if (f < 0.9) revenue = '' + rev;
      else revenue = '$' + (rev / 1e6).toFixed(1) + 'M';
    }

    let src = '';
    if (!blank()) {
      const u = rnd();
      let i = 0;
      while (i < sourceCdf.length - 1 && u > sourceCdf[i]) i++;
      src = SOURCES[i];
    }

    // Engagement counts: mostly small, a long tail; occasionally "1,024" visits from a bot.
    const visits = blank() ? '' : rnd() < 0.002 ? withThousands(int(1000, 5000)) : '' + (rnd() < 0.4 ? 0 : int(1, 40));
    const opens = blank() ? '' : '' + (rnd() < 0.3 ? 0 : int(1, 25));
    const downloads = blank() ? '' : '' + (rnd() < 0.6 ? 0 : int(1, 6));
    const webinars = blank() ? '' : '' + (rnd() < 0.75 ? 0 : int(1, 4));

    // Last activity: within ~400 days before the as-of date; ISO mostly, some US m/d/yyyy, some blank.
    let date = '';
    const d = rnd();
    if (d >= 0.05) {
      const k = int(0, 400);
      date = d < 0.85 ? ISO_DAYS[k] : US_DAYS[k];
    }

    // Notes: free text with commas, quotes and now and then a line break.
    let notes = '';
    const n = rnd();
    if (n > 0.3) {
      notes = pick(NOTE_BITS);
      if (n > 0.6) notes += (rnd() < 0.97 ? ', ' : '\n') + pick(NOTE_BITS);
      if (n > 0.995) notes += '\n' + pick(NOTE_BITS);
    }

    if (title && blank()) title = '';
    const country = blank() ? '' : pick(COUNTRIES);
    const industry = blank() ? '' : pick(INDUSTRIES);
    const company = blank() ? '' : coName;
    if (blank()) first = '';
    if (blank()) last = '';

    const line = 'L' + (1000000 + r) + ',' + quote(first) + ',' + quote(last) + ',' + quote(email) + ',' + phone + ','
      + quote(company) + ',' + quote(title) + ',' + quote(emp) + ',' + quote(industry) + ',' + quote(country) + ','
      + quote(revenue) + ',' + src + ',' + quote(visits) + ',' + opens + ',' + downloads + ',' + webinars + ','
      + date + ',' + quote(notes)
      + (outcome ? ',' + (rndOutcome() < conversionChance(title, src, visits, downloads, webinars, d, empN, email) ? 'yes' : 'no') : '')
      + '\n';
    parts.push(line);
    size += line.length;
    if (size >= chunkBytes) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/** Writes the CSV to a writable stream, honouring back-pressure (the file can be 180+ MB). */
export async function writeCsv(stream, opts) {
  for (const chunk of generateChunks(opts)) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
}

export function cachePath(rows, seed, outcome = false) {
  return join(OUT_DIR, `leads-${rows}-s${seed}-v${GENERATOR_VERSION}${outcome ? '-outcome' : ''}.csv`);
}

/**
 * Path of the cached file for (rows, seed), generating it first if absent. Written to a temp name
 * and renamed, so an interrupted run never leaves a truncated file that looks cached.
 */
export async function ensureDataset(rows, seed = 42, log = () => {}, { outcome = false } = {}) {
  const path = cachePath(rows, seed, outcome);
  if (existsSync(path)) return path;
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const t0 = process.hrtime.bigint();
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  await writeCsv(out, { rows, seed, outcome });
  out.end();
  await once(out, 'finish');
  renameSync(tmp, path);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const bytes = statSync(path).size;
  log(`generated ${path} (${rows} rows, ${(bytes / 1e6).toFixed(1)} MB) in ${s.toFixed(2)} s`
    + ` = ${Math.round(rows / s)} rows/s, ${(bytes / 1e6 / s).toFixed(0)} MB/s`);
  return path;
}

// ---- CLI ------------------------------------------------------------------------------------
function parseArgs(argv) {
  const o = { rows: 1000, seed: 42, out: undefined, bom: false, cache: false, outcome: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rows') o.rows = Number(argv[++i]);
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--bom') o.bom = true;
    else if (a === '--cache') o.cache = true;
    else if (a === '--outcome') o.outcome = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node bench/generate.mjs --rows N [--seed S] [--out FILE | --cache] [--bom] [--outcome]\n'
        + '  --out FILE  write there (default stdout)\n'
        + '  --cache     write bench/out/leads-N-sS-vV.csv unless it exists; print its path\n'
        + '  --bom       start with a UTF-8 BOM, as Excel exports do\n'
        + '  --outcome   add a last column "Converted" (yes/no) for `qualify calibrate`; other cells unchanged\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.rows) || o.rows < 0) throw new Error('--rows must be a non-negative integer');
  if (!Number.isInteger(o.seed)) throw new Error('--seed must be an integer');
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.cache) {
    const p = await ensureDataset(o.rows, o.seed, (m) => process.stderr.write(m + '\n'), { outcome: o.outcome });
    process.stdout.write(p + '\n');
    return;
  }
  if (o.out === undefined || o.out === '-') {
    await writeCsv(process.stdout, o);
    return;
  }
  const out = createWriteStream(resolve(o.out), { highWaterMark: 1 << 20 });
  await writeCsv(out, o);
  out.end();
  await once(out, 'finish');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    process.stderr.write(`generate: ${err.message}\n`);
    process.exit(1);
  });
}
