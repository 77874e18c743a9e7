// The scoring engine: binds CompiledRules to one file's header once (columns resolved,
// operators compiled to predicates), then scores rows given as arrays of cells. Pure apart from
// the state a file needs (the duplicate index and the unreadable-value counters). Every result
// explains itself: its reasons add up to its score, caps, decay, floor and clamping included.
import { operators } from '../conditions/registry.js';
import { FALSE, TRUE, UNKNOWN, createAnswerSlots, type AnswerSlots, type Predicate, type Tri } from '../conditions/row-view.js';
import { notTri } from '../conditions/logic.js';
import { CLASS_OF_HUMAN_STAGE, CLASS_OF_STAGE, NEXT_STEP_OF_HUMAN_STAGE, STAGE, TIER_OF_DISQUALIFYING_STAGE, createHumanStageLookup, type DisqualifyingStage, type Stage } from '../stage/model.js';
import { SCORE_TRANSITIONS } from '../stage/transitions.js';
import type { CompiledRule, CompiledRules, Condition, GradeBand } from '../rules/compiled.js';
import { bindColumns, type ColumnBinding } from './bind-columns.js';
import { DedupIndex, type DedupSpill } from './dedup-index.js';
import { RowContext, type UnreadableStat } from './row-context.js';

export interface Reason {
  /** Rule id, or a built-in entry: fit-cap, engagement-cap, decay, engagement-floor, score-range, fit-unknown, duplicate, human-stage. */
  rule: string;
  points: number;
  why: string;
  /** Compact form for the CSV `reasons` column, e.g. `visits 12×2 (cap 20) +20`. */
  label: string;
}

export interface ScoreResult {
  record: number;
  fit: number;
  engagement: number;
  score: number;
  tier: string;
  grade: string | null;
  stage: string;
  class: string;
  action: string;
  reasons: Reason[];
  /** Id of the disqualifier (or "duplicate") that decided a bad/disqualified stage. */
  disqualifiedBy: string | null;
}

export interface ScorerOptions {
  /** Reference date as whole days since 1970-01-01 UTC (from --as-of). */
  asOfDay: number;
  file: string;
  /** Rows the file is expected to hold, when known: sizes the duplicate index once. */
  expectedRows?: number;
  /**
   * Duplicates are found by a DuplicateFinder elsewhere (the thread that reads the file, so the
   * scoring thread has less to do) and given to scoreShared; this scorer keeps no index.
   */
  duplicatesGiven?: boolean;
  /** Where the duplicate index hands over its table past DedupSpill.memoryKeys keys (flat
   * memory however long the input); without it the index stays in memory. */
  dedupSpill?: DedupSpill;
}

/** Finds, row by row in file order, the earlier record with the same duplicate key. */
export interface DuplicateFinder {
  /** The record that first had this row's key, or 0 (first time, blank key). */
  firstOf(row: readonly string[], record: number): number;
}

/** The duplicate check on its own (null when the rules have no `duplicates`), for a pipeline
 * that runs it apart from scoring; createScorer runs the same code. */
export function createDuplicateFinder(rules: CompiledRules, header: readonly string[], opts: ScorerOptions): DuplicateFinder | null {
  if (!rules.duplicates) return null;
  const binding = bindColumns(rules, header, opts.file);
  const ctx = new RowContext(binding.columnOf, opts.asOfDay, rules.settings.decimal, rules.settings.dateFormat);
  const dedup = new DedupIndex(opts.expectedRows, opts.dedupSpill ?? null);
  const field = rules.duplicates.field;
  return {
    firstOf(row, record) {
      ctx.load(row, record);
      return firstOccurrence(ctx, dedup, field, record);
    },
  };
}

function firstOccurrence(ctx: RowContext, dedup: DedupIndex, field: number, record: number): number {
  // ctx.lower is the normalised key (trimmed, NFC, lower-case), already cached per row.
  return ctx.text(field) === '' ? 0 : dedup.firstOrAdd(ctx.lower(field), record);
}

