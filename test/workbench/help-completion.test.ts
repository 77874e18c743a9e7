// Help and usage as a user meets them (every command's --help ends with examples; a bare
// `qualify` or `qualify rules` is a usage error), and the completion scripts: valid syntax in
// bash, zsh and fish, and the words they offer, generated from the command tree at run time.
// The CLI runs in this process (runHere: dozens of --help runs, no node start each); the bare
// `qualify` usage error keeps a real child, for the process's own exit status 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { bashScript, commandTree, fishScript, valuesInDescription } from '../../src/ui/completion.js';
import { ensureCommand, ROOT, run, runHere } from './helpers.js';

/** The command paths `qualify --help` lists, recursively (`rules check`...), without `help`. */
async function listedCommands(path: string[] = []): Promise<string[][]> {
  const r = await runHere([...path, '--help']);
  expect(r.status, `${path.join(' ')} --help: ${r.stderr}`).toBe(0);
  const section = /\nCommands:\n([\s\S]*?)(?:\n\n|$)/.exec(r.stdout)?.[1] ?? '';
  const names = section
    .split('\n')
    .map((l) => /^ {2}(\S+)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && n !== 'help');
  const listed: string[][] = [];
  for (const n of names) listed.push([...path, n], ...(await listedCommands([...path, n])));
  return listed;
}

const commands = await listedCommands();
const dir = mkdtempSync(join(tmpdir(), 'qualify-completion-'));
const scripts = Object.fromEntries(
  await Promise.all((['bash', 'zsh', 'fish'] as const).map(async (shell) => {
    const r = await runHere(['completion', shell]);
    expect(r.status, r.stderr).toBe(0);
    const file = join(dir, `qualify.${shell}`);
    writeFileSync(file, r.stdout);
    return [shell, { text: r.stdout, file }];
  })),
) as Record<'bash' | 'zsh' | 'fish', { text: string; file: string }>;

describe('help and usage', () => {
  it('lists the commands a user expects', () => {
    const names = commands.map((c) => c.join(' '));
    for (const c of ['score', 'explain', 'rules', 'rules check', 'rules show', 'assess', 'discover', 'completion']) expect(names).toContain(c);
  });

  it.each(commands.map((c) => [c.join(' ')]))('qualify %s --help ends with two or three examples', async (path) => {
    const r = await runHere([...path.split(' '), '--help']);
    expect(r.status).toBe(0);
    const tail = /\nExamples:\n((?: {2}.*\n?)+)\s*$/.exec(r.stdout);
    expect(tail, r.stdout).not.toBeNull();
    const lines = tail![1]!.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const l of lines) expect(l).toMatch(/qualify /);
  });

  it.each([[[]], [['rules']]])('bare "qualify %j" shows the help on stderr and exits 2 (usage)', (args: string[]) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: qualify/);
  });

  it('--help and "qualify help" are successes on stdout', async () => {
    for (const args of [['--help'], ['help'], ['rules', '--help'], ['help', 'rules']]) {
      const r = await runHere(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: qualify/);
    }
  });
});

describe('qualify completion', () => {
  it('refuses an unknown shell with ARG_INVALID, exit 2, nothing on stdout', async () => {
    const r = await runHere(['completion', 'powershell']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[ARG_INVALID]');
  });

  it('every registered command is in every script', () => {
    for (const { text } of Object.values(scripts)) for (const c of commands) expect(text).toContain(c.at(-1)!);
  });

  it('bash -n accepts the bash script', () => {
    const r = spawnSync('bash', ['-n', scripts.bash.file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(!ensureCommand('zsh', 'zsh'))('zsh -n accepts the zsh script', () => {
    const r = spawnSync('zsh', ['-n', scripts.zsh.file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(!ensureCommand('fish', 'fish'))('fish -n accepts the fish script', () => {
    const r = spawnSync('fish', ['-n', scripts.fish.file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  /** What bash offers after `words` (the last one being completed), run in the repository. */
  function bashOffers(script: string, ...words: string[]): string[] {
    const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.bash`);
    writeFileSync(file, script);
    const shellWords = ['qualify', ...words].map((w) => `'${w}'`).join(' ');
    const r = spawnSync('bash', ['-c', `source ${file}; COMP_WORDS=(${shellWords}); COMP_CWORD=${words.length}; _qualify; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean).sort();
  }

  it.each([
    [['sc'], ['score']],
    [['rules', ''], ['check', 'show', 'sql']],
    [['score', '--format', ''], ['csv', 'json', 'ndjson']],
    [['explain', '--format', ''], ['json', 'table']],
    [['score', '--date-format', ''], ['auto', 'dmy', 'mdy', 'ymd']],
    [['score', '--in'], ['--in-place']],
    [['score', '--log-format', ''], ['json', 'text']],
    [['rules', 'check', '--log'], ['--log-format']],
    [['completion', ''], []],
    [['score', 'fixtures/web'], ['fixtures/webinar-export.csv']],
    [['score', '--rules', 'fixtures/rules/sm'], ['fixtures/rules/small.yaml']],
  ])('bash: qualify %j offers %j', (words, expected) => {
    expect(bashOffers(scripts.bash.text, ...words)).toEqual(expected);
  });

  it.skipIf(!ensureCommand('fish', 'fish'))('fish offers commands, subcommands, option values and files', () => {
    const offers = (line: string): string[] => {
      const r = spawnSync('fish', ['-c', `source ${scripts.fish.file}; complete -C ${JSON.stringify(line)}`], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!).sort();
    };
    expect(offers('qualify sco')).toEqual(['score']);
    expect(offers('qualify rules ')).toEqual(['check', 'show', 'sql']);
    expect(offers('qualify score --format ')).toEqual(['csv', 'json', 'ndjson']);
    expect(offers('qualify score fixtures/webinar')).toEqual(['fixtures/webinar-export.csv']);
  });

  it('a command registered later (with .choices()) is completed with its option values, no edit needed', () => {
    const program = new Command('qualify');
    const exp = program.command('export').description('export leads').argument('<file>');
    exp.addOption(new Option('--dialect <name>', 'SQL flavour').choices(['postgres', 'duckdb']));
    exp.option('-o, --output <file>', 'where to write');
    const tree = commandTree(program);
    expect(bashOffers(bashScript(tree), 'export', '--dialect', '')).toEqual(['duckdb', 'postgres']);
    expect(bashOffers(bashScript(tree), 'ex')).toEqual(['export']);
    expect(fishScript(tree)).toContain("-l dialect -x -a 'postgres duckdb'");
  });

  it.each([
    ['output format: csv, json, ndjson', ['csv', 'json', 'ndjson']],
    ['table (on stderr) or json (on stdout)', ['table', 'json']],
    ['one of text, json', ['text', 'json']],
    ['write to this file (- for stdout, the default)', []],
    ['your name, for the script', []],
    ['output format: csv, json, ndjson; default from qualify.yaml "format:" when set', ['csv', 'json', 'ndjson']],
  ])('option values read from the description %j: %j', (description, values) => {
    expect(valuesInDescription(description)).toEqual(values);
  });
});
