// A user's regular expression from a rules file, compiled once when the rules are compiled and
// run per row in linear time. Every pattern runs on re2js (RE2: an automaton, no backtracking,
// so no backreferences or lookaround): V8's backtracking engine is polynomial even on patterns
// without nested quantifiers (`a*a*a*b` took minutes on a 4,096-character title; issue 10).
import { RE2JS } from 're2js';

export interface UserRegex {
  test(s: string): boolean;
  readonly engine: 're2';
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
  // test(): a yes/no search, without capture groups, on RE2's DFA (linear in the input). The
  // whole cell is searched: a cut would make `$` match where the cell does not end.
  return { engine: 're2', test: (s) => re2.test(s) };
}
