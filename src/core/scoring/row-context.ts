// The engine's RowView: gives operators the cells of one row by canonical field, reading each
// cell as text, number, date or boolean at most once per row (caches keyed by a row generation
// counter, so moving to the next row costs nothing). Counts cells that cannot be read as the
// type a rule needs, per field, for the run summary.
import { parseBoolean, parseDate, parseNumber, type DateFormat } from '../values.js';
import type { RowView, Tri } from '../conditions/row-view.js';
import { isValidEmail } from '../values.js';
import { hostOf, isUsablePhone } from '../conditions/contact.js';

/** Distinct date texts per field whose day is kept. */
const DAY_MEMO_SIZE = 4096;
/** Distinct texts per field whose predicate answers are kept. */
const ANSWER_MEMO_SIZE = 4096;

export interface UnreadableStat {
  field: number;
  kind: 'number' | 'date';
  count: number;
  exampleRecord: number;
  exampleValue: string;
}

export class RowContext implements RowView {
  row: readonly string[] = [];
  record = 0;
  private gen = 0;
  private readonly n: number;
  private readonly textCache: string[];
  private readonly lowerCache: string[];
  private readonly numCache: Float64Array;
  private readonly dayCache: Float64Array;
  private readonly boolCache: Int8Array;
  private readonly stampText: Int32Array;
  private readonly stampLower: Int32Array;
  private readonly stampNum: Int32Array;
  private readonly stampDay: Int32Array;
  private readonly stampBool: Int32Array;
  /** Derived per-row facts shared by several rules (validity is asked by 3 default rules). */
  private readonly emailCache: Int8Array;
  private readonly phoneCache: Int8Array;
  private readonly hostCache: string[];
  private readonly stampEmail: Int32Array;
  private readonly stampPhone: Int32Array;
  private readonly stampHost: Int32Array;
  /** Per field: the predicates' answers kept for each text seen (answers()), bounded. */
  private readonly answerMemo: (Map<string, (Tri | undefined)[]> | undefined)[] = [];
  private readonly answersCache: (Tri | undefined)[][];
  private readonly stampAnswers: Int32Array;
  /** Per date field: the day of each text seen (NaN: unreadable), bounded. */
  private readonly dayMemo: (Map<string, number> | undefined)[] = [];
  /** Per field: [number problems, date problems]. */
  readonly unreadable: (UnreadableStat | undefined)[][];

  constructor(
    /** Column index of each canonical field in the CSV row, or -1 when the CSV lacks it. */
    private readonly columnOf: Int32Array,
    readonly asOfDay: number,
    private readonly decimal: '.' | ',',
    private readonly dateFormat: DateFormat,
  ) {
    const n = (this.n = columnOf.length);
    this.textCache = new Array<string>(n).fill('');
    this.lowerCache = new Array<string>(n).fill('');
    this.numCache = new Float64Array(n);
    this.dayCache = new Float64Array(n);
    this.boolCache = new Int8Array(n);
    this.stampText = new Int32Array(n).fill(-1);
    this.stampLower = new Int32Array(n).fill(-1);
    this.stampNum = new Int32Array(n).fill(-1);
    this.stampDay = new Int32Array(n).fill(-1);
    this.stampBool = new Int32Array(n).fill(-1);
    this.emailCache = new Int8Array(n);
    this.phoneCache = new Int8Array(n);
    this.hostCache = new Array<string>(n).fill('');
    this.stampEmail = new Int32Array(n).fill(-1);
    this.stampPhone = new Int32Array(n).fill(-1);
    this.stampHost = new Int32Array(n).fill(-1);
    this.answersCache = new Array<(Tri | undefined)[]>(n).fill([]);
    this.stampAnswers = new Int32Array(n).fill(-1);
    this.unreadable = Array.from({ length: n }, () => [undefined, undefined]);
  }

  /** Moves to the next row; caches from the previous row become stale at once. */
  load(row: readonly string[], record: number): void {
    this.row = row;
    this.record = record;
    this.gen = (this.gen + 1) | 0;
  }

