// Loading the peer engines of the bench (issue 17): nodejs-polars and @duckdb/node-api, and saying
// why one cannot run, so that the runner and check-peers.mjs skip it with that reason.
//
// nodejs-polars keeps its compiled engine in a per-platform package (nodejs-polars-linux-x64-gnu
// and the like), an optional dependency. Those packages of 0.25.2 declare `engines: node >= 22`,
// and npm leaves out an optional dependency whose engines do not match, whatever --force or
// engine-strict say: on Node 20, `npm ci` installs nodejs-polars without its engine. The engine
// itself loads and runs on Node 20, so `node bench/fetch-polars-engine.mjs` fetches that package
// with `npm pack` into bench/out/polars-engine/, and loadPolars() uses it from there when
// node_modules has none.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
export const POLARS_ENGINE_DIR = join(HERE, 'out', 'polars-engine');
const require = createRequire(join(ROOT, 'package.json'));

/** The name of nodejs-polars' engine package for this platform, from the loader's error. */
function missingEngineName(err) {
  const m = /Cannot find module '(nodejs-polars-[a-z0-9-]+)'/.exec(String(err && err.message));
  return m ? m[1] : null;
}

/** The version of nodejs-polars in node_modules, or null. */
export function polarsVersion() {
  try {
    return JSON.parse(readFileSync(require.resolve('nodejs-polars/package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** The engine package nodejs-polars wants on this platform (e.g. nodejs-polars-linux-x64-gnu). */
export function polarsEnginePackage() {
  const abi = process.platform === 'linux' ? (process.report?.getReport?.().header?.glibcVersionRuntime ? '-gnu' : '-musl') : process.platform === 'win32' ? '-msvc' : '';
  return `nodejs-polars-${process.platform}-${process.arch}${abi}`;
}

/**
 * nodejs-polars, loaded; its engine from node_modules or else from bench/out/polars-engine/.
 * Throws an Error whose message says what to do when neither has it.
 */
export function loadPolars() {
  try {
    return require('nodejs-polars');
  } catch (err) {
    const name = missingEngineName(err);
    if (!name) {
      if (err && err.code === 'MODULE_NOT_FOUND' && polarsVersion() === null) throw new Error('nodejs-polars is not installed (npm ci installs it as a dev dependency)');
      throw err;
    }
    const pkgDir = join(POLARS_ENGINE_DIR, name);
    if (!existsSync(join(pkgDir, 'package.json'))) {
      throw new Error(`nodejs-polars has no engine for this platform: npm left out ${name}@${polarsVersion()} (it declares engines node >= 22; this is ${process.version}); \`node bench/fetch-polars-engine.mjs\` fetches it`);
    }
    const main = join(pkgDir, JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).main);
    // nodejs-polars' loader asks for the package by name: answer with the fetched file.
    const resolveFilename = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      return request === name ? main : resolveFilename.call(this, request, ...rest);
    };
    for (const id of Object.keys(require.cache)) if (id.includes(`${join('node_modules', 'nodejs-polars')}`)) delete require.cache[id];
    return require('nodejs-polars');
  }
}

/**
 * Whether a peer script can run here: runs `node SCRIPT --probe` (a child, so that the runner
 * never maps a 115 MB engine itself). { version } (e.g. `nodejs-polars 0.25.2`) or { problem }.
 */
export function probePeer(script) {
  const r = spawnSync(process.execPath, [join(HERE, script), '--probe'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status === 0) return { version: r.stdout.trim(), problem: null };
  const msg = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').pop();
  return { version: null, problem: msg.replace(/^[a-z-]+: /, '') };
}
