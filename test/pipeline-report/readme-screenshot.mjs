// Makes the README's screenshot of the HTML report (docs/images/report.png) from the committed
// scripted week (fixtures/pipeline/worked-week.csv, as of 2026-11-09) with the built CLI and
// Debian's headless chromium, so that the picture shows what the code draws today:
//   npm run build && node test/pipeline-report/readme-screenshot.mjs
// The top 1100 px of the page at 1280 px wide: the figures, the four charts, the first tables.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'].find((p) => existsSync(p));
if (!chromium) {
  process.stderr.write('chromium is not installed (Debian: apt-get install chromium)\n');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'qualify-shot-'));
const html = join(dir, 'leads.html');
// The page's title names the file: `leads.csv`, as in the README's example.
const csv = join(dir, 'leads.csv');
execFileSync('cp', [join(ROOT, 'fixtures', 'pipeline', 'worked-week.csv'), csv]);
execFileSync(process.execPath, [join(ROOT, 'bin', 'qualify.js'), 'report', 'leads.csv', '--as-of', '2026-11-09', '--html', html], { cwd: dir, stdio: 'ignore' });
const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 1100 });
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  const out = join(ROOT, 'docs', 'images', 'report.png');
  await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1280, height: 1100 } });
  process.stderr.write(`Wrote ${out}\n`);
} finally {
  await browser.close();
}
