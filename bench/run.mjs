#!/usr/bin/env node
// `npm run bench`: how fast is `qualify score`, as ratios against what the CSV libraries alone
// cost, measured side by side in one run (issue 5). See bench/README.md for what each row means.
//
//   npm run bench                       1M rows (+ a 100k run), 5 repetitions
//   npm run bench -- --quick            100k rows (+ 10k), 3 repetitions (CI smoke: < 2 min)
//   npm run bench -- --rows 250000 --reps 3 --only tuned,qualify
//   npm run bench -- --load 2             the same with 2 busy processes running throughout
//   npm run bench -- --load 2 --load-apart  ... each in a session of its own (another user's jobs)
//   npm run bench -- --large              also 10M rows: the tuned pass-through, the default engine and --engine duckdb
//
// Method, and why:
// - Every pipeline runs as a whole child process (spawn), as a user would run it: start-up,
//   module loading and process exit are part of the cost.
// - Repetitions alternate the pipelines (A B C A B C ..., starting one further along each time)
//   so that drift on a shared 2-core machine (other jobs, thermal, page cache) hits all rows
//   alike; medians, not means, so that one disturbed run does not move a row.
// - Ratios are taken against the tuned pass-through *of the same run*, never against numbers
//   from another day or machine.
// - Wall time is hrtime around spawn -> exit. Peak RSS and CPU seconds come from GNU time's %M
//   and %U + %S (the kernel's ru_maxrss and ru_utime/ru_stime of the child, read by wait4) when
//   /usr/bin/time exists; otherwise RSS from polling VmHWM in /proc/PID/status (a high-water
//   mark, so polling only misses growth in the last few ms before exit) and no CPU column. The
//   method used is printed under the table.
// - Peers (issue 17): the same rules by hand in Polars and DuckDB SQL, run where installed.
// - --load N starts N busy processes for the whole run (a shared machine), stopped at the end,
//   on an error and on Ctrl-C.
// - stdout goes to a file on tmpfs (/dev/shm when writable) and is checked after each run: exit
//   code 0 and about the expected number of lines. A broken pipeline fails the bench (exit 1)
//   instead of showing up as a fast row.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDataset, OUT_DIR } from './generate.mjs';
import { probePeer } from './peer-engines.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const AS_OF = '2026-11-01'; // the generator's dates are relative to it
const NODE = process.execPath;

