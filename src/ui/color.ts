// The one colour gate: colour only when stderr is a terminal and NO_COLOR is unset (or
// FORCE_COLOR asks for it). Everything the CLI prints for people goes to stderr.
import { Chalk, type ChalkInstance } from 'chalk';
import { STAGE, TIER_OF_DISQUALIFYING_STAGE } from '../core/stage/model.js';

export function colorEnabled(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

let cached: ChalkInstance | undefined;
export function paint(): ChalkInstance {
  cached ??= new Chalk({ level: colorEnabled() ? 1 : 0 });
  return cached;
}

/** Colour with meaning for funnel stages and tiers. */
export function stageColor(stage: string): (s: string) => string {
  const c = paint();
  switch (stage) {
    case STAGE.badLead:
    case STAGE.disqualified:
    case TIER_OF_DISQUALIFYING_STAGE[STAGE.badLead]:
      return c.red;
    case STAGE.mql:
    case 'hot':
    case STAGE.sql:
    case STAGE.opportunity:
      return c.green;
    case STAGE.salesLead:
    case STAGE.sal:
    case 'warm':
      return c.yellow;
    case STAGE.coldLead:
      return c.blue;
    default:
      return (s) => s;
  }
}
