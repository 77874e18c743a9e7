// --log-format json: every note, warning and error on stderr is one JSON object a line, with
// level, code, message, file, line, column and record; stdout stays data. The CLI runs in this
// process (runHere: the JSON log is switched back after each run); one case keeps a real
// bin/qualify.js process, where the switch lasts until the process exits.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineToRecord, logFormatInArgv } from '../../src/ui/log-format.js';
import { ROOT, run, runHere } from './helpers.js';

const KEYS = ['level', 'code', 'message', 'file', 'line', 'column', 'record'];

/** stderr as records; fails when a line is not a JSON object with every key. */
function records(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const rec = JSON.parse(l) as Record<string, unknown>;
      for (const k of KEYS) expect(rec, l).toHaveProperty(k);
      return rec;
    });
}

describe('--log-format json', () => {
  it('a broken rules file: one error record per problem, with file, line and column; exit 2 (a real process)', () => {
    const r = run(['rules', 'check', 'fixtures/rules/broken.yaml', '--log-format', 'json']);
    expect(r.status).toBe(2);
    expect(records(r.stderr).map((x) => [x['level'], x['code'], x['file'], x['line'], x['column']])).toEqual([
      ['error', 'RULES_UNKNOWN_OPERATOR', 'fixtures/rules/broken.yaml', 11, 24],
      ['error', 'RULES_UNKNOWN_FIELD', 'fixtures/rules/broken.yaml', 15, 15],
      ['error', 'RULES_SCHEMA', 'fixtures/rules/broken.yaml', 16, 15],
    ]);
  });

  it('score: notes are note records, the summary an info record, stdout the CSV as without it', async () => {
    const args = ['score', 'fixtures/purchased-list.csv', '--as-of', '2026-11-01'];
    const json = await runHere(['--log-format=json', ...args]);
    expect(json.status).toBe(0);
    expect(json.stdout).toBe((await runHere(args)).stdout);
    const recs = records(json.stderr);
    const notes = recs.filter((x) => x['level'] === 'note');
    expect(notes.length).toBeGreaterThan(0);
    expect(notes[0]!['file']).toBe('fixtures/purchased-list.csv');
    expect(recs.at(-1)).toMatchObject({ level: 'info', message: expect.stringMatching(/^qualify: 200 rows read/) });
  });

  it('a malformed CSV row: the error record names the record and the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-log-'));
    const csv = join(dir, 'short.csv');
    writeFileSync(csv, 'Email,Title\na@acme.test,CEO\nb@acme.test\n');
    const r = await runHere(['score', csv, '--log-format', 'json']);
    expect(r.status).toBe(2);
    const [err] = records(r.stderr);
    expect(err).toMatchObject({ level: 'error', code: 'CSV_BAD_RECORD', file: csv, record: 2, line: 3 });
  });

  it('a usage error from the option parser is a USAGE error record, exit 2', async () => {
    const r = await runHere(['score', '--bogus', '--log-format', 'json'], { cwd: ROOT });
    expect(r.status).toBe(2);
    expect(records(r.stderr)[0]).toMatchObject({ level: 'error', code: 'USAGE', message: "unknown option '--bogus'" });
  });

  it('an unknown format is refused, exit 2', async () => {
    const r = await runHere(['--log-format', 'xml', 'rules', 'check']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("argument 'xml' is invalid. Allowed choices are text, json.");
  });

  it('a json run does not leave the next run in the same process writing JSON (resetLogFormat)', async () => {
    const args = ['rules', 'check', 'fixtures/rules/broken.yaml'];
    const json = await runHere([...args, '--log-format', 'json']);
    expect(records(json.stderr)).toHaveLength(3);
    const text = await runHere(args);
    expect(text.status).toBe(2);
    expect(text.stderr).toContain('fixtures/rules/broken.yaml:11:24: error: ');
    expect(text.stderr).not.toContain('{"level"');
  });

  it.each([
    ['rules.yaml:3:5: warning: tier "x" is never reached [RULES_SCHEMA]', { level: 'warning', code: 'RULES_SCHEMA', file: 'rules.yaml', line: 3, column: 5, message: 'tier "x" is never reached' }],
    ['leads.csv: error: record 7 (line 9): 3 fields, expected 4 [CSV_BAD_RECORD]', { level: 'error', code: 'CSV_BAD_RECORD', file: 'leads.csv', record: 7, line: 9 }],
    ['note: leads.csv: "n/a" in a number column, e.g. record 4', { level: 'note', code: null, file: 'leads.csv', record: null }],
    ['Scored 200 leads', { level: 'info', message: 'Scored 200 leads' }],
  ])('lineToRecord(%j)', (line, rec) => {
    expect(lineToRecord(line, false)).toMatchObject(rec);
  });

  it('on a terminal, text that is no diagnostic passes through (prompts, the lead card)', () => {
    expect(lineToRecord('? Which lead?', true)).toBeNull();
    expect(lineToRecord('note: x', true)).toMatchObject({ level: 'note' });
  });

  it.each([
    [['--log-format', 'json', 'score'], 'json'],
    [['score', '--log-format=json'], 'json'],
    [['score', '--', '--log-format', 'json'], undefined],
  ])('logFormatInArgv(%j) = %j', (argv, value) => expect(logFormatInArgv(argv)).toBe(value));
});
