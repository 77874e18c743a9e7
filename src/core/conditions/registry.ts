// Operators as data, in one registry (json-rules-engine's shape): a name, an operand check run
// once at compile time, a prepare step that normalises the operand once, and a compile step
// that returns the per-row predicate. Pure; the predicates never throw on a bad cell: a blank or
// unreadable value yields UNKNOWN, which the engine treats as "did not fire".
import { FALSE, TRUE, UNKNOWN, type AnswerSlots, type Predicate, type RowView, type Tri } from './row-view.js';
import { compileUserRegex, type UserRegex } from './user-regex.js';
import { isPlaceholder } from './contact.js';

export interface OperatorContext {
  /** Normalised placeholder values (fake data) from the rules' settings. */
  placeholders: ReadonlySet<string>;
}

export interface OperatorDef<P = unknown> {
  name: string;
  /** What it tests, for the operator table of the README (reference.ts renders it; operators
   * with the same doc and example share one row). Markdown. */
  doc: string;
  /** A condition using it, as YAML, for the same table. */
  example: string;
  /** A sales-ops-readable problem with the operand, or null when it is fine. */
  check(operand: unknown): string | null;
  prepare(operand: unknown, flags: OperatorFlags, ctx: OperatorContext): P;
  /** The per-row predicate; `slots`: where it may keep an answer per text (RowView.answers),
   * shared by the predicates compiled for one scorer. */
  compile(field: number, prepared: P, slots: AnswerSlots): Predicate;
  /** Human description for explanations, e.g. "≥ 50". */
  describe(operand: unknown): string;
}

export interface OperatorFlags {
  ignoreCase: boolean;
}

const tri = (b: boolean): Tri => (b ? TRUE : FALSE);

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
const lowerOf = (v: string | number | boolean): string => String(v).trim().normalize('NFC').toLowerCase();
const needNumber = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? null : 'must be a number (write 50, not "50")');
const needBool = (v: unknown) => (typeof v === 'boolean' ? null : 'must be true or false');
const needDays = (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? null : 'must be a whole number of days (0 or more)';
const needStringOrList = (v: unknown) =>
  typeof v === 'string' && v !== ''
    ? null
    : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '')
      ? null
      : 'must be a text or a non-empty list of texts';
const asList = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : [v as string]);

/** Text compare: blank cells are unknown (a missing value is not "not equal"). */
function textTest(field: number, test: (cellLower: string) => boolean): Predicate {
  return (row: RowView) => {
    const s = row.lower(field);
    return s === '' ? UNKNOWN : tri(test(s));
  };
}

function numberTest(field: number, test: (n: number) => boolean): Predicate {
  return (row: RowView) => {
    const n = row.num(field);
    return Number.isNaN(n) ? UNKNOWN : tri(test(n));
  };
}

