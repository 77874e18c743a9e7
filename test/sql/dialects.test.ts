// The dialects that cannot run here (Spark, BigQuery, Snowflake): their SQL for a shipped rules
// file is golden (UPDATE_GOLDEN=1 rewrites it for review) and parses with node-sql-parser's
// grammar of that dialect (Hive's for Spark SQL). Then what no dialect may do silently: a
// construct it cannot express is an error naming the rule; duplicates need a row order.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Parser } from 'node-sql-parser';
import { runInProcess } from '../helpers/in-process-cli.js';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/io/rules-file.js';
import { parseDate } from '../../src/core/values.js';
import { compileSql } from '../../src/sql/compile.js';
import { DIALECT_OF } from '../../src/sql/dialects/index.js';
import { translateRegex } from '../../src/sql/regex.js';
import type { DialectName } from '../../src/sql/dialect.js';

const ROOT = join(import.meta.dirname, '../..');
const AS_OF = parseDate('2026-11-01', 'ymd')!;
const PURCHASED = ['Lead ID', 'First Name', 'Last Name', 'E-mail Address', 'Phone', 'Company', 'Job Title', 'No. of Employees', 'Industry', 'Country/Region', 'Annual Revenue ($)', 'Lead Source', 'Web Visits', 'Email Opens', 'Last Activity Date'];
const BANK = ['age', 'job', 'marital', 'education', 'default', 'housing', 'loan', 'contact', 'month', 'day_of_week', 'duration', 'campaign', 'pdays', 'previous', 'poutcome', 'y'];

const CASES: { dialect: DialectName; parser: string; rules: string; header: string[] }[] = [
  { dialect: 'spark', parser: 'hive', rules: 'rules/default.yaml', header: PURCHASED },
  { dialect: 'bigquery', parser: 'bigquery', rules: 'rules/default.yaml', header: PURCHASED },
  // Snowflake has no \b: the default rules' title patterns are refused (tested below).
  { dialect: 'snowflake', parser: 'snowflake', rules: 'fixtures/rules/bank-telemarketing.yaml', header: BANK },
];

describe('golden SQL of the dialects that cannot run here, parsed in their own grammar', () => {
  it.each(CASES)('$dialect: $rules', ({ dialect, parser, rules, header }) => {
    const { sql } = compileSql(loadRules(join(ROOT, rules)).rules, header, DIALECT_OF[dialect], { table: 'leads', asOfDay: AS_OF, orderBy: header[0] });
    const golden = join(import.meta.dirname, 'golden', `${dialect}.sql`);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, sql);
    expect(sql).toBe(readFileSync(golden, 'utf8'));
    const ast = new Parser().astify(sql, { database: parser });
    expect(Array.isArray(ast) ? ast.length : 1).toBe(1);
  });
});

describe('what a dialect cannot express is an error naming the rule', () => {
  const rules = loadRules(join(ROOT, 'rules/default.yaml')).rules;
  it('snowflake refuses \\b (rule title:exec), SQL_UNSUPPORTED', () => {
    expect(() => compileSql(rules, PURCHASED, DIALECT_OF.snowflake, { table: 't', asOfDay: AS_OF, orderBy: 'Lead ID' })).toThrow(
      expect.objectContaining({ code: 'SQL_UNSUPPORTED', message: expect.stringContaining('(rule "title:exec")') }),
    );
  });
  it.each(['spark', 'bigquery', 'snowflake'] as const)('%s without --order-by and rules that find duplicates: SQL_NO_ROW_ORDER', (dialect) => {
    const bank = loadRules(join(ROOT, 'fixtures/rules/bank-telemarketing.yaml')).rules;
    const r = { ...(dialect === 'snowflake' ? bank : rules), duplicates: rules.duplicates };
    const header = dialect === 'snowflake' ? [...BANK, 'E-mail Address'] : PURCHASED;
    expect(() => compileSql({ ...r, fields: dialect === 'snowflake' ? [...bank.fields, rules.fields[rules.duplicates!.field]!] : r.fields, duplicates: dialect === 'snowflake' ? { ...rules.duplicates!, field: bank.fields.length } : r.duplicates }, header, DIALECT_OF[dialect], { table: 't', asOfDay: AS_OF })).toThrow(
      expect.objectContaining({ code: 'SQL_NO_ROW_ORDER' }),
    );
  });
});

describe('a user regex (RE2) rewritten for other engines, same meaning or refused', () => {
  it.each([
    ['\\b(vp|head)\\b', 'pg', '\\y(vp|head)\\y'],
    ['a.b', 'pg', 'a[^\n]b'],
    ['\\d{3}-\\w+\\s', 'pg', '[0-9]{3}-[0-9A-Za-z_]+[\t\n\f\r ]'],
    ['(?i)abc', 'pg', 'abc'],
    ['x+?y*?', 'pg', 'x+y*'],
    ['(?P<n>a)|(?:b)', 'pg', '(a)|(?:b)'],
    ['[a\\-z\\]]', 'pg', '[a\\-z\\]]'],
    ['end$', 'java', 'end\\z'],
    ['\\bvp', 'java', '(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))vp'],
    ['(?:a|b)c', 'snowflake', '(a|b)c'],
  ] as const)('%j for %s is %j', (source, flavour, expected) => {
    expect(translateRegex(source, flavour).pattern).toBe(expected);
  });
  it.each([
    ['\\pL', 'pg', 'the escape \\p'],
    ['a(?i)b', 'pg', 'inline flags'],
    ['[[:alpha:]]', 'pg', 'a POSIX class'],
    ['a{300}', 'pg', 'a repeat count above 255'],
    ['\\bvp', 'snowflake', 'a word boundary'],
  ] as const)('%j for %s is refused (%s)', (source, flavour, what) => {
    expect(() => translateRegex(source, flavour)).toThrow(what);
  });
});

describe('qualify rules sql', () => {
  // In this process (test/helpers/in-process-cli.ts), but for the first run, which stays a real
  // bin/qualify.js process: the SELECT is seen on a child's own stdout as a user pipes it.
  const child = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/qualify.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const here = async (args: string[]) => {
    const r = await runInProcess(args, process.env, ROOT);
    return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  };
  it('prints one SELECT on stdout; a dialect that cannot express a rule exits 2 naming it, with nothing on stdout', async () => {
    const ok = child(['rules', 'sql', '--dialect', 'duckdb', '--table', 'leads', '--header-from', 'fixtures/purchased-list.csv', '--as-of', '2026-11-01']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^WITH\n/);
    expect(ok.stdout.trimEnd().endsWith('ORDER BY _q_rec;')).toBe(true);
    const bad = await here(['rules', 'sql', '--dialect', 'snowflake', '--table', 'leads', '--header-from', 'fixtures/purchased-list.csv', '--order-by', 'Lead ID']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('(rule "title:exec") [SQL_UNSUPPORTED]');
    const none = await here(['rules', 'sql', '--dialect', 'duckdb', '--table', 'leads']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--header-from');
    const help = await here(['rules', 'sql', '--help']);
    expect(help.stdout.trimEnd()).toMatch(/Examples:\n(  \$ qualify rules sql .*\n?){3}$/);
  }, 120_000);
});
