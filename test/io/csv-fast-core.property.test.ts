// Property: the byte-level scanner (src/io/csv/fast-core.ts) is csv-parse, as the reader drives
// it. Over generated nasty CSVs (every delimiter the reader accepts; quoted values with doubled
// quotes and line breaks; CRLF, LF and CR; empty fields and blank lines; a trailing line ending or
// not; unicode; stray quotes, ragged rows, lone CRs, NULs) cut into random slices (anywhere,
// inside a multi-byte character too), both cores get the same calls and must push the same
// records in the same calls, with the same `info` counters at each push, and return the same
// error (code, message, line, record, column). csv-parse's own core is the oracle.
import fc from 'fast-check';
import type { Options as ParseOptions } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { FastCore } from '../../src/io/csv/fast-core.js';
import { createCore, createCsvParseCore, fastOptionsFor, type ParserCore } from '../../src/io/csv/parser-core.js';

/** Modest for CI; QUALIFY_PROPERTY_RUNS=5000 for a longer hunt. */
const RUNS = Number(process.env['QUALIFY_PROPERTY_RUNS'] ?? 300);

interface Call {
  pushed: { record: string[]; lines: number; bytes: number; empty_lines: number; records: number }[];
  error?: Record<string, unknown>;
}

/** Feeds `slices` (then the end) to a core as the reader does; what it pushed per call and the
 * error it stopped on. */
function drive(core: ParserCore, slices: Buffer[]): Call[] {
  const calls: Call[] = [];
  const info = () => core.info as ParserCore['info'] & { records: number };
  const inputs: (Buffer | undefined)[] = [...slices, undefined];
  for (let c = 0; c < inputs.length; c++) {
    const call: Call = { pushed: [] };
    calls.push(call);
    const err = core.parse(inputs[c], c === inputs.length - 1, (record) => call.pushed.push({ record, lines: info().lines, bytes: info().bytes, empty_lines: info().empty_lines, records: info().records }), () => {});
    if (err !== undefined) {
      const e = err as Error & Record<string, unknown>;
      call.error = { code: e['code'], message: e.message, lines: e['lines'], records: e['records'], column: e['column'], bytes: e['bytes'], empty_lines: e['empty_lines'], quoting: e['quoting'] };
      break;
    }
  }
  const last = calls[calls.length - 1]!;
  if (last.error === undefined) (last as Call & { after?: unknown }).after = { ...core.info };
  return calls;
}

const DELIMITERS = [',', ';', '\t', '|'];

/** A value as a writer would put it, or a damaged one. */
const value = (delim: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.constantFrom('a', 'Z', '7', ' ', '.', '@', '$', '-'), { maxLength: 6 }).map((parts) => parts.join('')) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
    {
      weight: 3,
      arbitrary: fc
        .array(fc.constantFrom('a', ' ', '"', delim, ',', ';', '\n', '\r\n', '\r', 'é', '🎉', '中'), { maxLength: 6 })
        .map((parts) => `"${parts.join('').replaceAll('"', '""')}"`),
    },
    { weight: 1, arbitrary: fc.constantFrom('', '""', '"a"b', 'a"b', '"a" ', '"unclosed', '\r', 'x\ry', '\u0000', '"a"\u0000', '"a"\r', ' "a"', '"\r\n"', '"\n\n"') },
  );

const csvText = fc.constantFrom(...DELIMITERS).chain((delim) =>
  fc.record({
    delim: fc.constant(delim),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    mixEols: fc.boolean(),
    rows: fc.array(fc.array(value(delim), { minLength: 1, maxLength: 4 }), { maxLength: 8 }),
    blanks: fc.array(fc.nat(7), { maxLength: 3 }),
    finalEol: fc.boolean(),
    otherEols: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 8, maxLength: 8 }),
  }),
);

const options = fc.record({
  crFile: fc.boolean(),
  skipEmpty: fc.boolean(),
  relax: fc.boolean(),
  max: fc.constantFrom(undefined, 0, 12, 64, 16 * 1024 * 1024),
});

function build(t: { delim: string; eol: string; mixEols: boolean; rows: string[][]; blanks: number[]; finalEol: boolean; otherEols: string[] }): string {
  const lines = t.rows.map((r) => r.join(t.delim));
  for (const b of t.blanks) if (b <= lines.length) lines.splice(b, 0, '');
  let out = '';
  lines.forEach((l, i) => {
    out += l;
    if (i < lines.length - 1 || t.finalEol) out += t.mixEols ? t.otherEols[i % 8]! : t.eol;
  });
  return out;
}

