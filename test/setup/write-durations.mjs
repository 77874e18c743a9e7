// Writes test/durations.json, the table vitest.config.ts orders test files by (longest first),
// from the durations of a whole run: a JSON report (`npx vitest run --reporter=json
// --outputFile=/tmp/t.json`) or vitest's own results cache (node_modules/.vite/vitest/*/results.json).
// Take them from a fresh-clone CI run on Node 20 (`.ci/run`), the run that has no cache to order by.
//   node test/setup/write-durations.mjs /tmp/t.json
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const [from] = process.argv.slice(2);
if (!from) {
  process.stderr.write('usage: node test/setup/write-durations.mjs REPORT.json\n');
  process.exit(2);
}
const data = JSON.parse(readFileSync(from, 'utf8'));
/** test file (relative, with /) -> seconds */
const seconds = {};
if (Array.isArray(data.testResults)) {
  for (const f of data.testResults) seconds[relative(root, f.name).split('\\').join('/')] = (f.endTime - f.startTime) / 1000;
} else if (Array.isArray(data.results)) {
  // "project:path" -> { duration (ms) }
  for (const [key, r] of data.results) seconds[key.slice(key.indexOf(':') + 1)] = r.duration / 1000;
} else {
  process.stderr.write(`${from}: neither a vitest JSON report nor a results cache\n`);
  process.exit(2);
}
const files = Object.fromEntries(
  Object.entries(seconds)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([f, s]) => [f, Math.round(s * 10) / 10]),
);
writeFileSync(new URL('../durations.json', import.meta.url), JSON.stringify({ from: 'seconds each test file took in a whole run (test/setup/write-durations.mjs)', files }, null, 2) + '\n');
process.stderr.write(`test/durations.json: ${Object.keys(files).length} files\n`);
