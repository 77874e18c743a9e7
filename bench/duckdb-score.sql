-- rules/default.yaml ("B2B SaaS default", version 1) written by hand in DuckDB SQL, the way a data
-- engineer would score the bench file with DuckDB instead of `qualify score`. Run by
-- bench/duckdb-score.mjs (@duckdb/node-api), which sets the two variables first:
--
--   SET VARIABLE input = 'leads.csv';  SET VARIABLE as_of = DATE '2026-11-01';
--
-- (the same statements work in the duckdb CLI: `duckdb -c "SET VARIABLE ...; .read bench/duckdb-score.sql"`).
-- The scored file goes to stdout: every input column, in order, plus fit, engagement, score,
-- tier, grade, stage, class, action and reasons.
--
-- It is a peer row of `npm run bench` (issue 17), so it reaches the same verdicts as qualify:
-- bench/check-peers.mjs compares it with `qualify score` per column. The reference for what each
-- rule does is bench/miller-score.mlr, and it keeps the same deliberate simplifications (none of
-- them changes a result on the generated bench data):
-- - Headers are the bench file's own (`Job Title`, `No. of Employees`...): no alias matching. The
--   webinar:attended and webinar:stayed rules have no column in that file and are left out.
-- - Numbers: `1,200`, `$12,000,000`, `12M`, `1.5B`, `500K`, plain decimals; not European
--   `1.200,50`, `(1,200)`, `12%` or exponents. Dates: ISO `YYYY-MM-DD` and `m/d/yyyy` (day first
--   when the first part is above 12, as `date_format: auto`).
-- - E-mail syntax: ASCII domains only. No NFC normalisation before the duplicate check.
-- - The `reasons` cell lists `rule +points` like qualify's, in Miller's short form: without the
--   `12×2 (cap 20)` or `×0.06` detail.
-- - Human-set stages (an existing `stage`/`qualified_at` column) are not preserved.
--
-- Keep in sync with rules/default.yaml: when a rule changes there, change it here and in
-- bench/polars-score.mjs, then run `node bench/check-peers.mjs`.

-- ---- helpers ------------------------------------------------------------------------------
-- A cell as a number, or NULL when blank or unreadable (qualify: unknown, never zero).
-- '$1.5M' -> 1500000, '1,200' -> 1200.
CREATE TEMP MACRO num_core(t) AS regexp_replace(regexp_replace(trim(t), '^\$\s*', ''), '([0-9])\s*[kKmMbB]$', '\1');
CREATE TEMP MACRO num_mult(t) AS CASE lower(regexp_extract(trim(t), '[0-9]\s*([kKmMbB])$', 1))
  WHEN 'k' THEN 1e3 WHEN 'm' THEN 1e6 WHEN 'b' THEN 1e9 ELSE 1 END;
CREATE TEMP MACRO num_plain(t) AS CASE WHEN regexp_full_match(t, '[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?') THEN replace(t, ',', '') ELSE t END;
CREATE TEMP MACRO to_num(v) AS CASE WHEN regexp_full_match(num_plain(num_core(v)), '-?[0-9]+(\.[0-9]+)?')
  THEN CAST(num_plain(num_core(v)) AS DOUBLE) * num_mult(v) END;

