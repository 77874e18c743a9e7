// `qualify calibrate` as a pure computation over a lead file given as batches of rows, read
// twice: the current rules with the training patterns of their firings, then the suggested
// rules on both parts. With --explore a pass between them gathers the patterns, once the
// first pass's column counts have set the bins. Nothing is kept per row: histograms of scores,
// counts per rule, per distinct column value and per distinct feature pattern (bounded: see
// patterns.ts).
import { QualifyError } from '../errors.js';
import type { CompiledRules } from '../rules/compiled.js';
import { runExamples } from '../rules/examples.js';
import { createScorer, type ScoreResult } from '../scoring/engine.js';
import { ColumnStats, columnFeatures, compileColumnFeatures, type Binning, type ExploreOptions, type FeatureSpec } from './features.js';
import { ScoreHistogram, totals, type ScoreBin } from './histogram.js';
import { fitRidgeNewton, lassoPath, type Design, type Pattern } from './logistic.js';
import { auc, aucInterval, captureAt, fitScoreCurve, gini, ks, liftTable, reliabilityTable, wilson, type LiftRow, type ReliabilityRow } from './metrics.js';
import { PatternCollector } from './patterns.js';
import { StratifiedSplit } from './split.js';
import { editRules, type ExistingRuleChange, type NewField, type NewRule } from './write-rules.js';

export interface RowSource {
  file: string;
  header: string[];
  batches(): AsyncIterable<readonly (readonly string[])[]>;
  /** Records the file holds, estimated once a batch has been read (null: unknown). Sizes the
   * scorer's duplicate index once instead of growing it (a grow holds two tables). */
  estimatedRecords?(): number | null;
}

export interface CalibrateOptions {
  outcomeColumn: number;
  /** Outcome values (lower-case, trimmed) that count as converted. */
  positive: ReadonlySet<string>;
  holdout: number;
  seed: number;
  explore: boolean;
  maxRules: number;
  /** Share of leads the sales team can work (the top tier), or a number of leads. */
  capacity: { fraction: number } | { leads: number };
  asOfDay: number;
  /** Columns never explored (leaky or irrelevant), by index. */
  exclude: ReadonlySet<number>;
  /** Points per doubling of the odds. */
  pdo: number;
  /** Elastic-net mix: 1 = lasso. */
  alpha: number;
  explore_?: Partial<ExploreOptions>;
}

export interface Measures {
  leads: number;
  conversions: number;
  auc: number;
  aucLow: number;
  aucHigh: number;
  gini: number;
  ks: number;
  ksAt: number | null;
  tiers: { tier: string; leads: number; conversions: number; rate: number; lift: number }[];
  lift: LiftRow[];
  reliability: ReliabilityRow[];
  capacity: { share: number; leadsShare: number; conversionsShare: number; minScore: number | null };
}

export interface RuleJudgement {
  id: string;
  category: string;
  points: number;
  per: boolean;
  fired: number;
  conversions: number;
  rate: number;
  lift: number;
  liftLow: number;
  liftHigh: number;
  /** The points say one thing and the outcomes the other (its lift interval excludes 1). */
  wrongWay: boolean;
}

export interface SuggestedRule {
  id: string;
  isNew: boolean;
  points: number;
  was: number | null;
  coefficient: number;
  why: string;
  /** Training leads it fires on, and their conversion rate. */
  support: number;
  rate: number;
}

export interface CalibrateReport {
  file: string;
  leads: number;
  blankOutcome: number;
  conversions: number;
  baseRate: number;
  train: { leads: number; conversions: number };
  holdout: { leads: number; conversions: number; share: number; seed: number };
  current: Measures;
  rules: RuleJudgement[];
  /** Per disqualifier: leads it threw out, the converted ones among them, and the record
   * numbers of the first of those (up to DQ_RECORDS) to look up. */
  disqualifiers: { id: string; fired: number; conversions: number; records: number[] }[];
  suggested: {
    pdo: number;
    lambda: number;
    alpha: number;
    candidates: number;
    patterns: number;
    /** Share of the training leads the regression was fitted on (1 = all; see patterns.ts). */
    sampleShare: number;
    skippedColumns: { column: string; why: string }[];
    /** Explored numeric columns: their trend and the cuts kept after merging (monotonic.ts). */
    binnedColumns: Binning[];
    rules: SuggestedRule[];
    thresholds: { tier: string; min: number; max: number }[];
    /** Points every lead starts with (the `base-points` rule), so that scores start at 0. */
    offset: number;
    measures: Measures;
    droppedExamples: { name: string; why: string }[];
    notes: string[];
  };
  /** The suggested rules file. */
  text: string;
}

