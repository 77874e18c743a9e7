// The native subset of user patterns (src/core/conditions/user-regex.ts): what runs on V8's
// backtracking engine instead of re2js must be linear there and give RE2's result. Properties
// (fast-check) over generated patterns: the classifier never lets a quantifier or too many
// alternative paths through, and on what it lets through both engines agree on any cell.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { compileUserRegex, MAX_NATIVE_PATHS, nativeSafe } from '../../../src/core/conditions/user-regex.js';

type Node =
  | { k: 'lit'; s: string }
  | { k: 'class'; s: string }
  | { k: 'seq'; of: Node[] }
  | { k: 'alt'; of: Node[] }
  | { k: 'group'; of: Node; nc: boolean }
  | { k: 'quant'; of: Node; q: string };

const atom: fc.Arbitrary<Node> = fc.oneof(
  fc.constantFrom('a', 'b', 's', 'k', 'vp', '1', ' ', '-', '\\.', '\\b', '\\d', '\\w', '\\W', '^', '$', '.', '\\s', 'é').map((s): Node => ({ k: 'lit', s })),
  fc.constantFrom('[a-c]', '[^a]', '[sk]', '[\\d-]', '[^\\w]', '[ab.]').map((s): Node => ({ k: 'class', s })),
);
const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((of): Node => ({ k: 'seq', of })),
    fc.array(tie('node'), { minLength: 2, maxLength: 4 }).map((of): Node => ({ k: 'alt', of })),
    fc.record({ of: tie('node'), nc: fc.boolean() }).map(({ of, nc }): Node => ({ k: 'group', of, nc })),
    fc.record({ of: tie('node'), q: fc.constantFrom('*', '+', '?', '{2}', '{1,}', '{0,3}', '*?') }).map(({ of, q }): Node => ({ k: 'quant', of, q })),
  ),
}));

function show(n: Node): string {
  switch (n.k) {
    case 'lit':
    case 'class':
      return n.s;
    case 'seq':
      return n.of.map(show).join('');
    case 'alt':
      return `(?:${n.of.map(show).join('|')})`;
    case 'group':
      return `(${n.nc ? '?:' : ''}${show(n.of)})`;
    case 'quant':
      return `(?:${show(n.of)})${n.q}`;
  }
}
const hasQuantifier = (n: Node): boolean =>
  n.k === 'quant' || (n.k === 'seq' || n.k === 'alt' ? n.of.some(hasQuantifier) : n.k === 'group' ? hasQuantifier(n.of) : false);
/** Ways to match from one start position, as a backtracking engine explores them. */
const paths = (n: Node): number =>
  n.k === 'seq' ? n.of.reduce((p, c) => p * paths(c), 1) : n.k === 'alt' ? n.of.reduce((p, c) => p + paths(c), 0) : n.k === 'group' ? paths(n.of) : 1;

/** Cells with what makes engines differ: surrogate pairs, ſ, the Kelvin sign, line breaks. */
const cell = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'S', 's', 'k', 'K', 'v', 'p', '1', ' ', '-', '.', '_', '\n', '\r', 'é', 'ſ', '\u212a', '😀'), maxLength: 12 });

describe('the native subset (property)', () => {
  it('never lets a quantifier, or more than MAX_NATIVE_PATHS paths, through', () => {
    fc.assert(
      fc.property(node, (n) => {
        const p = show(n);
        if (nativeSafe(p)) {
          expect(hasQuantifier(n), p).toBe(false);
          expect(paths(n), p).toBeLessThanOrEqual(MAX_NATIVE_PATHS);
        }
        if (hasQuantifier(n)) expect(nativeSafe(p), p).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('on any text, a pattern it accepts has no unescaped quantifier or "."', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\\', '(', ')', '[', ']', '|', '*', '+', '?', '{', '}', '.', '^', '$', '-', ':', 'b', 'd'), maxLength: 16 }), (p) => {
        if (nativeSafe(p)) expect(p.replace(/\\[^]/g, ''), p).not.toMatch(/[*+?{}.]|\(\?[^:]/);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the same verdict as RE2 on any cell, with and without ignore_case', () => {
    fc.assert(
      fc.property(node, cell, fc.boolean(), (n, s, ignoreCase) => {
        const p = show(n);
        let re2: RE2JS;
        try {
          re2 = RE2JS.compile(p, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
        } catch {
          return; // not a pattern RE2 accepts: compileUserRegex refuses it
        }
        const r = compileUserRegex(p, ignoreCase);
        expect(r.test(s), `${p} on ${JSON.stringify(s)}`).toBe(re2.test(s));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('which engine runs what', () => {
  it.each([
    ['\\b(chief|c[ertmfs]o|vp|vice[- ]president|svp|evp|founder|owner|president)\\b', 'native'],
    ['\\b(sales|revenue|revops|marketing|growth|business development|commercial)\\b', 'native'],
    ['^vp$', 'native'],
    ['a*a*a*b', 're2'],
    ['(a+)+$', 're2'],
    ['colou?r', 're2'],
    ['x{2}', 're2'],
    ['a.b', 're2'],
    ['\\s', 're2'],
    ['(?i)vp', 're2'],
    ['(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)b', 're2'],
  ])('%s runs on %s', (pattern, engine) => {
    expect(compileUserRegex(pattern, true).engine).toBe(engine);
  });

  it('the costliest native pattern (64 paths) on 100,000 characters stays fast', () => {
    const p = '(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)b';
    const r = compileUserRegex(p, false);
    expect(r.engine).toBe('native');
    const start = performance.now();
    expect(r.test('a'.repeat(100_000))).toBe(false);
    expect(performance.now() - start).toBeLessThan(2000); // a guard; in practice a few ms
  });
});
