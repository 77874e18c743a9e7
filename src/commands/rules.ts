// `qualify rules check [FILE]` and `qualify rules show [FILE] [--compiled]`: validate and
// summarise a rules file, run its examples, print its compiled form.
import type { Command } from 'commander';
import { QualifyError, QualifyErrors } from '../core/errors.js';
import { asOfDay, displayPath } from './shared.js';
import { registerRulesSql } from './rules-sql.js';

const heavy = () =>
  Promise.all([
    import('../ui/table.js'),
    import('../io/rules-file.js'),
    import('../core/rules/summary.js'),
    import('../core/rules/examples.js'),
    import('../ui/color.js'),
  ]);

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const rules = program
    .command('rules')
    .summary('check, summarise or print a rules file')
    .description('Work with rules files: validate them, run their examples, print their compiled form.')
    .addHelpText('after', '\nExamples:\n  $ qualify rules check\n  $ qualify rules check rules/discovery-bant.yaml\n  $ qualify rules show my-rules.yaml --compiled | jq .thresholds\n');
  rules
    .command('check')
    .description(
      'Validate a rules file, summarise it (rules per category, reachable score range, thresholds)\nand run the examples written in it. Exit 2 when the file has mistakes, 1 when an example fails.\n' +
        'A questionnaire file (kind: needs-assessment or discovery) is validated and summarised too:\nquestions per kind, qualification rules, the columns its outcome writes.',
    )
    .argument('[file]', 'rules or questionnaire file (default: the shipped rules/default.yaml)')
    .option('--as-of <date>', 'reference date for examples without their own as_of, YYYY-MM-DD (default: today)')
    .addHelpText('after', '\nExamples:\n  $ qualify rules check                       # the shipped rules/default.yaml\n  $ qualify rules check my-rules.yaml --as-of 2026-11-01\n  $ qualify rules check rules/discovery-meddic.yaml\n')
    .action((file: string | undefined, opts: { asOf?: string }) => action(() => runCheck(file, opts)));
  rules
    .command('show')
    .description(
      'Print a rules file as qualify reads it. With --compiled, the compiled form (JSON) that the\nengine evaluates per row. ' +
        'A questionnaire file (kind: needs-assessment or discovery) is checked, then printed\nas written, or with --compiled as the loaded questionnaire (JSON).',
    )
    .argument('[file]', 'rules or questionnaire file (default: the shipped rules/default.yaml)')
    .option('--compiled', 'print the compiled intermediate representation as JSON')
    .addHelpText('after', '\nExamples:\n  $ qualify rules show > my-rules.yaml         # start from the shipped rules\n  $ qualify rules show my-rules.yaml --compiled\n  $ qualify rules show rules/needs-assessment.yaml\n')
    .action((file: string | undefined, opts: { compiled?: boolean }) => action(() => runShow(file, opts)));
  registerRulesSql(rules, action);
}

async function runCheck(file: string | undefined, opts: { asOf?: string }): Promise<void> {
  if (file !== undefined && (await isQuestionnaireFile(file))) return checkQuestionnaire(file);
  const [{ createTable }, { loadRules, DEFAULT_RULES }, { summarizeRules }, { describeOutcome, runExamples }, { paint }] = await heavy();
  const c = paint();
  const { rules } = loadRules(file);
  const s = summarizeRules(rules);
  // "-38--30" reads badly: a span with a negative end is written "-38 to -30".
  const span = (min: number, max: number) => (min < 0 || max < 0 ? `${min} to ${max}` : `${min}-${max}`);
  const range = (r: { min: number; max: number }) => `${r.min === -Infinity ? '-∞' : r.min} to ${r.max === Infinity ? '∞' : r.max}`;
  const out: string[] = [];
  out.push(`${c.green('✔')} ${c.bold(displayPath(file ?? DEFAULT_RULES))}: "${s.name}" is valid`);
  out.push(`  ${s.fields} fields, ${s.fitRules} fit rules, ${s.engagementRules} engagement rules, ${s.disqualifiers} disqualifiers, ${s.examples} examples`);
  out.push(`  fit ${range(s.fit)}, engagement ${range(s.engagement)}; reachable score ${range(s.score)} (declared ${span(rules.score.min, rules.score.max)})`);
  const t = createTable({ head: ['score', 'tier', 'stage', 'action'] });
  for (const th of [...rules.thresholds].sort((a, b) => b.min - a.min)) t.push([span(th.min, th.max), th.tier, th.stage, th.action]);
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
  if (file !== undefined && (await isQuestionnaireFile(file))) return showQuestionnaire(file, opts);
  const { loadRules, DEFAULT_RULES } = await import('../io/rules-file.js');
  const { rules } = loadRules(file);
  if (opts.compiled) {
    process.stdout.write(JSON.stringify(rules, null, 2) + '\n');
    return;
  }
  const { readFileSync } = await import('node:fs');
  process.stdout.write(readFileSync(file ?? DEFAULT_RULES, 'utf8'));
}

/** `qualify rules show QUESTIONNAIRE [--compiled]`: checked like `rules check` (every mistake with
 * file:line:col, exit 2), then the file as written, or the loaded form as JSON. */
