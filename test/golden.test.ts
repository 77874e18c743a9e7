// Golden-file tests of the CLI, Miller-style: every directory under test/cases/<command>/<case>/
// holds `cmd` (the arguments after `qualify`), optional `stdin` (a file path piped to stdin),
// and the expected `expout`, `experr` and `exit`. UPDATE_GOLDEN=1 rewrites the expected files;
// review the change with git diff. Runs the built CLI (npm test builds first): every case in this
// process (dist/cli.js's main with stdout and stderr captured, test/helpers/in-process-cli.ts),
// the cases that read stdin as a child; and a few cases again as a child (bin/qualify.js), whose
// bytes and exit status must match the same files: the process boundary (stdout and stderr apart,
// process.exitCode becoming the exit status) is held by those.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/in-process-cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const casesDir = join(root, 'test', 'cases');
const update = process.env['UPDATE_GOLDEN'] === '1';

/** Splits a command line on spaces, honouring single and double quotes. */
function splitArgs(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** Removes what differs between machines: the checkout path. */
function clean(s: string): string {
  return s.split(root).join('[root]/').replace(/\[root\]\/\//g, '[root]/');
}

const cases: { name: string; dir: string }[] = [];
for (const command of readdirSync(casesDir).sort()) {
  const cdir = join(casesDir, command);
  if (!statSync(cdir).isDirectory()) continue;
  for (const c of readdirSync(cdir).sort()) cases.push({ name: `${command}/${c}`, dir: join(cdir, c) });
}

/** Runs the built CLI on `input` as stdin; resolves with its stdout, stderr and exit status.
 * Asynchronous, so that the cases of this file run side by side (it.concurrent). */
/** The environment of every case: no colour, and tables laid out to 120 columns without a terminal. */
function caseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  delete env['COLUMNS'];
  return env;
}

async function runCli(args: string[], input: Buffer | string): Promise<{ stdout: Buffer; stderr: Buffer; status: number | null }> {
  const env = caseEnv();
  const child = spawn(process.execPath, [join(root, 'bin', 'qualify.js'), ...args], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  // A command that exits before reading its stdin closes the pipe: not a failure of the test.
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  const [status] = (await once(child, 'close')) as [number | null];
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), status };
}

/** Pairs of cases where the second re-scores the first's output: both must print the same. */
const RESCORES: [first: string, rescore: string][] = [
  ['score/purchased-list-csv', 'score/rescore-is-idempotent'],
  ['score/user-columns-kept', 'score/user-columns-rescore-is-idempotent'],
];

describe('qualify CLI golden cases', () => {
  it('has a complete case for every command it tests', () => {
    // Each case holds cmd and exit, and expout or experr; every command directory has cases.
    for (const { name, dir } of cases) {
      expect(existsSync(join(dir, 'cmd')), `${name}/cmd`).toBe(true);
      expect(existsSync(join(dir, 'exit')), `${name}/exit`).toBe(true);
      expect(existsSync(join(dir, 'expout')) || existsSync(join(dir, 'experr')), `${name}: expout or experr`).toBe(true);
    }
    const commands = [...new Set(cases.map((c) => c.name.split('/')[0]))];
    expect(commands).toEqual(expect.arrayContaining(['explain', 'rules', 'score']));
    for (const command of commands) expect(cases.filter((c) => c.name.startsWith(`${command}/`)).length, command).toBeGreaterThan(0);
  });

  it.each(RESCORES)('re-scoring the output of %s (%s) prints it unchanged: idempotent', (first, rescore) => {
    const input = join(casesDir, first, 'expout');
    // The re-score case reads exactly the first case's output...
    expect(readFileSync(join(casesDir, rescore, 'cmd'), 'utf8')).toContain(`test/cases/${first}/expout`);
    // ...and its expected output is that same file, byte for byte.
    expect(readFileSync(join(casesDir, rescore, 'expout'))).toEqual(readFileSync(input));
  });

  /** One case's expected files against what a run gave (or rewrites them under UPDATE_GOLDEN). */
  function check(dir: string, r: { stdout: Buffer; stderr: Buffer; status: number | null }): void {
    const got = { expout: clean(r.stdout.toString('utf8')), experr: clean(r.stderr.toString('utf8')), exit: `${r.status}\n` };
    for (const k of ['expout', 'experr', 'exit'] as const) {
      const file = join(dir, k);
      if (update) writeFileSync(file, got[k]);
      expect(got[k], `${k} of ${dir}`).toBe(existsSync(file) ? readFileSync(file, 'utf8') : '<missing file>');
    }
  }
  const argsOf = (dir: string) => splitArgs(readFileSync(join(dir, 'cmd'), 'utf8').trim());
  const stdinOf = (dir: string) => {
    const stdinFile = join(dir, 'stdin');
    return existsSync(stdinFile) ? readFileSync(join(root, readFileSync(stdinFile, 'utf8').trim())) : undefined;
  };

  it.each(cases)('$name', async ({ dir }) => {
    const input = stdinOf(dir);
    // Reading stdin needs a process of its own; everything else runs here.
    check(dir, input === undefined ? await runInProcess(argsOf(dir), caseEnv()) : await runCli(argsOf(dir), input));
  }, 120_000);

  /** Cases run again as a child: stdout data (csv, json), stderr only (a table), usage errors
   * from commander and from a command (2), a runtime failure (1). */
  const AS_A_PROCESS = ['score/purchased-list-csv', 'score/webinar-export-json', 'explain/lead-by-id', 'score/unknown-option', 'score/bad-rules-nothing-written', 'rules/check-failing-example', 'diff/fail-on-move'];
  it('the cases run as a child include each kind of ending', () => {
    const exits = AS_A_PROCESS.map((name) => readFileSync(join(casesDir, name, 'exit'), 'utf8').trim());
    expect(new Set(exits)).toEqual(new Set(['0', '1', '2']));
    for (const name of AS_A_PROCESS) expect(cases.map((c) => c.name)).toContain(name);
  });
  it.concurrent.each(AS_A_PROCESS)('%s, as a child process (bin/qualify.js)', async (name) => {
    const dir = join(casesDir, name);
    const r = await runCli(argsOf(dir), stdinOf(dir) ?? '');
    if (update) return; // the in-process run above writes the files
    check(dir, r);
  }, 120_000); // one CLI run, several at once (it.concurrent): generous, for a loaded machine
});
