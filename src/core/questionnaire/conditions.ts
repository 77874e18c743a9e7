// Conditions over answers (`when:`, qualification rules, opportunity.when): compiled once from the
// YAML, with every operand checked against the question it tests, then evaluated per step.
// Pure. compileCondition reports problems through `ctx.error` and never throws; evaluate never
// throws. The logic is the rules' (core/conditions/logic.ts): a test on an unanswered question is
// unknown, `not` of unknown stays unknown, and a condition holds only when it is true
// (`answered: false` tests for a missing answer).
import type { Answers, AnswerValue, Condition, Op, Operand, QuestionKind } from './schema.js';
import { addDays, addMonths, parseDay, type IsoDate } from './dates.js';
import { canonicalOperator } from '../conditions/registry.js';
import { allTri, anyTri, notTri, triOf, TRUE, UNKNOWN, type Tri } from '../conditions/logic.js';

export const QUALIFIED_REF = '$qualified';

/** What a condition may refer to. */
export interface RefInfo {
  kind: QuestionKind | 'qualified';
  options?: readonly string[];
  /** The question itself is malformed (already reported): accept the reference, check nothing. */
  unchecked?: boolean;
}

export interface CompileContext {
  /** Resolves a reference; returns a message when it may not be used here. */
  resolve(ref: string, path: (string | number)[]): RefInfo | string;
  error(path: (string | number)[], message: string, opts?: { key?: boolean }): void;
}

/** The tests each kind of question takes: canonical names of the one registry
 * (core/conditions/registry.ts), whose aliases (eq, ne) are accepted too. */
export const OPS_BY_KIND: Readonly<Record<RefInfo['kind'], readonly Op[]>> = {
  select: ['equals', 'not_equals', 'in', 'not_in', 'answered'],
  'multi-select': ['equals', 'not_equals', 'in', 'not_in', 'answered'],
  text: ['equals', 'not_equals', 'in', 'not_in', 'contains', 'answered'],
  number: ['equals', 'not_equals', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'answered'],
  'yes-no': ['equals', 'not_equals', 'answered'],
  date: ['equals', 'not_equals', 'gt', 'gte', 'lt', 'lte', 'within_days', 'within_months', 'answered'],
  qualified: ['equals', 'not_equals'],
};
const ALL_OPS: ReadonlySet<string> = new Set(Object.values(OPS_BY_KIND).flat());
/** Keys that combine conditions, so no question may be called this. */
export const COMBINATORS: ReadonlySet<string> = new Set(['all', 'any', 'not']);

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Compiles a YAML condition; undefined when it had errors (all of them reported). */
export function compileCondition(raw: unknown, path: (string | number)[], ctx: CompileContext): Condition | undefined {
  if (!isMap(raw) || Object.keys(raw).length === 0) {
    ctx.error(path, 'a condition should be a map such as { budget: { gte: 10000 } } or { all: [...] }');
    return undefined;
  }
  const parts: Condition[] = [];
  let ok = true;
  for (const [key, value] of Object.entries(raw)) {
    const p = [...path, key];
    if (key === 'all' || key === 'any') {
      if (!Array.isArray(value) || value.length === 0) {
        ctx.error(p, `"${key}" should be a non-empty list of conditions`);
        ok = false;
        continue;
      }
      const subs = value.map((v, i) => compileCondition(v, [...p, i], ctx));
      if (subs.some((s) => s === undefined)) ok = false;
      else parts.push(key === 'all' ? { all: subs as Condition[] } : { any: subs as Condition[] });
    } else if (key === 'not') {
      const sub = compileCondition(value, p, ctx);
      if (sub) parts.push({ not: sub });
      else ok = false;
    } else {
      const info = ctx.resolve(key, p);
      if (typeof info === 'string') {
        ctx.error(p, info, { key: true });
        ok = false;
        continue;
      }
      const leaves = compileTests(key, info, value, p, ctx);
      if (leaves) parts.push(...leaves);
      else ok = false;
    }
  }
  if (!ok) return undefined;
  return parts.length === 1 ? parts[0] : { all: parts };
}