-- A cell as a date, or NULL. m/d/yyyy unless the first number is above 12 (then d/m/yyyy).
CREATE TEMP MACRO to_date(v) AS CASE
  WHEN regexp_full_match(trim(v), '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN CAST(try_strptime(trim(v), '%Y-%m-%d') AS DATE)
  WHEN regexp_full_match(trim(v), '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}') THEN CAST(
    CASE WHEN CAST(split_part(trim(v), '/', 1) AS INTEGER) > 12 THEN try_strptime(trim(v), '%d/%m/%Y')
         ELSE try_strptime(trim(v), '%m/%d/%Y') END AS DATE)
  END;

-- qualify's isValidEmail: one @, no spaces/quotes/brackets, dotted domain, letter TLD of 2+, no
-- dot at either end of the local part nor two in a row.
CREATE TEMP MACRO valid_email(t) AS length(t) BETWEEN 6 AND 254
  AND regexp_full_match(t, '[^\s@"(),:;<>\[\\\]]+@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}')
  AND NOT regexp_matches(split_part(t, '@', 1), '^\.|\.$|\.\.');

-- qualify's isUsablePhone, given the cell and its digits: 7-15 digits, not a 555-01xx fiction
-- number, not one digit repeated, not 1234567890 or ...123456789.
CREATE TEMP MACRO usable_phone(t, d) AS length(d) BETWEEN 7 AND 15
  AND NOT regexp_matches(regexp_replace(t, '[\s().]', '', 'g'), '555-?01[0-9][0-9]$')
  AND NOT regexp_matches(d, '55501[0-9][0-9]$')
  AND d <> repeat(left(d, 1), length(d))
  AND d <> '1234567890' AND NOT suffix(d, '123456789');

-- qualify's isPlaceholder on a lower-cased value: listed, a listed local part, or one character
-- repeated 3+ times.
CREATE TEMP MACRO placeholder(l) AS l <> '' AND (
  l IN ('test', 'test@test.com', 'asdf', 'qwerty', 'n/a', 'none', 'null', 'unknown', 'xxx', '-', '.', 'noemail@noemail.com', 'no@email.com')
  OR (l LIKE '%@%' AND split_part(l, '@', 1) IN ('test', 'test@test.com', 'asdf', 'qwerty', 'n/a', 'none', 'null', 'unknown', 'xxx', '-', '.', 'noemail@noemail.com', 'no@email.com'))
  OR (length(l) >= 3 AND l = repeat(left(l, 1), length(l))));

-- The host of an e-mail (after the last @), without scheme, path, port or www., for domain_in:
-- the host or any parent domain of it is in the list.
CREATE TEMP MACRO email_host(l) AS regexp_replace(regexp_replace(regexp_replace(regexp_replace(l, '^.*@', ''),
  '^[a-z]+://', ''), '[/:].*$', ''), '^www\.', '');

-- ---- the file, in file order ---------------------------------------------------------------
-- A table (not a view) so that rowid is the record number: duplicates point at their first record.
CREATE TEMP TABLE leads AS
  SELECT * FROM read_csv(getvariable('input'), header = true, all_varchar = true, delim = ',', quote = '"',
                         escape = '"', sample_size = -1);

COPY (
  WITH cells AS (
    SELECT *,
      rowid + 1 AS _rec,
      trim(coalesce("Email", '')) AS _email,
      lower(trim(coalesce("Email", ''))) AS _elower,
      trim(coalesce("Job Title", '')) AS _title,
      trim(coalesce("Phone", '')) AS _phone,
      regexp_replace(coalesce("Phone", ''), '[^0-9]', '', 'g') AS _digits,
      to_num("No. of Employees") AS _emp,
      to_num("Annual Revenue") AS _rev,
      lower(trim(coalesce("Lead Source", ''))) AS _source,
      lower(trim(coalesce("Industry", ''))) AS _industry,
      lower(trim(coalesce("Country", ''))) AS _country,
      to_num("Website Visits") AS _visits,
      to_num("Email Opens") AS _opens,
      to_num("Content Downloads") AS _downloads,
      to_num("Webinars Attended") AS _webinars,
      getvariable('as_of') - to_date("Last Activity Date") AS _age   -- days; NULL when no date
    FROM leads
  ),
  facts AS (
    SELECT *,
      valid_email(_email) AS _evalid,
      usable_phone(_phone, _digits) AS _pvalid,
      email_host(_elower) AS _host,
      min(_rec) OVER (PARTITION BY _elower) AS _first_rec
    FROM cells
  ),
  -- Each rule's points, NULL when it does not fire (the reasons list the ones that do).
  points AS (
    SELECT *,
      CASE WHEN regexp_matches(_title, '\b(chief|c[ertmfs]o|vp|vice[- ]president|svp|evp|founder|owner|president)\b', 'i') THEN 20 END AS _r_exec,
      CASE WHEN regexp_matches(_title, '\b(head|director)\b', 'i')
            AND NOT regexp_matches(_title, '\b(chief|c[ertmfs]o|vp|vice[- ]president)\b', 'i') THEN 15 END AS _r_head,
      CASE WHEN regexp_matches(_title, '\b(manager|lead)\b', 'i') THEN 8 END AS _r_manager,
      CASE WHEN regexp_matches(_title, '\b(sales|revenue|revops|marketing|growth|business development|commercial)\b', 'i') THEN 10 END AS _r_function,
      CASE WHEN regexp_matches(_title, '\b(intern|assistant|trainee|apprentice)\b', 'i') THEN -10 END AS _r_junior,
      CASE WHEN _emp BETWEEN 50 AND 5000 THEN 15 END AS _r_core,
      CASE WHEN _emp < 50 THEN -5 END AS _r_small,
      CASE WHEN _emp > 5000 THEN 5 END AS _r_enterprise,
      CASE WHEN _industry IN ('software', 'saas', 'computer software', 'information technology', 'it services', 'internet',
                              'fintech', 'financial services', 'marketing and advertising', 'professional services') THEN 10 END AS _r_industry,
      CASE WHEN _country IN ('us', 'usa', 'united states', 'united states of america', 'canada', 'ca', 'uk', 'united kingdom', 'gb',
                             'germany', 'de', 'france', 'fr', 'netherlands', 'nl', 'ireland', 'ie', 'sweden', 'se', 'denmark', 'dk',
                             'spain', 'es') THEN 5 END AS _r_country,
      CASE WHEN _rev >= 10000000 THEN 5 END AS _r_revenue,
      CASE WHEN regexp_matches(_host, '(^|\.)(gmail\.com|yahoo\.com|hotmail\.com|outlook\.com|aol\.com|icloud\.com|gmx\.de|web\.de|proton\.me|protonmail\.com)$') THEN -10 END AS _r_personal,
      -- Engagement: per-unit points with their own caps, recency, inbound source.
      CASE WHEN _visits >= 1 THEN CAST(least(floor(_visits) * 2, 20) AS INTEGER) END AS _r_visits,
      CASE WHEN _opens >= 1 THEN CAST(least(floor(_opens) * 1, 5) AS INTEGER) END AS _r_opens,
      CASE WHEN _downloads >= 1 THEN CAST(least(floor(_downloads) * 5, 20) AS INTEGER) END AS _r_downloads,
      CASE WHEN _webinars >= 1 THEN CAST(least(floor(_webinars) * 10, 20) AS INTEGER) END AS _r_webinars,
      CASE WHEN _age <= 14 THEN 5 END AS _r_recent,
      CASE WHEN _source IN ('demo request', 'contact form', 'website', 'webinar', 'content download', 'free trial') THEN 5 END AS _r_inbound
    FROM facts
  ),
  sums AS (
    SELECT *,
      coalesce(_r_exec, 0) + coalesce(_r_head, 0) + coalesce(_r_manager, 0) + coalesce(_r_function, 0) + coalesce(_r_junior, 0)
        + coalesce(_r_core, 0) + coalesce(_r_small, 0) + coalesce(_r_enterprise, 0) + coalesce(_r_industry, 0)
        + coalesce(_r_country, 0) + coalesce(_r_revenue, 0) + coalesce(_r_personal, 0) AS _fit_raw,
      coalesce(_r_visits, 0) + coalesce(_r_opens, 0) + coalesce(_r_downloads, 0) + coalesce(_r_webinars, 0)
        + coalesce(_r_recent, 0) + coalesce(_r_inbound, 0) AS _eng_raw,
      (_r_visits IS NOT NULL)::INTEGER + (_r_opens IS NOT NULL)::INTEGER + (_r_downloads IS NOT NULL)::INTEGER
        + (_r_webinars IS NOT NULL)::INTEGER + (_r_recent IS NOT NULL)::INTEGER + (_r_inbound IS NOT NULL)::INTEGER AS _fired
    FROM points
  ),
  capped AS (
    -- Fit capped at 60; engagement capped at 50, then halved every 45 days since the last
    -- activity (rounded half up, as Math.round), then floored at -10.
    SELECT *,
      least(60, _fit_raw) AS fit,
      least(50, _eng_raw) AS _eng_capped,
      CASE WHEN _age > 0 AND least(50, _eng_raw) > 0
           THEN CAST(floor(least(50, _eng_raw) * pow(0.5, _age / 45.0) + 0.5) AS INTEGER)
           ELSE least(50, _eng_raw) END AS _eng_decayed
    FROM sums
  ),
  verdicts AS (
    SELECT *,
      greatest(-10, _eng_decayed) AS engagement,
      greatest(0, least(100, fit + greatest(-10, _eng_decayed))) AS score,
      -- Hard verdicts: the duplicate check, then the disqualifiers in file order (the first wins;
      -- the reasons list every one that applies).
      _email <> '' AND _rec > _first_rec AS _is_duplicate,
      _email <> '' AND NOT _evalid AS _is_invalid,
      placeholder(_elower) OR placeholder(lower(trim(coalesce("First Name", '')))) OR placeholder(lower(trim(coalesce("Last Name", ''))))
        OR (_phone <> '' AND NOT _pvalid AND NOT _evalid) AS _is_fake,
      NOT _evalid AND NOT _pvalid AS _is_no_contact,
      regexp_matches(_host, '(^|\.)(rivalcorp\.com|pipelinepro\.io|forecastly\.com)$') AS _is_competitor,
      regexp_matches(_elower, '(\.edu|\.ac\.uk|\.edu\.au)$') OR regexp_matches(_title, '\b(student|intern)\b', 'i') AS _is_student
    FROM capped
  ),
  decided AS (
    SELECT *,
      CASE WHEN _is_duplicate THEN 'duplicate' WHEN _is_invalid THEN 'email:invalid' WHEN _is_fake THEN 'fake-data'
           WHEN _is_no_contact THEN 'no-contact' WHEN _is_competitor THEN 'competitor' WHEN _is_student THEN 'student' END AS _dq,
      CASE WHEN score >= 80 THEN 'hot' WHEN score >= 60 THEN 'warm' WHEN score >= 35 THEN 'nurture' ELSE 'low' END AS _band_tier,
      CASE WHEN score >= 80 THEN 'MQL' ELSE 'lead' END AS _band_stage,
      CASE WHEN score >= 80 THEN 'Call within 24h' WHEN score >= 60 THEN 'Send nurture email'
           WHEN score >= 35 THEN 'Keep in nurture track' ELSE 'No action; re-score next month' END AS _band_action,
      _source IN ('referral', 'outbound', 'partner', 'sales', 'trade show', 'event') AS _sales,
      _fired = 0 AND _age IS NULL AS _cold
    FROM verdicts
  )
  -- Every input column (none of them starts with "_"), then the score columns.
  SELECT COLUMNS(c -> NOT starts_with(c, '_')),
    CASE WHEN _dq IN ('duplicate', 'email:invalid', 'fake-data', 'no-contact') THEN 'bad'
         WHEN _dq IS NOT NULL THEN 'disqualified'
         ELSE _band_tier END AS tier,
    -- Grade: fit letter (A >= 45, B >= 30, C >= 15, else D), engagement digit (1 >= 35, 2 >= 20, 3 >= 8, else 4).
    CASE WHEN fit >= 45 THEN 'A' WHEN fit >= 30 THEN 'B' WHEN fit >= 15 THEN 'C' ELSE 'D' END
      || CASE WHEN engagement >= 35 THEN '1' WHEN engagement >= 20 THEN '2' WHEN engagement >= 8 THEN '3' ELSE '4' END AS grade,
    CASE WHEN _dq IN ('duplicate', 'email:invalid', 'fake-data', 'no-contact') THEN 'bad lead'
         WHEN _dq IS NOT NULL THEN 'disqualified'
         WHEN _sales THEN 'sales lead'
         WHEN _cold THEN 'cold lead'
         ELSE _band_stage END AS stage,
    'lead' AS class,   -- every stage scoring can assign is in the "lead" class
    CASE _dq
      WHEN 'duplicate' THEN 'Merge into record ' || _first_rec
      WHEN 'email:invalid' THEN 'Fix or drop: The email address is malformed'
      WHEN 'fake-data' THEN 'Fix or drop: Placeholder contact data (test@test.com, asdf, 555-0100)'
      WHEN 'no-contact' THEN 'Fix or drop: Neither a valid email nor a usable phone number'
      WHEN 'competitor' THEN 'Do not pursue: Works at a competitor; ask for a referral'
      WHEN 'student' THEN 'Do not pursue: Students do not buy B2B software; ask for a referral'
      ELSE CASE WHEN NOT _sales AND _cold THEN 'Prospect: first outreach (call + email)' ELSE _band_action END
    END AS action,
    -- Every rule that fired with its points, then caps, decay, clamping and verdicts, in
    -- Miller's short form (`title:exec +20; visits +20; stale 184d -38`), not qualify's detail.
    concat_ws('; ',
      CASE WHEN _r_exec IS NOT NULL THEN 'title:exec +20' END,
      CASE WHEN _r_head IS NOT NULL THEN 'title:head +15' END,
      CASE WHEN _r_manager IS NOT NULL THEN 'title:manager +8' END,
      CASE WHEN _r_function IS NOT NULL THEN 'title:revenue-function +10' END,
      CASE WHEN _r_junior IS NOT NULL THEN 'title:junior -10' END,
      CASE WHEN _r_core IS NOT NULL THEN 'size:core +15' END,
      CASE WHEN _r_small IS NOT NULL THEN 'size:small -5' END,
      CASE WHEN _r_enterprise IS NOT NULL THEN 'size:enterprise +5' END,
      CASE WHEN _r_industry IS NOT NULL THEN 'industry:target +10' END,
      CASE WHEN _r_country IS NOT NULL THEN 'country:served +5' END,
      CASE WHEN _r_revenue IS NOT NULL THEN 'revenue:10m-plus +5' END,
      CASE WHEN _r_personal IS NOT NULL THEN 'email:personal -10' END,
      CASE WHEN _fit_raw > 60 THEN 'fit cap 60 ' || (60 - _fit_raw) END,
      CASE WHEN _title = '' AND _emp IS NULL AND _industry = '' THEN 'fit unknown (title, employees, industry missing) +0' END,
      'visits +' || _r_visits,
      'opens +' || _r_opens,
      'downloads +' || _r_downloads,
      'webinars +' || _r_webinars,
      CASE WHEN _r_recent IS NOT NULL THEN 'recent +5' END,
      CASE WHEN _r_inbound IS NOT NULL THEN 'source:inbound +5' END,
      CASE WHEN _eng_raw > 50 THEN 'engagement cap 50 ' || (50 - _eng_raw) END,
      CASE WHEN _eng_decayed <> _eng_capped THEN 'stale ' || _age || 'd ' || (_eng_decayed - _eng_capped) END,
      CASE WHEN _eng_decayed < -10 THEN 'engagement floor -10 +' || (-10 - _eng_decayed) END,
      CASE WHEN fit + engagement < 0 THEN 'clamped to 0-100 +' || (0 - fit - engagement)
           WHEN fit + engagement > 100 THEN 'clamped to 0-100 ' || (100 - fit - engagement) END,
      CASE WHEN _is_duplicate THEN 'duplicate of record ' || _first_rec END,
      CASE WHEN _is_invalid THEN 'bad:email:invalid' END,
      CASE WHEN _is_fake THEN 'bad:fake-data' END,
      CASE WHEN _is_no_contact THEN 'bad:no-contact' END,
      CASE WHEN _is_competitor THEN 'DQ:competitor' END,
      CASE WHEN _is_student THEN 'DQ:student' END
    ) AS reasons
  FROM decided
  ORDER BY _rec
) TO '/dev/stdout' (FORMAT csv, HEADER true);
