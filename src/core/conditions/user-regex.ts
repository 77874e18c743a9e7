// A user's regular expression from a rules file, checked at load time and safe per row.
// Syntax is validated with re2js (RE2: no backreferences or lookaround), so what is accepted
// can always run in linear time. Patterns without nested quantifiers run on V8's faster
// native engine (they cannot backtrack catastrophically); the rest run on re2js.
import { RE2JS } from 're2js';

export interface UserRegex {
  test(s: string): boolean;
  readonly engine: 'native' | 're2';
}

/** Cells longer than this are matched on their first MAX_MATCH_LENGTH characters only. */
export const MAX_MATCH_LENGTH = 4096;

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
  if (!mayBacktrack(pattern)) {
    try {
      const native = new RegExp(pattern, ignoreCase ? 'i' : '');
      return {
        engine: 'native',
        test: (s) => native.test(s.length > MAX_MATCH_LENGTH ? s.slice(0, MAX_MATCH_LENGTH) : s),
      };
    } catch {
      // RE2 accepted it but V8 did not (e.g. (?P<name>...)): run it on re2js.
    }
  }
  return {
    engine: 're2',
    test: (s) => re2.matcher(s.length > MAX_MATCH_LENGTH ? s.slice(0, MAX_MATCH_LENGTH) : s).find(),
  };
}

/**
 * Conservative check for catastrophic backtracking: a quantified group that itself contains a
 * quantifier or an alternation ((a+)+, (x|x)*, (\d+\.)*). Such patterns go to the RE2 engine.
 */
export function mayBacktrack(pattern: string): boolean {
  const stack: { quant: boolean; alt: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push({ quant: false, alt: false });
    else if (c === '|') {
      if (stack.length) stack[stack.length - 1]!.alt = true;
    } else if (c === ')') {
      const g = stack.pop();
      const next = pattern[i + 1];
      const quantified = next === '*' || next === '+' || next === '?' || next === '{';
      if (g && quantified && (g.quant || g.alt)) return true;
      if (stack.length && g && (g.quant || quantified)) stack[stack.length - 1]!.quant = true;
    } else if (c === '*' || c === '+' || c === '{') {
      if (stack.length) stack[stack.length - 1]!.quant = true;
    }
  }
  return false;
}