async function showQuestionnaire(file: string, opts: { compiled?: boolean }): Promise<void> {
  const [{ readTextFile }, { loadQuestionnaire }] = await Promise.all([import('../io/rules-file.js'), import('../core/questionnaire/load.js')]);
  const text = readTextFile(file, 'questionnaire');
  const r = loadQuestionnaire(file, text);
  if (!r.questionnaire) throw new QualifyErrors(r.errors);
  process.stdout.write(opts.compiled ? JSON.stringify(r.questionnaire, null, 2) + '\n' : text);
}

/** A questionnaire rather than a rules file (core/questionnaire/detect.ts); anything unreadable is
 * left to the rules path, which reports it as before. */
async function isQuestionnaireFile(file: string): Promise<boolean> {
  const [{ readTextFile }, { isQuestionnaireText }] = await Promise.all([import('../io/rules-file.js'), import('../core/questionnaire/detect.js')]);
  let text: string;
  try {
    // The one bounded reader: /dev/zero or a FIFO is refused by the rules path, not read here.
    text = readTextFile(file, 'rules file');
  } catch {
    return false;
  }
  return isQuestionnaireText(text);
}

/** `qualify rules check QUESTIONNAIRE`: every mistake with file:line:col (exit 2), or a summary. */
async function checkQuestionnaire(file: string): Promise<void> {
  const [{ readTextFile }, { loadQuestionnaire }, { outcomeColumns }, { QUESTION_KINDS }, { refsOf }, { createTable }, { paint }, { stageAfter, STEP_OF_KIND }] = await Promise.all([
    import('../io/rules-file.js'),
    import('../core/questionnaire/load.js'),
    import('../core/questionnaire/engine.js'),
    import('../core/questionnaire/schema.js'),
    import('../core/questionnaire/conditions.js'),
    import('../ui/table.js'),
    import('../ui/color.js'),
    import('../core/stage/transitions.js'),
  ]);
  const r = loadQuestionnaire(file, readTextFile(file, 'questionnaire'));
  if (!r.questionnaire) throw new QualifyErrors(r.errors);
  const q = r.questionnaire;
  const c = paint();
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const out: string[] = [];
  out.push(`${c.green('✔')} ${c.bold(displayPath(file))}: questionnaire "${q.title}" is valid (id ${q.id}, kind ${q.kind})`);
  const perKind = QUESTION_KINDS.map((k) => [k, q.questions.filter((x) => x.kind === k).length] as const).filter(([, n]) => n > 0);
  const conditional = q.questions.filter((x) => x.when !== undefined).length;
  out.push(`  ${plural(q.questions.length, 'question')}: ${perKind.map(([k, n]) => `${n} ${k}`).join(', ')}; ${conditional} asked only when earlier answers call for ${conditional === 1 ? 'it' : 'them'}`);
  const scripts = q.steps.filter((s) => s.kind === 'script').length;
  const leadFields = Object.keys(q.lead);
  out.push(`  ${plural(scripts, 'script step')}${leadFields.length ? `; from the lead's row: ${leadFields.join(', ')}` : ''}`);
  const rules = q.qualification.rules;
  const min = q.qualification.minPoints;
  out.push(`  qualified when ${rules.length === 1 ? 'the rule holds' : rules.length === 2 ? 'both rules hold' : `all ${rules.length} rules hold`}${min !== undefined ? ` and the answers score at least ${min} points` : ''}:`);
  const t = createTable({ head: ['rule', 'reason when it holds', 'otherwise (disqualified)'] });
  rules.forEach((rule, i) => t.push([rule.name ?? `#${i + 1}`, rule.reason, rule.otherwise]));
  out.push(t.toString());
  const o = q.outcome;
  const parts: string[] = [stageAfter(STEP_OF_KIND[q.kind], 'qualified')];
  // A discovery call books the next meeting; a needs assessment agrees a follow-up call.
  if (o.followUp) parts[0] += ` with ${q.kind === 'needs-assessment' ? 'a follow-up' : 'the next meeting booked'} (day: ${o.followUp.date}${o.followUp.window !== undefined ? `, time: ${o.followUp.window}` : ''})`;
  if (o.opportunity) {
    const op = o.opportunity;
    parts.push(`an opportunity, depending on ${[...new Set(refsOf(op.when))].join(', ')} (amount: ${op.amount}, stage: ${op.stage}, next step: ${op.nextStep}, close date: ${op.closeDate})`);
  }
  parts.push(`disqualified${o.referral !== undefined ? ` with a referral (${o.referral})` : ''}`);
  out.push(`  outcome: ${parts.join(', or ')}${o.notes !== undefined ? `; notes: ${o.notes}` : ''}`);
  const columns = outcomeColumns(q);
  out.push(`  writes ${plural(columns.length, 'column')}:`);
  // Wrapped to a readable width, as the list is long.
  let line = '   ';
  for (const col of columns) {
    const word = ` ${col}${col === columns[columns.length - 1] ? '' : ','}`;
    if (line.length + word.length > 100) {
      out.push(line);
      line = '   ';
    }
    line += word;
  }
  out.push(line);
  process.stderr.write(out.join('\n') + '\n');
}
