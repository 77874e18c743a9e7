// Runs the built CLI (dist/cli.js's main, the code bin/qualify.js runs) inside the test's own
// process, capturing what it writes to stdout and stderr and the exit status it sets. A node
// process start costs ~0.2 s of CPU before qualify does anything; a file with dozens of CLI
// cases pays that once here instead of per case. For tests of what the CLI prints and the status
// it ends with; what depends on being a separate process (a closed pipe, a signal, a terminal,
// stdin, the process's own exit) keeps a real child (bin/qualify.js) in its own test file.
//
// One run at a time (runs are queued): stdout, stderr, process.env, process.exitCode and the
// working directory are the process's own, swapped in for a run and put back after it (so only
// in vitest's 'process' project, whose files each have a forked process: a worker thread cannot
// chdir). --log-format json (or a qualify.yaml's log_format: json) rewires stderr for the rest of
// a process: after each run, dist/'s resetLogFormat gives stderr back. A run that needs stdin or a
// terminal must spawn instead, and runInProcess refuses `-` rather than give a wrong answer.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIST_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const DIST_LOG_FORMAT = fileURLToPath(new URL('../../dist/ui/log-format.js', import.meta.url));

export interface InProcessRun {
  stdout: Buffer;
  stderr: Buffer;
  /** The exit status the process would have had (process.exitCode after main, 0 when unset). */
  status: number;
}

type Main = (argv: string[]) => Promise<void>;
let mainPromise: Promise<Main> | undefined;
let resetPromise: Promise<() => void> | undefined;
let queue: Promise<unknown> = Promise.resolve();

function loadMain(): Promise<Main> {
  if (!existsSync(DIST_CLI)) throw new Error('dist/ is missing: run "npm run build" first (npm test does)');
  mainPromise ??= import(DIST_CLI).then((m: { main: Main }) => m.main);
  return mainPromise;
}

/** The module instance dist/cli.js switches (the same URL, so the same module). */
function loadResetLogFormat(): Promise<() => void> {
  resetPromise ??= import(DIST_LOG_FORMAT).then((m: { resetLogFormat: () => void }) => m.resetLogFormat);
  return resetPromise;
}

/** `qualify ...args` run in this process with `env` as its whole environment (process.env is
 * replaced for the run, then restored), in `cwd` when given. Resolves with the bytes of stdout
 * and stderr and the status. */
export function runInProcess(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<InProcessRun> {
  if (args.includes('-')) {
    throw new Error(`runInProcess cannot run "${args.join(' ')}": stdin needs a real process`);
  }
  const run = queue.then(() => runNow(args, env, cwd));
  queue = run.catch(() => {});
  return run;
}

async function runNow(args: string[], env: NodeJS.ProcessEnv, cwd: string | undefined): Promise<InProcessRun> {
  const main = await loadMain();
  const resetLogFormat = await loadResetLogFormat();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const capture =
    (into: Buffer[]) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
      into.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (cb) queueMicrotask(cb);
      return true;
    };
  const savedOut = Object.getOwnPropertyDescriptor(process.stdout, 'write');
  const savedErr = Object.getOwnPropertyDescriptor(process.stderr, 'write');
  // As a child with stdin not a terminal and piped stdout and stderr sees them, even when vitest
  // runs in a terminal (an interactive command then refuses with NO_TTY, as under a script).
  const savedTty = {
    stdin: Object.getOwnPropertyDescriptor(process.stdin, 'isTTY'),
    stdout: Object.getOwnPropertyDescriptor(process.stdout, 'isTTY'),
    stderr: Object.getOwnPropertyDescriptor(process.stderr, 'isTTY'),
  };
  for (const name of ['stdin', 'stdout', 'stderr'] as const) Object.defineProperty(process[name], 'isTTY', { value: false, configurable: true, writable: true });
  const savedEnv = process.env;
  const savedExitCode = process.exitCode;
  const savedCwd = process.cwd();
  const errorListeners = { stdout: process.stdout.listeners('error'), stderr: process.stderr.listeners('error') };
  process.stdout.write = capture(out) as typeof process.stdout.write;
  process.stderr.write = capture(err) as typeof process.stderr.write;
  process.env = { ...env };
  process.exitCode = undefined;
  try {
    if (cwd !== undefined) process.chdir(cwd);
    await main([process.execPath, 'qualify', ...args]);
    resetLogFormat(); // flushes a last unterminated JSON-log line, as the process's exit would
    const code = process.exitCode as number | string | undefined;
    return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), status: code === undefined ? 0 : Number(code) };
  } finally {
    // Before stderr's own write comes back: the JSON log wraps the capture, and flushes into it.
    resetLogFormat();
    restore(process.stdout, 'write', savedOut);
    restore(process.stderr, 'write', savedErr);
    restore(process.stdout, 'isTTY', savedTty.stdout);
    restore(process.stderr, 'isTTY', savedTty.stderr);
    restore(process.stdin, 'isTTY', savedTty.stdin);
    process.env = savedEnv;
    process.exitCode = savedExitCode;
    process.chdir(savedCwd);
    // main installs its closed-pipe handlers on every run: drop this run's, so they do not pile up.
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = process[name];
      for (const l of stream.listeners('error')) if (!errorListeners[name].includes(l)) stream.off('error', l as (...a: unknown[]) => void);
    }
  }
}

function restore(stream: NodeJS.WriteStream | NodeJS.ReadStream, key: 'write' | 'isTTY', saved: PropertyDescriptor | undefined): void {
  if (saved) Object.defineProperty(stream, key, saved);
  else delete (stream as { write?: unknown; isTTY?: unknown })[key];
}
