#!/usr/bin/env node
// Runs bench/duckdb-score.sql (rules/default.yaml by hand in DuckDB SQL) on a CSV file and writes
// the scored CSV to stdout: the DuckDB peer row of `npm run bench` (issue 17).
//
//   node bench/duckdb-score.mjs FILE [--as-of 2026-11-01] [--threads 1]
//
// --threads N   DuckDB's worker threads (`SET threads=N`); default: DuckDB's own (one per core).
//               The table uses 1, the fair match for qualify on a busy machine.
// DuckDB writes the file itself (COPY ... TO '/dev/stdout'), as it would in a data engineer's
// script; nothing passes through JavaScript. Exit 2 for bad usage, 1 when DuckDB fails.

import { createReadStream, fstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

function usage(msg) {
  process.stderr.write(`duckdb-score: ${msg}\nusage: node bench/duckdb-score.mjs FILE [--as-of YYYY-MM-DD] [--threads N]\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let file = null;
let asOf = '2026-11-01';
let threads = null;
let probe = false;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--as-of') asOf = argv[++i] ?? usage('--as-of needs a date');
  else if (a === '--threads') threads = Number(argv[++i]);
  else if (a === '--probe') probe = true;
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else if (file === null) file = a;
  else usage('one FILE only');
}
if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) usage(`--as-of must be YYYY-MM-DD, got ${asOf}`);
if (threads !== null && !(Number.isInteger(threads) && threads >= 1)) usage('--threads must be a positive integer');

let duckdb;
try {
  duckdb = await import('@duckdb/node-api');
} catch (err) {
  process.stderr.write(`duckdb-score: @duckdb/node-api is not installed (npm ci): ${err.message}\n`);
  process.exit(1);
}

if (probe) {
  process.stdout.write(`DuckDB ${duckdb.version()}\n`);
  process.exit(0);
}
if (file === null) usage('FILE is missing');

// DuckDB writes the file itself when stdout is a file or a pipe; a socket (a Node parent's
// 'pipe') cannot be opened by path, so then it writes a temp file that is copied to stdout.
const st = fstatSync(1);
const direct = st.isFile() || st.isFIFO() || st.isCharacterDevice();
const tmpDir = direct ? null : mkdtempSync(join(tmpdir(), 'duckdb-score-'));
const target = direct ? '/dev/stdout' : join(tmpDir, 'scored.csv');
let sqlText = readFileSync(join(HERE, 'duckdb-score.sql'), 'utf8');
if (!direct) sqlText = sqlText.replace("TO '/dev/stdout'", `TO '${target.replace(/'/g, "''")}'`);
const quote = (s) => `'${s.replace(/'/g, "''")}'`;
try {
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  if (threads) await con.run(`SET threads = ${threads};`);
  await con.run(`SET VARIABLE input = ${quote(resolve(file))}; SET VARIABLE as_of = DATE ${quote(asOf)};`);
  await con.run(sqlText);
  con.closeSync?.();
  if (!direct) await pipeline(createReadStream(target), process.stdout);
} catch (err) {
  process.stderr.write(`duckdb-score: ${err.message}\n`);
  process.exitCode = 1;
} finally {
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
}