// ---- options ---------------------------------------------------------------------------------
function parseArgs(argv) {
  const o = { rows: undefined, quick: false, reps: undefined, only: null, seed: 42, strict: false, mlrRows: 'small', keep: false, load: 0, loadApart: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--rows') o.rows = Number(val());
    else if (a === '--reps') o.reps = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--only') o.only = new Set(val().split(',').map((s) => s.trim()).filter(Boolean));
    else if (a === '--strict') o.strict = true;
    else if (a === '--mlr-rows') o.mlrRows = val();
    else if (a === '--keep') o.keep = true;
    else if (a === '--load') o.load = Number(val());
    else if (a === '--load-apart') o.loadApart = true;
    else if (a === '--large') o.large = true;
    else if (a === '--large-rows') o.largeRows = Number(val());
    else if (a === '-h' || a === '--help') {
      console.log(`usage: node bench/run.mjs [--quick] [--rows N] [--reps R] [--only ids] [--seed S] [--strict] [--mlr-rows small|main] [--load N]
  --quick       ${'100k rows, 3 repetitions (default: 1M rows, 5 repetitions)'}
  --rows N      main data size; the scaling rows use N/10
  --only ids    comma-separated subset of: ${PIPELINE_IDS.join(', ')}, startup
  --strict      a skipped qualify row (dist/ not built, no rules file) fails the run (a peer
                that is not installed is skipped either way)
  --mlr-rows    run Miller on the main size instead of N/10 ("main"; slow: ~250 us/row)
  --keep        keep the output files of the last repetition (in the temp dir printed)
  --load N      run N busy processes (node -e 'for(;;){}') throughout, stopped at the end
  --load-apart  start them each in a session of its own (setsid), as other users' jobs are:
                Linux autogroups then share the CPU between sessions, not threads
  --large       also run the *-large rows on 10M rows (--large-rows N to change it): slow, ~2 GB of data`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (see --help)`);
  }
  o.rows ??= o.quick ? 100_000 : 1_000_000;
  o.reps ??= o.quick ? 3 : 5;
  if (!Number.isInteger(o.rows) || o.rows < 100) throw new Error('--rows must be an integer >= 100');
  if (!Number.isInteger(o.reps) || o.reps < 1) throw new Error('--reps must be a positive integer');
  if (o.mlrRows !== 'small' && o.mlrRows !== 'main') throw new Error('--mlr-rows must be small or main');
  if (!Number.isInteger(o.load) || o.load < 0 || o.load > 64) throw new Error('--load must be an integer from 0 to 64');
  o.largeRows ??= 10_000_000;
  if (!Number.isInteger(o.largeRows) || o.largeRows < 100) throw new Error('--large-rows must be an integer >= 100');
  return o;
}

// ---- environment probes ------------------------------------------------------------------------
function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function gnuTime() {
  // GNU time, not the shell keyword; BusyBox time has no -f %M/-o.
  // BENCH_NO_GNU_TIME=1 forces the /proc fallback, to test it on a machine that has GNU time.
  if (process.env.BENCH_NO_GNU_TIME === '1' || !existsSync('/usr/bin/time')) return null;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', '/dev/null', 'true']);
  return r.status === 0 ? '/usr/bin/time' : null;
}

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Why qualify rows cannot run, or null when they can. */
function qualifyProblem() {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) return 'dist/cli.js is missing: run `npm run build` first';
  if (!existsSync(join(ROOT, 'rules', 'default.yaml'))) return 'rules/default.yaml does not exist yet';
  return null;
}

// ---- pipelines ---------------------------------------------------------------------------------
const qualifyArgs = (file, extra = []) => [NODE, 'bin/qualify.js', 'score', file, '--rules', 'rules/default.yaml', '--as-of', AS_OF, '--quiet', ...extra];
const mlrArgs = (file) => ['mlr', '--icsv', '--ocsv', 'put', '-s', `as_of=${AS_OF}`, '-f', 'bench/miller-score.mlr', file];

// expect: csv (about the input's line count), ndjson (about one line per record), records
// (parse-only prints `records: N` on stderr), text (non-empty stdout), none (exit 0 only).
const PIPELINES = [
  { id: 'naive', label: 'csv-parse -> csv-stringify, stream defaults', size: 'main', cmd: (f) => [NODE, 'bench/passthrough.mjs', '--naive', f], expect: 'csv', base: 'tuned' },
  { id: 'tuned', label: 'tuned pass-through (arrays, 256 KiB writes)', size: 'main', cmd: (f) => [NODE, 'bench/passthrough.mjs', f], expect: 'csv', base: 'tuned' },
  { id: 'parse', label: 'csv-parse only (parse and count)', size: 'main', cmd: (f) => [NODE, 'bench/passthrough.mjs', '--parse-only', f], expect: 'records', base: 'tuned' },
  { id: 'qualify', label: '`qualify score`, CSV out', size: 'main', cmd: (f) => qualifyArgs(f), expect: 'csv', base: 'tuned', needs: 'qualify' },
  { id: 'qualify-ndjson', label: '`qualify score --format ndjson`', size: 'main', cmd: (f) => qualifyArgs(f, ['--format', 'ndjson']), expect: 'ndjson', base: 'tuned', needs: 'qualify' },
  // Issue 17's thread choice: the same run forced onto a worker thread or inline, beside the
  // default (one thread; =auto measures whether sharing pays); only when named (`--only qualify,qualify-worker,qualify-inline`).
  { id: 'qualify-worker', label: '`qualify score`, CSV out, `QUALIFY_WORKER=1` (always sharing with a worker)', size: 'main', cmd: (f) => qualifyArgs(f), env: { QUALIFY_WORKER: '1' }, expect: 'csv', base: 'tuned', needs: 'qualify', optIn: true },
  { id: 'qualify-auto', label: '`qualify score`, CSV out, `QUALIFY_WORKER=auto` (sharing while measured faster)', size: 'main', cmd: (f) => qualifyArgs(f), env: { QUALIFY_WORKER: 'auto' }, expect: 'csv', base: 'tuned', needs: 'qualify', optIn: true },
  { id: 'qualify-inline', label: '`qualify score`, CSV out, `QUALIFY_WORKER=0` (one thread)', size: 'main', cmd: (f) => qualifyArgs(f), env: { QUALIFY_WORKER: '0' }, expect: 'csv', base: 'tuned', needs: 'qualify', optIn: true },
  // Issue 17's CSV scanner (src/io/csv/fast-core.ts) against csv-parse's own core, on the same build.
  { id: 'qualify-csvparse', label: '`qualify score`, CSV out, `QUALIFY_CSV_CORE=csv-parse` (no scanner)', size: 'main', cmd: (f) => qualifyArgs(f), env: { QUALIFY_CSV_CORE: 'csv-parse' }, expect: 'csv', base: 'tuned', needs: 'qualify', optIn: true },
  { id: 'qualify-json', label: '`qualify score --format json`', size: 'main', cmd: (f) => qualifyArgs(f, ['--format', 'json']), expect: 'ndjson', base: 'tuned', needs: 'qualify', optIn: true },
  // The rules compiled to SQL on embedded DuckDB (issue 15), beside the default engine; not in --quick.
  { id: 'qualify-duckdb', label: '`qualify score --engine duckdb`, CSV out', size: 'main', cmd: (f) => qualifyArgs(f, ['--engine', 'duckdb']), expect: 'csv', base: 'tuned', needs: 'qualify', notQuick: true },
  // --large: the same at 10M rows (a file of ~1.8 GB), where DuckDB's engine is meant to earn its keep.
  { id: 'tuned-large', label: 'tuned pass-through', size: 'large', cmd: (f) => [NODE, 'bench/passthrough.mjs', f], expect: 'csv', base: 'tuned-large' },
  { id: 'qualify-large', label: '`qualify score`, CSV out', size: 'large', cmd: (f) => qualifyArgs(f), expect: 'csv', base: 'tuned-large', needs: 'qualify' },
  { id: 'qualify-duckdb-large', label: '`qualify score --engine duckdb`, CSV out', size: 'large', cmd: (f) => qualifyArgs(f, ['--engine', 'duckdb']), expect: 'csv', base: 'tuned-large', needs: 'qualify' },
  { id: 'tuned-small', label: 'tuned pass-through', size: 'small', cmd: (f) => [NODE, 'bench/passthrough.mjs', f], expect: 'csv', base: 'tuned-small' },
  { id: 'qualify-small', label: '`qualify score`, CSV out', size: 'small', cmd: (f) => qualifyArgs(f), expect: 'csv', base: 'tuned-small', needs: 'qualify' },
  { id: 'mlr', label: '`mlr put -f bench/miller-score.mlr` (same rules)', size: 'mlr', cmd: mlrArgs, expect: 'csv', base: 'mlr-base', needs: 'mlr' },
  // Peers (issue 17): the same rules by hand, as a data engineer would run them instead.
  { id: 'polars', label: 'Polars, same rules (`bench/polars-score.mjs`, all cores)', size: 'main', cmd: (f) => [NODE, 'bench/polars-score.mjs', f, '--as-of', AS_OF], expect: 'csv', base: 'tuned', needs: 'polars' },
  { id: 'duckdb', label: 'DuckDB SQL, same rules (`bench/duckdb-score.sql`, 1 thread)', size: 'main', cmd: (f) => [NODE, 'bench/duckdb-score.mjs', f, '--as-of', AS_OF, '--threads', '1'], expect: 'csv', base: 'tuned', needs: 'duckdb' },
  { id: 'duckdb-mt', label: 'DuckDB SQL, same rules (default threads)', size: 'main', cmd: (f) => [NODE, 'bench/duckdb-score.mjs', f, '--as-of', AS_OF], expect: 'csv', base: 'tuned', needs: 'duckdb', notQuick: true },
  // Issue 13: calibrate on the same rows plus an outcome column (generate.mjs --outcome), against
  // `qualify score` of this run (target ≤ 2×, memory flat). Not in --quick: it reads the file twice.
  { id: 'calibrate', label: '`qualify calibrate --outcome Converted` (÷ `qualify score`)', size: 'outcome', cmd: (f) => [NODE, 'bin/qualify.js', 'calibrate', f, '--outcome', 'Converted', '--rules', 'rules/default.yaml', '--as-of', AS_OF, '--format', 'json'], expect: 'text', base: 'qualify', needs: 'qualify', notQuick: true },
];
const PIPELINE_IDS = PIPELINES.map((p) => p.id);
const STARTUP = [
  { id: 'node0', label: '`node -e 0` (start-up floor)', cmd: () => [NODE, '-e', '0'], expect: 'none', base: 'node0' },
  { id: 'version', label: '`qualify --version`', cmd: () => [NODE, 'bin/qualify.js', '--version'], expect: 'text', base: 'node0', needs: 'qualify-cli' },
];

// ---- measuring one run -------------------------------------------------------------------------
function countLines(path) {
  // Streaming newline count: outputs can be 200+ MB; indexOf is a native memchr.
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  let last = 0x0a;
  let n;
  while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) {
    const chunk = n === buf.length ? buf : buf.subarray(0, n);
    let i = -1;
    while ((i = chunk.indexOf(0x0a, i + 1)) !== -1) lines++;
    last = buf[n - 1];
  }
  closeSync(fd);
  return last === 0x0a ? lines : lines + 1; // a last line without its newline still counts
}

function readVmHWM(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // exited between polls
  }
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs argv with stdout to outPath; resolves { wallS, cpuS, rssKiB, stderr, code } (cpuS: user + sys, GNU time only). */
function measure(argv, outPath, ctx, env = {}) {
  return new Promise((resolve) => {
    const out = openSync(outPath, 'w');
    const rssFile = outPath + '.rss';
    const full = ctx.timeBin ? [ctx.timeBin, '-f', '%e %U %S %M', '-o', rssFile, ...argv] : argv;
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), {
      cwd: ROOT,
      stdio: ['ignore', out, 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      // Its own process group, so that a timeout or Ctrl-C stops the pipeline itself and not
      // only /usr/bin/time around it (which would leave the pipeline running on).
      detached: true,
    });
    ctx.current = child; // stopped on Ctrl-C with the busy processes
    let stderr = '';
    child.stderr.on('data', (d) => {
      if (stderr.length < 65536) stderr += d;
    });
    let hwm = 0;
    const poll = ctx.timeBin || !ctx.procfs ? null : setInterval(() => (hwm = Math.max(hwm, readVmHWM(child.pid))), 20);
    const timeout = setTimeout(() => killGroup(child), ctx.timeoutMs);
    const finish = (code, err) => {
      const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      ctx.current = null;
      clearTimeout(timeout);
      if (poll) clearInterval(poll);
      closeSync(out);
      let rssKiB = hwm || null;
      let cpuS = null;
      if (ctx.timeBin && existsSync(rssFile)) {
        // GNU time writes "Command exited with non-zero status N" before its line when the child fails.
        const [, user, sys, maxrss] = readFileSync(rssFile, 'utf8').trim().split('\n').pop().trim().split(/\s+/).map(Number);
        rssKiB = maxrss || null;
        cpuS = Number.isFinite(user) && Number.isFinite(sys) ? user + sys : null;
        rmSync(rssFile, { force: true });
      }
      resolve({ code, wallS, cpuS, rssKiB, stderr: err ? String(err) : stderr });
    };
    child.on('error', (err) => finish(-1, err));
    child.on('close', (code, signal) => finish(signal ? `signal ${signal}` : code));
  });
}

/** Null when the output looks right, else what is wrong. */
function validate(p, res, outPath, ds) {
  if (res.code !== 0) return `exit ${res.code}: ${res.stderr.trim().split('\n').slice(-5).join(' | ')}`;
  const within = (got, want) => Math.abs(got - want) <= Math.max(2, want * 0.01);
  if (p.expect === 'records') {
    const m = /records: (\d+)/.exec(res.stderr);
    if (!m || Number(m[1]) !== ds.rows + 1) return `expected "records: ${ds.rows + 1}" on stderr, got ${JSON.stringify(res.stderr.slice(0, 200))}`;
    return null;
  }
  if (p.expect === 'none') return null;
  const lines = countLines(outPath);
  if (p.expect === 'text') return lines >= 1 ? null : 'no output';
  if (p.expect === 'csv') return within(lines, ds.lines) ? null : `${lines} output lines, expected about ${ds.lines} (the input's)`;
  if (p.expect === 'ndjson') return within(lines, ds.rows) ? null : `${lines} output lines, expected about ${ds.rows} (one per record)`;
  return `unknown expectation ${p.expect}`;
}

// ---- statistics and the table ------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmt = (n, d) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(d));

function summarize(p, ds) {
  const walls = p.runs.map((r) => r.wallS);
  const rss = p.runs.map((r) => r.rssKiB).filter((x) => x);
  const cpu = p.runs.map((r) => r.cpuS).filter((x) => x !== null && x !== undefined);
  const wall = median(walls);
  return {
    wall,
    cpu: cpu.length ? median(cpu) : null,
    spread: walls.length > 1 ? (Math.max(...walls) - Math.min(...walls)) / wall : 0,
    rssMB: rss.length ? median(rss) / 1024 : null,
    rowsPerS: ds ? ds.rows / wall : null,
    mbPerS: ds ? ds.bytes / 1e6 / wall : null,
  };
}

// ---- main ----------------------------------------------------------------------------------------
async function main() {
  const o = parseArgs(process.argv.slice(2));
  const log = (m) => process.stderr.write(m + '\n');
  const started = Date.now();

  const ctx = {
    timeBin: gnuTime(),
    procfs: existsSync('/proc/self/status'),
    timeoutMs: (o.large ? 120 : 30) * 60 * 1000,
  };
  const mlrPath = which('mlr');
  const mlrVersion = mlrPath ? spawnSync('mlr', ['--version'], { encoding: 'utf8' }).stdout.trim() : null;
  const qProblem = qualifyProblem();
  if (!qProblem && newestMtime(join(ROOT, 'src')) > statSync(join(ROOT, 'dist', 'cli.js')).mtimeMs) {
    log('warning: src/ has files newer than dist/cli.js; the bench measures dist/ (run `npm run build`)');
  }

  // Which rows run, and why the others do not. A peer is probed (its engine loaded in a child)
  // only when one of its rows is wanted.
  const skipped = [];
  const wanted = (id, optIn = false) => (o.only === null ? !optIn : o.only.has(id));
  const peers = {};
  const peer = (needs) => (peers[needs] ??= probePeer(needs === 'polars' ? 'polars-score.mjs' : 'duckdb-score.mjs'));
  const available = (p) => {
    if (p.needs === 'qualify' || p.needs === 'qualify-cli') return qProblem ? `skipped: ${qProblem}` : null;
    if (p.needs === 'mlr') return mlrPath ? null : 'skipped: `mlr` not installed (Debian/Ubuntu: apt-get install miller)';
    if (p.notQuick && o.quick && o.only === null) return `skipped in --quick (the CI smoke): \`--only ${p.id}\` runs it`;
    if (p.needs === 'polars' || p.needs === 'duckdb') return peer(p.needs).problem ? `skipped: ${peer(p.needs).problem}` : null;
    return null;
  };
  const active = [];
  for (const p of PIPELINES) {
    if (!wanted(p.id, p.optIn === true)) continue;
    if (p.size === 'large' && !o.large) continue; // only with --large
    const why = available(p);
    if (why) skipped.push({ p, why });
    else active.push({ ...p, runs: [], failed: null });
  }
  const startup = [];
  if (wanted('startup')) {
    for (const p of STARTUP) {
      const why = available(p);
      if (why) skipped.push({ p, why });
      else startup.push({ ...p, runs: [], failed: null });
    }
  }
  if (o.only) for (const id of o.only) if (!PIPELINE_IDS.includes(id) && id !== 'startup') throw new Error(`--only: unknown pipeline ${id}`);

  // Data: cached in bench/out/ by rows+seed (generation of 1M rows takes a few seconds).
  const smallRows = Math.max(100, Math.round(o.rows / 10));
  const datasets = {};
  const need = new Set(active.map((p) => (p.size === 'mlr' ? (o.mlrRows === 'main' ? 'main' : 'small') : p.size)));
  for (const [key, rows] of [['main', o.rows], ['small', smallRows], ['large', o.largeRows]]) {
    if (!need.has(key)) continue;
    const path = await ensureDataset(rows, o.seed, log);
    datasets[key] = { rows, path, bytes: statSync(path).size, lines: countLines(path) };
  }
  if (need.has('outcome')) {
    const path = await ensureDataset(o.rows, o.seed, log, { outcome: true });
    datasets.outcome = { rows: o.rows, path, bytes: statSync(path).size, lines: countLines(path) };
  }
  datasets.mlr = o.mlrRows === 'main' ? datasets.main : datasets.small;

  const tmpBase = existsSync('/dev/shm') ? '/dev/shm' : OUT_DIR;
  const tmp = join(tmpBase, `qualify-bench-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  const cleanup = () => {
    if (!o.keep) rmSync(tmp, { recursive: true, force: true });
  };
  // --load N: busy processes for the whole measurement, as other work on a shared machine. They
  // are this process's children, stopped by pid at the end, on exit (an error) and on Ctrl-C.
  const busy = [];
  const stopLoad = () => {
    for (const c of busy.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.on('exit', stopLoad);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      if (ctx.current) killGroup(ctx.current);
      stopLoad();
      cleanup();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
  const loadStart = loadavg()[0];
  // `for(;;){}`, plus a look every ~2^26 turns at whether the runner is still there: a runner
  // killed with SIGKILL (no handler runs) then leaves no busy process behind on a shared machine.
  // (process.ppid is read once at start-up, so it asks with signal 0 whether that pid still exists.)
  const BUSY = `for (let i = 1; ; i++) if ((i & 0x3ffffff) === 0) try { process.kill(${process.pid}, 0); } catch { process.exit(0); }`;
  // detached: setsid(), so each is a session (an autogroup) of its own, as another user's job is.
  for (let i = 0; i < o.load; i++) busy.push(spawn(NODE, ['-e', BUSY], { stdio: 'ignore', detached: o.loadApart }));
  if (o.load) log(`--load ${o.load}${o.loadApart ? ' --load-apart' : ''}: started ${o.load} busy processes${o.loadApart ? ', each in its own session' : ''} (pids ${busy.map((c) => c.pid).join(', ')})`);

  const runOne = async (p, ds) => {
    const outPath = join(tmp, `${p.id}.out`);
    const rel = (a) => (a.startsWith(ROOT) ? relative(ROOT, a) : a);
    const res = await measure(p.cmd(ds ? rel(ds.path) : undefined), outPath, ctx, p.env);
    const problem = validate(p, res, outPath, ds);
    if (problem) {
      p.failed = problem;
      log(`  FAILED ${p.id}: ${problem}`);
      return;
    }
    p.runs.push(res);
    log(`  ${p.id.padEnd(15)} ${res.wallS.toFixed(2).padStart(7)} s  ${res.rssKiB ? (res.rssKiB / 1024).toFixed(0).padStart(5) + ' MB' : ''}`);
  };

  // Alternate: every repetition runs each pipeline once, starting one further along each time.
  for (let rep = 0; rep < o.reps; rep++) {
    log(`repetition ${rep + 1}/${o.reps}`);
    for (let k = 0; k < active.length; k++) {
      const p = active[(k + rep) % active.length];
      if (p.failed) continue;
      await runOne(p, datasets[p.size]);
    }
  }
  // Start-up: short processes, so more repetitions, alternated the same way.
  const startupReps = Math.max(10, o.reps * 4);
  if (startup.length) log(`start-up, ${startupReps} repetitions`);
  for (let rep = 0; rep < startupReps; rep++) {
    for (let k = 0; k < startup.length; k++) {
      const p = startup[(k + rep) % startup.length];
      if (!p.failed) {
        const res = await measure(p.cmd(), join(tmp, `${p.id}.out`), ctx);
        const problem = validate(p, res, join(tmp, `${p.id}.out`), null);
        if (problem) {
          p.failed = problem;
          log(`  FAILED ${p.id}: ${problem}`);
        } else p.runs.push(res);
      }
    }
  }
  const loadEnd = loadavg()[0];
  stopLoad();
  cleanup();

  // ---- report ----
  const byId = new Map([...active, ...startup].map((p) => [p.id, p]));
  const stats = new Map();
  for (const p of [...active, ...startup]) if (!p.failed && p.runs.length) stats.set(p.id, summarize(p, p.size ? datasets[p.size] : null));
  const baseOf = (p) => (p.base === 'mlr-base' ? (o.mlrRows === 'main' ? 'tuned' : 'tuned-small') : p.base);
  const ratio = (p) => {
    const s = stats.get(p.id);
    const b = stats.get(baseOf(p));
    return s && b ? s.wall / b.wall : null;
  };

  const lines = [];
  lines.push(`| pipeline | rows | wall s (median) | spread | CPU s | rows/s | MB/s | peak RSS MB | vs base |`);
  lines.push(`|---|--:|--:|--:|--:|--:|--:|--:|--:|`);
  const row = (p, ds) => {
    if (p.failed) return `| ${p.label} | ${ds ? fmtInt(ds.rows) : ''} | **FAILED** | | | | | | ${p.failed.replace(/\|/g, '/').slice(0, 120)} |`;
    const s = stats.get(p.id);
    if (!s) return `| ${p.label} | | — | | | | | | |`;
    const r = ratio(p);
    const baseMark = baseOf(p) === p.id ? '**1.00** (base)' : r === null ? '—' : `${r.toFixed(2)}×`;
    return `| ${p.label} | ${ds ? fmtInt(ds.rows) : '—'} | ${fmt(s.wall, ds ? 2 : 3)} | ±${(s.spread * 50).toFixed(0)}% | ${fmt(s.cpu, ds ? 2 : 3)} | ${ds ? fmtInt(s.rowsPerS) : '—'} | ${ds ? fmt(s.mbPerS, 1) : '—'} | ${fmt(s.rssMB, 0)} | ${baseMark} |`;
  };
  for (const p of active) lines.push(row(p, datasets[p.size]));
  for (const p of startup) lines.push(row(p, null));
  const plannedRows = (p) => (p.size === 'large' ? o.largeRows : p.size === 'main' || p.size === 'outcome' || (p.size === 'mlr' && o.mlrRows === 'main') ? o.rows : p.size ? smallRows : null);
  for (const { p, why } of skipped) {
    lines.push(`| ${p.label} | ${plannedRows(p) ? fmtInt(plannedRows(p)) : '—'} | ${why.replace(/\|/g, '/')} | | | | | | |`);
  }

  const notes = [];
  const q = stats.get('qualify');
  const qs = stats.get('qualify-small');
  if (q && qs) {
    notes.push(`- Scaling, \`qualify score\` ${fmtInt(datasets.main.rows)} vs ${fmtInt(datasets.small.rows)} rows: wall ×${(q.wall / qs.wall).toFixed(2)} (linear: ×${(datasets.main.rows / datasets.small.rows).toFixed(0)}), peak RSS ×${q.rssMB && qs.rssMB ? (q.rssMB / qs.rssMB).toFixed(2) : '—'} (target ≤ 1.2).`);
  }
  // Without the pass-through in the run (--only without tuned) there is no wall ratio to give.
  const qRatio = ratio(byId.get('qualify'));
  if (q) notes.push(`- Targets: ${qRatio === null ? '' : `wall ${qRatio.toFixed(2)}× tuned (target ≤ 1.25, stretch ≤ 1.0); `}peak RSS ${fmt(q.rssMB, 0)} MB (target ≤ 200).`);
  const tunedStats = stats.get('tuned');
  if (q && tunedStats && q.cpu !== null && tunedStats.cpu) {
    notes.push(`- CPU: \`qualify score\` ${fmt(q.cpu, 2)} s = ${(q.cpu / tunedStats.cpu).toFixed(2)}× the tuned pass-through's ${fmt(tunedStats.cpu, 2)} s (issue 17's target ≤ 1.5).`);
  }
  for (const id of ['polars', 'duckdb', 'duckdb-mt']) {
    const ps = stats.get(id);
    if (!ps || !q) continue;
    const cpuPart = q.cpu !== null && ps.cpu ? `, CPU ${fmt(q.cpu, 2)} vs ${fmt(ps.cpu, 2)} s (${(q.cpu / ps.cpu).toFixed(2)}×)` : '';
    const target = id === 'polars' ? ' (issue 17: ≤ 1.0, stretch ≤ 0.5)' : '';
    notes.push(`- ${byId.get(id).label}: \`qualify score\` wall ${fmt(q.wall, 2)} vs ${fmt(ps.wall, 2)} s = ${(q.wall / ps.wall).toFixed(2)}×${target}${cpuPart}, peak RSS ${fmt(q.rssMB, 0)} vs ${fmt(ps.rssMB, 0)} MB.`);
  }
  // Issue 17: NDJSON and JSON out within 1.2x of CSV out; the default thread choice never slower
  // than one thread (the forced variants are opt-in rows).
  for (const id of ['qualify-ndjson', 'qualify-json']) {
    const fs = stats.get(id);
    if (fs && q) notes.push(`- ${byId.get(id).label} vs CSV out: wall ${fmt(fs.wall, 2)} vs ${fmt(q.wall, 2)} s = ${(fs.wall / q.wall).toFixed(2)}×${fs.cpu !== null && q.cpu ? `, CPU ${(fs.cpu / q.cpu).toFixed(2)}×` : ''} (issue 17: ≤ 1.2).`);
  }
  const qi = stats.get('qualify-inline');
  for (const id of ['qualify', 'qualify-worker', 'qualify-auto']) {
    const qs2 = stats.get(id);
    if (qs2 && qi) notes.push(`- ${byId.get(id).label} vs one thread: wall ${fmt(qs2.wall, 2)} vs ${fmt(qi.wall, 2)} s = ${(qs2.wall / qi.wall).toFixed(2)}×${qs2.cpu !== null && qi.cpu ? `, CPU ${fmt(qs2.cpu, 2)} vs ${fmt(qi.cpu, 2)} s` : ''} (issue 17: never slower than one thread, ≤ 1.0).`);
  }
  for (const [def, duck] of [['qualify', 'qualify-duckdb'], ['qualify-large', 'qualify-duckdb-large']]) {
    const a = stats.get(def);
    const b = stats.get(duck);
    if (!a || !b) continue;
    const cpuPart = a.cpu !== null && b.cpu ? `, CPU ${fmt(b.cpu, 2)} vs ${fmt(a.cpu, 2)} s` : '';
    notes.push(`- \`--engine duckdb\` at ${fmtInt(datasets[byId.get(duck).size].rows)} rows: wall ${fmt(b.wall, 2)} vs ${fmt(a.wall, 2)} s for the default engine = ${(b.wall / a.wall).toFixed(2)}×${cpuPart}, peak RSS ${fmt(b.rssMB, 0)} vs ${fmt(a.rssMB, 0)} MB.`);
  }
  const m = stats.get('mlr');
  if (m && q && datasets.mlr) {
    const qRate = q.rowsPerS;
    notes.push(`- Miller: ${fmtInt(m.rowsPerS)} rows/s vs qualify ${fmtInt(qRate)} rows/s (qualify ${(qRate / m.rowsPerS).toFixed(1)}× faster per row${o.mlrRows === 'small' ? `; Miller ran on ${fmtInt(datasets.mlr.rows)} rows to keep the run short, \`--mlr-rows main\` for the full size` : ''}).`);
  }
  const cal = stats.get('calibrate');
  if (cal) notes.push(`- Calibrate: \`qualify calibrate\` ${fmt(cal.wall, 2)} s wall${q ? ` = ${(cal.wall / q.wall).toFixed(2)}× \`qualify score\` on the same rows (issue 13: ≤ 2)` : ''}${cal.cpu !== null ? `, CPU ${fmt(cal.cpu, 2)} s${q && q.cpu ? ` (${(cal.cpu / q.cpu).toFixed(2)}× score's)` : ''}` : ''}, peak RSS ${fmt(cal.rssMB, 0)} MB.`);
  const v = stats.get('version');
  const n0 = stats.get('node0');
  if (v && n0) notes.push(`- Start-up: \`qualify --version\` ${(v.wall * 1000).toFixed(0)} ms vs \`node -e 0\` ${(n0.wall * 1000).toFixed(0)} ms = ${(v.wall / n0.wall).toFixed(2)}× (target ≤ 2.5; medians of ${startupReps}).`);

  const rssHow = ctx.timeBin ? 'GNU `/usr/bin/time`, %M (ru_maxrss of the child)' : ctx.procfs ? 'polling VmHWM in /proc/PID/status every 20 ms (no /usr/bin/time)' : 'not measured (no /usr/bin/time, no /proc)';
  const cpuHow = ctx.timeBin ? 'CPU s: user + system time of the child and its threads (GNU time %U + %S), median.' : 'CPU s: not measured (needs GNU /usr/bin/time).';
  const args = process.argv.slice(2);
  const cmd = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  const peerVersions = Object.values(peers).map((v) => v.version).filter(Boolean);
  const loadNote = `load average (1 min) ${loadStart.toFixed(2)} at the start, ${loadEnd.toFixed(2)} at the end` +
    (o.load ? `, with ${o.load} busy process${o.load > 1 ? 'es' : ''} (\`--load ${o.load}${o.loadApart ? ' --load-apart' : ''}\`${o.loadApart ? ', each in a session of its own' : ''}) running throughout` : '');
  const header = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${cmd}\`: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB` +
      `${mlrVersion ? `, ${mlrVersion}` : ''}${peerVersions.length ? `, ${peerVersions.join(', ')}` : ''}; ${loadNote}.`,
    `Data: \`bench/generate.mjs\` seed ${o.seed}: ${Object.entries(datasets).filter(([k]) => k !== 'mlr').map(([, d]) => `${fmtInt(d.rows)} rows = ${(d.bytes / 1e6).toFixed(1)} MB`).join(', ')}. ` +
      `Median of ${o.reps} alternated runs per row; spread = ±half of (max − min) / median. "vs base": wall time ÷ the tuned pass-through on the same rows in this run (start-up rows: ÷ \`node -e 0\`). Peak RSS: ${rssHow}. ${cpuHow}`,
    process.env.NODE_OPTIONS ? `NODE_OPTIONS=${process.env.NODE_OPTIONS}` : null,
  ].filter(Boolean);
  const text = [...header, '', ...lines, '', ...notes].join('\n') + '\n';
  process.stdout.write('\n' + text);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'latest.md'), text);
  log(`\nwrote bench/out/latest.md (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);

  const failed = [...active, ...startup].filter((p) => p.failed);
  // --strict is about qualify's own rows; Miller and the peers are optional tools.
  const strictSkips = o.strict ? skipped.filter((s) => s.p.needs === 'qualify' || s.p.needs === 'qualify-cli') : [];
  if (failed.length || strictSkips.length) {
    log(`bench FAILED: ${[...failed.map((p) => p.id), ...strictSkips.map((s) => `${s.p.id} (skipped, --strict)`)].join(', ')}`);
    process.exit(1);
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
