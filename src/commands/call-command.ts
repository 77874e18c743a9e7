// Shared wiring of `qualify assess` and `qualify discover`: options -> answers file / terminal
// check -> runLeadCall. Registering declares options only; the pipeline loads when a command runs.
import type { Command } from 'commander';
import { QualifyError, type Location } from '../core/errors.js';
import { addIdColumnOption, addReadingOptions, readingOptions, type ReadingCliOptions } from './shared.js';

export interface CallOptions extends ReadingCliOptions {
  lead?: string;
  questionnaire?: string;
  answers?: string;
  output?: string;
  force?: boolean;
  rep?: string;
}

export interface CallCommandSpec {
  step: 'assess' | 'discover';
  summary: string;
  description: string;
  defaultQuestionnaire: string;
  examples: string;
}

export function registerCallCommand(program: Command, action: (fn: () => Promise<void>) => Promise<void>, spec: CallCommandSpec): void {
  // -q is --quiet wherever it exists (score); --questionnaire has no short flag.
  const cmd = program
    .command(spec.step)
    .summary(spec.summary)
    .description(spec.description)
    .argument('<file>', 'the leads CSV; the outcome is written into the lead\'s row')
    .option('-l, --lead <id>', 'the lead: its id column value, its email, or #N for record N (default: pick from the best next leads)')
    .option('--questionnaire <file>', `questionnaire file (default: ${spec.defaultQuestionnaire})`)
    .option('-a, --answers <file>', 'answer every question from a YAML or JSON file instead of asking (needs --lead); - reads it from stdin')
    .option('-o, --output <file>', 'write the updated CSV here instead of updating FILE in place')
    .option('--force', 'run even when the lead is at another stage, bad or disqualified')
    .option('--rep <name>', 'your name, for the script ({{rep_name}}); default $QUALIFY_REP, else the name saved in $XDG_CONFIG_HOME/qualify/config.yaml (~/.config/qualify/config.yaml), which is asked once in the terminal');
  addIdColumnOption(addReadingOptions(cmd))
    .addHelpText('after', `\nExamples:\n${spec.examples}`)
    .action((file: string, opts: CallOptions) => action(() => runCallCommand(spec.step, file, opts)));
}

/** How `qualify work` runs a call: through its own prompter, the card already on the screen. */
export interface CallUi {
  prompter: import('../ui/prompter.js').Prompter;
  cardShown: boolean;
  /** Set once the rep's name was asked in this session: a name left blank is not asked again
   * for the next lead (it is asked again in a later session, until one is given). */
  repAsked?: boolean;
  /** The name given then (kept for the session even when it could not be saved). */
  rep?: string;
}