/** `bytes` cut at the given points (sorted, deduplicated); empty slices included when asked. */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of at) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

function parseOptions(delim: string, o: { crFile: boolean; skipEmpty: boolean; relax: boolean; max: number | undefined }): ParseOptions {
  return {
    delimiter: delim,
    record_delimiter: o.crFile ? ['\r'] : ['\r\n', '\n'],
    bom: false,
    relax_column_count: o.relax,
    skip_empty_lines: o.skipEmpty,
    ...(o.max !== undefined ? { max_record_size: o.max } : {}),
  };
}

function fastCore(opts: ParseOptions): FastCore {
  return new FastCore(fastOptionsFor(opts)!, () => createCsvParseCore(opts));
}

describe('the byte-level CSV scanner against csv-parse', () => {
  it('takes every option set the reader builds (form.ts)', () => {
    for (const delim of DELIMITERS) for (const crFile of [true, false]) expect(fastOptionsFor(parseOptions(delim, { crFile, skipEmpty: true, relax: false, max: 16 << 20 }))).toBeDefined();
    expect(createCore(parseOptions(',', { crFile: false, skipEmpty: true, relax: false, max: undefined }))).toBeInstanceOf(FastCore);
  });

  it('leaves other options to csv-parse', () => {
    expect(fastOptionsFor({ delimiter: '::', record_delimiter: ['\n'] })).toBeUndefined();
    expect(fastOptionsFor({ delimiter: '"', record_delimiter: ['\r\n', '\n'] })).toBeUndefined();
    expect(fastOptionsFor({ delimiter: '€', record_delimiter: ['\r\n', '\n'] })).toBeUndefined();
    expect(fastOptionsFor({ delimiter: ',', record_delimiter: ['\r\n', '\n'], relax_quotes: true })).toBeUndefined();
    expect(fastOptionsFor({ delimiter: ',', record_delimiter: ['\r\n', '\n'], bom: true })).toBeUndefined();
  });

  it('pushes the same records, counters and errors, in the same calls, for any text and any slicing', () => {
    fc.assert(
      fc.property(csvText, options, fc.array(fc.nat(), { maxLength: 12 }), (t, o, points) => {
        const bytes = Buffer.from(build(t), 'utf8');
        const opts = parseOptions(t.delim, o);
        const slices = cut(bytes, points);
        expect(drive(fastCore(opts), slices)).toEqual(drive(createCsvParseCore(opts), slices));
      }),
      { numRuns: RUNS },
    );
  }, 30_000 + RUNS * 200);

  it('agrees on a long file in the reader\'s 64 KiB slices, and keeps the fast path on well-formed rows', () => {
    const row = (i: number) => [`${i}`, `"Acme, ""Inc"" ${i}"`, 'José 🎉', '', `"two\r\nlines"`, '"$12,000"'].join(',');
    const text = ['id,name,who,empty,notes,budget', ...Array.from({ length: 3000 }, (_, i) => row(i))].join('\r\n') + '\r\n';
    const bytes = Buffer.from(text, 'utf8');
    const slices: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 65536) slices.push(bytes.subarray(at, at + 65536));
    const opts = parseOptions(',', { crFile: false, skipEmpty: true, relax: false, max: 16 << 20 });
    const fast = fastCore(opts);
    const got = drive(fast, slices);
    expect(got).toEqual(drive(createCsvParseCore(opts), slices));
    expect(fast.handedOver()).toBe(false);
    expect(got.reduce((n, c) => n + c.pushed.length, 0)).toBe(3001);
  });

  it('hands a bad row to csv-parse with the counters it had reached (line, record, code)', () => {
    const opts = parseOptions(',', { crFile: false, skipEmpty: true, relax: false, max: 16 << 20 });
    const bytes = Buffer.from('a,b\n1,"x\ny"\n\n2,3\n4,5"\n', 'utf8');
    const fast = fastCore(opts);
    const calls = drive(fast, [bytes]);
    expect(fast.handedOver()).toBe(true);
    expect(calls.flatMap((c) => c.pushed.map((p) => p.record))).toEqual([['a', 'b'], ['1', 'x\ny'], ['2', '3']]);
    expect(calls.at(-1)!.error).toMatchObject({ code: 'INVALID_OPENING_QUOTE', lines: 6, records: 3 });
    expect(calls).toEqual(drive(createCsvParseCore(opts), [bytes]));
  });
});
