#!/usr/bin/env node
// Keeps bench/miller-score.mlr honest: runs it and `qualify score` on the same generated file and
// counts, per score column, the rows where they disagree. The Miller row of the bench is only a
// fair comparison if it does the same work and reaches the same verdicts.
//
//   node bench/check-miller.mjs [--rows 100000] [--seed 42] [--show 5]
//
// Exit 0 when fit/engagement/score/tier/grade/stage agree on every row, 1 otherwise. `action`
// is compared too; `reasons` is not (Miller's labels are shorter on purpose, see the .mlr header).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { ensureDataset } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const AS_OF = '2026-11-01';
const COLUMNS = ['fit', 'engagement', 'score', 'tier', 'grade', 'stage', 'action'];
const MUST_AGREE = new Set(['fit', 'engagement', 'score', 'tier', 'grade', 'stage']);

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${cmd} exited ${code}: ${err.slice(-2000)}`))));
  });
}

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i === -1 ? dflt : Number(argv[i + 1]);
};
const rows = opt('--rows', 100000);
const seed = opt('--seed', 42);
const show = opt('--show', 5);

if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
  console.error('check-miller: dist/cli.js is missing; run `npm run build` first');
  process.exit(2);
}
const file = await ensureDataset(rows, seed, (m) => console.error(m));
const [q, m] = await Promise.all([
  run(process.execPath, ['bin/qualify.js', 'score', file, '--rules', 'rules/default.yaml', '--as-of', AS_OF, '--quiet', '--no-sanitize']),
  run('mlr', ['--icsv', '--ocsv', 'put', '-s', `as_of=${AS_OF}`, '-f', 'bench/miller-score.mlr', file]),
]);
const qr = parse(q, { columns: true, bom: true });
const mr = parse(m, { columns: true, bom: true });
if (qr.length !== mr.length) {
  console.error(`row counts differ: qualify ${qr.length}, miller ${mr.length}`);
  process.exit(1);
}
let failed = false;
for (const c of COLUMNS) {
  const bad = [];
  for (let i = 0; i < qr.length; i++) if (qr[i][c] !== mr[i][c]) bad.push(i);
  const pct = ((100 * bad.length) / qr.length).toFixed(3);
  console.log(`${c.padEnd(10)} ${bad.length === 0 ? 'agree on all rows' : `${bad.length} rows differ (${pct}%)`}`);
  for (const i of bad.slice(0, show)) {
    console.log(`  record ${i + 1}: qualify=${JSON.stringify(qr[i][c])} miller=${JSON.stringify(mr[i][c])}`);
    console.log(`    qualify reasons: ${qr[i].reasons}`);
    console.log(`    miller reasons:  ${mr[i].reasons}`);
  }
  if (bad.length > 0 && MUST_AGREE.has(c)) failed = true;
}
process.exit(failed ? 1 : 0);