interface BoundRule {
  rule: CompiledRule;
  when: Predicate | null;
  perField: number;
  /** The reason a fixed-points rule gives, built once (no per-row string work). */
  fixed: Reason;
  /** A per-unit rule's reason for each whole number of units seen so far (index: units, below
   * MEMO_UNITS), built the first time: a row's reason then costs no string or object. */
  perUnit: (Reason | undefined)[];
}

/** Unit counts and ages (days) up to this many have their reasons kept once built. */
const MEMO_UNITS = 1024;
const MEMO_AGES = 4096;

export interface Scorer {
  readonly binding: ColumnBinding;
  readonly rules: CompiledRules;
  /** Scores one row; `record` is the 1-based data record number. */
  score(row: readonly string[], record: number): ScoreResult;
  /**
   * The same, into one result object reused by every call (no per-row allocation of the
   * result or its reasons list): valid only until the next call. For streaming pipelines.
   * `duplicateOf`: the record that first had this row's key (0: none), required when the scorer
   * was made with `duplicatesGiven`.
   */
  scoreShared(row: readonly string[], record: number, duplicateOf?: number): ScoreResult;
  /** Values that could not be read as the type a rule needed, per field. */
  unreadable(): (UnreadableStat & { fieldName: string; column: string })[];
}

export function signed(n: number): string {
  return n < 0 ? `${n}` : `+${n}`;
}

/** `slots`: one per scorer (its RowContext's answers), shared by all the conditions it compiles. */
export function compileCondition(c: Condition, rules: CompiledRules, slots: AnswerSlots = createAnswerSlots()): Predicate {
  const placeholders = new Set(rules.settings.placeholders);
  const build = (c: Condition): Predicate => {
    switch (c.op) {
      case 'test': {
        const op = operators.get(c.operator)!;
        return op.compile(c.field, op.prepare(c.operand, { ignoreCase: c.ignoreCase }, { placeholders }), slots);
      }
      case 'not': {
        const inner = build(c.of);
        return (row) => notTri(inner(row));
      }
      case 'all': {
        const parts = c.of.map(build);
        return (row) => {
          let result: Tri = TRUE;
          for (let i = 0; i < parts.length; i++) {
            const r = parts[i]!(row);
            if (r === FALSE) return FALSE;
            if (r === UNKNOWN) result = UNKNOWN;
          }
          return result;
        };
      }
      case 'any': {
        const parts = c.of.map(build);
        return (row) => {
          let result: Tri = FALSE;
          for (let i = 0; i < parts.length; i++) {
            const r = parts[i]!(row);
            if (r === TRUE) return TRUE;
            if (r === UNKNOWN) result = UNKNOWN;
          }
          return result;
        };
      }
    }
  };
  return build(c);
}

function pickBand(bands: GradeBand[], value: number): string {
  for (const b of bands) if (value >= b.min) return b.label;
  return bands[bands.length - 1]!.label;
}

