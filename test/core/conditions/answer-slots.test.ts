// A `matches` predicate keeps its answer per cell text in RowView.answers, at a slot handed out
// by the scorer it is compiled for (createAnswerSlots): each scorer's slots start at 0, so the
// per-text arrays stay small and dense however many scorers a process compiles (calibrate, the
// workbench), and two patterns on one column never share a slot.
import { describe, expect, it } from 'vitest';
import { operators } from '../../../src/core/conditions/registry.js';
import { createAnswerSlots, TRUE, FALSE, UNKNOWN, type RowView, type Tri } from '../../../src/core/conditions/row-view.js';

const matches = operators.get('matches')!;
const compile = (pattern: string, slots = createAnswerSlots()) => matches.compile(0, matches.prepare(pattern, { ignoreCase: true }, { placeholders: new Set() }), slots);

/** One row whose field 0 holds `text`, its answers array exposed. */
const rowOf = (text: string, answers: (Tri | undefined)[] = []) => ({ answers, view: { text: () => text, answers: () => answers } as unknown as RowView });

describe('answer slots', () => {
  it('start at 0 for every scorer, whatever was compiled before', () => {
    for (let i = 0; i < 50; i++) compile('ceo');
    const slots = createAnswerSlots();
    const vp = compile('\\bvp\\b', slots);
    const ceo = compile('ceo', slots);
    const { answers, view } = rowOf('VP Sales');
    expect(vp(view)).toBe(TRUE);
    expect(ceo(view)).toBe(FALSE);
    expect(answers).toEqual([TRUE, FALSE]);
  });

  it('answer from the slot on a repeated text, and blank cells are unknown without one', () => {
    const p = compile('ceo');
    const { view } = rowOf('anything', [TRUE]);
    expect(p(view)).toBe(TRUE); // kept answer, not the pattern's
    const blank = rowOf('');
    expect(p(blank.view)).toBe(UNKNOWN);
    expect(blank.answers).toEqual([]);
  });
});
