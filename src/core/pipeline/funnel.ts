// The pipeline report as pure statistics over plain lead records: the funnel and its conversions
// (sales-sourced leads enter at SAL, so they do not count in lead → MQL → SAL), the score
// histogram, breakdowns by source and tier, disqualification reasons, open opportunities and the
// weighted pipeline (rules' probabilities beside the file's own history), win rate, days between
// steps, and the pipeline by close month. No I/O; numbers rounded only where people read them.
import { stageKey } from '../stage/model.js';

export interface ReportLead {
  key: string;
  name: string;
  company: string;
  /** Canonical stage (humanStageOf applied): `closed won`, `SQL`, `opportunity`, ... */
  stage: string;
  /** The stage cell as written (a pipeline stage name such as `Proposal` for an opportunity). */
  stageText: string;
  score: number;
  tier: string;
  source: string;
  salesSourced: boolean;
  disqualifiedWhy: string;
  oppAmount: number | undefined;
  /** The opportunity's pipeline stage as recorded by the discovery call (opp_stage). */
  oppStage: string;
  closeDay: number | undefined;
  /** Step times, ms since the epoch. */
  salAt: number | undefined;
  sqlAt: number | undefined;
  opportunityAt: number | undefined;
  disqualifiedAt: number | undefined;
}

export interface Probability {
  stage: string;
  key: string;
  probability: number;
}

/** Used when the rules have no `pipeline: probabilities:`: Salesforce's default opportunity
 * stages, HubSpot's default deal pipeline, and the discovery call's stage options. */
export const DEFAULT_PROBABILITIES: readonly Probability[] = (
  [
    ['Prospecting', 10], ['Qualification', 10], ['Needs Analysis', 20], ['Value Proposition', 50], ['Id. Decision Makers', 60],
    ['Perception Analysis', 70], ['Proposal/Price Quote', 75], ['Negotiation/Review', 90], ['Demo', 30], ['Proposal', 60],
    ['Negotiation', 80], ['Appointment Scheduled', 20], ['Qualified To Buy', 40], ['Presentation Scheduled', 60],
    ['Decision Maker Bought-In', 80], ['Contract Sent', 90], ['Opportunity', 10],
  ] as const
).map(([stage, p]) => ({ stage, key: stageKey(stage), probability: p / 100 }));

export const FUNNEL_STAGE_ORDER = ['bad lead', 'disqualified', 'cold lead', 'lead', 'MQL', 'sales lead', 'SAL', 'SQL', 'opportunity', 'closed won', 'closed lost'];
const CLOSED = new Set(['closed won', 'closed lost']);
const AT_OR_AFTER_SAL = new Set(['SAL', 'SQL', 'opportunity', 'closed won', 'closed lost']);
const AT_OR_AFTER_SQL = new Set(['SQL', 'opportunity', 'closed won', 'closed lost']);
const AT_OR_AFTER_OPP = new Set(['opportunity', 'closed won', 'closed lost']);

export interface FunnelStep {
  step: string;
  count: number;
  /** Share of the previous step that reached this one (null for the first, or an empty previous). */
  conversion: number | null;
  note?: string;
}

export interface Breakdown {
  value: string;
  leads: number;
  sal: number;
  sql: number;
  opportunities: number;
  won: number;
  /** Leads that became SQL or later, of the leads (bad leads aside). */
  to_sql: number | null;
}

export interface OpenOpportunity {
  lead: string;
  name: string;
  company: string;
  amount: number | null;
  stage: string;
  close: string | null;
  probability: number | null;
  weighted: number | null;
}

export interface PipelineReport {
  leads: number;
  stages: { stage: string; count: number }[];
  funnel: FunnelStep[];
  score_histogram: { from: number; to: number; count: number }[];
  by_source: Breakdown[];
  by_tier: Breakdown[];
  disqualification_reasons: { reason: string; count: number }[];
  open_opportunities: OpenOpportunity[];
  probabilities: { stage: string; rules: number | null; history: number | null; history_deals: number }[];
  weighted_pipeline: { open: number; amount: number; weighted_rules: number; weighted_history: number | null };
  win_rate: { won: number; lost: number; rate: number | null };
  days_between_steps: { from: string; to: string; leads: number; average: number | null; median: number | null }[];
  pipeline_by_close_month: { month: string; opportunities: number; amount: number; weighted: number }[];
}