function compileTests(ref: string, info: RefInfo, raw: unknown, path: (string | number)[], ctx: CompileContext): Condition[] | undefined {
  if (info.unchecked) return undefined;
  // Shorthands: `authority: champion` (equals), `need: [a, b]` (one of).
  let tests: [string, unknown][];
  if (Array.isArray(raw)) tests = [['in', raw]];
  else if (isMap(raw)) tests = Object.entries(raw);
  else tests = [['equals', raw]];
  const shorthand = !isMap(raw);
  if (tests.length === 0) {
    ctx.error(path, `the test on "${ref}" is empty; write e.g. { ${ref}: { eq: ... } }`);
    return undefined;
  }
  const out: Condition[] = [];
  let ok = true;
  for (const [written, operandRaw] of tests) {
    const p = shorthand ? path : [...path, written];
    const opName = canonicalOperator(written);
    const allowed = OPS_BY_KIND[info.kind];
    if (!ALL_OPS.has(opName)) {
      ctx.error(p, `unknown test "${written}"; for ${describeKind(info.kind)} use ${allowed.join(', ')}`, { key: true });
      ok = false;
      continue;
    }
    const op = opName as Op;
    if (!allowed.includes(op)) {
      ctx.error(p, `"${written}" does not apply to ${describeKind(info.kind)} "${ref}"; use ${allowed.join(', ')}`, { key: !shorthand });
      ok = false;
      continue;
    }
    const operand = checkOperand(ref, info, op, operandRaw, (m) => ctx.error(p, m));
    if (operand === undefined) ok = false;
    else out.push({ ref, kind: info.kind, op, operand });
  }
  return ok ? out : undefined;
}

function describeKind(kind: RefInfo['kind']): string {
  return kind === 'qualified' ? '$qualified' : `${kind === 'yes-no' ? 'yes/no' : kind} question`;
}

function checkOperand(ref: string, info: RefInfo, op: Op, raw: unknown, fail: (m: string) => void): Operand | undefined {
  const show = (v: unknown): string => JSON.stringify(v) ?? String(v);
  if (op === 'answered') {
    if (typeof raw !== 'boolean') return fail(`"answered" takes true or false, not ${show(raw)}`), undefined;
    return raw;
  }
  if (op === 'within_days' || op === 'within_months') {
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) return fail(`"${op}" takes a whole number, not ${show(raw)}`), undefined;
    return raw;
  }
  if (op === 'in' || op === 'not_in') {
    if (!Array.isArray(raw) || raw.length === 0) return fail(`"${op}" takes a non-empty list, not ${show(raw)}`), undefined;
    const values: (string | number)[] = [];
    for (const v of raw) {
      const one = checkScalar(ref, info, v, fail);
      if (one === undefined || typeof one === 'boolean') return undefined;
      values.push(one);
    }
    return values;
  }
  if (op === 'contains') {
    if (typeof raw !== 'string' && typeof raw !== 'number') return fail(`"contains" takes text, not ${show(raw)}`), undefined;
    return String(raw);
  }
  return checkScalar(ref, info, raw, fail, op);
}

function checkScalar(ref: string, info: RefInfo, v: unknown, fail: (m: string) => void, op?: Op): string | number | boolean | undefined {
  const show = (x: unknown): string => JSON.stringify(x) ?? String(x);
  switch (info.kind) {
    case 'select':
    case 'multi-select': {
      if (typeof v !== 'string' && typeof v !== 'number') return fail(`compare "${ref}" with one of its options, not ${show(v)}`), undefined;
      const s = String(v);
      if (!info.options?.includes(s)) return fail(`"${s}" is not an option of question "${ref}"; options: ${info.options?.join(', ')}`), undefined;
      return s;
    }
    case 'text':
      if (typeof v !== 'string' && typeof v !== 'number') return fail(`compare "${ref}" with text, not ${show(v)}`), undefined;
      return String(v);
    case 'number':
      if (typeof v !== 'number') return fail(`"${ref}" is a number question; ${op ?? 'in'} takes a number, not ${show(v)}`), undefined;
      return v;
    case 'yes-no':
    case 'qualified': {
      const b = toBoolean(v);
      if (b === undefined) return fail(`"${ref}" is yes or no; write true or false, not ${show(v)}`), undefined;
      return b;
    }
    case 'date':
      if (typeof v !== 'string' || parseDay(v, '2000-01-01') === undefined)
        return fail(`"${ref}" is a date question; write a date such as 2026-09-30 or "in 6 months", not ${show(v)}`), undefined;
      return v;
  }
}

