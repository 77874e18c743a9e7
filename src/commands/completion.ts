// `qualify completion bash|zsh|fish`: prints a completion script made from the command tree as
// registered at run time (commands and options added later are completed without edits here).
import type { Command } from 'commander';
import { oneOf } from './shared.js';

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash, zsh, fish)')
    .description(
      'Print a completion script for bash, zsh or fish on stdout: commands, options, option values\n' +
        '(--format, --date-format, ...) and file names. Load it in your shell\'s start-up file.',
    )
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ echo \'eval "$(qualify completion bash)"\' >> ~/.bashrc\n' +
        '  $ qualify completion zsh > "${fpath[1]}/_qualify"\n' +
        '  $ qualify completion fish > ~/.config/fish/completions/qualify.fish\n',
    )
    .action((shell: string) =>
      action(async () => {
        const { SHELLS, commandTree, completionScript } = await import('../ui/completion.js');
        const which = oneOf('SHELL', shell, SHELLS);
        process.stdout.write(completionScript(which, commandTree(program)));
      }),
    );
}
