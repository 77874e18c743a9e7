#!/usr/bin/env node
// The floor for `qualify score`: what csv-parse + csv-stringify cost with no scoring at all.
//
//   node bench/passthrough.mjs FILE              tuned: arrays, stringify in batches, ~256 KiB writes
//   node bench/passthrough.mjs --naive FILE      stream parser piped to stream stringifier, defaults
//   node bench/passthrough.mjs --parse-only FILE parse and count records (prints the count on stderr)
//
// Output goes to stdout. Add `--report` to print one JSON line on stderr with the record count and
// process.resourceUsage().maxRSS; bench/run.mjs only uses this as a fallback when /usr/bin/time is
// missing (see bench/README.md).
//
// Why "tuned" is tuned (issue 5 measured ~0.65x of the naive wall time):
// - rows as arrays (no `columns`): no object per record, no property lookups by header name;
// - the stream stringifier pushes one chunk per record through the stream machinery (a push,
//   a buffer-list node and eventually a write per row); instead we collect records and call the
//   *sync* stringifier on a batch, so each chunk written is one ~256 KiB string.

import { createReadStream } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';

const TARGET_WRITE_BYTES = 256 * 1024;
// Records per csv-stringify/sync call. Small on purpose: at 1M rows, batches of 1,400 records
// measured ~1.6x slower than batches of 100-200 (the batch outlives a young-generation GC and
// gets promoted), so we stringify small batches and *concatenate the text* up to the write size.
const STRINGIFY_BATCH = 128;

/** Object-mode records in, ~256 KiB strings out. */
export class BatchStringifier extends Transform {
  constructor(options = {}) {
    super({ writableObjectMode: true, readableObjectMode: false, writableHighWaterMark: 1024 });
    this.options = options;
    this.batch = [];
    this.parts = [];
    this.size = 0;
    this.first = true;
    this.records = 0; // counted here rather than in an extra Transform: every stream hop costs per record
  }

  _transform(record, _enc, cb) {
    this.batch.push(record);
    this.records++;
    if (this.batch.length >= STRINGIFY_BATCH) {
      this.stringifyBatch();
      if (this.size >= TARGET_WRITE_BYTES) this.pushParts();
    }
    cb();
  }

  _flush(cb) {
    if (this.batch.length > 0 || this.first) this.stringifyBatch();
    this.pushParts();
    cb();
  }

  stringifyBatch() {
    // `bom` only on the very first chunk, or each batch would start with one.
    const text = stringifySync(this.batch, { ...this.options, bom: this.first && this.options.bom === true });
    this.first = false;
    this.batch = [];
    this.parts.push(text);
    this.size += text.length;
  }

  pushParts() {
    if (this.parts.length === 0) return;
    this.push(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

function parseArgs(argv) {
  const o = { mode: 'tuned', file: undefined, report: false, bomOut: false };
  for (const a of argv) {
    if (a === '--naive') o.mode = 'naive';
    else if (a === '--parse-only') o.mode = 'parse-only';
    else if (a === '--tuned') o.mode = 'tuned';
    else if (a === '--report') o.report = true;
    else if (a === '--bom-out') o.bomOut = true;
    else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${a}`);
    else o.file = a;
  }
  if (o.file === undefined) throw new Error('usage: passthrough.mjs [--naive|--parse-only] FILE');
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  // Default 64 KiB reads. 1 MiB reads measured *slower* (parse-only 0.96 s vs 0.67 s at 100k rows):
  // each chunk becomes thousands of live records at once, which the GC then has to promote.
  const input = o.file === '-' ? process.stdin : createReadStream(o.file);
  let records = 0;

  if (o.mode === 'naive') {
    // Defaults on purpose: this is the "first thing anyone writes" comparison row.
    const parser = parse();
    const counter = new Transform({
      objectMode: true,
      transform(rec, _e, cb) { records++; cb(null, rec); },
    });
    await pipeline(input, parser, counter, stringify(), process.stdout);
  } else if (o.mode === 'parse-only') {
    const parser = parse({ bom: true, relax_column_count: true });
    await pipeline(input, parser, new Writable({
      objectMode: true,
      highWaterMark: 1024,
      write(_rec, _e, cb) { records++; cb(); },
    }));
  } else {
    // bom: true strips a UTF-8 BOM from Excel exports (else the first header is "\ufeffLead ID").
    // relax_column_count: purchased lists have ragged rows; qualify must not die on them either.
    const parser = parse({ bom: true, relax_column_count: true });
    const out = new BatchStringifier({ bom: o.bomOut });
    await pipeline(input, parser, out, process.stdout);
    records = out.records;
  }

  if (o.mode === 'parse-only') process.stderr.write(`records: ${records}\n`);
  if (o.report) {
    process.stderr.write(JSON.stringify({ records, maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
  }
}

main().catch((err) => {
  // EPIPE (e.g. `| head`) is not a failure of the pass-through.
  if (err && err.code === 'EPIPE') process.exit(0);
  process.stderr.write(`passthrough: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