/** Converted leads named per disqualifier at most. */
const DQ_RECORDS = 10;

const DEFAULT_EXPLORE: ExploreOptions = { minSupport: 30, bins: 10, maxLevels: 30 };

function outcomeOf(row: readonly string[], col: number, positive: ReadonlySet<string>): boolean | null {
  const v = (row[col] ?? '').trim().toLowerCase();
  if (v === '') return null;
  return positive.has(v);
}

/** A lead with an outcome, as one pass over the file sees it. */
interface Labelled {
  row: readonly string[];
  /** 1-based record number in the file (blank-outcome rows counted too). */
  record: number;
  positive: boolean;
  holdout: boolean;
  /** The lead scored with the pass's rules (the result is reused by the next lead). */
  result: ScoreResult;
}

/**
 * One pass over the leads that have an outcome, in file order: each with its record number,
 * outcome, side of the split and score. A fresh split per pass, so every pass puts the same
 * leads in the holdout. With `trainingOnly` the holdout leads are neither scored nor visited
 * (a third less scoring in the patterns pass): the duplicate index then does not see them, so a
 * training lead whose first copy was held out is not called a duplicate, which changes its
 * verdict but not its rule firings, the only thing that pass reads.
 * Returns the number of rows with a blank outcome, and which column each field of the rules read.
 */
async function forEachLabelled(src: RowSource, rules: CompiledRules, o: CalibrateOptions, visit: (lead: Labelled) => void, pass: { records?: number; trainingOnly?: boolean } = {}): Promise<{ blankOutcome: number; binding: ReturnType<typeof createScorer>['binding'] }> {
  const { records, trainingOnly = false } = pass;
  const split = new StratifiedSplit(o.holdout, o.seed);
  // Made at the first batch, when the file can tell how many records it holds (a later pass
  // knows it exactly from the first).
  let scorer: ReturnType<typeof createScorer> | null = null;
  const makeScorer = () => {
    const expected = records ?? src.estimatedRecords?.() ?? null;
    return createScorer(rules, src.header, { asOfDay: o.asOfDay, file: src.file, ...(expected !== null && expected > 0 ? { expectedRows: Math.ceil(expected * 1.05) } : {}) });
  };
  const lead: Labelled = { row: [], record: 0, positive: false, holdout: false, result: undefined as unknown as ScoreResult };
  let blank = 0;
  for await (const batch of src.batches()) {
    scorer ??= makeScorer();
    for (const row of batch) {
      lead.record++;
      const y = outcomeOf(row, o.outcomeColumn, o.positive);
      if (y === null) {
        blank++;
        continue;
      }
      lead.row = row;
      lead.positive = y;
      lead.holdout = split.isHoldout(y ? '1' : '0');
      if (trainingOnly && lead.holdout) continue;
      lead.result = scorer.scoreShared(row, lead.record);
      visit(lead);
    }
  }
  return { blankOutcome: blank, binding: (scorer ?? makeScorer()).binding };
}

function addTier(map: Map<string, [number, number]>, tier: string, positive: boolean): void {
  let c = map.get(tier);
  if (!c) map.set(tier, (c = [0, 0]));
  c[positive ? 0 : 1]++;
}