const OPERATORS: OperatorDef<any>[] = [
  {
    name: 'equals',
    doc: 'equals this text or number (text ignores case and surrounding spaces)',
    example: '{ country: { equals: Germany } }',
    check: (v) => (isScalar(v) ? null : 'must be a single text, number or true/false'),
    prepare: (v) => (typeof v === 'number' ? v : lowerOf(v as string)),
    compile: (f, p: string | number) =>
      typeof p === 'number' ? numberTest(f, (n) => n === p) : textTest(f, (s) => s === p),
    describe: (v) => `= ${JSON.stringify(v)}`,
  },
  {
    name: 'not_equals',
    doc: 'present and different',
    example: '{ status: { not_equals: Unqualified } }',
    check: (v) => (isScalar(v) ? null : 'must be a single text, number or true/false'),
    prepare: (v) => (typeof v === 'number' ? v : lowerOf(v as string)),
    compile: (f, p: string | number) =>
      typeof p === 'number' ? numberTest(f, (n) => n !== p) : textTest(f, (s) => s !== p),
    describe: (v) => `≠ ${JSON.stringify(v)}`,
  },
  {
    name: 'in',
    doc: 'one of a list',
    example: '{ industry: { in: [Software, SaaS] } }',
    check: (v) => (Array.isArray(v) && v.length > 0 && v.every(isScalar) ? null : 'must be a non-empty list'),
    // A list of numbers compares numbers (`in: [1, 2]` matches "1.0"); otherwise text.
    prepare: (v) => ((v as unknown[]).every((x) => typeof x === 'number') ? { nums: new Set(v as number[]) } : { texts: new Set((v as (string | number)[]).map(lowerOf)) }),
    compile: (f, p: { nums?: Set<number>; texts?: Set<string> }) =>
      p.nums ? numberTest(f, (n) => p.nums!.has(n)) : textTest(f, (s) => p.texts!.has(s)),
    describe: (v) => `in ${JSON.stringify(v)}`,
  },
  {
    name: 'not_in',
    doc: 'present and none of a list',
    example: '{ country: { not_in: [North Korea, Iran] } }',
    check: (v) => (Array.isArray(v) && v.length > 0 && v.every(isScalar) ? null : 'must be a non-empty list'),
    prepare: (v) => ((v as unknown[]).every((x) => typeof x === 'number') ? { nums: new Set(v as number[]) } : { texts: new Set((v as (string | number)[]).map(lowerOf)) }),
    compile: (f, p: { nums?: Set<number>; texts?: Set<string> }) =>
      p.nums ? numberTest(f, (n) => !p.nums!.has(n)) : textTest(f, (s) => !p.texts!.has(s)),
    describe: (v) => `not in ${JSON.stringify(v)}`,
  },
  {
    name: 'contains',
    doc: 'contains a text, or any text of a list (ignoring case)',
    example: '{ title: { contains: [revenue, sales ops] } }',
    check: needStringOrList,
    prepare: (v) => asList(v).map(lowerOf),
    compile: (f, subs: string[]) => textTest(f, (s) => {
        for (let i = 0; i < subs.length; i++) if (s.includes(subs[i]!)) return true;
        return false;
      }),
    describe: (v) => `contains ${JSON.stringify(v)}`,
  },
  {
    name: 'starts_with',
    doc: 'starts with a text or any of a list',
    example: '{ phone: { starts_with: ["+49", "0049"] } }',
    check: needStringOrList,
    prepare: (v) => asList(v).map(lowerOf),
    compile: (f, subs: string[]) => textTest(f, (s) => {
        for (let i = 0; i < subs.length; i++) if (s.startsWith(subs[i]!)) return true;
        return false;
      }),
    describe: (v) => `starts with ${JSON.stringify(v)}`,
  },
  {
    name: 'ends_with',
    doc: 'ends with a text or any of a list',
    example: '{ email: { ends_with: [.edu, .ac.uk] } }',
    check: needStringOrList,
    prepare: (v) => asList(v).map(lowerOf),
    compile: (f, subs: string[]) => textTest(f, (s) => {
        for (let i = 0; i < subs.length; i++) if (s.endsWith(subs[i]!)) return true;
        return false;
      }),
    describe: (v) => `ends with ${JSON.stringify(v)}`,
  },
  {
    name: 'matches',
    doc: 'regular expression (RE2 syntax, linear time, no lookaround or backreferences); `ignore_case: true` beside it',
    example: '{ title: { matches: \'\\bvp\\b\', ignore_case: true } }',
    check: (v) => (typeof v === 'string' && v !== '' ? null : 'must be a regular expression written as text'),
    prepare: (v, flags) => compileUserRegex(v as string, flags.ignoreCase),
    compile: (f, re: UserRegex, slots) => {
      // A column a pattern reads (titles, sources) holds few distinct values in a file, and
      // rules often run several patterns on it: each value is tested once per pattern.
      const slot = slots.next();
      return (row: RowView) => {
        const s = row.text(f);
        if (s === '') return UNKNOWN;
        const answers = row.answers(f);
        let r = answers[slot];
        if (r === undefined) answers[slot] = r = tri(re.test(s));
        return r;
      };
    },
    describe: (v) => `matches /${String(v)}/`,
  },
  ...(
    [
      ['gt', '>', (a: number, b: number) => a > b],
      ['gte', '≥', (a: number, b: number) => a >= b],
      ['lt', '<', (a: number, b: number) => a < b],
      ['lte', '≤', (a: number, b: number) => a <= b],
    ] as const
  ).map(
    ([name, sym, cmp]): OperatorDef<number> => ({
      name,
      // One row of the reference for the four: same doc and example.
      doc: 'numeric comparison; `1,200`, `$1.2M`, `12k`, `(1,200)` are read as numbers',
      example: '{ employees: { gte: 50 } }',
      check: needNumber,
      prepare: (v) => v as number,
      compile: (f, p) => numberTest(f, (n) => cmp(n, p)),
      describe: (v) => `${sym} ${String(v)}`,
    }),
  ),
  {
    name: 'between',
    doc: 'within `[low, high]`, both included',
    example: '{ employees: { between: [50, 5000] } }',
    check: (v) =>
      Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x))
        ? (v[0] as number) <= (v[1] as number)
          ? null
          : 'the low end must not be above the high end'
        : 'must be a list of two numbers, [low, high]',
    prepare: (v) => v as [number, number],
    compile: (f, [lo, hi]: [number, number]) => numberTest(f, (n) => n >= lo && n <= hi),
    describe: (v) => `between ${JSON.stringify(v)}`,
  },
  {
    name: 'present',
    doc: 'the cell is not blank',
    example: '{ phone: { present: true } }',
    check: needBool,
    prepare: (v) => v as boolean,
    compile: (f, want: boolean) => (row: RowView) => tri((row.text(f) !== '') === want),
    describe: (v) => (v ? 'is present' : 'is missing'),
  },
  {
    name: 'missing',
    doc: 'the cell is blank or the column absent',
    example: '{ company: { missing: true } }',
    check: needBool,
    prepare: (v) => v as boolean,
    compile: (f, want: boolean) => (row: RowView) => tri((row.text(f) === '') === want),
    describe: (v) => (v ? 'is missing' : 'is present'),
  },
  {
    name: 'within_days',
    doc: 'a date at most N days before `--as-of`',
    example: '{ last_activity: { within_days: 30 } }',
    check: needDays,
    prepare: (v) => v as number,
    compile: (f, days: number) => (row: RowView) => {
      const d = row.day(f);
      return Number.isNaN(d) ? UNKNOWN : tri(row.asOfDay - d <= days);
    },
    describe: (v) => `within ${String(v)} days`,
  },
  {
    name: 'older_than_days',
    doc: 'a date more than N days before `--as-of`',
    example: '{ last_activity: { older_than_days: 180 } }',
    check: needDays,
    prepare: (v) => v as number,
    compile: (f, days: number) => (row: RowView) => {
      const d = row.day(f);
      return Number.isNaN(d) ? UNKNOWN : tri(row.asOfDay - d > days);
    },
    describe: (v) => `older than ${String(v)} days`,
  },
  {
    name: 'is',
    doc: 'a yes/no value: yes/no, true/false, 1/0, y/n',
    example: '{ opted_out: { is: true } }',
    check: needBool,
    prepare: (v) => (v ? 1 : 0),
    compile: (f, want: number) => (row: RowView) => {
      const b = row.bool(f);
      return b === -1 ? UNKNOWN : tri(b === want);
    },
    describe: (v) => `is ${String(v)}`,
  },
  {
    name: 'domain_in',
    doc: 'the email\'s domain (or a website\'s host) is in a list, subdomains included',
    example: '{ email: { domain_in: [gmail.com, yahoo.com] } }',
    check: (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '') ? null : 'must be a non-empty list of domains'),
    prepare: (v) => new Set((v as string[]).map((d) => d.trim().toLowerCase().replace(/^@/, ''))),
    compile: (f, set: Set<string>) => (row: RowView) => {
      const host = row.host(f);
      if (host === '') return UNKNOWN;
      // Walk up the labels so "eu.rivalcorp.com" matches "rivalcorp.com".
      for (let i = -1; ; ) {
        if (set.has(i < 0 ? host : host.slice(i + 1))) return TRUE;
        i = host.indexOf('.', i + 1);
        if (i < 0) return FALSE;
      }
    },
    describe: (v) => `domain in ${JSON.stringify(v)}`,
  },
  {
    name: 'valid_email',
    doc: 'a well-formed email address',
    example: '{ email: { valid_email: false } }',
    check: needBool,
    prepare: (v) => v as boolean,
    // A blank cell is definitely not a valid email, but there is nothing malformed to judge
    // either: `valid_email: true` is false on it, `valid_email: false` unknown.
    compile: (f, want: boolean) => (row: RowView) => {
      const s = row.text(f);
      return s === '' ? (want ? FALSE : UNKNOWN) : tri(row.emailValid(f) === want);
    },
    describe: (v) => (v ? 'is a valid email' : 'is not a valid email'),
  },
  {
    name: 'valid_phone',
    doc: 'a reachable-looking phone number (7-15 digits, not `555-0100`)',
    example: '{ phone: { valid_phone: true } }',
    check: needBool,
    prepare: (v) => v as boolean,
    compile: (f, want: boolean) => (row: RowView) => {
      const s = row.text(f);
      return s === '' ? (want ? FALSE : UNKNOWN) : tri(row.phoneUsable(f) === want);
    },
    describe: (v) => (v ? 'is a usable phone number' : 'is not a usable phone number'),
  },
  {
    name: 'placeholder',
    doc: 'an obviously fake value from `settings.placeholders` (or one character repeated)',
    example: '{ email: { placeholder: true } }',
    check: needBool,
    prepare: (v, _flags, ctx) => ({ want: v as boolean, set: ctx.placeholders }),
    compile: (f, p: { want: boolean; set: ReadonlySet<string> }) =>
      textTest(f, (s) => isPlaceholder(s, p.set) === p.want),
    describe: (v) => (v ? 'is a placeholder' : 'is not a placeholder'),
  },
];