export async function runCallCommand(step: 'assess' | 'discover', file: string, opts: CallOptions, ui?: CallUi): Promise<void> {
  if (file === '-') throw new QualifyError('ARG_INVALID', `${step} writes the outcome back into FILE, so it needs a file, not stdin`, { kind: 'arg', option: 'FILE' });
  // The reading options (--rules, --encoding, --delimiter, --date-format, --decimal, --as-of) read
  // the lead file as `score` does; leads the file has no score for are scored as of --as-of.
  const reading = readingOptions(opts);
  const read = opts.answers !== undefined ? await readAnswers(opts.answers) : undefined;
  const answers = read?.answers;
  const [{ runLeadCall }, { createInquirerPrompter, createScriptedPrompter }] = await Promise.all([import('../pipeline/lead-call.js'), import('../ui/prompter.js')]);
  const prompter = answers ? createScriptedPrompter(answers, { source: read!.file }) : (ui?.prompter ?? createInquirerPrompter({ input: process.stdin, output: process.stderr }));
  // The rep's name: --rep, $QUALIFY_REP, the per-user config, else asked once (not with --answers).
  const repName = await import('../ui/rep-name.js');
  const repPath = repName.userConfigPath();
  const rep =
    opts.rep ?? (process.env['QUALIFY_REP'] || undefined) ?? repName.savedRep(repPath) ?? ui?.rep ??
    (answers || !process.stdin.isTTY || ui?.repAsked ? undefined : await repName.askRep(prompter, repPath, (line) => process.stderr.write(line + '\n')));
  if (ui) {
    ui.repAsked = true;
    if (rep !== undefined) ui.rep = rep;
  }
  // QUALIFY_NOW pins the clock for reproducible runs (tests, demos); otherwise the real time,
  // read again whenever a timestamp is written (a draft saved, the outcome saved).
  const pinned = process.env['QUALIFY_NOW'] ? new Date(process.env['QUALIFY_NOW']) : undefined;
  if (pinned && Number.isNaN(pinned.getTime())) throw new QualifyError('ARG_INVALID', `QUALIFY_NOW is not a date: ${process.env['QUALIFY_NOW']}`, { kind: 'arg', option: 'QUALIFY_NOW' });
  const now = pinned ?? new Date();
  await runLeadCall({
    step,
    file,
    force: opts.force === true,
    prompter,
    now,
    clock: () => pinned ?? new Date(),
    log: (line) => process.stderr.write(line + '\n'),
    cardColumns: process.stderr.isTTY && process.stderr.columns > 0 ? process.stderr.columns : 80,
    ...(ui?.cardShown ? { cardShown: true } : {}),
    // Inquirer never settles its prompt at EOF (it would hang): without a terminal, fail
    // before the first prompt, once the lead is known (an unknown lead is reported as such).
    ...(answers
      ? { answers, answersAt: read!.locate }
      : {
          needTerminal: () => {
            if (!process.stdin.isTTY)
              throw new QualifyError('NO_TTY', `the ${step === 'assess' ? 'needs assessment' : 'discovery call'} needs a terminal to ask its questions`, { kind: 'arg', option: '--answers' }, {
                hint: 'run it in a terminal, or give the answers with --answers FILE.yaml',
              });
          },
        }),
    ...(opts.lead !== undefined ? { lead: opts.lead } : {}),
    ...(opts.output !== undefined ? { output: opts.output } : {}),
    ...(opts.questionnaire !== undefined ? { questionnaire: opts.questionnaire } : {}),
    ...(reading.rules !== undefined ? { rules: reading.rules } : {}),
    ...(opts.asOf !== undefined ? { asOfDay: reading.asOfDay } : {}),
    readingOverrides: reading.overrides,
    ...(rep ? { vars: { rep_name: rep } } : {}),
    ...reading.csv,
  });
}

export interface AnswersRead {
  answers: Record<string, unknown>;
  /** The name messages use: the path, or "stdin" for "-". */
  file: string;
  /** Where the answer to a question id is written (line:col of its value; the end of the file,
   * where it would go, when the answer is missing), for messages. */
  locate: (id: string) => Location | undefined;
}

/** An answers file ("-": stdin): a YAML or JSON map of question id -> answer. */
export async function readAnswers(path: string): Promise<AnswersRead> {
  const [{ readTextFile }, { parseYamlSource, locationOf, locationAtOffset, toJsSafely }, { QualifyErrors }] = await Promise.all([
    import('../io/rules-file.js'),
    import('../core/yaml-source.js'),
    import('../core/errors.js'),
  ]);
  const stdin = path === '-';
  const name = stdin ? 'stdin' : path;
  const text = stdin ? await readStdin() : readTextFile(path, 'answers file');
  // JSON is YAML, so one parser reads both, with positions for syntax errors.
  const parsed = parseYamlSource(name, text);
  if (!parsed.source) throw new QualifyErrors(parsed.errors.map((e) => new QualifyError('ANSWERS_SYNTAX', e.message, e.at, e.hint !== undefined ? { hint: e.hint } : {})));
  const src = parsed.source;
  // An alias bomb or deep nesting is an error at its line:col, not an internal error.
  const js = toJsSafely(src, 'ANSWERS_SYNTAX');
  if (!js.ok) throw js.error;
  const data = js.value;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new QualifyError('ANSWERS_INVALID', `${name} should be a map of question id to answer (e.g. "budget: 40000")`, { kind: 'file', file: name });
  return { answers: data as Record<string, unknown>, file: name, locate: (id) => (Object.prototype.hasOwnProperty.call(data, id) ? locationOf(src, [id]) : locationAtOffset(src, src.text.length, [id])) };
}

/** An answers file: the answers only (see readAnswers). */
export async function readAnswersFile(path: string): Promise<Record<string, unknown>> {
  return (await readAnswers(path)).answers;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
