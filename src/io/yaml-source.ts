// Reads a YAML file into a Document that keeps node ranges, and turns a path into that document
// into a file:line:col Location with the offending line as a snippet. Shared by the rules
// compiler and the questionnaire loader so that both report mistakes the same way.
import { LineCounter, parseDocument, isNode, isScalar, visit, type Document, type Node } from 'yaml';
import { QualifyError, type Location } from '../core/errors.js';

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parses YAML text; syntax errors become QualifyErrors with their position. */
export function parseYamlSource(file: string, text: string): { source?: YamlSource; errors: QualifyError[] } {
  const lines = new LineCounter();
  // uniqueKeys: a duplicated key is an error, not a silent overwrite. toJS({maxAliasCount}) in
  // the compiler guards against alias bombs.
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const source: YamlSource = { file, text, doc, lines };
  const errors: QualifyError[] = [];
  for (const e of doc.errors) {
    const offset = e.pos[0];
    errors.push(new QualifyError('RULES_SYNTAX', firstLine(e.message), locationAtOffset(source, offset, [])));
  }
  // A "\ud800" escape gives a string no UTF-8 file can hold: output would get U+FFFD instead.
  visit(doc, (_key, node) => {
    if (isScalar(node) && typeof node.value === 'string' && LONE_SURROGATE.test(node.value) && node.range) {
      errors.push(new QualifyError('RULES_SYNTAX', 'this text holds half of a surrogate pair (an escape such as "\\ud800" on its own), which no text file can hold', locationAtOffset(source, node.range[0], [])));
    }
  });
  if (errors.length === 0 && (doc.contents === null || doc.contents === undefined)) {
    errors.push(new QualifyError('RULES_SYNTAX', 'the file is empty', { kind: 'yaml', file, line: 1, col: 1, path: [] }));
  }
  return errors.length ? { errors } : { source, errors };
}

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
