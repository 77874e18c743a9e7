// A user's regular expression (RE2 syntax, as re2js runs it for `qualify score`) rewritten for
// an engine whose regex flavour differs: PostgreSQL's ARE, Java's (Spark), Snowflake's POSIX ERE.
// Only what keeps the same meaning is translated; anything else is an UnsupportedRegex naming the
// construct. The result is used as a search (does the pattern occur in the text), so greediness
// does not matter and lazy quantifiers become greedy ones.
//
// RE2's meanings kept: `.` is any character but a newline; `\d`, `\w`, `\s`, `\b` are ASCII;
// `^` and `$` are the start and end of the text.
import { UnsupportedRegex } from './dialect.js';

export type RegexFlavour = 'pg' | 'java' | 'snowflake';

const WORD = '0-9A-Za-z_';
/** RE2's \s: tab, newline, form feed, carriage return, space (no vertical tab). */
const SPACE = '\t\n\f\r ';
const CLASS_ESCAPES: Readonly<Record<string, string>> = { d: '0-9', w: WORD, s: SPACE };
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v', a: '\x07' };
/** Largest repeat count each flavour takes ({n,m}); RE2 takes 1000. */
const MAX_REPEAT: Readonly<Record<RegexFlavour, number>> = { pg: 255, java: 1000, snowflake: 255 };

export interface TranslatedRegex {
  pattern: string;
  /** A leading `(?i)` was taken off: match ignoring case. */
  ignoreCase: boolean;
}

export function translateRegex(source: string, flavour: RegexFlavour): TranslatedRegex {
  let i = 0;
  let ignoreCase = false;
  if (source.startsWith('(?i)')) {
    ignoreCase = true;
    i = 4;
  }
  const fail = (what: string): never => {
    throw new UnsupportedRegex(what);
  };
  /** A literal character, escaped where the flavour would read it as syntax. */
  const lit = (ch: string): string => {
    if ('\\^$.|?*+()[]{}'.includes(ch)) return '\\' + ch;
    return ch;
  };
  const litInClass = (ch: string): string => (ch === '\\' || ch === ']' || ch === '[' || ch === '^' || ch === '-' ? (flavour === 'snowflake' ? fail(`"${ch}" inside a character class`) : '\\' + ch) : ch);
  const wordBoundary = (negated: boolean): string => {
    if (flavour === 'pg') return negated ? '\\Y' : '\\y';
    if (flavour === 'java') {
      const w = `[${WORD}]`;
      const at = `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
      return negated ? `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))` : at;
    }
    return fail('a word boundary (\\b)');
  };
  /** One escape outside a class: returns the translated piece. */
  const escape = (): string => {
    const e = source[i + 1];
    if (e === undefined) fail('a trailing backslash');
    i += 2;
    if (e! in CLASS_ESCAPES) return `[${CLASS_ESCAPES[e!]}]`;
    if (e === 'D' || e === 'W' || e === 'S') return `[^${CLASS_ESCAPES[e.toLowerCase()]}]`;
    if (e === 'b' || e === 'B') return wordBoundary(e === 'B');
    if (e === 'A') return '^';
    if (e === 'z') return flavour === 'java' ? '\\z' : '$';
    if (e! in CONTROL_ESCAPES) return CONTROL_ESCAPES[e!]!;
    if (e === 'x') return lit(hexEscape());
    if (/[!-/:-@[-`{-~]/.test(e!)) return lit(e!);
    return fail(`the escape \\${e}`);
  };
  const hexEscape = (): string => {
    let hex: string;
    if (source[i] === '{') {
      const end = source.indexOf('}', i);
      if (end < 0) fail('a \\x{…} escape');
      hex = source.slice(i + 1, end);
      i = end + 1;
    } else {
      hex = source.slice(i, i + 2);
      i += 2;
    }
    if (!/^[0-9A-Fa-f]{1,6}$/.test(hex)) fail('a \\x escape');
    return String.fromCodePoint(parseInt(hex, 16));
  };
  const cls = (): string => {
    i++; // [
    let negated = false;
    if (source[i] === '^') {
      negated = true;
      i++;
    }
    let body = '';
    let first = true;
    while (first || source[i] !== ']') {
      const c = source[i];
      if (c === undefined) fail('an unclosed character class');
      if (c === '[' && source[i + 1] === ':') fail('a POSIX class such as [:alpha:]');
      if (c === '\\') {
        const e = source[i + 1];
        if (e === undefined) fail('a trailing backslash');
        if (e! in CLASS_ESCAPES) {
          body += CLASS_ESCAPES[e!]!;
          i += 2;
        } else if (e! in CONTROL_ESCAPES) {
          body += CONTROL_ESCAPES[e!]!;
          i += 2;
        } else if (e === 'x') {
          i += 2;
          body += litInClass(hexEscape());
        } else if (/[!-/:-@[-`{-~]/.test(e!)) {
          body += litInClass(e!);
          i += 2;
        } else fail(`the escape \\${e} inside a character class`);
      } else if (c === '-' && !first && source[i + 1] !== ']') {
        body += '-';
        i++;
      } else {
        body += c === '-' || c === ']' ? litInClass(c) : c === '[' || c === '^' ? litInClass(c) : c!;
        i++;
      }
      first = false;
    }
    i++; // ]
    return `[${negated ? '^' : ''}${body}]`;
  };
  const repeat = (): string => {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return '';
    const lo = Number(m[1]);
    const hi = m[3] === undefined || m[3] === '' ? lo : Number(m[3]);
    if (Math.max(lo, hi) > MAX_REPEAT[flavour]) fail(`a repeat count above ${MAX_REPEAT[flavour]}`);
    i += m[0].length;
    return m[0];
  };
  let out = '';
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') out += escape();
    else if (c === '[') out += cls();
    else if (c === '.') {
      out += '[^\n]';
      i++;
    } else if (c === '(') {
      if (source[i + 1] === '?') {
        const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(source.slice(i));
        if (source[i + 2] === ':') {
          out += flavour === 'snowflake' ? '(' : '(?:';
          i += 3;
        } else if (named) {
          out += '(';
          i += named[0].length;
        } else fail('inline flags such as (?i) inside the pattern');
      } else {
        out += '(';
        i++;
      }
    } else if (c === '*' || c === '+' || c === '?') {
      out += c;
      i++;
      if (source[i] === '?') i++; // lazy: the same yes/no answer for a search
    } else if (c === '{') {
      const r = repeat();
      if (r) {
        out += r;
        if (source[i] === '?') i++;
      } else {
        out += lit('{');
        i++;
      }
    } else if (c === '}') {
      out += lit('}');
      i++;
    } else {
      // Java's `$` also matches before a final line break; RE2's only at the end.
      out += c === '$' && flavour === 'java' ? '\\z' : c === ')' || c === '|' || c === '^' || c === '$' ? c : lit(c);
      i++;
    }
  }
  return { pattern: out, ignoreCase };
}