const reachedSal = (l: ReportLead) => AT_OR_AFTER_SAL.has(l.stage) || l.salAt !== undefined;
const reachedSql = (l: ReportLead) => AT_OR_AFTER_SQL.has(l.stage) || l.sqlAt !== undefined;
const reachedOpp = (l: ReportLead) => AT_OR_AFTER_OPP.has(l.stage) || l.opportunityAt !== undefined;
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function buildReport(leads: readonly ReportLead[], opts: { probabilities: readonly Probability[]; scoreRange: { min: number; max: number }; tierOrder: readonly string[] }): PipelineReport {
  const stageCounts = new Map<string, number>();
  for (const l of leads) stageCounts.set(l.stage, (stageCounts.get(l.stage) ?? 0) + 1);
  const rank = (s: string) => (FUNNEL_STAGE_ORDER.indexOf(s) < 0 ? FUNNEL_STAGE_ORDER.length : FUNNEL_STAGE_ORDER.indexOf(s));
  const stages = [...stageCounts.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || b[1] - a[1]).map(([stage, count]) => ({ stage, count }));

  // The funnel: bad leads are not leads; marketing-sourced leads pass MQL, sales-sourced enter at SAL.
  const real = leads.filter((l) => l.stage !== 'bad lead');
  const marketing = real.filter((l) => !l.salesSourced);
  const mql = marketing.filter((l) => l.stage === 'MQL' || reachedSal(l));
  const salMarketing = marketing.filter(reachedSal).length;
  const sal = real.filter(reachedSal);
  const sql = real.filter(reachedSql);
  const opp = real.filter(reachedOpp);
  const won = real.filter((l) => l.stage === 'closed won');
  const lost = real.filter((l) => l.stage === 'closed lost');
  const funnel: FunnelStep[] = [
    { step: 'lead', count: real.length, conversion: null, note: `${marketing.length} marketing-sourced, ${real.length - marketing.length} sales-sourced` },
    { step: 'MQL', count: mql.length, conversion: ratio(mql.length, marketing.length), note: 'marketing-sourced leads only' },
    { step: 'SAL', count: sal.length, conversion: ratio(salMarketing, mql.length), note: `conversion from MQL: marketing-sourced; ${sal.length - salMarketing} sales-sourced entered here` },
    { step: 'SQL', count: sql.length, conversion: ratio(sql.length, sal.length) },
    { step: 'opportunity', count: opp.length, conversion: ratio(opp.length, sql.length) },
    { step: 'closed won', count: won.length, conversion: ratio(won.length, opp.length) },
  ];

  // Score histogram in tenths of the score range, bad leads aside (their score says nothing).
  const { min, max } = opts.scoreRange;
  // Ten bins of equal width (0-9, ..., 80-89, 90-100): the last one takes the maximum too.
  const width = Math.max(1, Math.ceil((max - min) / 10));
  const bins: { from: number; to: number; count: number }[] = [];
  for (let from = min; from <= max && bins.length < 10; from += width) bins.push({ from, to: Math.min(max, from + width - 1), count: 0 });
  bins[bins.length - 1]!.to = max;
  for (const l of real) {
    const i = Math.min(bins.length - 1, Math.max(0, Math.floor((l.score - min) / width)));
    bins[i]!.count++;
  }

  const breakdown = (valueOf: (l: ReportLead) => string, order?: readonly string[]): Breakdown[] => {
    const groups = new Map<string, ReportLead[]>();
    for (const l of real) {
      const v = valueOf(l) || '(blank)';
      groups.set(v, [...(groups.get(v) ?? []), l]);
    }
    const out = [...groups.entries()].map(([value, ls]) => ({
      value,
      leads: ls.length,
      sal: ls.filter(reachedSal).length,
      sql: ls.filter(reachedSql).length,
      opportunities: ls.filter(reachedOpp).length,
      won: ls.filter((l) => l.stage === 'closed won').length,
      to_sql: ratio(ls.filter(reachedSql).length, ls.length),
    }));
    const at = (v: string) => (order && order.includes(v) ? order.indexOf(v) : Number.MAX_SAFE_INTEGER);
    return out.sort((a, b) => at(a.value) - at(b.value) || b.leads - a.leads || a.value.localeCompare(b.value));
  };

  const reasons = new Map<string, number>();
  for (const l of leads) if ((l.stage === 'disqualified' || l.stage === 'bad lead') && l.disqualifiedWhy) reasons.set(l.disqualifiedWhy, (reasons.get(l.disqualifiedWhy) ?? 0) + 1);
  const disqualification_reasons = [...reasons.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([reason, count]) => ({ reason, count }));

  // Probabilities: the rules' (or the defaults), and beside them the file's history: of the
  // closed deals opened at a pipeline stage, the share won.
  const pipelineStage = (l: ReportLead): string => (CLOSED.has(l.stage) || stageKey(l.stageText) === 'opportunity' || l.stage !== 'opportunity' ? l.oppStage : l.stageText) || 'opportunity';
  const rulesProb = (stage: string): number | null => opts.probabilities.find((p) => p.key === stageKey(stage))?.probability ?? null;
  const history = new Map<string, { won: number; closed: number; stage: string }>();
  for (const l of [...won, ...lost]) {
    const k = stageKey(pipelineStage(l));
    const h = history.get(k) ?? { won: 0, closed: 0, stage: pipelineStage(l) };
    h.closed++;
    if (l.stage === 'closed won') h.won++;
    history.set(k, h);
  }
  const historyProb = (stage: string): number | null => {
    const h = history.get(stageKey(stage));
    return h && h.closed > 0 ? h.won / h.closed : null;
  };

  const open = real.filter((l) => l.stage === 'opportunity');
  const open_opportunities: OpenOpportunity[] = open
    .map((l) => {
      const stage = pipelineStage(l);
      const p = rulesProb(stage);
      return {
        lead: l.key,
        name: l.name,
        company: l.company,
        amount: l.oppAmount ?? null,
        stage,
        close: l.closeDay !== undefined ? isoDay(l.closeDay) : null,
        probability: p,
        weighted: l.oppAmount !== undefined && p !== null ? round2(l.oppAmount * p) : null,
      };
    })
    .sort((a, b) => (a.close ?? '9999').localeCompare(b.close ?? '9999') || (b.amount ?? 0) - (a.amount ?? 0));
  // One row per stage, whatever its spelling (Proposal typed in the stage column, proposal from the call).
  const byKey = new Map<string, string>();
  for (const stage of [...open_opportunities.map((o) => o.stage), ...[...history.values()].map((h) => h.stage)]) if (!byKey.has(stageKey(stage))) byKey.set(stageKey(stage), stage);
  const stagesSeen = [...byKey.values()];
  const probabilities = stagesSeen.map((stage) => ({ stage, rules: rulesProb(stage), history: historyProb(stage), history_deals: history.get(stageKey(stage))?.closed ?? 0 }));
  const amount = sum(open_opportunities.map((o) => o.amount ?? 0));
  const weightedRules = sum(open_opportunities.map((o) => o.weighted ?? 0));
  const anyHistory = open_opportunities.some((o) => historyProb(o.stage) !== null);
  const weightedHistory = anyHistory ? sum(open_opportunities.map((o) => (o.amount ?? 0) * (historyProb(o.stage) ?? 0))) : null;

  const gap = (from: keyof ReportLead, to: keyof ReportLead, fromName: string, toName: string) => {
    const days = leads
      .map((l) => [l[from], l[to]] as [unknown, unknown])
      .filter((p): p is [number, number] => typeof p[0] === 'number' && typeof p[1] === 'number' && p[1] >= p[0])
      .map(([a, b]) => (b - a) / 86_400_000)
      .sort((a, b) => a - b);
    return {
      from: fromName,
      to: toName,
      leads: days.length,
      average: days.length ? round1(sum(days) / days.length) : null,
      median: days.length ? round1(days.length % 2 ? days[(days.length - 1) / 2]! : (days[days.length / 2 - 1]! + days[days.length / 2]!) / 2) : null,
    };
  };

  const months = new Map<string, { month: string; opportunities: number; amount: number; weighted: number }>();
  for (const o of open_opportunities) {
    const month = o.close ? o.close.slice(0, 7) : 'no close date';
    const m = months.get(month) ?? { month, opportunities: 0, amount: 0, weighted: 0 };
    m.opportunities++;
    m.amount += o.amount ?? 0;
    m.weighted = round2(m.weighted + (o.weighted ?? 0));
    months.set(month, m);
  }

  return {
    leads: leads.length,
    stages,
    funnel,
    score_histogram: bins,
    by_source: breakdown((l) => l.source),
    by_tier: breakdown((l) => l.tier, opts.tierOrder),
    disqualification_reasons,
    open_opportunities,
    probabilities,
    weighted_pipeline: { open: open.length, amount: round2(amount), weighted_rules: round2(weightedRules), weighted_history: weightedHistory === null ? null : round2(weightedHistory) },
    win_rate: { won: won.length, lost: lost.length, rate: ratio(won.length, won.length + lost.length) },
    days_between_steps: [gap('salAt', 'sqlAt', 'SAL', 'SQL'), gap('sqlAt', 'opportunityAt', 'SQL', 'opportunity'), gap('salAt', 'disqualifiedAt', 'SAL', 'disqualified')],
    pipeline_by_close_month: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
  };
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