/** The registry: operator name -> definition. */
export const operators: ReadonlyMap<string, OperatorDef> = new Map(OPERATORS.map((o) => [o.name, o]));

/**
 * The other spelling of an operator name, accepted wherever the canonical name is, in rules and
 * questionnaires alike (questionnaires were first written with eq/ne, rules with equals/
 * not_equals; neither kind of file breaks). Compiled forms carry the canonical name.
 */
export const OPERATOR_ALIASES: ReadonlyMap<string, string> = new Map([
  ['eq', 'equals'],
  ['ne', 'not_equals'],
]);

/** An operator's canonical name: the name itself, or the one an alias stands for. */
export function canonicalOperator(name: string): string {
  return OPERATOR_ALIASES.get(name) ?? name;
}

/** The aliases of a canonical name (for the reference). */
export function aliasesOf(name: string): string[] {
  return [...OPERATOR_ALIASES].filter(([, to]) => to === name).map(([alias]) => alias);
}

/**
 * Operators that only a questionnaire has: they test a call's answers (a date question's answer,
 * whether a question was answered), which a lead file's cells do not have. Their evaluation is in
 * core/questionnaire/conditions.ts; the names live here so that one registry holds every name.
 */
export const ANSWER_OPERATORS: readonly Pick<OperatorDef, 'name' | 'doc' | 'example'>[] = [
  { name: 'within_months', doc: 'a date answer no later than N months from the day of the call', example: '{ timeline: { within_months: 6 } }' },
  { name: 'answered', doc: 'the question was asked and not left blank (`answered: false`: not asked, or left blank)', example: '{ decision_maker: { answered: true } }' },
];

/** Every canonical operator name of the condition language, rules' first. */
export const OPERATOR_NAMES: readonly string[] = [...operators.keys(), ...ANSWER_OPERATORS.map((o) => o.name)];

/** Keys that modify an operator in the same map rather than being operators themselves. */
export const OPERATOR_FLAGS = new Set(['ignore_case']);

export { isPlaceholder, isUsablePhone } from './contact.js';