export function createScorer(rules: CompiledRules, header: readonly string[], opts: ScorerOptions): Scorer {
  const binding = bindColumns(rules, header, opts.file);
  const ctx = new RowContext(binding.columnOf, opts.asOfDay, rules.settings.decimal, rules.settings.dateFormat);
  // The slots of ctx.answers handed to the predicates compiled below (and only to them).
  const slots = createAnswerSlots();
  const bind = (r: CompiledRule): BoundRule => ({
    rule: r,
    when: r.when ? compileCondition(r.when, rules, slots) : null,
    perField: r.per ? r.per.field : -1,
    fixed: Object.freeze({ rule: r.id, points: r.points, why: r.why, label: `${r.id} ${signed(r.points)}` }),
    perUnit: [],
  });
  const fitRules = rules.fit.rules.map(bind);
  const engRules = rules.engagement.rules.map(bind);
  // Reasons and actions that do not depend on the row are built once.
  const disqualifiers = rules.disqualifiers.map((d) => ({
    d,
    when: compileCondition(d.when, rules, slots),
    reason: Object.freeze({ rule: d.id, points: 0, why: d.why, label: `${d.stage === STAGE.badLead ? 'bad' : 'DQ'}:${d.id}` }),
    verdict: d.stage === STAGE.badLead ? `Fix or drop: ${d.why}` : `Do not pursue: ${d.why}; ask for a referral`,
  }));
  const dedup = rules.duplicates && !opts.duplicatesGiven ? new DedupIndex(opts.expectedRows, opts.dedupSpill ?? null) : null;
  const checkDuplicates = rules.duplicates !== null;
  const dupField = rules.duplicates?.field ?? -1;
  const salesSources = new Set(rules.settings.salesSources);
  const sourceField = rules.settings.sourceField ?? -1;
  const keyFit = rules.settings.keyFitFields;
  const keyFitNames = keyFit.map((f) => rules.fields[f]!.name).join(', ');
  const fitUnknown: Reason = Object.freeze({ rule: 'fit-unknown', points: 0, why: `Fit is unknown, not zero: ${keyFitNames} are all missing`, label: `fit unknown (${keyFitNames} missing) +0` });
  const decay = rules.engagement.decay;
  const { min: scoreMin, max: scoreMax } = rules.score;
  const fitMax = rules.fit.max;
  const engMax = rules.engagement.max;
  const engFloor = rules.engagement.floor;
  const thresholds = rules.thresholds;
  const { stageCol, qualifiedAtCol, classCol, actionCol } = binding;
  // A person's stage in any case and spacing, or in a CRM's words: one Map lookup a row.
  const humanStageOf = createHumanStageLookup();

  /** Rules that gave non-zero points in the last runCategory (a variable, not a returned pair:
   * no allocation per category and row). */
  let fired = 0;
  /** Sums one category's rules into `reasons`; returns the points (and sets `fired`). */
  const runCategory = (list: BoundRule[], reasons: Reason[]): number => {
    let total = 0;
    fired = 0;
    for (let i = 0; i < list.length; i++) {
      const b = list[i]!;
      if (b.when !== null && b.when(ctx) !== TRUE) continue;
      const r = b.rule;
      if (b.perField < 0) {
        total += r.points;
        if (r.points !== 0) fired++;
        reasons.push(b.fixed);
        continue;
      }
      const units = ctx.num(b.perField);
      if (!(units >= 1)) continue; // blank, unreadable, zero or negative counts give nothing
      const whole = Math.floor(units);
      const reason = (whole < MEMO_UNITS ? b.perUnit[whole] : undefined) ?? perUnitReason(b, whole);
      const pts = reason.points;
      total += pts;
      if (pts !== 0) fired++;
      reasons.push(reason);
    }
    return total;
  };
  /** The reason of a per-unit rule for `whole` units (capped), kept for the next row with as many. */
  const perUnitReason = (b: BoundRule, whole: number): Reason => {
    const r = b.rule;
    let pts = whole * r.points;
    const max = r.per!.max;
    let capped = false;
    if (max !== null && (r.points >= 0 ? pts > max : pts < max)) {
      pts = max;
      capped = true;
    }
    const reason: Reason = Object.freeze({ rule: r.id, points: pts, why: r.why, label: `${r.id} ${whole}×${r.points}${capped ? ` (cap ${max})` : ''} ${signed(pts)}` });
    if (whole < MEMO_UNITS) b.perUnit[whole] = reason;
    return reason;
  };
  // Decay by age: the factor, and the reason for each engagement before decay, kept per age
  // (whole ages below MEMO_AGES): most rows of a file share a few hundred ages, and the reason's
  // two strings were a large part of a row's allocations.
  // The `why` is the same for every engagement at one age: one string per age, not per reason
  // (a million rows memoised ~17,000 decay reasons in each thread).
  type DecayMemo = { factor: number; why: string; labelHead: string; reasons: (Reason | undefined)[] };
  const decayByAge: (DecayMemo | undefined)[] = [];
  const decayMemo = (age: number): DecayMemo => {
    let memo = Number.isInteger(age) && age < MEMO_AGES ? decayByAge[age] : undefined;
    if (memo === undefined) {
      const why = `Engagement halves every ${decay!.halfLifeDays} days without activity; last activity ${age} days before the as-of date`;
      const factor = Math.pow(0.5, age / decay!.halfLifeDays);
      memo = { factor, why, labelHead: `stale ${age}d ×${round2(factor)} `, reasons: [] };
      if (Number.isInteger(age) && age < MEMO_AGES) decayByAge[age] = memo;
    }
    return memo;
  };
  /** The decay reason taking `engagement` points to `decayed` at `age` days. */
  const decayReason = (memo: DecayMemo, engagement: number, decayed: number): Reason => {
    const keep = Number.isInteger(engagement) && engagement >= 0 && engagement < MEMO_UNITS;
    const known = keep ? memo.reasons[engagement] : undefined;
    if (known !== undefined) return known;
    const delta = decayed - engagement;
    const reason: Reason = Object.freeze({
      rule: 'decay',
      points: delta,
      why: memo.why,
      label: memo.labelHead + signed(delta),
    });
    if (keep) memo.reasons[engagement] = reason;
    return reason;
  };

  const shared: ScoreResult = { record: 0, fit: 0, engagement: 0, score: 0, tier: '', grade: null, stage: '', class: '', action: '', reasons: [], disqualifiedBy: null };
  const scoreShared = (row: readonly string[], record: number, duplicateOf?: number): ScoreResult => {
    ctx.load(row, record);
    const reasons = shared.reasons;
    reasons.length = 0;

    // Fit.
    let fit = runCategory(fitRules, reasons);
    if (fitMax !== null && fit > fitMax) {
      reasons.push({ rule: 'fit-cap', points: fitMax - fit, why: `Fit points are capped at ${fitMax}`, label: `fit cap ${fitMax} ${signed(fitMax - fit)}` });
      fit = fitMax;
    }
    if (keyFit.length > 0) {
      let anyKnown = false;
      for (let i = 0; i < keyFit.length; i++) if (ctx.text(keyFit[i]!) !== '') anyKnown = true;
      if (!anyKnown) {
        reasons.push(fitUnknown);
      }
    }

    // Engagement, then its cap, decay by age of the last activity, and floor.
    let engagement = runCategory(engRules, reasons);
    const engFired = fired;
    if (engMax !== null && engagement > engMax) {
      reasons.push({ rule: 'engagement-cap', points: engMax - engagement, why: `Engagement points are capped at ${engMax}`, label: `engagement cap ${engMax} ${signed(engMax - engagement)}` });
      engagement = engMax;
    }
    let lastActivityKnown = false;
    if (decay !== null) {
      const day = ctx.day(decay.field);
      if (!Number.isNaN(day)) {
        lastActivityKnown = true;
        const age = opts.asOfDay - day;
        if (engagement > 0 && age > 0) {
          const memo = decayMemo(age);
          const decayed = Math.round(engagement * memo.factor);
          if (decayed !== engagement) {
            reasons.push(decayReason(memo, engagement, decayed));
            engagement = decayed;
          }
        }
      }
    }
    if (engFloor !== null && engagement < engFloor) {
      reasons.push({ rule: 'engagement-floor', points: engFloor - engagement, why: `Engagement never drops below ${engFloor}, so a lead that went quiet can climb back`, label: `engagement floor ${engFloor} ${signed(engFloor - engagement)}` });
      engagement = engFloor;
    }

    // Total, clamped to the declared range.
    let total = fit + engagement;
    if (total < scoreMin || total > scoreMax) {
      const clamped = total < scoreMin ? scoreMin : scoreMax;
      reasons.push({ rule: 'score-range', points: clamped - total, why: `Scores are kept within ${scoreMin}-${scoreMax}`, label: `clamped to ${scoreMin}-${scoreMax} ${signed(clamped - total)}` });
      total = clamped;
    }
    let t = thresholds[0]!;
    for (let i = 0; i < thresholds.length; i++) {
      const c = thresholds[i]!;
      if (total >= c.min && total <= c.max) {
        t = c;
        break;
      }
    }
    let tier = t.tier;
    let stage: string = t.stage;
    let action = t.action;
    let disqualifiedBy: string | null = null;

    // Hard verdicts, which win over any score: duplicates, then disqualifiers in file order.
    if (checkDuplicates) {
      let first: number;
      if (dedup !== null) first = firstOccurrence(ctx, dedup, dupField, record);
      else if (duplicateOf === undefined) throw new Error('scoreShared: duplicateOf is required when duplicates are given');
      else first = duplicateOf;
      if (first !== 0) {
        const why = `${rules.duplicates!.why}: same ${rules.fields[dupField]!.name} as record ${first}`;
        reasons.push({ rule: 'duplicate', points: 0, why, label: `duplicate of record ${first}` });
        stage = SCORE_TRANSITIONS.duplicate;
        disqualifiedBy = 'duplicate';
        action = `Merge into record ${first}`;
      }
    }
    for (let i = 0; i < disqualifiers.length; i++) {
      const { d, when, reason, verdict } = disqualifiers[i]!;
      if (when(ctx) !== TRUE) continue;
      reasons.push(reason);
      if (disqualifiedBy === null) {
        disqualifiedBy = d.id;
        stage = d.stage;
        action = verdict;
      }
    }
    if (disqualifiedBy !== null) tier = TIER_OF_DISQUALIFYING_STAGE[stage as DisqualifyingStage];
    else if (sourceField >= 0 && salesSources.size > 0 && salesSources.has(ctx.lower(sourceField))) {
      stage = SCORE_TRANSITIONS['sales-sourced'];
    } else if (engFired === 0 && !lastActivityKnown) {
      stage = SCORE_TRANSITIONS.cold;
      action = rules.settings.coldAction;
    }

    // A person's qualification (assess/discover, or typed in any spelling of HUMAN_STAGE_SPELLINGS)
    // outranks the formula, and the cell keeps the person's exact text. Blank cells keep
    // nothing: a stage is kept only when there is one, class and action fall back.
    let klass: string = CLASS_OF_STAGE[stage as Stage] ?? 'lead';
    const prevCell = stageCol >= 0 ? (row[stageCol] ?? '') : '';
    if (prevCell !== '') {
      const human = humanStageOf(prevCell);
      const byPerson = human !== undefined || (qualifiedAtCol >= 0 && (row[qualifiedAtCol] ?? '').trim() !== '');
      const prevStage = byPerson ? prevCell.trim() : '';
      if (prevStage !== '') {
        reasons.push({ rule: 'human-stage', points: 0, why: `Stage "${prevStage}" was set by a person; re-scoring keeps it`, label: `kept stage ${prevStage}` });
        stage = prevCell;
        const canonical = human ?? prevStage;
        // The person's class and action cells too, as they are, unless blank.
        const prevClass = classCol >= 0 ? (row[classCol] ?? '') : '';
        klass = prevClass.trim() !== '' ? prevClass : (CLASS_OF_HUMAN_STAGE[canonical] ?? CLASS_OF_STAGE[canonical as Stage] ?? klass);
        const prevAction = actionCol >= 0 ? (row[actionCol] ?? '') : '';
        action = prevAction.trim() !== '' ? prevAction : (NEXT_STEP_OF_HUMAN_STAGE[canonical] ?? action);
      }
    }

    const grade = rules.grade ? pickBand(rules.grade.fit, fit) + pickBand(rules.grade.engagement, engagement) : null;
    shared.record = record;
    shared.fit = fit;
    shared.engagement = engagement;
    shared.score = total;
    shared.tier = tier;
    shared.grade = grade;
    shared.stage = stage;
    shared.class = klass;
    shared.action = action;
    shared.disqualifiedBy = disqualifiedBy;
    return shared;
  };

  return {
    binding,
    rules,
    score: (row, record) => {
      const r = scoreShared(row, record);
      return { ...r, reasons: r.reasons.slice() };
    },
    scoreShared,
    unreadable: () =>
      ctx.unreadable
        .flat()
        .filter((s): s is UnreadableStat => s !== undefined)
        .map((s) => ({ ...s, fieldName: rules.fields[s.field]!.name, column: header[binding.columnOf[s.field]!] ?? '' })),
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The compact `reasons` cell: every entry, in order, so that the points add up to the score. */
export function formatReasons(reasons: readonly Reason[]): string {
  let s = '';
  for (let i = 0; i < reasons.length; i++) s += (i ? '; ' : '') + reasons[i]!.label;
  return s;
}
