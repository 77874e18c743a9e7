// qualify.yaml: found in the current directory or a parent; its rules, questionnaires, format and
// log_format become the defaults of every command; an option on the command line wins; a
// mistake is CONFIG_INVALID at its line:col (exit 2); --help says which setting feeds an option.
// Most cases run the built CLI in this process (runHere); answers from stdin and log_format: json
// (which rewires stderr for the rest of a process) keep a real child (run).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectConfig, loadProjectConfig } from '../../src/io/project-config.js';
import { ROOT, run, runHere } from './helpers.js';

const WEBINAR = join(ROOT, 'fixtures', 'webinar-export.csv');
const PURCHASED = join(ROOT, 'fixtures', 'purchased-list.csv');

/** A project: qualify.yaml with `config`, and a subdirectory to run commands in. */
function project(config: string): { dir: string; sub: string } {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-project-'));
  writeFileSync(join(dir, 'qualify.yaml'), config);
  const sub = join(dir, 'calls', 'monday');
  mkdirSync(sub, { recursive: true });
  return { dir, sub };
}

describe('qualify.yaml', () => {
  it('is found from a subdirectory, and its paths are relative to it', () => {
    const { dir, sub } = project('rules: ../rules/small.yaml\nquestionnaires:\n  discover: q/meddic.yaml\n');
    expect(findProjectConfig(sub)).toBe(join(dir, 'qualify.yaml'));
    const c = loadProjectConfig(join(dir, 'qualify.yaml'));
    expect(c.rules).toBe(join(dir, '..', 'rules', 'small.yaml'));
    expect(c.questionnaires.discover).toBe(join(dir, 'q', 'meddic.yaml'));
  });

  it('rules and format: score and rules check in a subdirectory use them; options on the command line win', async () => {
    const { dir, sub } = project('rules: rules.yaml\nformat: ndjson\n');
    writeFileSync(join(dir, 'rules.yaml'), readFileSync(join(ROOT, 'rules', 'default.yaml'), 'utf8').replace(/^name: .*$/m, 'name: Our project rules'));
    const scored = await runHere(['score', PURCHASED, '--as-of', '2026-11-01', '-q'], { cwd: sub });
    expect(scored.status, scored.stderr).toBe(0);
    expect(JSON.parse(scored.stdout.split('\n')[0]!)).toHaveProperty('Lead ID', 'PL-0001');
    const csv = await runHere(['score', PURCHASED, '--as-of', '2026-11-01', '-q', '--format', 'csv'], { cwd: sub });
    expect(csv.stdout.startsWith('Lead ID,')).toBe(true);
    const check = await runHere(['rules', 'check', '--as-of', '2026-11-01'], { cwd: sub });
    expect(check.stderr).toContain('"Our project rules" is valid');
    const shipped = await runHere(['rules', 'check', join(ROOT, 'rules', 'default.yaml'), '--as-of', '2026-11-01'], { cwd: sub });
    expect(shipped.stderr).toContain('"B2B SaaS default" is valid');
  });

  it('questionnaires: assess takes its questionnaire from the config (a discovery one is refused as such)', () => {
    const { sub } = project(`questionnaires:\n  assess: ${join(ROOT, 'rules', 'discovery-bant.yaml')}\n`);
    const r = run(['assess', WEBINAR, '--lead', 'WB00001', '--answers', '-'], { cwd: sub, input: 'x: 1\n' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('discovery-bant.yaml is a discovery questionnaire; "qualify assess" needs kind: needs-assessment');
  });

  it('log_format: json makes every diagnostic a JSON line', () => {
    const { sub } = project('log_format: json\n');
    const r = run(['score', join(sub, 'missing.csv')], { cwd: sub });
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stderr.trim())).toMatchObject({ level: 'error', code: 'FILE_NOT_FOUND' });
  });

  it('a mistake is CONFIG_INVALID at its line and column, exit 2; --help and --version still work', async () => {
    const { sub } = project('rules: rules.yaml\nformat: xlsx\nquestionaires: {}\n');
    const r = await runHere(['score', WEBINAR], { cwd: sub });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/qualify\.yaml:2:9: error: format must be one of csv, json, ndjson; got "xlsx" \[CONFIG_INVALID\]/);
    expect(r.stderr).toMatch(/qualify\.yaml:3:1: error: unknown setting "questionaires"/);
    expect((await runHere(['--version'], { cwd: sub })).status).toBe(0);
    expect((await runHere(['score', '--help'], { cwd: sub })).status).toBe(0);
  });

  it('--help names the setting behind each option it feeds', async () => {
    const help = async (args: string[]) => (await runHere([...args, '--help'])).stdout.replace(/\s+/g, ' ');
    expect(await help(['score'])).toContain('default from qualify.yaml "rules:" when set');
    expect(await help(['score'])).toContain('default from qualify.yaml "format:" when set');
    expect(await help(['discover'])).toContain('default from qualify.yaml "questionnaires.discover:" when set');
    expect(await help(['assess'])).toContain('default from qualify.yaml "rep:" when set');
    expect(await help(['rules', 'check'])).toContain('default from qualify.yaml "rules:" when set');
    expect(await help([])).toContain('a qualify.yaml in this directory or a parent');
  });
});
