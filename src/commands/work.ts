// `qualify work FILE`: the salesperson's morning queue. Pick a lead (follow-ups due first, then
// the best next leads), see its card, run the call its stage calls for, write back, and the
// queue comes back with what is next; "q" quits with everything saved. Wiring only: the queue is
// src/pipeline/work-queue.ts, each call is `qualify assess` / `qualify discover`.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { addReadingOptions, readingOptions, type ReadingCliOptions } from './shared.js';

interface WorkOptions extends ReadingCliOptions {
  rep?: string;
}

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('work')
    .summary('work the queue: follow-ups due, then the best next leads, one call after another')
    .description(
      'The queue a salesperson works every morning: discovery calls whose follow-up is due first, then\n' +
        'sales-accepted leads, then leads waiting for a needs assessment, best score first. Pick one, see\n' +
        'its card, run the call its stage calls for (assess or discover); the outcome is written into\n' +
        'FILE and the queue comes back. Choose "q  Quit" (type q) to stop: every saved call is in FILE,\n' +
        'an interrupted one in FILE.draft.json. Questionnaires come from qualify.yaml when it names them.',
    )
    .argument('<file>', 'the leads CSV (scored or not); outcomes are written into it')
    .option('--rep <name>', 'your name, for the scripts (default $QUALIFY_REP, else the saved name, asked once)');
  addReadingOptions(cmd)
    .addHelpText('after', '\nExamples:\n  $ qualify work leads.csv\n  $ qualify work leads.csv --rep Kim --as-of 2026-11-02\n  $ cd my-project && qualify work scored.csv   # questionnaires from qualify.yaml\n')
    .action((file: string, opts: WorkOptions) => action(() => runWork(file, opts)));
}

const QUIT = '$quit';

async function runWork(file: string, opts: WorkOptions): Promise<void> {
  if (file === '-') throw new QualifyError('ARG_INVALID', 'work writes outcomes back into FILE, so it needs a file, not stdin', { kind: 'arg', option: 'FILE' });
  if (!process.stdin.isTTY)
    throw new QualifyError('NO_TTY', 'qualify work needs a terminal to pick leads and ask questions', { kind: 'arg', option: 'FILE' }, { hint: 'for scripts, use qualify assess / discover with --lead and --answers' });
  const reading = readingOptions(opts);
  const [{ workQueue }, { createInquirerPrompter }, { runCallCommand }, { loadQuestionnaireFile, DEFAULT_QUESTIONNAIRE }, { findProjectConfig, loadProjectConfig }] = await Promise.all([
    import('../pipeline/work-queue.js'),
    import('../ui/prompter.js'),
    import('./call-command.js'),
    import('../pipeline/lead-call.js'),
    import('../io/project-config.js'),
  ]);
  const configFile = findProjectConfig();
  const config = configFile !== undefined ? loadProjectConfig(configFile) : undefined;
  const questionnaire = { assess: config?.questionnaires.assess ?? DEFAULT_QUESTIONNAIRE.assess, discover: config?.questionnaires.discover ?? DEFAULT_QUESTIONNAIRE.discover };
  const questionnaireIds = { assess: loadQuestionnaireFile(questionnaire.assess).id, discover: loadQuestionnaireFile(questionnaire.discover).id };
  const prompter = createInquirerPrompter({ input: process.stdin, output: process.stderr });
  let worked = 0;
  for (;;) {
    const queue = await workQueue(file, { rules: reading.rules, overrides: reading.overrides, csv: reading.csv, asOfDay: reading.asOfDay, questionnaireIds });
    if (queue.length === 0) {
      process.stderr.write(`Nothing left to work in ${file}${worked ? ` (${worked} lead${worked === 1 ? "" : "s"} worked this session)` : ''}.\n`);
      return;
    }
    const shown = queue.slice(0, 20);
    const choices = [
      ...shown.map((e) => ({ value: String(e.record), label: `${e.step === 'assess' ? 'assess  ' : 'discover'} ${e.label}` })),
      { value: QUIT, label: 'q  Quit (everything saved is in the file)' },
    ];
    const due = queue.filter((e) => e.due).length;
    const chosen = await prompter.select({
      id: '$work',
      message: `Next lead? ${queue.length} in the queue${due ? `, ${due} follow-up${due === 1 ? '' : 's'} due` : ''} (type q to quit)`,
      required: true,
      allowed: 'a lead from the list, or q',
      choices,
      parse: (raw) => (choices.some((c) => c.value === raw) ? { ok: true, value: raw as string } : { ok: false, message: 'choose a lead from the list' }),
    });
    if (chosen === QUIT) {
      process.stderr.write(`Done: ${worked} lead${worked === 1 ? "" : "s"} worked this session; every saved outcome is in ${file}.\n`);
      return;
    }
    const entry = shown.find((e) => String(e.record) === chosen)!;
    // The rep's name is asked once (and saved) by the first call; later calls find it saved.
    await runCallCommand(entry.step, file, { ...opts, lead: entry.key, questionnaire: questionnaire[entry.step] });
    worked++;
    process.stderr.write('\n');
  }
}
