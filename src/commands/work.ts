// `qualify work FILE`: the salesperson's morning queue. Pick a lead (follow-ups due first, then
// the best next leads), see its card, run the call its stage calls for, write back, and the
// queue comes back with what is next; "q" quits with everything saved. Wiring only: the queue is
// src/pipeline/work-queue.ts, each call is `qualify assess` / `qualify discover`.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { addIdColumnOption, addReadingOptions, readingOptions, type ReadingCliOptions } from './shared.js';

interface WorkOptions extends ReadingCliOptions {
  rep?: string;
}

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('work')
    .summary('work the queue: follow-ups due, then the best next leads, one call after another')
    .description(
      'The queue a salesperson works every morning: follow-ups due first (discovery appointments and ' +
        'follow-up attempts whose next one is due), then sales-accepted leads, then leads waiting for a ' +
        'needs assessment, best score first; leads with an interrupted call are marked "unfinished call". ' +
        'Type to search the queue (name, company, id, stage), pick a lead, see its card, then run the call ' +
        'its stage calls for (assess or discover) or log a follow-up attempt (as qualify log); the outcome ' +
        'is written into FILE and the queue comes back. During a call Esc goes back a question and Ctrl-O ' +
        'shows the card again. Type q (Enter) at the queue to stop: every saved call is in FILE; Ctrl-C ' +
        'in a call keeps its answers in FILE.draft.json, to resume from the queue. Questionnaires come ' +
        'from qualify.yaml when it names them.',
    )
    .argument('<file>', 'the leads CSV (scored or not); outcomes are written into it')
    .option('--rep <name>', 'your name, for the scripts (default $QUALIFY_REP, else the saved name, asked once)');
  addIdColumnOption(addReadingOptions(cmd))
    .addHelpText('after', '\nExamples:\n  $ qualify work leads.csv\n  $ qualify work leads.csv --rep Kim --as-of 2026-11-02\n  $ cd my-project && qualify work scored.csv   # questionnaires from qualify.yaml\n')
    .action((file: string, opts: WorkOptions) => action(() => runWork(file, opts)));
}

const QUIT = 'q';

async function runWork(file: string, opts: WorkOptions): Promise<void> {
  if (file === '-') throw new QualifyError('ARG_INVALID', 'work writes outcomes back into FILE, so it needs a file, not stdin', { kind: 'arg', option: 'FILE' });
  if (!process.stdin.isTTY)
    throw new QualifyError('NO_TTY', 'qualify work needs a terminal to pick leads and ask questions', { kind: 'arg', option: 'FILE' }, { hint: 'for scripts, use qualify assess / discover with --lead and --answers' });
  const reading = readingOptions(opts);
  const [{ workQueue }, { createInquirerPrompter }, { runCallCommand }, { loadQuestionnaireFile, DEFAULT_QUESTIONNAIRE }, { findProjectConfig, loadProjectConfig }, { renderLeadCard }] = await Promise.all([
    import('../pipeline/work-queue.js'),
    import('../ui/prompter.js'),
    import('./call-command.js'),
    import('../pipeline/lead-call.js'),
    import('../io/project-config.js'),
    import('../ui/lead-card.js'),
  ]);
  const configFile = findProjectConfig();
  const config = configFile !== undefined ? loadProjectConfig(configFile) : undefined;
  const questionnaire = { assess: config?.questionnaires.assess ?? DEFAULT_QUESTIONNAIRE.assess, discover: config?.questionnaires.discover ?? DEFAULT_QUESTIONNAIRE.discover };
  const questionnaireIds = { assess: loadQuestionnaireFile(questionnaire.assess).id, discover: loadQuestionnaireFile(questionnaire.discover).id };
  const prompter = createInquirerPrompter({ input: process.stdin, output: process.stderr });
  const say = (line: string): boolean => process.stderr.write(line + '\n');
  const columns = (): number => (process.stderr.isTTY && process.stderr.columns > 0 ? process.stderr.columns : 80);
  const clock = (): Date => (process.env['QUALIFY_NOW'] ? new Date(process.env['QUALIFY_NOW']) : new Date());
  // One session: the rep's name is asked at most once, even when left blank.
  const callUi = { prompter, cardShown: true, repAsked: false };
  let worked = 0;
  const done = (): void => {
    say(`Done: ${worked} lead${worked === 1 ? '' : 's'} worked this session; every saved outcome is in ${file}.`);
  };
  for (;;) {
    prompter.setCard?.(undefined);
    const queue = await workQueue(file, { rules: reading.rules, overrides: reading.overrides, csv: reading.csv, asOfDay: reading.asOfDay, questionnaireIds });
    if (queue.length === 0) {
      say(`Nothing left to work in ${file}${worked ? ` (${worked} lead${worked === 1 ? '' : 's'} worked this session)` : ''}.`);
      return;
    }
    const choices = [
      ...queue.map((e) => ({ value: String(e.record), label: `${e.step === 'assess' ? 'assess  ' : 'discover'} ${e.label}`, short: e.key })),
      { value: QUIT, label: 'q  Quit (everything saved is in the file)', short: 'quit' },
    ];
    const due = queue.filter((e) => e.due).length;
    const unfinished = queue.filter((e) => e.unfinished).length;
    const pick = {
      id: '$work',
      message: `Next lead? ${queue.length} in the queue${due ? `, ${due} follow-up${due === 1 ? '' : 's'} due` : ''}${unfinished ? `, ${unfinished} unfinished` : ''} (type to search, q to quit)`,
      required: true,
      allowed: 'a lead from the list, or q',
      choices,
      parse: (raw: unknown) => (choices.some((c) => c.value === raw) ? { ok: true as const, value: raw as string } : { ok: false as const, message: 'choose a lead from the list' }),
    };
    const chosen = prompter.search ? await prompter.search(pick) : await prompter.select(pick);
    if (chosen === QUIT) return done();
    const entry = queue.find((e) => String(e.record) === chosen)!;
    say(renderLeadCard(entry.card(), columns(), clock()));
    const call = entry.step === 'assess' ? 'Needs assessment' : 'Discovery call';
    const action = await prompter.select({
      id: '$action',
      message: `${entry.key}: what now?`,
      required: true,
      allowed: 'call, log, queue or q',
      choices: [
        { value: 'call', label: `${call} now (qualify ${entry.step})` },
        { value: 'log', label: `Log a follow-up attempt (no answer, voicemail, replied...)${entry.attempts ? `: ${entry.attempts} so far` : ''}` },
        { value: 'queue', label: 'Back to the queue' },
        { value: QUIT, label: 'q  Quit (everything saved is in the file)' },
      ],
      default: 'call',
      parse: (raw) => (typeof raw === 'string' && ['call', 'log', 'queue', QUIT].includes(raw) ? { ok: true, value: raw } : { ok: false, message: 'choose call, log, queue or q' }),
    });
    if (action === QUIT) return done();
    if (action === 'queue') continue;
    if (action === 'log') {
      await logFromQueue(file, entry.key, opts, reading, prompter, clock(), say);
      worked++;
    } else {
      // The rep's name is asked once (and saved) by the first call; later calls find it saved.
      await runCallCommand(entry.step, file, { ...opts, lead: entry.key, questionnaire: questionnaire[entry.step] }, callUi);
      worked++;
    }
    say('');
  }
}