function measures(hold: ScoreBin[], train: ScoreBin[], tiers: Map<string, [number, number]>, tierOrder: string[], capacity: number, seed: number): Measures {
  const t = totals(hold);
  const base = t.pos / t.n;
  const ci = aucInterval(hold, { seed, reps: 500 });
  const k = ks(hold);
  const cap = captureAt(hold, capacity);
  const order = [...tierOrder, ...[...tiers.keys()].filter((x) => !tierOrder.includes(x)).sort()];
  return {
    leads: t.n,
    conversions: t.pos,
    auc: auc(hold),
    aucLow: ci.low,
    aucHigh: ci.high,
    gini: gini(hold),
    ks: k.ks,
    ksAt: k.at,
    tiers: order
      .filter((x) => tiers.has(x))
      .map((tier) => {
        const [p, n] = tiers.get(tier)!;
        return { tier, leads: p + n, conversions: p, rate: p / (p + n), lift: p / (p + n) / base };
      }),
    lift: liftTable(hold),
    reliability: reliabilityTable(hold, fitScoreCurve(train)),
    capacity: { share: capacity, leadsShare: cap.leads / t.n, conversionsShare: cap.share, minScore: cap.minScore },
  };
}

/** A field id made from a header: letters, digits, "_", ".", "-"; starts with a letter or digit. */
function slug(s: string): string {
  const t = s.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '');
  return t === '' ? 'column' : t;
}

function numberId(n: number): string {
  return (n < 0 ? 'minus' : '') + String(Math.abs(n));
}

