// A user's regular expression from a rules file, compiled once when the rules are compiled and
// run per row in linear time. RE2 syntax (no backreferences or lookaround), checked by re2js.
// A pattern runs on re2js (an automaton: linear in the cell) unless it is in a small subset
// that V8's faster backtracking engine provably runs in linear time with the same results:
// no quantifier at all, no escape or construct whose meaning differs between the engines, and
// few enough alternatives (see nativeSafe). V8 is polynomial even without nested quantifiers
// (`a*a*a*b` takes minutes on a 4,096-character title).
import { RE2JS } from 're2js';

export interface UserRegex {
  test(s: string): boolean;
  readonly engine: 'native' | 're2';
}

/** Compiles a pattern or throws an Error whose message a sales-ops reader can act on. */
export function compileUserRegex(pattern: string, ignoreCase: boolean): UserRegex {
  if (/[\u0000-\u0008\u000e-\u001f]/.test(pattern)) {
    throw new Error('the pattern contains a control character (check the quoting of backslashes in YAML)');
  }
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(pattern, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    const msg = (e as Error).message.replace(/^error parsing regexp: /, '');
    throw new Error(`not a valid regular expression: ${msg} (lookahead, lookbehind and backreferences are not supported)`);
  }
  if (nativeSafe(pattern)) {
    let native: RegExp | undefined;
    try {
      native = new RegExp(pattern, ignoreCase ? 'i' : '');
    } catch {
      // RE2 accepted it and V8 did not: re2js runs it.
    }
    if (native) {
      // Cells where the engines could differ go to re2js: V8 (without the u flag) sees a
      // surrogate pair as two characters, and RE2's case folding also matches ſ for s and the
      // Kelvin sign for k.
      const odd = ignoreCase ? /[\u017f\u212a\ud800-\udfff]/ : /[\ud800-\udfff]/;
      const re = native;
      return { engine: 'native', test: (s) => (odd.test(s) ? re2.test(s) : re.test(s)) };
    }
  }
  // test(): a yes/no search, without capture groups, on RE2's DFA (linear in the input). The
  // whole cell is searched: a cut would make `$` match where the cell does not end.
  return { engine: 're2', test: (s) => re2.test(s) };
}

/** At most this many ways to match from one start position (alternatives multiply in sequence). */
export const MAX_NATIVE_PATHS = 64;

/**
 * True only for patterns that a backtracking engine runs in time linear in the input, with the
 * same result as RE2. Grammar accepted (anything else: false):
 *   alt   := seq ('|' seq)*
 *   seq   := item*
 *   item  := ASCII letter/digit/space/safe punctuation | '\' escape | class | '(' ['?:'] alt ')' | '^' | '$'
 *   escape:= b B d D w W, or an escaped ASCII punctuation character
 *   class := '[' ['^'] (ASCII letter/digit/space/safe punctuation | '-' | '\' escape)+ ']'
 * No quantifier (* + ? {n}), so a match is at most as long as the pattern; no `.`, `\s`, flags
 * or non-ASCII (their meaning or case folding differs between V8 and RE2). With at most
 * MAX_NATIVE_PATHS alternative paths, each start position costs at most paths x pattern length
 * steps: linear in the input.
 */
export function nativeSafe(pattern: string): boolean {
  let i = 0;
  const LITERAL = /[A-Za-z0-9 _\-:,;'"!#%&=<>@`~/]/;
  const ESCAPE = /[bBdDwW]|[!-/:-@[-`{-~]/;
  const fail = (): never => {
    throw FAIL;
  };
  const alt = (): number => {
    let paths = seq();
    while (pattern[i] === '|') {
      i++;
      paths += seq();
    }
    return paths;
  };
  const seq = (): number => {
    let paths = 1;
    while (i < pattern.length && pattern[i] !== '|' && pattern[i] !== ')') {
      paths *= item();
      if (paths > MAX_NATIVE_PATHS) fail();
    }
    return paths;
  };
  const item = (): number => {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined || !ESCAPE.test(e)) fail();
      i += 2;
      return 1;
    }
    if (c === '^' || c === '$') {
      i++;
      return 1;
    }
    if (c === '[') return cls();
    if (c === '(') {
      i++;
      if (pattern[i] === '?') {
        if (pattern[i + 1] !== ':') fail();
        i += 2;
      }
      const paths = alt();
      if (pattern[i] !== ')') fail();
      i++;
      return paths;
    }
    if (!LITERAL.test(c)) fail(); // quantifiers, '.', '{', ']', ')', non-ASCII, ...
    i++;
    return 1;
  };
  const cls = (): number => {
    i++; // '['
    if (pattern[i] === '^') i++;
    let n = 0;
    while (pattern[i] !== ']') {
      const c = pattern[i];
      if (c === undefined) fail();
      if (c === '\\') {
        const e = pattern[i + 1];
        if (e === undefined || !ESCAPE.test(e) || e === 'b' || e === 'B') fail();
        i += 2;
      } else if (c === '-' || LITERAL.test(c!)) i++;
      else fail(); // '[' (POSIX classes), non-ASCII, ...
      n++;
    }
    if (n === 0) fail();
    i++; // ']'
    return 1;
  };
  try {
    const paths = alt();
    return i === pattern.length && paths <= MAX_NATIVE_PATHS;
  } catch (e) {
    if (e === FAIL) return false;
    throw e;
  }
}

const FAIL = new Error('not in the native subset');
