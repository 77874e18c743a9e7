// The command line: commander wiring, and the ONLY place errors become exit codes:
// 0 success, 1 runtime failure, 2 bad usage or bad config/input. Commands are imported lazily
// so `qualify --version` starts as fast as node itself allows.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

const RUNTIME_CODES = new Set(['FILE_WRITE', 'FILE_LOCKED', 'CSV_CHANGED_ON_DISK', 'RULES_EXAMPLE_FAILED']);

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs a command body; prints errors for people and sets the exit code. */
async function action(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const { qualifyErrorsOf, formatError } = await import('./ui/diagnostics.js');
    const errors = qualifyErrorsOf(e);
    if (errors) {
      for (const err of errors) process.stderr.write(formatError(err) + '\n');
      if (errors.length > 1) process.stderr.write(`${errors.length} problems\n`);
      process.exitCode = errors.every((x) => RUNTIME_CODES.has(x.code)) ? 1 : 2;
      return;
    }
    if (e instanceof Error && e.name === 'ExitPromptError') {
      process.exitCode = 130;
      return;
    }
    process.stderr.write(`qualify: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}

/** A reader that closed the pipe (`| head -1`) ends the output, not the run: a write to a closed
 * stdout or stderr is dropped, so no stack trace and the exit status the command gives anyway
 * (a broken rules file still exits 2). Installed once, before anything is written. */
export function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
      throw e;
    });
  }
}

export async function main(argv: string[]): Promise<void> {
  ignoreClosedPipes();
  const { Command, CommanderError } = await import('commander');
  const program: Command = new Command();
  program
    .name('qualify')
    .description('Turn raw lead lists into a qualified sales pipeline: score, assess, discover, write back, report.')
    .version(version(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .exitOverride();

  // Registering a command only declares its options; its module loads when it runs.
  const lazy = (name: string) => async (fn: () => Promise<void>) => action(fn);
  (await import('./commands/score.js')).register(program, lazy('score'));
  (await import('./commands/explain.js')).register(program, lazy('explain'));
  (await import('./commands/rules.js')).register(program, lazy('rules'));
  (await import('./commands/assess.js')).register(program, lazy('assess'));
  (await import('./commands/discover.js')).register(program, lazy('discover'));
  (await import('./commands/log.js')).register(program, action);
  (await import('./commands/followups.js')).register(program, action);
  (await import('./commands/report.js')).register(program, action);
  (await import('./commands/split.js')).register(program, action);
  (await import('./commands/export.js')).register(program, action);
  for (const cmd of program.commands) cmd.exitOverride();

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; anything else commander rejects is bad usage.
      process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
      return;
    }
    throw e;
  }
}
