#!/usr/bin/env node
// rules/default.yaml ("B2B SaaS default", version 1) written by hand as a Polars expression
// pipeline (nodejs-polars, lazy API), the way a data engineer would score the bench file with
// Polars instead of `qualify score`. The Polars peer row of `npm run bench` (issue 17).
//
//   node bench/polars-score.mjs FILE [--as-of 2026-11-01] > scored.csv
//   node bench/polars-score.mjs --probe       # exit 0 and the version when Polars loads here
//
// The scored file goes to stdout: every input column, in order, plus fit, engagement, score, tier,
// grade, stage, class, action and reasons, written by Polars' own CSV writer (nothing per row in JS).
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
// - The `reasons` cell lists `rule +points` like qualify's, in Miller's short form: without the
//   `12×2 (cap 20)` or `×0.06` detail.
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

/** A rule's points as a column: `pts` where `cond` holds, else null (false and unknown alike). */
const points = (cond, pts, name) => when(cond.fillNull(false)).then(lit(pts).cast(pl.Int32)).otherwise(lit(null)).alias(name);
/** A per-unit rule: floor(count) × pts, at most max, from a count of 1 up; else null. */
const perUnit = (name, pts, max, out) =>
  when(col(name).gtEq(1).fillNull(false)).then(col(name).floor().mul(pts).clip(-1e9, max).cast(pl.Int32)).otherwise(lit(null)).alias(out);
/** `label +points` / `label -points` for a rule column, null where it did not fire. */
const labelled = (c, label) =>
  when(col(c).isNull()).then(lit(null)).when(col(c).gtEq(0)).then(pl.format(`${label} +{}`, col(c))).otherwise(pl.format(`${label} {}`, col(c)));
const FIT_RULES = [['_r_exec', 'title:exec'], ['_r_head', 'title:head'], ['_r_manager', 'title:manager'], ['_r_function', 'title:revenue-function'],
  ['_r_junior', 'title:junior'], ['_r_core', 'size:core'], ['_r_small', 'size:small'], ['_r_enterprise', 'size:enterprise'],
  ['_r_industry', 'industry:target'], ['_r_country', 'country:served'], ['_r_revenue', 'revenue:10m-plus'], ['_r_personal', 'email:personal']];
