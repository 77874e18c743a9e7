// `qualify explain FILE --lead ID`: one lead's score breakdown, as a table on stderr or as JSON
// on stdout with --format json.
import type { Command } from 'commander';
import { asOfDay, dayToIso, oneOf } from './shared.js';

interface ExplainOptions {
  lead: string;
  rules?: string;
  asOf?: string;
  format: string;
  encoding?: string;
  delimiter?: string;
}

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  program
    .command('explain')
    .summary("show one lead's score breakdown")
    .description("Show how one lead's score was made: every rule that fired, its points and why, the caps,\ndecay and clamping, and the resulting tier, stage and action.")
    .argument('<file>', 'CSV file (or - for stdin)')
    .requiredOption('-l, --lead <id>', 'the lead: its id column value, its email, or #N for record N (a value that matches several records is refused: use #N)')
    .option('-r, --rules <file>', 'rules file (default: the shipped rules/default.yaml)')
    .option('--as-of <date>', 'reference date, YYYY-MM-DD (default: today)')
    .option('-f, --format <format>', 'table (on stderr) or json (on stdout)', 'table')
    .option('--encoding <name>', 'input encoding when it has no byte-order mark')
    .option('--delimiter <char>', 'field delimiter (default: detected)')
    .action((file: string, opts: ExplainOptions) => action(() => runExplain(file, opts)));
}

async function runExplain(file: string, opts: ExplainOptions): Promise<void> {
  const format = oneOf('--format', opts.format, ['table', 'json'] as const);
  const day = asOfDay(opts.asOf);
  const [{ createTable }, { loadRules }, { findLead }, { paint, stageColor }, { signed }, { fieldsOfCondition }] = await Promise.all([
    import('../ui/table.js'),
    import('../io/rules-file.js'),
    import('../pipeline/find-lead.js'),
    import('../ui/color.js'),
    import('../core/scoring/engine.js'),
    import('../core/rules/compiled.js'),
  ]);
  const { rules } = loadRules(opts.rules);
  const found = await findLead(file, opts.lead, rules, day, { ...(opts.encoding ? { encoding: opts.encoding } : {}), ...(opts.delimiter ? { delimiter: opts.delimiter } : {}) });
  const r = found.result;
  const allRules = [...rules.fit.rules, ...rules.engagement.rules, ...rules.disqualifiers.map((d) => ({ ...d, per: null }))];
  const evidence = (ruleId: string): string => {
    const rule = allRules.find((x) => x.id === ruleId);
    if (!rule) return '';
    const fields = fieldsOfCondition(rule.when);
    if (rule.per) fields.add(rule.per.field);
    return [...fields]
      .map((f) => {
        const col = found.scorer.binding.columnOf[f]!;
        return `${rules.fields[f]!.name}=${JSON.stringify(col >= 0 ? (found.row[col] ?? '') : '')}`;
      })
      .join(' ');
  };
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
  const t = createTable({ head: ['rule', 'points', 'why', 'value'], colAligns: ['left', 'right', 'left', 'left'], wordWrap: true, colWidths: [22, 8, 48, 34] });
  for (const x of r.reasons) t.push([x.rule, x.points < 0 ? c.red(signed(x.points)) : x.points > 0 ? c.green(signed(x.points)) : '0', x.why, evidence(x.rule)]);
  t.push([c.bold('score'), c.bold(String(r.score)), `fit ${r.fit} + engagement ${r.engagement}`, '']);
  const lines = [
    c.bold(`Lead ${opts.lead} (record ${found.record}), as of ${dayToIso(day)}`),
    t.toString(),
    `tier ${stageColor(r.tier)(r.tier)}${r.grade ? `, grade ${r.grade}` : ''}, stage ${stageColor(r.stage)(r.stage)}, class ${r.class}`,
    `action: ${r.action}`,
  ];
  process.stderr.write(lines.join('\n') + '\n');
}
