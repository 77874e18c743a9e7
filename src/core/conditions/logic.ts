// The condition language's logic over three values (Kleene's), shared by rules and
// questionnaires: a test on a missing value (a blank or unreadable cell, an unanswered question)
// is UNKNOWN; `not` of UNKNOWN stays UNKNOWN; `all` is FALSE if any part is FALSE, else UNKNOWN
// if any part is; `any` is TRUE if any part is TRUE, else UNKNOWN if any part is. A condition
// holds (a rule fires, a question is asked) only when it is TRUE. docs/conditions.md says the same
// for people. The scoring engine inlines the same three lines in its per-row loop.
import { FALSE, TRUE, UNKNOWN, type Tri } from './row-view.js';

export { FALSE, TRUE, UNKNOWN, type Tri };

export const triOf = (b: boolean): Tri => (b ? TRUE : FALSE);

export function notTri(r: Tri): Tri {
  return r === UNKNOWN ? UNKNOWN : r === TRUE ? FALSE : TRUE;
}

export function allTri<T>(parts: readonly T[], test: (part: T) => Tri): Tri {
  let result: Tri = TRUE;
  for (const p of parts) {
    const r = test(p);
    if (r === FALSE) return FALSE;
    if (r === UNKNOWN) result = UNKNOWN;
  }
  return result;
}

export function anyTri<T>(parts: readonly T[], test: (part: T) => Tri): Tri {
  let result: Tri = FALSE;
  for (const p of parts) {
    const r = test(p);
    if (r === TRUE) return TRUE;
    if (r === UNKNOWN) result = UNKNOWN;
  }
  return result;
}