/** One follow-up attempt with the lead picked, logged as `qualify log` would (its cadence, its
 * columns, under the file's lock). */
async function logFromQueue(
  file: string,
  lead: string,
  opts: WorkOptions,
  reading: ReturnType<typeof readingOptions>,
  prompter: import('../ui/prompter.js').Prompter,
  at: Date,
  say: (line: string) => void,
): Promise<void> {
  const [{ CHANNELS, RESULTS }, { logAttempt }] = await Promise.all([import('../core/pipeline/cadence.js'), import('../pipeline/log-attempt.js')]);
  const oneOf = <T extends string>(id: string, message: string, values: readonly T[], labels: Record<T, string>): Promise<unknown> =>
    prompter.select({
      id,
      message,
      required: true,
      allowed: `one of: ${values.join(', ')}`,
      choices: values.map((v) => ({ value: v, label: labels[v] })),
      parse: (raw) => (typeof raw === 'string' && (values as readonly string[]).includes(raw) ? { ok: true, value: raw } : { ok: false, message: `choose one of: ${values.join(', ')}` }),
    });
  const channel = (await oneOf('$channel', 'How did you try to reach them?', CHANNELS, { call: 'Call', email: 'Email' })) as (typeof CHANNELS)[number];
  const result = (await oneOf('$result', 'How did it go?', RESULTS, {
    'no-answer': 'No answer',
    voicemail: 'Left a voicemail',
    replied: 'They replied',
    'meeting-set': 'Meeting set',
    'wrong-number': 'Wrong number',
  })) as (typeof RESULTS)[number];
  const note = await prompter.input({
    id: '$note',
    message: 'A note for the file (optional)',
    required: false,
    allowed: 'one line of text, or nothing',
    parse: (raw) =>
      raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')
        ? { ok: true, value: null }
        : typeof raw === 'string' && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(raw)
          ? { ok: true, value: raw.trim() }
          : { ok: false, message: 'one line of text, without control characters' },
  });
  await logAttempt({
    file,
    lead,
    channel,
    result,
    at,
    force: false,
    asOfDay: opts.asOf !== undefined ? reading.asOfDay : Math.floor(at.getTime() / 86_400_000),
    readingOverrides: reading.overrides,
    log: say,
    ...(typeof note === 'string' ? { note } : {}),
    ...(reading.rules !== undefined ? { rules: reading.rules } : {}),
    ...reading.csv,
  });
}
