// Which leads a `split` or `export` takes: --stage, --class, --tier, --min-score, as plain data
// checked once and applied per lead. Stages match in any spelling the funnel recognises
// (`sql`, `Sales Qualified Lead`), by their canonical name.
import { QualifyError } from '../errors.js';
import { humanStageOf, RESERVED_TIERS, STAGES } from '../stage/model.js';

export interface LeadFilter {
  stages: Set<string> | null;
  classes: Set<string> | null;
  tiers: Set<string> | null;
  minScore: number | null;
}

export interface Selectable {
  stage: string;
  class: string;
  tier: string;
  score: number;
}

/** The values of a comma-separated filter option (`hot, warm`), or null when it is not given. */
export const filterValues = (s: string | undefined): string[] | null => (s === undefined ? null : s.split(',').map((x) => x.trim()).filter(Boolean));
const list = filterValues;

export function leadFilter(o: { stage?: string; class?: string; tier?: string; minScore?: number }): LeadFilter {
  const stages = list(o.stage);
  return {
    stages: stages ? new Set(stages.map((s) => (humanStageOf(s) ?? s).toLowerCase())) : null,
    classes: list(o.class) ? new Set(list(o.class)!.map((c) => c.toLowerCase())) : null,
    tiers: list(o.tier) ? new Set(list(o.tier)!.map((t) => t.toLowerCase())) : null,
    minScore: o.minScore ?? null,
  };
}

export function selects(f: LeadFilter, l: Selectable): boolean {
  if (f.stages && !f.stages.has(l.stage.toLowerCase())) return false;
  if (f.classes && !f.classes.has(l.class.toLowerCase())) return false;
  if (f.tiers && !f.tiers.has(l.tier.toLowerCase())) return false;
  if (f.minScore !== null && !(l.score >= f.minScore)) return false;
  return true;
}

/** A filter value no lead can have (a typo in a tier, a stage that does not exist) is a mistake,
 * not an empty result: ARG_INVALID naming the values there are. `stages` and `tiers` are those the
 * leads have (a stage a person typed counts); the funnel's stages and the rules' tiers always do. */
export function checkFilterValues(f: LeadFilter, have: { stages: Iterable<string>; tiers: Iterable<string> }): void {
  const check = (option: string, given: Set<string> | null, known: string[]) => {
    if (!given) return;
    const lower = new Set(known.map((k) => k.toLowerCase()));
    for (const v of given)
      if (!lower.has(v)) throw new QualifyError('ARG_INVALID', `${option} ${JSON.stringify(v)}: no lead can have it; there are ${known.join(', ')}`, { kind: 'arg', option });
  };
  check('--stage', f.stages, [...new Set([...STAGES, 'closed won', 'closed lost', ...have.stages])]);
  check('--tier', f.tiers, [...new Set([...have.tiers, ...RESERVED_TIERS])]);
}

/** The file `split` puts a lead in: bad leads and disqualified ones apart, the rest by class. */
export function splitGroup(l: { stage: string; class: string }): 'leads' | 'prospects' | 'opportunities' | 'bad-leads' | 'disqualified' {
  if (l.stage === 'bad lead') return 'bad-leads';
  if (l.stage === 'disqualified') return 'disqualified';
  if (l.class === 'opportunity') return 'opportunities';
  if (l.class === 'prospect') return 'prospects';
  return 'leads';
}
export const SPLIT_GROUPS = ['leads', 'prospects', 'opportunities', 'bad-leads', 'disqualified'] as const;
