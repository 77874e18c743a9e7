// `qualify export FILE [--preset NAME|FILE]`: the selected leads as a CSV a CRM imports, its
// columns renamed and values converted by a preset (rules/presets/*.yaml). Wiring only.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { addFilterOptions, filterOf, type FilterCliOptions } from './lead-filter-options.js';
import { addReadingOptions, readingOptions, type ReadingCliOptions } from './shared.js';

interface ExportCliOptions extends ReadingCliOptions, FilterCliOptions {
  preset?: string;
  dropUnmapped?: boolean;
  output?: string;
}

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('export')
    .summary('the selected leads as a CRM import file (HubSpot, Salesforce, Pipedrive presets)')
    .description(
      'Write the selected leads as CSV (UTF-8, comma, CRLF) for a CRM import. --preset renames and converts the ' +
        'columns to that CRM\'s import headers and values (lifecycle stage, lead status, dates, amounts): shipped ' +
        'presets hubspot-contacts, salesforce-leads, salesforce-opportunities, pipedrive-deals (rules/presets/), or ' +
        'a YAML file of your own. The file\'s other columns follow the preset\'s unless --drop-unmapped. Without ' +
        '--preset, the selected rows with every column.',
    )
    .argument('<file>', 'the leads CSV')
    .option('-p, --preset <name|file>', 'hubspot-contacts, salesforce-leads, salesforce-opportunities, pipedrive-deals, or a preset file')
    .option('--drop-unmapped', 'leave out the file\'s columns the preset does not map')
    .option('-o, --output <file>', 'write here instead of stdout');
  addFilterOptions(cmd);
  addReadingOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ qualify export leads.csv --preset hubspot-contacts --min-score 40 -o hubspot.csv\n' +
        '  $ qualify export leads.csv --preset salesforce-opportunities --drop-unmapped -o deals.csv\n' +
        '  $ qualify export leads.csv --stage MQL,SAL --tier hot\n',
    )
    .action((file: string, opts: ExportCliOptions) => action(() => run(file, opts)));
}

async function run(file: string, opts: ExportCliOptions): Promise<void> {
  if (file === '-') throw new QualifyError('ARG_INVALID', 'export reads a lead file by name, not stdin', { kind: 'arg', option: 'FILE' });
  const reading = readingOptions(opts);
  const filter = filterOf(opts);
  const [{ checkRunPaths }, { readCsvDocument }, { loadReadingRules }, { readWorkedFile }, s, { writeToFile, writeToStdout }] = await Promise.all([
    import('../io/path-identity.js'),
    import('../io/csv-row-update.js'),
    import('../pipeline/reading-options.js'),
    import('../pipeline/worked-file.js'),
    import('../pipeline/export-split.js'),
    import('../io/output.js'),
  ]);
  const presetFile = opts.preset !== undefined ? s.presetPath(opts.preset) : undefined;
  await checkRunPaths(
    [
      { path: file, what: 'the CSV file' },
      ...(reading.rules !== undefined ? [{ path: reading.rules, what: 'the rules file' }] : []),
      ...(presetFile !== undefined ? [{ path: presetFile, what: 'the preset' }] : []),
    ],
    opts.output !== undefined ? [{ path: opts.output, what: '--output', option: '--output' }] : [{ path: '-', what: 'stdout' }],
  );
  const preset = presetFile !== undefined ? s.loadPreset(presetFile) : null;
  const { rules } = loadReadingRules(reading.rules, reading.overrides);
  const doc = await readCsvDocument(file, reading.csv);
  const out = s.exportLeads(readWorkedFile(doc, rules, reading.asOfDay), rules, filter, preset, { dropUnmapped: opts.dropUnmapped === true, ...(presetFile ? { presetFile } : {}) });
  const chunks = (async function* () { yield out.text; })();
  if (opts.output !== undefined && opts.output !== '-') await writeToFile(opts.output, chunks, { form: null });
  else await writeToStdout(chunks);
  process.stderr.write(`Exported ${out.rows} lead${out.rows === 1 ? '' : 's'}${preset ? ` as ${preset.title ?? preset.name}` : ''}${opts.output !== undefined && opts.output !== '-' ? ` to ${opts.output}` : ''}.\n`);
}
