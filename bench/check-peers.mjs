#!/usr/bin/env node
// Keeps the Polars and DuckDB translations of rules/default.yaml honest (issue 17), as
// check-miller.mjs does for Miller: runs each and `qualify score` on the same generated file and
// counts, per score column, the rows where they disagree. A peer row of the bench is only a fair
// comparison if it does the same work and reaches the same verdicts.
//
//   node bench/check-peers.mjs [--rows 100000] [--seed 42] [--show 5] [--only polars,duckdb,duckdb-mt] [--strict]
//
// Peers: polars (bench/polars-score.mjs), duckdb (bench/duckdb-score.mjs --threads 1) and
// duckdb-mt (the same with DuckDB's default threads: the row order must survive them too).
// Exit 0 when fit, engagement, score, tier, grade, stage and action agree with qualify on every
// row for every peer that ran, and the peers' `reasons` agree with each other; 1 when any differs or fails; 2 for bad usage or a missing build. A peer that
// cannot run here (not installed) is skipped with the reason, and fails the check with --strict.
// `reasons` is not compared: the peers write Miller's shorter labels on purpose (see the header of
// either translation).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { ensureDataset } from './generate.mjs';
import { probePeer } from './peer-engines.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const AS_OF = '2026-11-01';
const COLUMNS = ['fit', 'engagement', 'score', 'tier', 'grade', 'stage', 'action'];
const PEERS = {
  polars: { script: 'polars-score.mjs', args: [] },
  duckdb: { script: 'duckdb-score.mjs', args: ['--threads', '1'] },
  'duckdb-mt': { script: 'duckdb-score.mjs', args: [] },
};

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`))));
  });
}

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i === -1 ? dflt : argv[i + 1];
};
const rows = Number(opt('--rows', 100000));
const seed = Number(opt('--seed', 42));
const show = Number(opt('--show', 5));
const strict = argv.includes('--strict');
const only = String(opt('--only', Object.keys(PEERS).join(','))).split(',').filter(Boolean);
for (const id of only) {
  if (!PEERS[id]) {
    console.error(`check-peers: unknown peer ${id} (peers: ${Object.keys(PEERS).join(', ')})`);
    process.exit(2);
  }
}
if (!Number.isInteger(rows) || rows < 1) {
  console.error('check-peers: --rows must be a positive integer');
  process.exit(2);
}
if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
  console.error('check-peers: dist/cli.js is missing; run `npm run build` first');
  process.exit(2);
}

const file = await ensureDataset(rows, seed, (m) => console.error(m));
const runnable = [];
let failed = false;
for (const id of only) {
  const { version, problem } = probePeer(PEERS[id].script);
  if (problem) {
    console.log(`${id}: skipped: ${problem}`);
    if (strict) failed = true;
  } else runnable.push({ id, version });
}

// One at a time: the machine is shared, and each engine wants every core it can get.
const outputs = new Map();
const q = parse(await run(process.execPath, ['bin/qualify.js', 'score', file, '--rules', 'rules/default.yaml', '--as-of', AS_OF, '--quiet', '--no-sanitize']), { columns: true, bom: true });
for (const { id, version } of runnable) {
  const { script, args } = PEERS[id];
  let p;
  try {
    p = parse(await run(process.execPath, [join('bench', script), file, '--as-of', AS_OF, ...args]), { columns: true, bom: true });
  } catch (err) {
    console.log(`${id} (${version}): FAILED: ${err.message}`);
    failed = true;
    continue;
  }
  outputs.set(id, p);
  console.log(`${id} (${version}) vs qualify, ${q.length.toLocaleString('en-US')} rows:`);
  if (p.length !== q.length) {
    console.log(`  row counts differ: qualify ${q.length}, ${id} ${p.length}`);
    failed = true;
    continue;
  }
  for (const c of COLUMNS) {
    const bad = [];
    for (let i = 0; i < q.length; i++) if (q[i][c] !== p[i][c]) bad.push(i);
    const pct = ((100 * bad.length) / q.length).toFixed(3);
    console.log(`  ${c.padEnd(10)} ${bad.length === 0 ? 'agree on all rows' : `${bad.length} rows differ (${pct}%)`}`);
    for (const i of bad.slice(0, show)) {
      console.log(`    record ${i + 1} (${q[i]['Lead ID']}): qualify=${JSON.stringify(q[i][c])} ${id}=${JSON.stringify(p[i][c])}`);
      console.log(`      qualify reasons: ${q[i].reasons}`);
    }
    if (bad.length > 0) failed = true;
  }
}
// The peers' `reasons` follow one format (Miller's short one), so two peers must agree on them.
const ran = [...outputs.keys()];
for (let k = 1; k < ran.length; k++) {
  const [a, b] = [outputs.get(ran[0]), outputs.get(ran[k])];
  if (a.length !== b.length) continue;
  const bad = [];
  for (let i = 0; i < a.length; i++) if (a[i].reasons !== b[i].reasons) bad.push(i);
  console.log(`reasons, ${ran[0]} vs ${ran[k]}: ${bad.length === 0 ? 'agree on all rows' : `${bad.length} rows differ`}`);
  for (const i of bad.slice(0, show)) console.log(`  record ${i + 1}: ${ran[0]}=${JSON.stringify(a[i].reasons)} ${ran[k]}=${JSON.stringify(b[i].reasons)}`);
  if (bad.length > 0) failed = true;
}
process.exit(failed ? 1 : 0);
