// `qualify explain FILE --lead ID`: one lead's score breakdown, as a table on stderr or as JSON
// on stdout with --format json.
import type { Command } from 'commander';
import { addIdColumnOption, addReadingOptions, dayToIso, oneOf, readingOptions, type ReadingCliOptions } from './shared.js';

interface ExplainOptions extends ReadingCliOptions {
  lead: string;
  format: string;
}

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('explain')
    .summary("show one lead's score breakdown")
    .description("Show how one lead's score was made: every rule that fired, its points and why, the caps,\ndecay and clamping, and the resulting tier, stage and action.")
    .argument('<file>', 'CSV file (or - for stdin)')
    .requiredOption('-l, --lead <id>', 'the lead: its id column value, its email, or #N for record N (a value that matches several records is refused: use #N)');
  addIdColumnOption(addReadingOptions(cmd))
    .option('-f, --format <format>', 'table (on stderr) or json (on stdout)', 'table')
    .addHelpText(
      'after',
      '\nExamples:\n  $ qualify explain fixtures/purchased-list.csv --lead PL-0003\n  $ qualify explain leads.csv --lead ada@acme.test --as-of 2026-11-01\n  $ qualify explain leads.csv --lead \'#12\' --format json | jq .reasons\n',
    )
    .action((file: string, opts: ExplainOptions) => action(() => runExplain(file, opts)));
}

async function runExplain(file: string, opts: ExplainOptions): Promise<void> {
  const format = oneOf('--format', opts.format, ['table', 'json'] as const);
  const reading = readingOptions(opts);
  const day = reading.asOfDay;
  const [{ createTable, terminalColumns, wrapAnywhere }, { loadReadingRules, decimalNotes }, { findLead }, { paint, stageColor }, { signed }, { ruleEvidence }] = await Promise.all([
    import('../ui/table.js'),
    import('../pipeline/reading-options.js'),
    import('../pipeline/find-lead.js'),
    import('../ui/color.js'),
    import('../core/scoring/engine.js'),
    import('../core/scoring/evidence.js'),
  ]);
  // The same rules, overrides and reading as `score`, so the lead gets exactly the row score gives.
  const { rules } = loadReadingRules(reading.rules, reading.overrides);
  const found = await findLead(file, opts.lead, rules, day, reading.csv);
  if (reading.overrides.decimal === undefined) for (const note of await decimalNotes(file, rules, reading.csv)) process.stderr.write(`note: ${note}\n`);
  const r = found.result;
  const evidence = ruleEvidence(rules, found.scorer.binding.columnOf, found.row);
  if (format === 'json') {
    const out = {
      record: found.record,
      as_of: dayToIso(day),
      fit: r.fit,
      engagement: r.engagement,
      score: r.score,
      tier: r.tier,
      grade: r.grade,
      stage: r.stage,
      class: r.class,
      action: r.action,
      reasons: r.reasons.map((x) => ({ rule: x.rule, points: x.points, why: x.why, evidence: evidence(x.rule) })),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  const c = paint();
  // Laid out to the terminal; cells wrap, never cut (an email without its domain hides why it
  // is invalid). Widths include the padding; 5 borders.
  const width = Math.max(terminalColumns(), 40);
  const pointsW = 8;
  const ruleW = Math.min(Math.max(...r.reasons.map((x) => x.rule.length), 5) + 2, Math.max(10, Math.floor((width - 5 - pointsW) / 4)));
  const rest = width - 5 - pointsW - ruleW;
  const whyW = Math.max(8, Math.floor(rest / 2));
  const valueW = Math.max(8, rest - whyW);
  const t = createTable({ head: ['rule', 'points', 'why', 'value'], colAligns: ['left', 'right', 'left', 'left'], wordWrap: true, colWidths: [ruleW, pointsW, whyW, valueW] });
  // Wrapped between words, unless a word is longer than its column (then anywhere).
  const cell = (text: string, w: number) => (text.split(/\s+/).every((word) => word.length <= w - 2) ? text : wrapAnywhere(text));
  for (const x of r.reasons)
    t.push([cell(x.rule, ruleW), x.points < 0 ? c.red(signed(x.points)) : x.points > 0 ? c.green(signed(x.points)) : '0', cell(x.why, whyW), cell(evidence(x.rule), valueW)]);
  t.push([c.bold('score'), c.bold(String(r.score)), `fit ${r.fit} + engagement ${r.engagement}`, '']);
  const lines = [
    c.bold(`Lead ${opts.lead} (record ${found.record}), as of ${dayToIso(day)}`),
    t.toString(),
    `tier ${stageColor(r.tier)(r.tier)}${r.grade ? `, grade ${r.grade}` : ''}, stage ${stageColor(r.stage)(r.stage)}, class ${r.class}`,
    `action: ${r.action}`,
  ];
  process.stderr.write(lines.join('\n') + '\n');
}
