// What the workbench tests share: the built CLI run as a child (exit status, stdout, stderr
// apart) with the terminal tests' environment, and Debian packages installed when missing.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, ROOT } from '../interactive/setup.js';
import { runInProcess } from '../helpers/in-process-cli.js';

export { ROOT };
export const BIN = join(ROOT, 'bin', 'qualify.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (dist/) in `cwd` (default: the repository) without a terminal. */
export function run(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run "npm run build" first (npm test does)');
  const spawnOpts: SpawnSyncOptions = { cwd: opts.cwd ?? ROOT, env: { ...cliEnv(), ...opts.env }, encoding: 'utf8', timeout: 60_000 };
  const r = spawnSync(process.execPath, [BIN, ...args], { ...spawnOpts, ...(opts.input !== undefined ? { input: opts.input } : { stdio: ['ignore', 'pipe', 'pipe'] }) });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The same run in this test's process (test/helpers/in-process-cli.ts: no node start-up per
 * run), for tests of what the CLI prints, writes and exits with; not for stdin or a terminal. */
export async function runHere(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const r = await runInProcess(args, { ...cliEnv(), ...opts.env }, opts.cwd ?? ROOT);
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

const hasCommand = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
let aptUpdated = false;

/** `cmd` on PATH, installing Debian package `pkg` with apt-get when missing and running as root
 * (CI); false when it cannot be had (an ordinary user's machine without it). */
export function ensureCommand(cmd: string, pkg: string): boolean {
  if (hasCommand(cmd)) return true;
  if (process.getuid?.() !== 0 || !hasCommand('apt-get')) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore', env, timeout: 300_000 });
    aptUpdated = true;
  }
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'ignore', env, timeout: 300_000 });
  return hasCommand(cmd);
}
