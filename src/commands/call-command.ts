// Shared wiring of `qualify assess` and `qualify discover`: options -> answers file / terminal
// check -> runLeadCall. Registering declares options only; the pipeline loads when a command runs.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';

export interface CallOptions {
  lead?: string;
  questionnaire?: string;
  answers?: string;
  output?: string;
  force?: boolean;
  rules?: string;
  rep?: string;
  encoding?: string;
  delimiter?: string;
}

export interface CallCommandSpec {
  step: 'assess' | 'discover';
  summary: string;
  description: string;
  defaultQuestionnaire: string;
  examples: string;
}

export function registerCallCommand(program: Command, action: (fn: () => Promise<void>) => Promise<void>, spec: CallCommandSpec): void {
  program
    .command(spec.step)
    .summary(spec.summary)
    .description(spec.description)
    .argument('<file>', 'the leads CSV; the outcome is written into the lead\'s row')
    .option('-l, --lead <id>', 'the lead: its id column value, its email, or #N for record N (default: pick from the best next leads)')
    .option('-q, --questionnaire <file>', `questionnaire file (default: ${spec.defaultQuestionnaire})`)
    .option('-a, --answers <file>', 'answer every question from a YAML or JSON file instead of asking (needs --lead)')
    .option('-o, --output <file>', 'write the updated CSV here instead of updating FILE in place')
    .option('--force', 'run even when the lead is at another stage, bad or disqualified')
    .option('-r, --rules <file>', 'rules file that maps the id and email columns and scores the leads (default: rules/default.yaml)')
    .option('--rep <name>', 'your name, for the script ({{rep_name}}); default $QUALIFY_REP')
    .option('--encoding <name>', 'input encoding when it has no byte-order mark: utf8, win1252, latin1, utf16le')
    .option('--delimiter <char>', 'field delimiter (default: detected from the header line): , ; tab |')
    .addHelpText('after', `\nExamples:\n${spec.examples}`)
    .action((file: string, opts: CallOptions) => action(() => runCallCommand(spec.step, file, opts)));
}

export async function runCallCommand(step: 'assess' | 'discover', file: string, opts: CallOptions): Promise<void> {
  if (file === '-') throw new QualifyError('ARG_INVALID', `${step} writes the outcome back into FILE, so it needs a file, not stdin`, { kind: 'arg', option: 'FILE' });
  const answers = opts.answers !== undefined ? await readAnswersFile(opts.answers) : undefined;
  // Inquirer never settles its prompt at EOF (RELIABILITY.md §5): without a terminal, fail now.
  if (!answers && !process.stdin.isTTY)
    throw new QualifyError('NO_TTY', `the ${step === 'assess' ? 'needs assessment' : 'discovery call'} needs a terminal to ask its questions`, { kind: 'arg', option: '--answers' }, {
      hint: 'run it in a terminal, or give the answers with --answers FILE.yaml',
    });
  const [{ runLeadCall }, { createInquirerPrompter, createScriptedPrompter }] = await Promise.all([import('../pipeline/lead-call.js'), import('../ui/prompter.js')]);
  const prompter = answers ? createScriptedPrompter(answers, { source: opts.answers! }) : createInquirerPrompter({ input: process.stdin, output: process.stderr });
  const rep = opts.rep ?? process.env['QUALIFY_REP'];
  // QUALIFY_NOW pins the clock for reproducible runs (tests, demos); otherwise the real time.
  const now = process.env['QUALIFY_NOW'] ? new Date(process.env['QUALIFY_NOW']) : new Date();
  if (Number.isNaN(now.getTime())) throw new QualifyError('ARG_INVALID', `QUALIFY_NOW is not a date: ${process.env['QUALIFY_NOW']}`, { kind: 'arg', option: 'QUALIFY_NOW' });
  await runLeadCall({
    step,
    file,
    force: opts.force === true,
    prompter,
    now,
    log: (line) => process.stderr.write(line + '\n'),
    ...(opts.lead !== undefined ? { lead: opts.lead } : {}),
    ...(opts.output !== undefined ? { output: opts.output } : {}),
    ...(opts.questionnaire !== undefined ? { questionnaire: opts.questionnaire } : {}),
    ...(opts.rules !== undefined ? { rules: opts.rules } : {}),
    ...(answers ? { answers } : {}),
    ...(rep ? { vars: { rep_name: rep } } : {}),
    ...(opts.encoding !== undefined ? { encoding: opts.encoding } : {}),
    ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
  });
}

/** An answers file: a YAML or JSON map of question id -> answer. */
export async function readAnswersFile(path: string): Promise<Record<string, unknown>> {
  const [{ readTextFile }, { parseYamlSource, toJsSafely }] = await Promise.all([import('../io/rules-file.js'), import('../io/yaml-source.js')]);
  const text = readTextFile(path, 'answers file');
  // JSON is YAML, so one parser reads both, with positions for syntax errors.
  const parsed = parseYamlSource(path, text);
  if (!parsed.source) {
    const { QualifyErrors } = await import('../core/errors.js');
    throw new QualifyErrors(parsed.errors);
  }
  const js = toJsSafely(parsed.source); if (!js.ok) throw js.error; const data = js.value;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new QualifyError('ANSWERS_INVALID', `${path} should be a map of question id to answer (e.g. "budget: 40000")`, { kind: 'file', file: path });
  return data as Record<string, unknown>;
}