  text(f: number): string {
    if (this.stampText[f] === this.gen) return this.textCache[f]!;
    const col = this.columnOf[f]!;
    const raw = col < 0 ? '' : (this.row[col] ?? '');
    const t = raw.length === 0 ? raw : raw.trim();
    this.textCache[f] = t;
    this.stampText[f] = this.gen;
    return t;
  }

  lower(f: number): string {
    if (this.stampLower[f] === this.gen) return this.lowerCache[f]!;
    const t = this.text(f);
    // Skip the NFC pass for plain ASCII, by far the common case.
    // eslint-disable-next-line no-control-regex
    const l = /^[\x00-\x7f]*$/.test(t) ? t.toLowerCase() : t.normalize('NFC').toLowerCase();
    this.lowerCache[f] = l;
    this.stampLower[f] = this.gen;
    return l;
  }

  num(f: number): number {
    if (this.stampNum[f] === this.gen) return this.numCache[f]!;
    const t = this.text(f);
    let v = NaN;
    if (t !== '') {
      const parsed = parseNumber(t, this.decimal);
      if (parsed === undefined) this.noteUnreadable(f, 0, t);
      else v = parsed;
    }
    this.numCache[f] = v;
    this.stampNum[f] = this.gen;
    return v;
  }

  day(f: number): number {
    if (this.stampDay[f] === this.gen) return this.dayCache[f]!;
    const t = this.text(f);
    let v = NaN;
    if (t !== '') {
      // A file's dates fall on a few hundred or thousand days: each text is read once.
      const memo = (this.dayMemo[f] ??= new Map<string, number>());
      let known = memo.get(t);
      if (known === undefined) {
        if (memo.size >= DAY_MEMO_SIZE) memo.clear(); // bounded: distinct texts only refill it
        memo.set(t, (known = parseDate(t, this.dateFormat) ?? NaN));
      }
      if (Number.isNaN(known)) this.noteUnreadable(f, 1, t);
      else v = known;
    }
    this.dayCache[f] = v;
    this.stampDay[f] = this.gen;
    return v;
  }

  bool(f: number): number {
    if (this.stampBool[f] === this.gen) return this.boolCache[f]!;
    const b = parseBoolean(this.text(f));
    const v = b === undefined ? -1 : b ? 1 : 0;
    this.boolCache[f] = v;
    this.stampBool[f] = this.gen;
    return v;
  }

  emailValid(f: number): boolean {
    if (this.stampEmail[f] !== this.gen) {
      this.emailCache[f] = isValidEmail(this.text(f)) ? 1 : 0;
      this.stampEmail[f] = this.gen;
    }
    return this.emailCache[f] === 1;
  }

  phoneUsable(f: number): boolean {
    if (this.stampPhone[f] !== this.gen) {
      this.phoneCache[f] = isUsablePhone(this.text(f)) ? 1 : 0;
      this.stampPhone[f] = this.gen;
    }
    return this.phoneCache[f] === 1;
  }

  host(f: number): string {
    if (this.stampHost[f] !== this.gen) {
      this.hostCache[f] = hostOf(this.lower(f));
      this.stampHost[f] = this.gen;
    }
    return this.hostCache[f]!;
  }

  answers(f: number): (Tri | undefined)[] {
    if (this.stampAnswers[f] === this.gen) return this.answersCache[f]!;
    const t = this.text(f);
    const memo = (this.answerMemo[f] ??= new Map<string, (Tri | undefined)[]>());
    let a = memo.get(t);
    if (a === undefined) {
      if (memo.size >= ANSWER_MEMO_SIZE) memo.clear(); // bounded: distinct texts only refill it
      memo.set(t, (a = []));
    }
    this.answersCache[f] = a;
    this.stampAnswers[f] = this.gen;
    return a;
  }

  private noteUnreadable(f: number, kind: 0 | 1, value: string): void {
    const slot = this.unreadable[f]!;
    const s = slot[kind];
    if (s) s.count++;
    else slot[kind] = { field: f, kind: kind === 0 ? 'number' : 'date', count: 1, exampleRecord: this.record, exampleValue: value.slice(0, 40) };
  }

  get fieldCount(): number {
    return this.n;
  }
}
