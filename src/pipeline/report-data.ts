// The worked file as the report's plain records (src/core/pipeline/funnel.ts), and the report.
import { buildReport, DEFAULT_PROBABILITIES, type PipelineReport, type ReportLead } from '../core/pipeline/funnel.js';
import type { CompiledRules } from '../core/rules/compiled.js';
import { amountOf, dayOf, type WorkedFile } from './worked-file.js';

export function reportLeads(wf: WorkedFile, rules: CompiledRules): ReportLead[] {
  const sales = new Set(rules.settings.salesSources);
  const time = (text: string): number | undefined => {
    const t = Date.parse(text);
    return text !== '' && Number.isFinite(t) ? t : undefined;
  };
  return wf.leads.map((l) => ({
    key: l.key,
    name: l.name,
    company: l.company,
    stage: l.stage,
    stageText: l.stageText,
    score: l.score,
    tier: l.tier,
    source: l.source,
    salesSourced: l.stage === 'sales lead' || sales.has(l.source.trim().toLowerCase()),
    disqualifiedWhy: l.disqualifiedWhy,
    oppAmount: amountOf(l.cell('opp_amount'), rules),
    oppStage: l.cell('opp_stage'),
    closeDay: dayOf(l.cell('opp_close_date'), rules),
    salAt: time(l.cell('sal_at')),
    sqlAt: time(l.cell('sql_at')),
    opportunityAt: time(l.cell('opportunity_at')),
    disqualifiedAt: time(l.cell('disqualified_at')),
  }));
}

export function pipelineReport(wf: WorkedFile, rules: CompiledRules): PipelineReport {
  return buildReport(reportLeads(wf, rules), {
    probabilities: rules.pipeline?.probabilities ?? DEFAULT_PROBABILITIES,
    scoreRange: rules.score,
    tierOrder: [...rules.thresholds.map((t) => t.tier), 'disqualified', 'bad'],
  });
}
