// `qualify init [--from leads.csv]`: a project in the current directory: starter rules (mapped to
// the CSV's headers with the alias table), the questionnaires, and qualify.yaml pointing at them.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';

interface InitOptions {
  from?: string;
  force?: boolean;
  encoding?: string;
  delimiter?: string;
}

/** What init writes, relative to the current directory. */
export const INIT_FILES = {
  rules: 'rules.yaml',
  questionnaires: ['needs-assessment.yaml', 'discovery-bant.yaml', 'discovery-meddic.yaml'].map((f) => `questionnaires/${f}`),
  config: 'qualify.yaml',
} as const;

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  program
    .command('init')
    .summary('start a project here: starter rules, questionnaires and qualify.yaml')
    .description(
      'Write a starter rules file (rules.yaml), copy the questionnaires (questionnaires/*.yaml) and write\n' +
        'qualify.yaml, which makes them the defaults of every command run in this directory or below.\n' +
        'With --from, the rules are fitted to that CSV: its headers are mapped to the canonical fields\n' +
        'with the alias table, fields it lacks become optional, and the columns nothing maps are\n' +
        'listed with the rule each could feed. Existing files are kept unless --force.',
    )
    .option('--from <file>', 'a CSV export of your leads to fit the starter rules to')
    .option('--force', 'overwrite files init would write that already exist')
    .option('--encoding <name>', 'encoding of --from when it has no byte-order mark: utf8, win1252, latin1, utf16le')
    .option('--delimiter <char>', 'field delimiter of --from (default: detected from the header line): , ; tab |')
    .addHelpText(
      'after',
      '\nExamples:\n  $ qualify init --from ~/Downloads/hubspot-crm-exports-all-contacts.csv\n  $ qualify init && qualify rules check rules.yaml\n  $ qualify init --from leads.csv --force       # start over\n',
    )
    .action((opts: InitOptions) => action(() => runInit(opts)));
}

export async function runInit(opts: InitOptions): Promise<void> {
  const [{ existsSync, readFileSync }, { basename, dirname, join }, { loadRules, DEFAULT_RULES }, { mapHeaders, starterRules }, { writeFileAtomic }, { mkdir }] = await Promise.all([
    import('node:fs'),
    import('node:path'),
    import('../io/rules-file.js'),
    import('../core/rules/starter.js'),
    import('../io/atomic-write.js'),
    import('node:fs/promises'),
  ]);
  const targets = [INIT_FILES.rules, ...INIT_FILES.questionnaires, INIT_FILES.config];
  const existing = targets.filter((t) => existsSync(t));
  if (existing.length && !opts.force)
    throw new QualifyError('INIT_EXISTS', `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} here; nothing was written`, { kind: 'arg', option: '--force' }, {
      hint: 'run it in an empty directory, or add --force to overwrite them',
    });
  const baseText = readFileSync(DEFAULT_RULES, 'utf8');
  let rulesText = baseText;
  const report: string[] = [];
  if (opts.from !== undefined) {
    const { openCsv } = await import('../io/csv-reader.js');
    const csv = await openCsv(opts.from, { ...(opts.encoding ? { encoding: opts.encoding } : {}), ...(opts.delimiter ? { delimiter: opts.delimiter } : {}) });
    const header = csv.header;
    const { rules } = loadRules(undefined);
    const mapping = mapHeaders(rules.fields, header);
    rulesText = starterRules(baseText, mapping, basename(opts.from));
    const { safe } = await import('../ui/diagnostics.js');
    report.push(`${opts.from}: ${header.length} columns, ${mapping.mapped.length} read as fields:`);
    for (const m of mapping.mapped) report.push(`  ${safe(m.header)} -> ${m.field}`);
    for (const d of mapping.duplicates) report.push(`  ${safe(d.header)}: ignored, ${d.field} is read from ${safe(d.used)}`);
    if (mapping.unmapped.length) {
      report.push(`${mapping.unmapped.length} column${mapping.unmapped.length === 1 ? '' : 's'} no field reads (kept as they are):`);
      for (const u of mapping.unmapped) report.push(`  ${safe(u.header)}: ${u.suggestion}`);
    }
    if (mapping.missing.length) report.push(`Fields the file lacks, made optional: ${mapping.missing.join(', ')}`);
  }
  const shipped = dirname(DEFAULT_RULES);
  const files: Array<[string, string]> = [[INIT_FILES.rules, rulesText]];
  for (const q of INIT_FILES.questionnaires) files.push([q, readFileSync(join(shipped, basename(q)), 'utf8')]);
  files.push([INIT_FILES.config, projectConfigText()]);
  await mkdir('questionnaires', { recursive: true });
  for (const [path, text] of files) await writeFileAtomic(path, text);
  report.push(`Wrote ${files.map(([p]) => p).join(', ')}.`);
  report.push('Next: qualify rules check' + (opts.from !== undefined ? `, then qualify score ${opts.from} -o scored.csv` : ''));
  process.stderr.write(report.join('\n') + '\n');
}

function projectConfigText(): string {
  return [
    '# qualify project settings: the defaults of every qualify command run in this directory or',
    '# below (an option on the command line wins). Paths are relative to this file.',
    `rules: ${INIT_FILES.rules}`,
    'questionnaires:',
    `  assess: ${INIT_FILES.questionnaires[0]}`,
    `  discover: ${INIT_FILES.questionnaires[1]}      # or ${INIT_FILES.questionnaires[2]}`,
    '# rep: Your Name           # the name the call scripts use ({{rep_name}})',
    '# format: csv              # score output: csv, json or ndjson',
    '',
  ].join('\n');
}
