// What the terminal tests share: the built CLI run without a terminal (to prepare a lead), a
// sales-accepted lead in a temp CSV, the command line that runs a call in tmux, and a raw CSV
// record splitter (independent of the code under test) to check that untouched rows keep their bytes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { shellQuote, stopServer, TmuxSession } from './tmux.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const NOW = '2026-11-02T10:00:00Z';
const BIN = join(ROOT, 'bin', 'qualify.js');

/** An empty per-user config directory, so that no run reads or writes the caller's saved name
 * ($XDG_CONFIG_HOME/qualify/config.yaml). */
const CONFIG_HOME = mkdtempSync(join(tmpdir(), 'qualify-config-'));

/** The environment every run gets: no colour, a pinned clock, nothing from the caller's shell
 * that would change the script (QUALIFY_REP, the saved name) or force colour codes. */
export function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', QUALIFY_NOW: NOW, XDG_CONFIG_HOME: CONFIG_HOME };
  delete env['FORCE_COLOR'];
  delete env['QUALIFY_REP'];
  return env;
}

/** Runs the built CLI without a terminal; throws with its stderr when it fails. */
export function qualify(...args: string[]): string {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run "npm run build" first (npm test does)');
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: cliEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`qualify ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stderr;
}

/** The shell command line that runs `qualify ...args` in the tmux pane, with cliEnv's settings. */
export function qualifyCommand(...args: string[]): string {
  return qualifyCommandIn(CONFIG_HOME, ...args);
}

/** The same with `configHome` as $XDG_CONFIG_HOME (where the rep's name is saved). */
export function qualifyCommandIn(configHome: string, ...args: string[]): string {
  return ['env', '-u', 'FORCE_COLOR', '-u', 'QUALIFY_REP', 'NO_COLOR=1', `QUALIFY_NOW=${NOW}`, `XDG_CONFIG_HOME=${configHome}`, process.execPath, BIN, ...args].map(shellQuote).join(' ');
}

/** A temp directory with leads.csv: the purchased-list fixture scored. */
export function scoredLeads(): { dir: string; csv: string } {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-tmux-'));
  const csv = join(dir, 'leads.csv');
  qualify('score', join(ROOT, 'fixtures', 'purchased-list.csv'), '--as-of', '2026-11-01', '-o', csv, '-q');
  return { dir, csv };
}

/**
 * A temp directory with leads.csv: the purchased-list fixture scored, then PL-0001's needs
 * assessment taken from an answers file, so PL-0001 is a sales-accepted lead (SAL) whose
 * na_solution the discovery script quotes.
 */
export function salLeads(): { dir: string; csv: string } {
  const { dir, csv } = scoredLeads();
  const answers = join(dir, 'needs-assessment.yaml');
  writeFileSync(
    answers,
    [
      'source: webinar',
      'need: [forecast_accuracy, pipeline_visibility]',
      'need_detail: Forecast calls are guesswork',
      'product_interest: platform',
      'solution: one view of the pipeline that the board trusts',
      'crm: salesforce',
      'timeline: within_6_months',
      'follow_up_agreed: no',
      '',
    ].join('\n'),
  );
  qualify('assess', csv, '--lead', 'PL-0001', '--answers', answers, '--rep', 'Kim');
  const row = rowOf(readFileSync(csv), 'PL-0001');
  if (row['stage'] !== 'SAL') throw new Error(`setup: PL-0001 should be a SAL after its needs assessment, is ${row['stage']}`);
  return { dir, csv };
}

/** The file's records as raw text, each with its line ending; a quoted field may span lines. */
export function rawRecords(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** A record's text with `extra` put before its line ending. */
export function withBeforeEol(record: string, extra: string): string {
  const eol = /(\r\n|\n|\r)$/.exec(record)?.[0] ?? '';
  return record.slice(0, record.length - eol.length) + extra + eol;
}

/** The row of lead `id` (the "Lead ID" column) as column -> cell. */
export function rowOf(bytes: Buffer, id: string): Record<string, string> {
  const rows = parse(bytes, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  const row = rows.find((r) => r['Lead ID'] === id);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
}

export function headerOf(bytes: Buffer): string[] {
  return (parse(bytes, { to_line: 1, bom: true }) as string[][])[0]!;
}

/** Every record but lead `id`'s keeps its bytes; the header and each record only gain one empty
 * cell per added column, before the line ending. Returns the added columns. */
export function expectOnlyLeadChanged(before: Buffer, after: Buffer, id: string): string[] {
  const oldHeader = headerOf(before);
  const newHeader = headerOf(after);
  expect(newHeader.slice(0, oldHeader.length)).toEqual(oldHeader);
  const added = newHeader.slice(oldHeader.length);
  const was = rawRecords(before);
  const now = rawRecords(after);
  const leadRecord = was.findIndex((r) => r.startsWith(`${id},`));
  expect(leadRecord).toBeGreaterThan(0);
  expect(now).toHaveLength(was.length);
  expect(now[0]).toBe(withBeforeEol(was[0]!, added.map((c) => ',' + c).join('')));
  let same = 0;
  for (let i = 1; i < was.length; i++) {
    if (i === leadRecord) continue;
    expect(now[i], `record ${i}`).toBe(/^(\r\n|\n|\r)$/.test(was[i]!) ? was[i] : withBeforeEol(was[i]!, ','.repeat(added.length)));
    same++;
  }
  expect(same).toBe(was.length - 2); // all but the header and the lead
  return added;
}

export interface TerminalFixture {
  /** The leads file and its directory, made once for the describe block. */
  readonly base: { dir: string; csv: string };
  /** A fresh copy of the leads file in the same directory, for a test that writes into it. */
  leadsCopy(): string;
  /** Runs `command` in a new tmux session; the session this test opened before is stopped. */
  open(command: string, opts: { cwd: string; width?: number; height?: number }): TmuxSession;
}

/**
 * The hooks every terminal test file needs, declared once (call it inside `describe`): the leads
 * made before the first test, the session a test opened stopped after it (a failed test leaves
 * none running), and every tmux server and the leads removed at the end.
 */
export function terminalFixture(makeLeads: () => { dir: string; csv: string }): TerminalFixture {
  let base: { dir: string; csv: string } | undefined;
  let session: TmuxSession | undefined;
  let copies = 0;
  beforeAll(() => {
    base = makeLeads();
  }, 60_000);
  afterEach(() => {
    session?.kill();
    session = undefined;
  });
  afterAll(() => {
    stopServer();
    if (base) rmSync(base.dir, { recursive: true, force: true });
  });
  const made = (): { dir: string; csv: string } => {
    if (!base) throw new Error('terminalFixture: the leads are made in beforeAll; use them inside a test');
    return base;
  };
  return {
    get base() {
      return made();
    },
    leadsCopy() {
      const csv = join(made().dir, `leads-${++copies}.csv`);
      copyFileSync(made().csv, csv);
      return csv;
    },
    open(command, opts) {
      session?.kill();
      session = new TmuxSession().start(command, opts);
      return session;
    },
  };
}