export async function calibrate(open: () => Promise<RowSource>, rules: CompiledRules, rulesText: string, compile: (text: string) => CompiledRules, o: CalibrateOptions): Promise<CalibrateReport> {
  const exploreOpts: ExploreOptions = { ...DEFAULT_EXPLORE, ...o.explore_ };
  const scoringRules = [...rules.fit.rules, ...rules.engagement.rules];
  const ruleById = new Map(scoringRules.map((r) => [r.id, r]));
  const disqualifierIds = new Set(rules.disqualifiers.map((d) => d.id));
  const tierOrder = [...rules.thresholds].sort((a, b) => b.min - a.min).map((t) => t.tier);

  // The candidate features: the current rules, then (after pass 1) the explored columns.
  const specs: FeatureSpec[] = scoringRules.map((r) => ({ kind: 'rule', ruleId: r.id, category: r.category, per: r.per !== null, points: r.points }));
  const ruleFeature = new Map<string, number>();
  specs.forEach((s, i) => {
    if (s.kind === 'rule') ruleFeature.set(s.ruleId, i);
  });
  const idx: number[] = [];
  const val: number[] = [];
  /** One lead's rule firings into idx/val (a `per` rule by its units). */
  const ruleFeaturesOf = (r: ScoreResult) => {
    idx.length = 0;
    val.length = 0;
    for (const x of r.reasons) {
      const f = ruleFeature.get(x.rule);
      if (f === undefined) continue;
      const rule = ruleById.get(x.rule)!;
      idx.push(f);
      val.push(rule.per && rule.points !== 0 ? x.points / rule.points : 1);
    }
  };
  // Without --explore the features are the rules' firings: gathered in pass 1 already.
  let collector: PatternCollector | null = o.explore ? null : new PatternCollector(specs.length, o.seed);

  // Pass 1: the current rules, per-rule counts, per-column counts on the training part.
  let src = await open();
  const header = src.header;
  const curTrain = new ScoreHistogram();
  const curHold = new ScoreHistogram();
  const curTiers = new Map<string, [number, number]>();
  const ruleCounts = new Map<string, [number, number]>(scoringRules.map((r) => [r.id, [0, 0]]));
  const dqCounts = new Map<string, [number, number]>([...disqualifierIds].map((id) => [id, [0, 0]]));
  const dqRecords = new Map<string, number[]>([...disqualifierIds].map((id) => [id, []]));
  const exploreColumns = o.explore ? header.map((_, i) => i).filter((i) => i !== o.outcomeColumn && !o.exclude.has(i)) : [];
  const stats = new Map<number, ColumnStats>(exploreColumns.map((c) => [c, new ColumnStats()]));
  let leads = 0;
  let conversions = 0;
  let trainLeads = 0;
  let trainConv = 0;
  const { blankOutcome, binding } = await forEachLabelled(src, rules, o, ({ row, record, positive: y, holdout: hold, result: r }) => {
    leads++;
    if (y) conversions++;
    (hold ? curHold : curTrain).add(r.score, y);
    if (hold) addTier(curTiers, r.tier, y);
    else {
      trainLeads++;
      if (y) trainConv++;
    }
    for (const x of r.reasons) {
      const c = ruleCounts.get(x.rule) ?? dqCounts.get(x.rule);
      if (c) c[y ? 0 : 1]++;
      const named = y ? dqRecords.get(x.rule) : undefined;
      if (named && named.length < DQ_RECORDS) named.push(record);
    }
    if (!hold) for (const [c, s] of stats) s.add(row[c] ?? '', y);
    if (!hold && collector) {
      ruleFeaturesOf(r);
      collector.add(idx, val, y);
    }
  });
  if (leads === 0) throw new QualifyError('CSV_EMPTY', `${src.file}: no lead has an outcome in column ${JSON.stringify(header[o.outcomeColumn])}`, { kind: 'csv', file: src.file, column: header[o.outcomeColumn]! });
  if (conversions === 0 || conversions === leads)
    throw new QualifyError('ARG_INVALID', `every lead of ${src.file} has the same outcome (${conversions} of ${leads} converted): check --outcome and --positive`, { kind: 'arg', option: '--positive' });
  if (curHold.bins().length === 0 || trainLeads === 0 || totals(curHold.bins()).pos === 0 || trainConv === 0 || totals(curHold.bins()).neg === 0)
    throw new QualifyError('ARG_INVALID', `${src.file}: too few leads (${leads}, ${conversions} converted) to hold some of each outcome out; give more leads or another --holdout`, { kind: 'arg', option: '--holdout' });
  const base = conversions / leads;
  const fraction = 'fraction' in o.capacity ? o.capacity.fraction : Math.min(1, o.capacity.leads / Math.max(1, leads));
  const current = measures(curHold.bins(), curTrain.bins(), curTiers, tierOrder, fraction, o.seed);

  const judged: RuleJudgement[] = scoringRules.map((r) => {
    const [p, n] = ruleCounts.get(r.id)!;
    const fired = p + n;
    const ci = wilson(p, fired);
    const lift = fired > 0 ? p / fired / base : NaN;
    const liftLow = ci.low / base;
    const liftHigh = ci.high / base;
    return { id: r.id, category: r.category, points: r.points, per: r.per !== null, fired, conversions: p, rate: fired ? p / fired : NaN, lift, liftLow, liftHigh, wrongWay: fired > 0 && ((r.points > 0 && liftHigh < 1) || (r.points < 0 && liftLow > 1)) };
  });
  const disqualifiers = [...dqCounts.entries()].map(([id, [p, n]]) => ({ id, fired: p + n, conversions: p, records: dqRecords.get(id)! }));

  const skippedColumns: { column: string; why: string }[] = [];
  const binnedColumns: Binning[] = [];
  const boundColumns = new Map<number, string>();
  binding.columnOf.forEach((col, f) => {
    if (col >= 0 && !boundColumns.has(col)) boundColumns.set(col, rules.fields[f]!.name);
  });
  for (const c of exploreColumns) {
    const got = columnFeatures(c, header[c]!, stats.get(c)!, exploreOpts);
    if (got.skipped) skippedColumns.push({ column: header[c]!, why: got.skipped });
    if (got.binning) binnedColumns.push(got.binning);
    specs.push(...got.features);
  }
  const columnFeaturesOf = compileColumnFeatures(specs);

  // Pass 2 (--explore): distinct feature patterns of the training part.
  if (collector === null) {
    const patterns = (collector = new PatternCollector(specs.length, o.seed));
    src = await open();
    await forEachLabelled(
      src,
      rules,
      o,
      ({ row, positive, result }) => {
        ruleFeaturesOf(result);
        columnFeaturesOf(row, idx, val);
        patterns.add(idx, val, positive);
      },
      { records: leads + blankOutcome, trainingOnly: true },
    );
  }
  const { support, supportPos, maxValue } = collector;
  const patternList = collector.list(collector.duplicates());
  const design: Design = { patterns: patternList, nFeatures: specs.length };

  // The sparse fit: the L1 path down to --max-rules features, then those refitted with a light
  // ridge penalty (a "relaxed" lasso: the path chooses, the refit sets the weights).
  const path = lassoPath(design, { alpha: o.alpha, maxNonZero: o.maxRules });
  const chosen = path[path.length - 1]!;
  const allowed = new Set<number>();
  chosen.fit.coef.forEach((b, j) => {
    if (b !== 0) allowed.add(j);
  });
  const refit = fitRidgeNewton(design, [...allowed].sort((a, b) => a - b), 1e-4);
  const factor = o.pdo / Math.LN2;
  const pointsOf = (j: number) => (allowed.has(j) ? Math.round(refit.coef[j]! * factor) : 0);

  // The suggested rules, as changes to the document.
  const changes: ExistingRuleChange[] = [];
  const newFields: NewField[] = [];
  const newRules: NewRule[] = [];
  const suggested: SuggestedRule[] = [];
  const usedIds = new Set([...ruleById.keys(), ...disqualifierIds]);
  const fieldIds = new Set(rules.fields.map((f) => f.name));
  const fieldOfColumn = new Map(boundColumns);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  let range = { fitMin: 0, fitMax: 0, engMin: 0, engMax: 0 };
  specs.forEach((s, j) => {
    const pts = pointsOf(j);
    const sup = support[j]!;
    const rate = sup > 0 ? supportPos[j]! / sup : NaN;
    const liftText = `${sup.toLocaleString('en-US')} training leads, ${pct(rate)} converted against ${pct(trainConv / trainLeads)} (lift ${(rate / (trainConv / trainLeads)).toFixed(2)})`;
    if (s.kind === 'rule') {
      const rule = ruleById.get(s.ruleId)!;
      const change: ExistingRuleChange = { id: s.ruleId, points: pts, was: rule.points };
      let units = 1;
      if (rule.per) {
        units = rule.per.max !== null && rule.points !== 0 ? rule.per.max / rule.points : maxValue[j]!;
        if (rule.per.max !== null && pts !== 0) change.max = Math.round(units * pts);
      }
      if (pts !== rule.points) changes.push(change);
      const reach = pts * units;
      if (rule.category === 'fit') range = { ...range, fitMin: range.fitMin + Math.min(0, reach), fitMax: range.fitMax + Math.max(0, reach) };
      else range = { ...range, engMin: range.engMin + Math.min(0, reach), engMax: range.engMax + Math.max(0, reach) };
      if (pts !== 0 || rule.points !== 0) suggested.push({ id: s.ruleId, isNew: false, points: pts, was: rule.points, coefficient: refit.coef[j]!, why: rule.why, support: sup, rate });
      return;
    }
    if (pts === 0) return;
    let field = fieldOfColumn.get(s.column);
    if (field === undefined) {
      field = slug(s.header);
      while (fieldIds.has(field)) field += '_';
      fieldIds.add(field);
      fieldOfColumn.set(s.column, field);
      newFields.push({ id: field, header: s.header });
    }
    let id: string;
    let when: Record<string, unknown>;
    let what: string;
    if (s.kind === 'atLeast') {
      id = `${field}:from-${numberId(s.threshold)}`;
      when = { [field]: { gte: s.threshold } };
      what = `${s.header} ${s.threshold} or more`;
    } else if (s.kind === 'level') {
      id = `${field}:${slug(s.value)}`;
      when = { [field]: { equals: s.value } };
      what = `${s.header} is ${s.value}`;
    } else {
      id = `${field}:blank`;
      when = { [field]: { missing: true } };
      what = `${s.header} is blank`;
    }
    while (usedIds.has(id)) id += '-2';
    usedIds.add(id);
    const why = `${what}: ${liftText}`;
    newRules.push({ id, why, when, points: pts });
    range = { ...range, fitMin: range.fitMin + Math.min(0, pts), fitMax: range.fitMax + Math.max(0, pts) };
    suggested.push({ id, isNew: true, points: pts, was: null, coefficient: refit.coef[j]!, why, support: sup, rate });
  });

  const notes: string[] = [];
  if (collector.level > 0)
    notes.push(`the regression was fitted on a seeded ${pct(collector.sampleShare)} sample of the ${trainLeads.toLocaleString('en-US')} training leads (${collector.size.toLocaleString('en-US')} distinct feature patterns, the most kept); every measure uses all leads`);
  if (rules.engagement.decay) notes.push(`engagement still decays with ${rules.fields[rules.engagement.decay.field]!.name} (half-life ${rules.engagement.decay.halfLifeDays} days): the regression saw the rules' firings, not the decayed points`);
  const scoreMin = Math.floor(range.fitMin + range.engMin);
  const scoreMax = Math.max(scoreMin + rules.thresholds.length, Math.ceil(range.fitMax + range.engMax));
  const edit = {
    changes,
    newFields,
    newRules,
    fitMax: Math.ceil(range.fitMax),
    engagementMax: Math.ceil(range.engMax),
    engagementFloor: Math.floor(range.engMin),
    score: { min: scoreMin, max: scoreMax },
    headline: '',
  };
  // Provisional thresholds (one band) to score with; the real ones come from the new scores.
  const provisional = compileWith(rulesText, compile, { ...edit, thresholds: bandsFor(rules, [scoreMin], scoreMin, scoreMax) });

  // Pass 3: the suggested rules on both parts.
  const newTrain = new ScoreHistogram();
  const newHold = new ScoreHistogram();
  const holdAll = new ScoreHistogram();
  const holdVerdicts = new Map<string, [number, number]>();
  src = await open();
  await forEachLabelled(
    src,
    provisional,
    o,
    ({ positive: y, holdout: hold, result: r }) => {
      if (!hold) {
        newTrain.add(r.score, y);
        return;
      }
      // Every holdout lead counts in the AUC; disqualified ones keep their verdict as tier.
      holdAll.add(r.score, y);
      if (r.disqualifiedBy !== null) addTier(holdVerdicts, r.tier, y);
      else newHold.add(r.score, y);
    },
    { records: leads + blankOutcome },
  );
  // Scores a sales team reads: never below 0. The fitted points sum to negative scores for the
  // leads with more against them than for them (the regression's intercept is not a rule), so
  // when the points can go below 0 an offset rule gives every lead the points that lift the
  // lowest training lead to 0, and score.min 0 floors a lead lower still. The offset shifts
  // every score alike, so it ranks nobody; the thresholds below are cut on the shifted scores.
  const offsetField = rules.fields[0]?.name ?? newFields[0]?.id;
  const lowest = newTrain.bins()[0]?.score ?? 0;
  const floored = scoreMin < 0 && offsetField !== undefined;
  const offset = floored ? Math.max(0, -lowest) : 0;
  const outMin = floored ? 0 : scoreMin;
  const outMax = Math.max(outMin + rules.thresholds.length, scoreMax + offset);
  const shifted = (h: ScoreHistogram): ScoreHistogram => ScoreHistogram.of(h.bins().map((b) => ({ ...b, score: Math.max(outMin, b.score + offset) })));
  let offsetRule: NewRule | undefined;
  if (offset > 0) {
    let id = 'base-points';
    while (usedIds.has(id)) id += '-2';
    offsetRule = {
      id,
      why: `Every lead starts at ${offset} points, so that the lowest of the training leads scores 0 (the fitted points alone go down to ${lowest}); a lead lower still scores 0 (score.min)`,
      when: { any: [{ [offsetField!]: { present: true } }, { [offsetField!]: { missing: true } }] },
      points: offset,
    };
    notes.push(`every lead starts at ${offset} points (rule ${id}), so that scores start at 0; it moves every score alike and ranks no one`);
  } else if (floored) notes.push('scores are floored at 0 (score.min): no training lead scored below it');
  // Tier cuts at the capacity: the top tier holds `fraction` of the training leads, each next
  // tier as many again, the last tier the rest.
  const trainBins = shifted(newTrain).bins();
  const byMin = [...rules.thresholds].map((t, i) => ({ t, i })).sort((a, b) => b.t.min - a.t.min);
  const mins: number[] = [];
  byMin.forEach((_, k) => {
    if (k === byMin.length - 1) return mins.push(outMin);
    const cut = captureAt(trainBins, Math.min(1, fraction * (k + 1))).minScore ?? outMax;
    const prev = k === 0 ? outMax + 1 : mins[k - 1]!;
    mins.push(Math.max(outMin + (byMin.length - 1 - k), Math.min(cut, prev - 1)));
  });
  const thresholds = bandsFor(rules, mins, outMin, outMax);
  const finalTiers = new Map(holdVerdicts);
  const holdBins = shifted(newHold).bins();
  for (const b of holdBins) {
    const k = byMin.findIndex((_, kk) => b.score >= mins[kk]!);
    const tier = byMin[k < 0 ? byMin.length - 1 : k]!.t.tier;
    const c = finalTiers.get(tier) ?? [0, 0];
    c[0] += b.pos;
    c[1] += b.neg;
    finalTiers.set(tier, c);
  }
  const suggestedMeasures = measures(shifted(holdAll).bins(), trainBins, finalTiers, tierOrder, fraction, o.seed);

  const headline = `Points recalibrated by qualify calibrate (outcome ${header[o.outcomeColumn]}, holdout ${pct(o.holdout)}, seed ${o.seed}, ${o.pdo} points per doubling of the odds): holdout AUC ${current.auc.toFixed(3)} -> ${suggestedMeasures.auc.toFixed(3)}`;
  const finalEdit = { ...edit, fitMax: edit.fitMax + offset, score: { min: outMin, max: outMax }, offset: offsetRule, thresholds, headline };
  let text = editRules(rulesText, finalEdit);
  // Examples that no longer hold would make `rules check` fail: they go, each named.
  const compiled = compile(text);
  const failing = runExamples(compiled, o.asOfDay).filter((x) => x.failures.length > 0);
  const droppedExamples = failing.map((x) => ({ name: x.example.name, why: x.failures.join('; ') }));
  if (droppedExamples.length > 0) {
    text = editRules(rulesText, { ...finalEdit, dropExamples: droppedExamples });
    compile(text);
  }

  return {
    file: src.file,
    leads,
    blankOutcome,
    conversions,
    baseRate: base,
    train: { leads: trainLeads, conversions: trainConv },
    holdout: { leads: leads - trainLeads, conversions: conversions - trainConv, share: o.holdout, seed: o.seed },
    current,
    rules: judged,
    disqualifiers,
    suggested: {
      pdo: o.pdo,
      lambda: chosen.lambda,
      alpha: o.alpha,
      candidates: specs.length,
      patterns: design.patterns.length,
      sampleShare: collector.sampleShare,
      skippedColumns,
      binnedColumns,
      rules: suggested,
      thresholds: byMin.map(({ t }, k) => ({ tier: t.tier, min: mins[k]!, max: k === 0 ? outMax : mins[k - 1]! - 1 })),
      offset,
      measures: suggestedMeasures,
      droppedExamples,
      notes,
    },
    text,
  };
}

