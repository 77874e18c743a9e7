// The command line: commander wiring, and the ONLY place errors become exit codes:
// 0 success, 1 runtime failure, 2 bad usage or bad config/input. Commands are imported lazily
// so `qualify --version` starts as fast as node itself allows.
import { readFileSync } from 'node:fs';
// First, so that the CPU counters it samples span the whole start-up (the thread choice of score).
import './io/cpu-at-start.js';
import type { Command } from 'commander';

const RUNTIME_CODES = new Set(['FILE_WRITE', 'FILE_LOCKED', 'CSV_CHANGED_ON_DISK', 'RULES_EXAMPLE_FAILED']);

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs a command body; prints errors for people and sets the exit code (a body may return
 * its own status: 1 for a partial success such as rows set aside). */
async function action(fn: () => Promise<void | number>): Promise<void> {
  try {
    const status = await fn();
    if (typeof status === 'number') process.exitCode = status;
  } catch (e) {
    const { qualifyErrorsOf, formatError } = await import('./ui/diagnostics.js');
    const errors = qualifyErrorsOf(e);
    const { logFormat, errorRecord, recordLine } = await import('./ui/log-format.js');
    const json = logFormat() === 'json';
    if (errors) {
      for (const err of errors) process.stderr.write(json ? recordLine(errorRecord(err)) : formatError(err) + '\n');
      if (errors.length > 1 && !json) process.stderr.write(`${errors.length} problems\n`);
      process.exitCode = errors.every((x) => RUNTIME_CODES.has(x.code)) ? 1 : 2;
      return;
    }
    if (e instanceof Error && e.name === 'ExitPromptError') {
      process.exitCode = 130;
      return;
    }
    const text = `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    process.stderr.write(json ? recordLine({ level: 'error', code: 'INTERNAL', message: text, file: null, line: null, column: null, record: null }) : `qualify: ${text}\n`);
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
  const { Command, CommanderError, Option } = await import('commander');
  // Diagnostics as NDJSON from the start, so that even a usage error is a JSON line.
  const { installJsonLog, logFormatInArgv, LOG_FORMATS } = await import('./ui/log-format.js');
  if (logFormatInArgv(argv.slice(2)) === 'json') installJsonLog();
  const program: Command = new Command();
  program
    .name('qualify')
    .description('Turn raw lead lists into a qualified sales pipeline: score, assess, discover, write back, report.')
    .version(version(), '-V, --version')
    .addOption(new Option('--log-format <format>', 'notes, warnings and errors on stderr as text or json (NDJSON: level, code, message, file, line, column, record)').choices(LOG_FORMATS).default('text'))
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nDefaults: a qualify.yaml in this directory or a parent (qualify init writes one) sets rules,\nquestionnaires, rep, format and log_format for every command; an option given here wins.\n' +
        '\nExamples:\n  $ qualify init --from leads.csv\n  $ qualify score leads.csv -o scored.csv\n  $ qualify assess scored.csv\n',
    )
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .exitOverride();

  // Registering a command only declares its options; its module loads when it runs.
  (await import('./commands/score.js')).register(program, action);
  (await import('./commands/explain.js')).register(program, action);
  (await import('./commands/rules.js')).register(program, action);
  (await import('./commands/assess.js')).register(program, action);
  (await import('./commands/discover.js')).register(program, action);
  (await import('./commands/completion.js')).register(program, action);
  (await import('./commands/init.js')).register(program, action);
  (await import('./commands/work.js')).register(program, action);
  (await import('./commands/calibrate.js')).register(program, action);
  (await import('./commands/diff.js')).register(program, action);
  (await import('./commands/log.js')).register(program, action);
  (await import('./commands/followups.js')).register(program, action);
  (await import('./commands/report.js')).register(program, action);
  (await import('./commands/split.js')).register(program, action);
  (await import('./commands/export.js')).register(program, action);
  for (const cmd of program.commands) cmd.exitOverride();
  // qualify.yaml (here or in a parent directory) gives option defaults to every command.
  await (await import('./commands/project-config.js')).useProjectConfig(program, argv.slice(2));

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Asked-for help (--help, `qualify help`) and the version are successes; help shown because no
      // command was given (bare `qualify`, `qualify rules`: on stderr, exitCode 1 from commander)
      // and anything else commander rejects is bad usage.
      const asked = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || (e.code === 'commander.help' && e.exitCode === 0);
      process.exitCode = asked ? 0 : 2;
      return;
    }
    throw e;
  }
}
