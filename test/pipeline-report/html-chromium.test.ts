/// <reference lib="dom" />
// The HTML report in a real browser: Debian's headless chromium (driven with puppeteer-core)
// opens the page from a file at 1280 and 390 pixels wide. Expected: the four charts present and
// drawn inside the page's width, no horizontal scrolling, no console error, no page error, no
// request other than the page itself (it must open from an e-mail attachment). A full-page
// screenshot at each width is kept in test/pipeline-report/artifacts/ (gitignored).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, DEFAULT_PROBABILITIES, type ReportLead } from '../../src/core/pipeline/funnel.js';
import { reportHtml } from '../../src/report/html.js';
import { findChromium } from './chromium.js';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const chromium = findChromium();
const DAY = Date.UTC(2026, 10, 2) / 86_400_000;

/** 300 leads across every stage, sources and tiers, with opportunities closing over four months. */
function leads(): ReportLead[] {
  const stages = ['bad lead', 'disqualified', 'cold lead', 'lead', 'lead', 'MQL', 'sales lead', 'SAL', 'SQL', 'opportunity', 'closed won', 'closed lost'];
  return Array.from({ length: 300 }, (_, i) => {
    const stage = stages[i % stages.length]!;
    const opp = stage === 'opportunity' || stage.startsWith('closed');
    const t0 = Date.UTC(2026, 9, 1 + (i % 20));
    return {
      key: `L-${i + 1}`,
      name: `Lead ${i + 1}`,
      company: `Company ${i % 17}`,
      stage,
      stageText: stage,
      score: (i * 37) % 101,
      tier: ['hot', 'warm', 'nurture', 'low'][i % 4]!,
      source: ['Webinar', 'Purchased List', 'Referral', 'Website'][i % 4]!,
      salesSourced: i % 4 === 2,
      disqualifiedWhy: stage === 'disqualified' ? ['student', 'competitor', 'No budget'][i % 3]! : stage === 'bad lead' ? 'email:invalid' : '',
      oppAmount: opp ? 10_000 + (i % 7) * 6_000 : undefined,
      oppStage: opp ? ['qualification', 'demo', 'proposal', 'negotiation'][i % 4]! : '',
      closeDay: opp ? DAY + 20 + (i % 4) * 30 : undefined,
      salAt: ['SAL', 'SQL', 'opportunity', 'closed won', 'closed lost'].includes(stage) ? t0 : undefined,
      sqlAt: ['SQL', 'opportunity', 'closed won', 'closed lost'].includes(stage) ? t0 + 3 * 86_400_000 : undefined,
      opportunityAt: opp ? t0 + 5 * 86_400_000 : undefined,
      disqualifiedAt: undefined,
    };
  });
}

describe.skipIf('missing' in chromium)(`the HTML report in headless chromium${'missing' in chromium ? ` (skipped: ${chromium.missing})` : ''}`, () => {
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    const report = buildReport(leads(), { probabilities: DEFAULT_PROBABILITIES, scoreRange: { min: 0, max: 100 }, tierOrder: ['hot', 'warm', 'nurture', 'low'] });
    const file = join(mkdtempSync(join(tmpdir(), 'qualify-html-')), 'report.html');
    writeFileSync(file, reportHtml(report, { title: 'Pipeline report: leads.csv (300 leads, as of 2026-11-02)', file: 'leads.csv', asOf: '2026-11-02' }));
    url = pathToFileURL(file).href;
    browser = await puppeteer.launch({
      executablePath: (chromium as { path: string }).path,
      headless: true,
      // As root (CI) chromium refuses to start with its sandbox.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
      timeout: 60_000,
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([1280, 390])('at %i px wide: four charts inside the page, no console error, no request but the page; screenshot kept', async (width) => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      requests.push(req.url());
      if (req.url() === url) void req.continue();
      else void req.abort();
    });
    await page.setViewport({ width, height: 900 });
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    const layout = await page.evaluate(() => {
      const charts = ['funnel', 'scores', 'pipeline', 'tiers'].map((id) => {
        // The chart's own SVG, not a legend swatch: the widest in its section.
        const svg = Array.from(document.querySelectorAll(`#${id} svg`)).sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0];
        const box = svg?.getBoundingClientRect();
        return { id, present: Boolean(svg), width: box?.width ?? 0, height: box?.height ?? 0, right: box?.right ?? 0, marks: svg?.querySelectorAll('rect').length ?? 0 };
      });
      return { charts, scrollWidth: document.documentElement.scrollWidth, title: document.title, h1: document.querySelector('h1')?.textContent ?? '' };
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, `report-${width}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    await page.close();

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(layout.title).toBe('Pipeline report: leads.csv (300 leads, as of 2026-11-02)');
    expect(layout.scrollWidth).toBeLessThanOrEqual(width);
    for (const c of layout.charts) {
      expect(c.present, c.id).toBe(true);
      expect(c.width, c.id).toBeGreaterThan(width === 390 ? 250 : 400);
      expect(c.height, c.id).toBeGreaterThan(width === 390 ? 100 : 200);
      expect(c.right, c.id).toBeLessThanOrEqual(width);
      expect(c.marks, c.id).toBeGreaterThan(0);
    }
    // A PNG of the whole page at this width (IHDR: width at byte 16, height at byte 20).
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(width);
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
  }, 60_000);
});
