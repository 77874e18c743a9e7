// The lead filters of `score`, `split` and `export`: --stage, --class, --tier, --min-score.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { leadFilter, type LeadFilter } from '../core/pipeline/select.js';

export interface FilterCliOptions {
  stage?: string;
  class?: string;
  tier?: string;
  minScore?: string;
}

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--stage <stages>', 'only these stages, comma-separated, in any spelling the funnel knows (MQL,SAL or "Sales Qualified Lead")')
    .option('--class <classes>', 'only these classes: lead, prospect, opportunity (comma-separated)')
    .option('--tier <tiers>', 'only these tiers, comma-separated (hot,warm)')
    .option('--min-score <n>', 'only leads scoring at least n');
}

/** The filters as typed, --min-score read as a number; null when none is given. Plain data (a
 * scoring worker is sent it as it is). */
export function selectionOf(o: FilterCliOptions): { stage?: string; class?: string; tier?: string; minScore?: number } | null {
  if (o.stage === undefined && o.class === undefined && o.tier === undefined && o.minScore === undefined) return null;
  let minScore: number | undefined;
  if (o.minScore !== undefined) {
    minScore = Number(o.minScore);
    if (o.minScore.trim() === '' || !Number.isFinite(minScore))
      throw new QualifyError('ARG_INVALID', `--min-score must be a number, got ${JSON.stringify(o.minScore)}`, { kind: 'arg', option: '--min-score' });
  }
  return { ...(o.stage !== undefined ? { stage: o.stage } : {}), ...(o.class !== undefined ? { class: o.class } : {}), ...(o.tier !== undefined ? { tier: o.tier } : {}), ...(minScore !== undefined ? { minScore } : {}) };
}

export function filterOf(o: FilterCliOptions): LeadFilter {
  const selection = selectionOf(o) ?? {};
  if (o.class !== undefined) {
    for (const c of o.class.split(',').map((x) => x.trim()).filter(Boolean))
      if (!['lead', 'prospect', 'opportunity'].includes(c.toLowerCase()))
        throw new QualifyError('ARG_INVALID', `--class takes lead, prospect or opportunity; got ${JSON.stringify(c)}`, { kind: 'arg', option: '--class' });
  }
  return leadFilter(selection);
}
