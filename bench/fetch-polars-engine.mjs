#!/usr/bin/env node
// Fetches nodejs-polars' engine package for this platform into bench/out/polars-engine/ when
// node_modules has none (see peer-engines.mjs: npm leaves it out on Node 20, as its engines field
// says node >= 22, though it runs on Node 20). Uses `npm pack`, the ordinary client, from the
// configured registry; the version is the one nodejs-polars in node_modules asks for.
//
//   node bench/fetch-polars-engine.mjs          exit 0 when Polars loads afterwards

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolars, POLARS_ENGINE_DIR, polarsEnginePackage, polarsVersion } from './peer-engines.mjs';

const version = polarsVersion();
if (!version) {
  console.error('fetch-polars-engine: nodejs-polars is not installed; run `npm ci` first');
  process.exit(1);
}
try {
  loadPolars();
  console.error(`fetch-polars-engine: nodejs-polars ${version} loads already; nothing to fetch`);
  process.exit(0);
} catch {
  // fetch below
}
const name = polarsEnginePackage();
const dest = join(POLARS_ENGINE_DIR, name);
rmSync(dest, { recursive: true, force: true });
mkdirSync(dest, { recursive: true });
console.error(`fetch-polars-engine: npm pack ${name}@${version} (about 40 MB) ...`);
const pack = spawnSync('npm', ['pack', `${name}@${version}`, '--pack-destination', dest, '--silent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (pack.status !== 0) {
  console.error(`fetch-polars-engine: npm pack failed (exit ${pack.status})`);
  process.exit(1);
}
const tarball = join(dest, pack.stdout.trim().split('\n').pop());
const untar = spawnSync('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1'], { stdio: 'inherit' });
rmSync(tarball, { force: true });
if (untar.status !== 0) {
  console.error('fetch-polars-engine: could not unpack the tarball');
  process.exit(1);
}
try {
  loadPolars();
  console.error(`fetch-polars-engine: ${name}@${version} in ${dest}; nodejs-polars loads`);
} catch (err) {
  console.error(`fetch-polars-engine: fetched, but nodejs-polars still does not load: ${err.message}`);
  process.exit(1);
}
