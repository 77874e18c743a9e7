// What an operator sees of one row: the cell of a canonical field as text, lower-cased text,
// number, day number or boolean. Implemented by the scoring engine with per-row caches, so each
// cell is parsed at most once per row whatever the number of rules reading it.

/** Three-valued result: a test on a missing or unreadable value is UNKNOWN, not false. */
export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Tri = typeof FALSE | typeof TRUE | typeof UNKNOWN;

export interface RowView {
  /** Trimmed cell text; '' when the cell is blank or the column is absent. */
  text(field: number): string;
  /** Trimmed, NFC-normalised, lower-cased text (for case-insensitive comparisons). */
  lower(field: number): string;
  /** The cell read as a number; NaN when blank or not a number (the engine counts the latter). */
  num(field: number): number;
  /** The cell read as a date, in whole days since 1970-01-01 UTC; NaN when blank or unreadable. */
  day(field: number): number;
  /** 1 true, 0 false, -1 blank or unreadable. */
  bool(field: number): number;
  /** Whether the (non-blank) cell is a well-formed email address. */
  emailValid(field: number): boolean;
  /** Whether the (non-blank) cell looks like a reachable phone number. */
  phoneUsable(field: number): boolean;
  /** The host of an email address or website in the cell, lower-cased, without "www.". */
  host(field: number): string;
  /** Answers kept for the field's (trimmed) text, shared by the predicates on the field that
   * keep theirs, each at its own slot (AnswerSlots): the same array on every row with the same
   * text, so a test on a column of few distinct values (a title) runs once per value. */
  answers(field: number): (Tri | undefined)[];
  /** The reference date (`--as-of`) in whole days since 1970-01-01 UTC. */
  readonly asOfDay: number;
}

export type Predicate = (row: RowView) => Tri;

/** Hands out the slots of RowView.answers to the predicates compiled for one RowView (one
 * scorer): 0, 1, 2... so that each text's answers stay a small dense array. */
export interface AnswerSlots {
  /** A slot of its own, for a predicate that keeps its answer per text. */
  next(): number;
}

export function createAnswerSlots(): AnswerSlots {
  let slots = 0;
  return { next: () => slots++ };
}
