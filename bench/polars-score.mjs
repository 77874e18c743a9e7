#!/usr/bin/env node
// rules/default.yaml ("B2B SaaS default", version 1) written by hand as a Polars expression
// pipeline (nodejs-polars, lazy API), the way a data engineer would score the bench file with
// Polars instead of `qualify score`. The Polars peer row of `npm run bench` (issue 17).
//
//   node bench/polars-score.mjs FILE [--as-of 2026-11-01] > scored.csv
//   node bench/polars-score.mjs --probe       # exit 0 and the version when Polars loads here
//
// The scored file goes to stdout: every input column, in order, plus fit, engagement, score, tier,
// grade, stage, class and action, written by Polars' own CSV writer (nothing per row in JS).
// Polars uses every core it has (POLARS_MAX_THREADS=1 for one).
//
// It reaches the same verdicts as qualify: bench/check-peers.mjs compares it with `qualify score`
// per column. The reference for what each rule does is bench/miller-score.mlr, and it keeps the
// same deliberate simplifications, none of which changes a result on the generated bench data:
// - Headers are the bench file's own (`Job Title`, `No. of Employees`...): no alias matching. The
//   webinar:attended and webinar:stayed rules have no column in that file and are left out.
// - Numbers: `1,200`, `$12,000,000`, `12M`, `1.5B`, `500K`, plain decimals; not European
//   `1.200,50`, `(1,200)`, `12%` or exponents. Dates: ISO `YYYY-MM-DD` and `m/d/yyyy` (day first
//   when the first part is above 12, as `date_format: auto`).
// - E-mail syntax: ASCII domains only. No NFC normalisation before the duplicate check.
// - No `reasons` column (qualify and Miller write one): the verdict-only pipeline a data engineer
//   would write first, so the row measures less work than qualify does.
// - Human-set stages (an existing `stage`/`qualified_at` column) are not preserved.
//
// Keep in sync with rules/default.yaml (and bench/duckdb-score.sql), then run check-peers.mjs.

import { fstatSync } from 'node:fs';
import { loadPolars, polarsVersion } from './peer-engines.mjs';