export function toBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'yes' || s === 'y' || s === 'true') return true;
  if (s === 'no' || s === 'n' || s === 'false') return false;
  return undefined;
}

/** Questions a condition refers to (for ordering checks and "late" detection). */
export function refsOf(c: Condition): string[] {
  if ('all' in c) return c.all.flatMap(refsOf);
  if ('any' in c) return c.any.flatMap(refsOf);
  if ('not' in c) return refsOf(c.not);
  return [c.ref];
}

export interface EvalEnv {
  today: IsoDate;
  /** The qualification result from the answers so far, computed only when a condition asks. */
  qualified: () => boolean;
}

/** Whether the condition holds: it is TRUE (not FALSE, not UNKNOWN). */
export function evaluate(c: Condition, answers: Answers, env: EvalEnv): boolean {
  return evaluateTri(c, answers, env) === TRUE;
}

/** The condition's three-valued result (core/conditions/logic.ts). */
export function evaluateTri(c: Condition, answers: Answers, env: EvalEnv): Tri {
  if ('all' in c) return allTri(c.all, (s) => evaluateTri(s, answers, env));
  if ('any' in c) return anyTri(c.any, (s) => evaluateTri(s, answers, env));
  if ('not' in c) return notTri(evaluateTri(c.not, answers, env));
  if (c.kind === 'qualified') {
    const q = env.qualified();
    return triOf(c.op === 'not_equals' ? q !== c.operand : q === c.operand);
  }
  const v: AnswerValue | undefined = answers[c.ref];
  const answered = v !== undefined && v !== null;
  if (c.op === 'answered') return triOf(answered === c.operand);
  if (!answered) return UNKNOWN;
  return triOf(testAnswer(c, v, env));
}

function testAnswer(c: Extract<Condition, { ref: string }>, v: AnswerValue, env: EvalEnv): boolean {
  switch (c.op) {
    case 'equals':
      return equals(c.kind, v, c.operand, env.today);
    case 'not_equals':
      return !equals(c.kind, v, c.operand, env.today);
    case 'in':
      return (c.operand as (string | number)[]).some((o) => equals(c.kind, v, o, env.today));
    case 'not_in':
      return !(c.operand as (string | number)[]).some((o) => equals(c.kind, v, o, env.today));
    case 'contains':
      return String(v).toLowerCase().includes(String(c.operand).toLowerCase());
    case 'within_days':
      return typeof v === 'string' && v <= addDays(env.today, c.operand as number);
    case 'within_months':
      return typeof v === 'string' && v <= addMonths(env.today, c.operand as number);
    default:
      return compare(c.kind, v, c.operand, env.today, c.op);
  }
}

function equals(kind: RefInfo['kind'], v: AnswerValue, operand: Operand, today: IsoDate): boolean {
  if (kind === 'multi-select') return Array.isArray(v) && v.includes(String(operand));
  if (kind === 'text') return String(v).trim().toLowerCase() === String(operand).trim().toLowerCase();
  if (kind === 'date') return v === parseDay(String(operand), today);
  return v === operand;
}

function compare(kind: RefInfo['kind'], v: AnswerValue, operand: Operand, today: IsoDate, op: Op): boolean {
  let a: number | string, b: number | string;
  if (kind === 'date') {
    const d = parseDay(String(operand), today);
    if (d === undefined || typeof v !== 'string') return false;
    a = v;
    b = d; // ISO dates order as strings
  } else {
    if (typeof v !== 'number' || typeof operand !== 'number') return false;
    a = v;
    b = operand;
  }
  switch (op) {
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    default:
      return a <= b;
  }
}