const ENGAGEMENT_RULES = [['_r_visits', 'visits'], ['_r_opens', 'opens'], ['_r_downloads', 'downloads'], ['_r_webinars', 'webinars'],
  ['_r_recent', 'recent'], ['_r_inbound', 'source:inbound']];

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
    lit(AS_OF_DAY).sub(toDay('Last Activity Date')).cast(pl.Int32).alias('_age'),
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
  // Each rule's points, null when it does not fire (the reasons list the ones that do).
  .withColumns(
    // Fit: title, size, industry, country, revenue, mailbox.
    points(titleHas('chief|c[ertmfs]o|vp|vice[- ]president|svp|evp|founder|owner|president'), 20, '_r_exec'),
    points(titleHas('head|director').and(titleHas('chief|c[ertmfs]o|vp|vice[- ]president').not()), 15, '_r_head'),
    points(titleHas('manager|lead'), 8, '_r_manager'),
    points(titleHas('sales|revenue|revops|marketing|growth|business development|commercial'), 10, '_r_function'),
    points(titleHas('intern|assistant|trainee|apprentice'), -10, '_r_junior'),
    points(col('_emp').gtEq(50).and(col('_emp').ltEq(5000)), 15, '_r_core'),
    points(col('_emp').lt(50), -5, '_r_small'),
    points(col('_emp').gt(5000), 5, '_r_enterprise'),
    points(lower('Industry').isIn(INDUSTRIES), 10, '_r_industry'),
    points(lower('Country').isIn(COUNTRIES), 5, '_r_country'),
    points(col('_rev').gtEq(10000000), 5, '_r_revenue'),
    points(col('_host').str.contains(domainRegex(PERSONAL)), -10, '_r_personal'),
    // Engagement: per-unit points with their own caps, recency, inbound source.
    perUnit('_visits', 2, 20, '_r_visits'),
    perUnit('_opens', 1, 5, '_r_opens'),
    perUnit('_downloads', 5, 20, '_r_downloads'),
    perUnit('_webinars', 10, 20, '_r_webinars'),
    points(col('_age').ltEq(14), 5, '_r_recent'),
    points(col('_source').isIn(INBOUND), 5, '_r_inbound'),
  )
  .withColumns(
    pl.sumHorizontal(FIT_RULES.map(([c]) => col(c).fillNull(0))).alias('_fit_raw'),
    pl.sumHorizontal(ENGAGEMENT_RULES.map(([c]) => col(c).fillNull(0))).alias('_eng_raw'),
    pl.sumHorizontal(ENGAGEMENT_RULES.map(([c]) => col(c).isNotNull().cast(pl.Int32))).alias('_fired'),
  )
  // Fit capped at 60; engagement capped at 50, then halved every 45 days since the last activity
  // (rounded half up, as Math.round), then floored at -10.
  .withColumns(
    col('_fit_raw').clip(-1000, 60).cast(pl.Int32).alias('fit'),
    col('_eng_raw').clip(-1000, 50).cast(pl.Int32).alias('_eng_capped'),
  )
  .withColumn(
    ifElse(col('_age').gt(0).and(col('_eng_capped').gt(0)).fillNull(false),
      col('_eng_capped').mul(col('_age').cast(pl.Float64).div(45).mul(-Math.LN2).exp()).add(0.5).floor().cast(pl.Int32),
      col('_eng_capped')).alias('_eng_decayed'),
  )
  .withColumn(col('_eng_decayed').clip(-10, 1000).cast(pl.Int32).alias('engagement'))
  .withColumn(col('fit').add(col('engagement')).clip(0, 100).cast(pl.Int32).alias('score'))
  // Hard verdicts: the duplicate check, then the disqualifiers in file order (the first wins;
  // the reasons list every one that applies).
  .withColumns(
    col('_email').neq(lit('')).and(col('_rec').gt(col('_first_rec'))).alias('_is_duplicate'),
    col('_email').neq(lit('')).and(col('_evalid').not()).alias('_is_invalid'),
    placeholder(col('_elower')).or(placeholder(lower('First Name'))).or(placeholder(lower('Last Name')))
      .or(col('_phone').neq(lit('')).and(col('_pvalid').not()).and(col('_evalid').not())).alias('_is_fake'),
    col('_evalid').not().and(col('_pvalid').not()).alias('_is_no_contact'),
    col('_host').str.contains(domainRegex(COMPETITORS)).alias('_is_competitor'),
    col('_elower').str.contains('(\\.edu|\\.ac\\.uk|\\.edu\\.au)$').or(titleHas('student|intern')).alias('_is_student'),
  )
  .withColumn(
    when(col('_is_duplicate')).then(lit('duplicate'))
      .when(col('_is_invalid')).then(lit('email:invalid'))
      .when(col('_is_fake')).then(lit('fake-data'))
      .when(col('_is_no_contact')).then(lit('no-contact'))
      .when(col('_is_competitor')).then(lit('competitor'))
      .when(col('_is_student')).then(lit('student'))
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
    // Every rule that fired with its points, then caps, decay, clamping and verdicts, in Miller's
    // short form (`title:exec +20; visits +20; stale 184d -38`), not qualify's detail.
    pl.concatString([
      ...FIT_RULES.map(([c, label]) => labelled(c, label)),
      when(col('_fit_raw').gt(60)).then(pl.format('fit cap 60 {}', lit(60).sub(col('_fit_raw')).cast(pl.Int32))).otherwise(lit(null)),
      when(col('_title').eq(lit('')).and(col('_emp').isNull()).and(lower('Industry').eq(lit(''))))
        .then(lit('fit unknown (title, employees, industry missing) +0')).otherwise(lit(null)),
      ...ENGAGEMENT_RULES.map(([c, label]) => labelled(c, label)),
      when(col('_eng_raw').gt(50)).then(pl.format('engagement cap 50 {}', lit(50).sub(col('_eng_raw')).cast(pl.Int32))).otherwise(lit(null)),
      when(col('_eng_decayed').neq(col('_eng_capped'))).then(pl.format('stale {}d {}', col('_age'), col('_eng_decayed').sub(col('_eng_capped')))).otherwise(lit(null)),
      when(col('_eng_decayed').lt(-10)).then(pl.format('engagement floor -10 +{}', lit(-10).sub(col('_eng_decayed')).cast(pl.Int32))).otherwise(lit(null)),
      when(col('fit').add(col('engagement')).lt(0)).then(pl.format('clamped to 0-100 +{}', lit(0).sub(col('fit')).sub(col('engagement')).cast(pl.Int32)))
        .when(col('fit').add(col('engagement')).gt(100)).then(pl.format('clamped to 0-100 {}', lit(100).sub(col('fit')).sub(col('engagement')).cast(pl.Int32)))
        .otherwise(lit(null)),
      when(col('_is_duplicate')).then(pl.format('duplicate of record {}', col('_first_rec'))).otherwise(lit(null)),
      when(col('_is_invalid')).then(lit('bad:email:invalid')).otherwise(lit(null)),
      when(col('_is_fake')).then(lit('bad:fake-data')).otherwise(lit(null)),
      when(col('_is_no_contact')).then(lit('bad:no-contact')).otherwise(lit(null)),
      when(col('_is_competitor')).then(lit('DQ:competitor')).otherwise(lit(null)),
      when(col('_is_student')).then(lit('DQ:student')).otherwise(lit(null)),
    ], '; ', true).alias('reasons'),
  )
  .select(...inputColumns, 'fit', 'engagement', 'score', 'tier', 'grade', 'stage', 'class', 'action', 'reasons');

try {
  // Polars writes the file itself when stdout is a file or a pipe; a socket (a Node parent's
  // 'pipe') cannot be opened by path, so then it hands the bytes to process.stdout.
  const st = fstatSync(1);
  scored.collectSync().writeCSV(st.isFile() || st.isFIFO() || st.isCharacterDevice() ? '/dev/stdout' : process.stdout);
} catch (err) {
  process.stderr.write(`polars-score: ${err.message}\n`);
  process.exit(1);
}
