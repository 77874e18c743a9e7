// Reads a YAML file into a Document that keeps node ranges, and turns a path into that document
// into a file:line:col Location with the offending line as a snippet. Shared by the rules
// compiler and the questionnaire loader so that both report mistakes the same way.
import { LineCounter, parseDocument, isNode, isScalar, visit, type Alias, type Document, type Node } from 'yaml';
import { QualifyError, type ErrorCode, type Location } from './errors.js';

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parses YAML text; syntax errors become QualifyErrors with their position. */
export function parseYamlSource(file: string, text: string): { source?: YamlSource; errors: QualifyError[] } {
  const lines = new LineCounter();
  // uniqueKeys: a duplicated key is an error, not a silent overwrite. toJsSafely() guards
  // against alias bombs.
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const source: YamlSource = { file, text, doc, lines };
  const errors: QualifyError[] = [];
  for (const e of doc.errors) {
    const offset = e.pos[0];
    const message = STACK_OVERFLOW.test(e.message) ? TOO_DEEP : firstLine(e.message);
    errors.push(new QualifyError('RULES_SYNTAX', message, locationAtOffset(source, offset, [])));
    if (message === TOO_DEEP) break; // the parser gave up there: what follows is noise
  }
  // A "\ud800" escape gives a string no UTF-8 file can hold: output would get U+FFFD instead.
  try {
    visit(doc, (_key, node) => {
      if (isScalar(node) && typeof node.value === 'string' && LONE_SURROGATE.test(node.value) && node.range) {
        errors.push(new QualifyError('RULES_SYNTAX', 'this text holds half of a surrogate pair (an escape such as "\\ud800" on its own), which no text file can hold', locationAtOffset(source, node.range[0], [])));
      }
    });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    errors.push(new QualifyError('RULES_SYNTAX', TOO_DEEP, { kind: 'yaml', file, line: 1, col: 1, path: [] }));
  }
  if (errors.length === 0 && (doc.contents === null || doc.contents === undefined)) {
    errors.push(new QualifyError('RULES_SYNTAX', 'the file is empty', { kind: 'yaml', file, line: 1, col: 1, path: [] }));
  }
  return errors.length ? { errors } : { source, errors };
}

const STACK_OVERFLOW = /Maximum call stack size exceeded/;
const TOO_DEEP = 'lists or maps are nested too deeply here for qualify to read (a rules file needs a few levels, not thousands)';

/**
 * The document as plain data. An alias bomb (anchors referring to anchors, growing
 * exponentially) or nesting too deep to convert becomes a QualifyError at the alias or at the
 * file's start, never an internal error. The one way every YAML file of qualify (rules,
 * questionnaires, answers) becomes data.
 */
export function toJsSafely(src: YamlSource, code: ErrorCode = 'RULES_SYNTAX'): { ok: true; value: unknown } | { ok: false; error: QualifyError } {
  // Which alias was being resolved when the limit hit: record it on each alias node of this
  // document (own property, nothing global is changed).
  let culprit: Alias | undefined;
  const aliases: Alias[] = [];
  try {
    visit(src.doc, { Alias: (_k, node) => void aliases.push(node) });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { ok: false, error: new QualifyError(code, TOO_DEEP, { kind: 'yaml', file: src.file, line: 1, col: 1, path: [] }) };
  }
  for (const a of aliases) {
    const toJSON = a.toJSON.bind(a);
    a.toJSON = (arg?: unknown, ctx?: unknown) => {
      try {
        return toJSON(arg, ctx as never);
      } catch (e) {
        culprit ??= a;
        throw e;
      }
    };
  }
  try {
    return { ok: true, value: src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    const at = culprit?.range ? locationAtOffset(src, culprit.range[0], []) : { kind: 'yaml' as const, file: src.file, line: 1, col: 1, path: [] };
    if (e instanceof ReferenceError && /Excessive alias count/.test(e.message)) {
      return { ok: false, error: new QualifyError(code, `this alias (*${culprit?.source ?? '…'}) expands to too much data: aliases that repeat other aliases multiply (more than ${MAX_ALIAS_COUNT} copies)`, at) };
    }
    if (e instanceof ReferenceError && culprit) {
      return { ok: false, error: new QualifyError(code, firstLine(e.message), at) };
    }
    if (e instanceof RangeError) return { ok: false, error: new QualifyError(code, TOO_DEEP, at) };
    throw e;
  } finally {
    for (const a of aliases) delete (a as { toJSON?: unknown }).toJSON;
  }
}

/** How many copies of anchored data the aliases of one file may make in all. */
const MAX_ALIAS_COUNT = 100;

/** In `u` mode a pair is one code point, so this matches only an unpaired half. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

export function locationAtOffset(src: Pick<YamlSource, 'file' | 'text' | 'lines'>, offset: number, path: (string | number)[]): Location {
  const { line, col } = src.lines.linePos(Math.max(0, Math.min(offset, src.text.length)));
  const snippet = src.text.split(/\r?\n/)[line - 1];
  return { kind: 'yaml', file: src.file, line, col, path, snippet };
}

/**
 * Location of the node at `path`. With `key: true` points at the key of the last step (for
 * "unknown key" messages); otherwise at the value. Falls back to the nearest existing parent.
 */
export function locationOf(src: YamlSource, path: (string | number)[], opts: { key?: boolean } = {}): Location {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    if (opts.key && n === path.length && n > 0) {
      const parent = sub.length > 1 ? src.doc.getIn(sub.slice(0, -1), true) : src.doc.contents;
      const keyNode = findKeyNode(parent, sub[sub.length - 1]!);
      if (keyNode?.range) return locationAtOffset(src, keyNode.range[0], path);
    }
    const node = sub.length === 0 ? src.doc.contents : src.doc.getIn(sub, true);
    if (isNode(node) && (node as Node).range) return locationAtOffset(src, (node as Node).range![0], path);
  }
  return { kind: 'yaml', file: src.file, line: 1, col: 1, path };
}

function findKeyNode(parent: unknown, key: string | number): Node | undefined {
  const items = (parent as { items?: { key?: unknown }[] } | null)?.items;
  if (!Array.isArray(items)) return undefined;
  for (const item of items) {
    const k = item.key as { value?: unknown; range?: [number, number, number] } | undefined;
    if (k && (k.value === key || String(k.value) === String(key))) return k as unknown as Node;
  }
  return undefined;
}
