// `qualify rules check [FILE]` and `qualify rules show [FILE] [--compiled]`: validate and
// summarise a rules file, run its examples, print its compiled form.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { asOfDay, displayPath } from './shared.js';

const heavy = () =>
  Promise.all([
    import('../ui/table.js'),
    import('../io/rules-file.js'),
    import('../core/rules/summary.js'),
    import('../core/rules/examples.js'),
    import('../ui/color.js'),
    import('../ui/diagnostics.js'),
  ]);

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const rules = program.command('rules').summary('check, summarise or print a rules file').description('Work with rules files: validate them, run their examples, print their compiled form.');
  rules
    .command('check')
    .description('Validate a rules file, summarise it (rules per category, reachable score range, thresholds)\nand run the examples written in it. Exit 2 when the file has mistakes, 1 when an example fails.')
    .argument('[file]', 'rules file (default: the shipped rules/default.yaml)')
    .option('--as-of <date>', 'reference date for examples without their own as_of, YYYY-MM-DD (default: today)')
    .action((file: string | undefined, opts: { asOf?: string }) => action(() => runCheck(file, opts)));
  rules
    .command('show')
    .description('Print a rules file as qualify reads it. With --compiled, the compiled form (JSON) that the\nengine evaluates per row.')
    .argument('[file]', 'rules file (default: the shipped rules/default.yaml)')
    .option('--compiled', 'print the compiled intermediate representation as JSON')
    .action((file: string | undefined, opts: { compiled?: boolean }) => action(() => runShow(file, opts)));
}

async function runCheck(file: string | undefined, opts: { asOf?: string }): Promise<void> {
  const [{ createTable }, { loadRules, DEFAULT_RULES }, { summarizeRules }, { describeOutcome, runExamples }, { paint }, { formatWarning }] = await heavy();
  const c = paint();
  const { rules, warnings } = loadRules(file);
  for (const w of warnings) process.stderr.write(formatWarning(w) + '\n');
  const s = summarizeRules(rules);
  const range = (r: { min: number; max: number }) => `${r.min === -Infinity ? '-∞' : r.min} to ${r.max === Infinity ? '∞' : r.max}`;
  const out: string[] = [];
  out.push(`${c.green('✔')} ${c.bold(displayPath(file ?? DEFAULT_RULES))}: "${s.name}" is valid`);
  out.push(`  ${s.fields} fields, ${s.fitRules} fit rules, ${s.engagementRules} engagement rules, ${s.disqualifiers} disqualifiers, ${s.examples} examples`);
  out.push(`  fit ${range(s.fit)}, engagement ${range(s.engagement)}; reachable score ${range(s.score)} (declared ${rules.score.min}-${rules.score.max})`);
  const t = createTable({ head: ['score', 'tier', 'stage', 'action'] });
  for (const th of [...rules.thresholds].sort((a, b) => b.min - a.min)) t.push([`${th.min}-${th.max}`, th.tier, th.stage, th.action]);
  out.push(t.toString());
  if (s.unreachableTiers.length) out.push(`  ${c.yellow('warning')}: no reachable score lands in tier${s.unreachableTiers.length > 1 ? 's' : ''} ${s.unreachableTiers.join(', ')}`);
  const outcomes = runExamples(rules, asOfDay(opts.asOf));
  let failed = 0;
  for (const o of outcomes) {
    if (o.failures.length === 0) {
      out.push(`  ${c.green('✔')} example "${o.example.name}"`);
    } else {
      failed++;
      out.push(`  ${c.red('✘')} example "${o.example.name}" (${displayPath(rules.source)}:${o.example.at.line}:${o.example.at.col}): ${o.failures.join('; ')}`);
      out.push(`      ${describeOutcome(o)}`);
    }
  }
  process.stderr.write(out.join('\n') + '\n');
  if (failed) {
    throw new QualifyError('RULES_EXAMPLE_FAILED', `${failed} of ${outcomes.length} example${outcomes.length > 1 ? 's' : ''} no longer hold${failed === 1 ? 's' : ''}`, { kind: 'file', file: rules.source });
  }
}

async function runShow(file: string | undefined, opts: { compiled?: boolean }): Promise<void> {
  const { loadRules, DEFAULT_RULES } = await import('../io/rules-file.js');
  const { rules } = loadRules(file);
  if (opts.compiled) {
    process.stdout.write(JSON.stringify(rules, null, 2) + '\n');
    return;
  }
  const { readFileSync } = await import('node:fs');
  process.stdout.write(readFileSync(file ?? DEFAULT_RULES, 'utf8'));
}