function usage(msg) {
  process.stderr.write(`polars-score: ${msg}\nusage: node bench/polars-score.mjs FILE [--as-of YYYY-MM-DD] | --probe\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let file = null;
let asOf = '2026-11-01';
let probe = false;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--as-of') asOf = argv[++i] ?? usage('--as-of needs a date');
  else if (a === '--probe') probe = true;
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else if (file === null) file = a;
  else usage('one FILE only');
}
if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) usage(`--as-of must be YYYY-MM-DD, got ${asOf}`);

let pl;
try {
  pl = loadPolars();
} catch (err) {
  process.stderr.write(`polars-score: ${err.message}\n`);
  process.exit(1);
}
if (probe) {
  process.stdout.write(`nodejs-polars ${polarsVersion()}\n`);
  process.exit(0);
}
if (file === null) usage('FILE is missing');

const { col, lit, when } = pl;
const AS_OF_DAY = Date.parse(`${asOf}T00:00:00Z`) / 86400000;

// ---- the rules' lists ---------------------------------------------------------------------
const PLACEHOLDERS = ['test', 'test@test.com', 'asdf', 'qwerty', 'n/a', 'none', 'null', 'unknown', 'xxx', '-', '.', 'noemail@noemail.com', 'no@email.com'];
const SALES_SOURCES = ['referral', 'outbound', 'partner', 'sales', 'trade show', 'event'];
const INDUSTRIES = ['software', 'saas', 'computer software', 'information technology', 'it services', 'internet', 'fintech',
  'financial services', 'marketing and advertising', 'professional services'];
const COUNTRIES = ['us', 'usa', 'united states', 'united states of america', 'canada', 'ca', 'uk', 'united kingdom', 'gb',
  'germany', 'de', 'france', 'fr', 'netherlands', 'nl', 'ireland', 'ie', 'sweden', 'se', 'denmark', 'dk', 'spain', 'es'];
const INBOUND = ['demo request', 'contact form', 'website', 'webinar', 'content download', 'free trial'];
const PERSONAL = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'aol.com', 'icloud.com', 'gmx.de', 'web.de', 'proton.me', 'protonmail.com'];
const COMPETITORS = ['rivalcorp.com', 'pipelinepro.io', 'forecastly.com'];
/** domain_in as one regex on the host: the host or any parent domain of it is in the list. */
const domainRegex = (list) => `(^|\\.)(${list.map((d) => d.replace(/\./g, '\\.')).join('|')})$`;

// ---- helpers: expressions over one column ------------------------------------------------
/** A trimmed text cell, '' when blank (Polars reads a blank cell as null). */
const text = (name) => col(name).fillNull('').str.strip();
const lower = (name) => text(name).str.toLowerCase();
const ifElse = (cond, a, b) => when(cond).then(a).otherwise(b);

/** A cell as a number, or null when blank or unreadable: '$1.5M' -> 1500000, '1,200' -> 1200. */
function toNum(name) {
  const t = col(name).str.strip();
  const core = t.str.replace('^\\$\\s*', '').str.replace('([0-9])\\s*[kKmMbB]$', '${1}');
  const plain = ifElse(core.str.contains('^[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?$'), core.str.replaceAll(',', '', true), core);
  const mult = when(t.str.contains('[0-9]\\s*[kK]$')).then(lit(1e3))
    .when(t.str.contains('[0-9]\\s*[mM]$')).then(lit(1e6))
    .when(t.str.contains('[0-9]\\s*[bB]$')).then(lit(1e9))
    .otherwise(lit(1));
  return when(plain.str.contains('^-?[0-9]+(\\.[0-9]+)?$')).then(plain.cast(pl.Float64).mul(mult)).otherwise(lit(null));
}

/** A cell as days since 1970-01-01, or null: ISO, or m/d/yyyy (d/m/yyyy when the first part is above 12). */
function toDay(name) {
  const t = col(name).str.strip();
  const us = t.str.contains('^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$');
  const date = when(t.str.contains('^[0-9]{4}-[0-9]{2}-[0-9]{2}$')).then(t.str.strptime(pl.Date, '%Y-%m-%d'))
    .when(us.and(t.str.extract('^([0-9]{1,2})/', 1).cast(pl.Int32).gt(12))).then(t.str.strptime(pl.Date, '%d/%m/%Y'))
    .when(us).then(t.str.strptime(pl.Date, '%m/%d/%Y'))
    .otherwise(lit(null));
  return date.cast(pl.Int32);
}

/** A title regex, case-insensitive, false on a blank title. */
const titleHas = (words) => col('_title').str.contains(`(?i)\\b(${words})\\b`).fillNull(false);

/** qualify's isPlaceholder on a lower-cased text expression. */
function placeholder(l) {
  return l.neq(lit(''))
    .and(l.isIn(PLACEHOLDERS)
      .or(l.str.extract('^([^@]+)@', 1).isIn(PLACEHOLDERS).fillNull(false))
      .or(l.str.lengths().gtEq(3).and(l.str.stripChars(l.str.slice(0, 1)).eq(lit('')))));
}

// ---- the pipeline ----------------------------------------------------------------------------
const leads = pl.scanCSV(file, { inferSchemaLength: 0, hasHeader: true, sep: ',', quoteChar: '"' });
let inputColumns;
try {
  inputColumns = leads.columns; // reads the header: the first place a missing or unreadable file shows
} catch (err) {
  process.stderr.write(`polars-score: ${file}: ${err.message}\n`);
  process.exit(1);
}

const scored = leads
  .withRowIndex('_rec', 1)
  // Cells the rules read, cleaned once.
  .withColumns(
    text('Email').alias('_email'),
    lower('Email').alias('_elower'),
    text('Job Title').alias('_title'),
    text('Phone').alias('_phone'),
    col('Phone').fillNull('').str.replaceAll('[^0-9]', '').alias('_digits'),
    toNum('No. of Employees').alias('_emp'),
    toNum('Annual Revenue').alias('_rev'),
    lower('Lead Source').alias('_source'),
    toNum('Website Visits').alias('_visits'),
    toNum('Email Opens').alias('_opens'),
    toNum('Content Downloads').alias('_downloads'),
    toNum('Webinars Attended').alias('_webinars'),
    lit(AS_OF_DAY).sub(toDay('Last Activity Date')).alias('_age'),
  )
  // Contact facts: valid e-mail, usable phone, mail host, first record of the same e-mail.
  .withColumns(
    col('_email').str.lengths().gtEq(6).and(col('_email').str.lengths().ltEq(254))
      .and(col('_email').str.contains('^[^\\s@"(),:;<>\\[\\\\\\]]+@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z]{2,}$'))
      .and(col('_email').str.replace('@.*$', '').str.contains('^\\.|\\.$|\\.\\.').not())
      .alias('_evalid'),
    col('_digits').str.lengths().gtEq(7).and(col('_digits').str.lengths().ltEq(15))
      .and(col('_phone').str.replaceAll('[\\s().]', '').str.contains('555-?01[0-9][0-9]$').not())
      .and(col('_digits').str.contains('55501[0-9][0-9]$').not())
      .and(col('_digits').str.stripChars(col('_digits').str.slice(0, 1)).neq(lit('')))
      .and(col('_digits').neq(lit('1234567890')))
      .and(col('_digits').str.endsWith('123456789').not())
      .alias('_pvalid'),
    col('_elower').str.replace('^.*@', '').str.replace('^[a-z]+://', '').str.replace('[/:].*$', '').str.replace('^www\\.', '').alias('_host'),
    col('_rec').min().over('_elower').alias('_first_rec'),
  )
  .withColumns(
    // Fit: title, size, industry, country, revenue, mailbox; capped at 60.
    pl.sumHorizontal([
      ifElse(titleHas('chief|c[ertmfs]o|vp|vice[- ]president|svp|evp|founder|owner|president'), lit(20), lit(0)),
      ifElse(titleHas('head|director').and(titleHas('chief|c[ertmfs]o|vp|vice[- ]president').not()), lit(15), lit(0)),
      ifElse(titleHas('manager|lead'), lit(8), lit(0)),
      ifElse(titleHas('sales|revenue|revops|marketing|growth|business development|commercial'), lit(10), lit(0)),
      ifElse(titleHas('intern|assistant|trainee|apprentice'), lit(-10), lit(0)),
      when(col('_emp').gtEq(50).and(col('_emp').ltEq(5000))).then(lit(15))
        .when(col('_emp').lt(50)).then(lit(-5))
        .when(col('_emp').gt(5000)).then(lit(5))
        .otherwise(lit(0)),
      ifElse(lower('Industry').isIn(INDUSTRIES), lit(10), lit(0)),
      ifElse(lower('Country').isIn(COUNTRIES), lit(5), lit(0)),
      ifElse(col('_rev').gtEq(10000000).fillNull(false), lit(5), lit(0)),
      ifElse(col('_host').str.contains(domainRegex(PERSONAL)), lit(-10), lit(0)),
    ]).clip(-1000, 60).cast(pl.Int32).alias('fit'),
    // Engagement: per-unit points with their own caps, recency, inbound source.
    ifElse(col('_visits').gtEq(1), col('_visits').floor().mul(2).clip(-1e9, 20), lit(null)).alias('_p_visits'),
    ifElse(col('_opens').gtEq(1), col('_opens').floor().mul(1).clip(-1e9, 5), lit(null)).alias('_p_opens'),
    ifElse(col('_downloads').gtEq(1), col('_downloads').floor().mul(5).clip(-1e9, 20), lit(null)).alias('_p_downloads'),
    ifElse(col('_webinars').gtEq(1), col('_webinars').floor().mul(10).clip(-1e9, 20), lit(null)).alias('_p_webinars'),
    col('_age').ltEq(14).fillNull(false).alias('_recent'),
    col('_source').isIn(INBOUND).alias('_inbound'),
  )
  .withColumns(
    pl.sumHorizontal(['_p_visits', '_p_opens', '_p_downloads', '_p_webinars'].map((c) => col(c).isNotNull().cast(pl.Int32)))
      .add(col('_recent').cast(pl.Int32)).add(col('_inbound').cast(pl.Int32)).alias('_fired'),
    pl.sumHorizontal([
      col('_p_visits').fillNull(0), col('_p_opens').fillNull(0), col('_p_downloads').fillNull(0), col('_p_webinars').fillNull(0),
      ifElse(col('_recent'), lit(5), lit(0)), ifElse(col('_inbound'), lit(5), lit(0)),
    ]).clip(-1e9, 50).alias('_eng_capped'),
  )
  // Halved every 45 days since the last activity (rounded half up, as Math.round), floor -10.
  .withColumn(
    ifElse(col('_age').gt(0).and(col('_eng_capped').gt(0)).fillNull(false),
      col('_eng_capped').mul(col('_age').cast(pl.Float64).div(45).mul(-Math.LN2).exp()).add(0.5).floor(),
      col('_eng_capped'))
      .clip(-10, 1e9).cast(pl.Int32).alias('engagement'),
  )
  .withColumn(col('fit').add(col('engagement')).clip(0, 100).cast(pl.Int32).alias('score'))
  // Hard verdicts: the duplicate check, then the disqualifiers in file order (the first wins).
  .withColumn(
    when(col('_email').neq(lit('')).and(col('_rec').gt(col('_first_rec')))).then(lit('duplicate'))
      .when(col('_email').neq(lit('')).and(col('_evalid').not())).then(lit('email:invalid'))
      .when(placeholder(col('_elower')).or(placeholder(lower('First Name'))).or(placeholder(lower('Last Name')))
        .or(col('_phone').neq(lit('')).and(col('_pvalid').not()).and(col('_evalid').not()))).then(lit('fake-data'))
      .when(col('_evalid').not().and(col('_pvalid').not())).then(lit('no-contact'))
      .when(col('_host').str.contains(domainRegex(COMPETITORS))).then(lit('competitor'))
      .when(col('_elower').str.contains('(\\.edu|\\.ac\\.uk|\\.edu\\.au)$').or(titleHas('student|intern'))).then(lit('student'))
      .otherwise(lit(null))
      .alias('_dq'),
  )
  .withColumns(
    when(col('score').gtEq(80)).then(lit('hot')).when(col('score').gtEq(60)).then(lit('warm'))
      .when(col('score').gtEq(35)).then(lit('nurture')).otherwise(lit('low')).alias('_band_tier'),
    ifElse(col('score').gtEq(80), lit('MQL'), lit('lead')).alias('_band_stage'),
    when(col('score').gtEq(80)).then(lit('Call within 24h')).when(col('score').gtEq(60)).then(lit('Send nurture email'))
      .when(col('score').gtEq(35)).then(lit('Keep in nurture track')).otherwise(lit('No action; re-score next month')).alias('_band_action'),
    col('_dq').isIn(['duplicate', 'email:invalid', 'fake-data', 'no-contact']).fillNull(false).alias('_bad'),
    col('_source').isIn(SALES_SOURCES).alias('_sales'),
    col('_fired').eq(0).and(col('_age').isNull()).alias('_cold'),
  )
  .withColumns(
    when(col('_bad')).then(lit('bad')).when(col('_dq').isNotNull()).then(lit('disqualified')).otherwise(col('_band_tier')).alias('tier'),
    // Grade: fit letter (A >= 45, B >= 30, C >= 15, else D), engagement digit (1 >= 35, 2 >= 20, 3 >= 8, else 4).
    pl.concatString([
      when(col('fit').gtEq(45)).then(lit('A')).when(col('fit').gtEq(30)).then(lit('B')).when(col('fit').gtEq(15)).then(lit('C')).otherwise(lit('D')),
      when(col('engagement').gtEq(35)).then(lit('1')).when(col('engagement').gtEq(20)).then(lit('2')).when(col('engagement').gtEq(8)).then(lit('3')).otherwise(lit('4')),
    ], '').alias('grade'),
    when(col('_bad')).then(lit('bad lead')).when(col('_dq').isNotNull()).then(lit('disqualified'))
      .when(col('_sales')).then(lit('sales lead')).when(col('_cold')).then(lit('cold lead'))
      .otherwise(col('_band_stage')).alias('stage'),
    lit('lead').alias('class'), // every stage scoring can assign is in the "lead" class
    when(col('_dq').eq(lit('duplicate'))).then(pl.concatString([lit('Merge into record '), col('_first_rec').cast(pl.Utf8)], ''))
      .when(col('_dq').eq(lit('email:invalid'))).then(lit('Fix or drop: The email address is malformed'))
      .when(col('_dq').eq(lit('fake-data'))).then(lit('Fix or drop: Placeholder contact data (test@test.com, asdf, 555-0100)'))
      .when(col('_dq').eq(lit('no-contact'))).then(lit('Fix or drop: Neither a valid email nor a usable phone number'))
      .when(col('_dq').eq(lit('competitor'))).then(lit('Do not pursue: Works at a competitor; ask for a referral'))
      .when(col('_dq').eq(lit('student'))).then(lit('Do not pursue: Students do not buy B2B software; ask for a referral'))
      .when(col('_sales').not().and(col('_cold'))).then(lit('Prospect: first outreach (call + email)'))
      .otherwise(col('_band_action')).alias('action'),
  )
  .select(...inputColumns, 'fit', 'engagement', 'score', 'tier', 'grade', 'stage', 'class', 'action');

try {
  // Polars writes the file itself when stdout is a file or a pipe; a socket (a Node parent's
  // 'pipe') cannot be opened by path, so then it hands the bytes to process.stdout.
  const st = fstatSync(1);
  scored.collectSync().writeCSV(st.isFile() || st.isFIFO() || st.isCharacterDevice() ? '/dev/stdout' : process.stdout);
} catch (err) {
  process.stderr.write(`polars-score: ${err.message}\n`);
  process.exit(1);
}