/** Threshold min/max in the document's order from the tier minimums (highest tier first). */
function bandsFor(rules: CompiledRules, minsHighFirst: number[], scoreMin: number, scoreMax: number): { min: number; max: number }[] {
  const byMin = rules.thresholds.map((t, i) => ({ t, i })).sort((a, b) => b.t.min - a.t.min);
  const out = rules.thresholds.map(() => ({ min: scoreMin, max: scoreMax }));
  if (minsHighFirst.length === 1) {
    // One band for everything: the others squeezed below it would be invalid; used only to score.
    byMin.forEach(({ i }, k) => {
      out[i] = { min: scoreMin + k, max: k === 0 ? scoreMax : scoreMin + k };
    });
    return sequential(out, byMin.map((x) => x.i), scoreMin, scoreMax);
  }
  byMin.forEach(({ i }, k) => {
    out[i] = { min: minsHighFirst[k]!, max: k === 0 ? scoreMax : minsHighFirst[k - 1]! - 1 };
  });
  return out;
}

/** Provisional bands: the top one from scoreMin + n − 1 up, one point each below it. */
function sequential(out: { min: number; max: number }[], orderHighFirst: number[], scoreMin: number, scoreMax: number): { min: number; max: number }[] {
  const n = orderHighFirst.length;
  orderHighFirst.forEach((i, k) => {
    const min = k === n - 1 ? scoreMin : scoreMin + (n - 1 - k);
    const max = k === 0 ? scoreMax : scoreMin + (n - 1 - k);
    out[i] = { min, max };
  });
  return out;
}

function compileWith(text: string, compile: (t: string) => CompiledRules, edit: Parameters<typeof editRules>[1]): CompiledRules {
  return compile(editRules(text, edit));
}
