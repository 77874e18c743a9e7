// JSON out: one array of objects, `[`, then `{` + input fields + score fields + `}` per row,
// `,\n` between them. Input columns become string fields under unique keys (uniqueKeys); the
// score fields are typed (numbers, reasons as [{rule, points, why}]). Keys are encoded once
// per file, never through a plain object, so a `__proto__` header is just a column. NDJSON
// (ndjson.ts) writes the same objects one a line.
import type { Reason, ScoreResult } from '../../core/scoring/engine.js';
import { uniqueKeys } from '../../io/record-writer.js';
import type { OutputFormat, RowComposer, RowComposerConfig, ScorePartConfig } from './format.js';

/**
 * The input part of an object, each field followed by `,`: input columns as strings under unique
 * keys; `skip` marks input columns that are old score columns (re-scoring a scored file), whose
 * fresh values come from the score part.
 */
export function createJsonInputFields(header: readonly string[], skip: ReadonlySet<number>): (row: readonly string[]) => string {
  const keys = uniqueKeys(header).map((k) => JSON.stringify(k) + ':');
  const columns = keys.map((_, i) => i).filter((i) => !skip.has(i));
  return (row) => {
    let out = '';
    for (let j = 0; j < columns.length; j++) {
      const i = columns[j]!;
      out += keys[i]! + JSON.stringify(row[i] ?? '') + ',';
    }
    return out;
  };
}

/** The score fields, from the first key to the last value (no braces): numbers as numbers, text
 * as strings (a missing grade as null), reasons as [{rule, points, why}]. */
export function jsonScorePart(cfg: ScorePartConfig): (s: ScoreResult) => string {
  const fields = cfg.fields.map(({ name, value: v }): ((s: ScoreResult) => string) => {
    const key = JSON.stringify(name) + ':';
    switch (v.kind) {
      case 'number':
        return (s) => key + v.get(s);
      case 'text':
      case 'stage': {
        // A handful of values a file (from the rules): each encoded once.
        const seen = new Map<string | null, string>();
        return (s) => {
          const t = v.get(s);
          let w = seen.get(t);
          if (w === undefined) {
            if (seen.size >= 256) seen.clear();
            seen.set(t, (w = key + JSON.stringify(t)));
          }
          return w;
        };
      }
      case 'reasons':
        return (s) => {
          const reasons = v.get(s);
          let out = key + '[';
          for (let i = 0; i < reasons.length; i++) out += (i ? ',' : '') + reasonJson(reasons[i]!);
          return out + ']';
        };
    }
  });
  const n = fields.length;
  return (s) => {
    let part = fields[0]!(s);
    for (let i = 1; i < n; i++) part += ',' + fields[i]!(s);
    return part;
  };
}

// The engine hands out the same frozen Reason for the same rule and points (fixed rules, units,
// decay per age): its JSON is encoded once. Reasons made for one row are collected as usual.
const reasonJsonOf = new WeakMap<Reason, string>();
function reasonJson(r: Reason): string {
  let j = reasonJsonOf.get(r);
  if (j === undefined) {
    j = '{"rule":' + JSON.stringify(r.rule) + ',"points":' + r.points + ',"why":' + JSON.stringify(r.why) + '}';
    // Only frozen reasons are shared between rows; another could change.
    if (Object.isFrozen(r)) reasonJsonOf.set(r, j);
  }
  return j;
}

const CLOSE = Buffer.from('}');

/** Objects separated by `separator`; the first one preceded by `first`. */
export function jsonObjectComposer(cfg: RowComposerConfig, first: string, separator: string): RowComposer {
  const width = cfg.header.length;
  const input = createJsonInputFields(cfg.header, new Set(Array.from(cfg.scoreAt).filter((at) => at < width)));
  let lead = first;
  return (out, batch, b, parts) => {
    out.text(lead + '{' + input(batch[b]!));
    lead = separator;
    out.bytes(parts.bytes, b === 0 ? 0 : parts.ends[b - 1]!, parts.ends[b]!);
    out.bytes(CLOSE);
  };
}

export const format: OutputFormat = {
  name: 'json',
  inPlace: false,
  keepsInputEncoding: false,
  reading: () => ({}),
  prologue: () => '[',
  scorePart: jsonScorePart,
  rowComposer: (cfg) => jsonObjectComposer(cfg, '\n', ',\n'),
  epilogue: (rows) => (rows === 0 ? ']\n' : '\n]\n'),
};
