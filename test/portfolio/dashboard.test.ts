/**
 * The dashboard of a 200-repository fake portfolio in headless Chromium: it loads from file://
 * with no request but the file and no console error (the CSP allows exactly its own style and
 * script), shows the charts and the heat map (screenshot: test-output/dashboard.png), and its
 * table sorts when a column header is clicked and filters as one types.
 * Skipped, with a message, only where /usr/bin/chromium is missing outside CI.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexEntry } from '../../src/portfolio/types.js';
import { openFile, RUN_BROWSER, CHROMIUM, type OpenedPage } from './browser.js';
import { githubOrg, indexLines, run, tempDir, type GitHubSetup, removeTempDirs } from './helpers.js';

afterAll(() => removeTempDirs());

const OUT = join(import.meta.dirname, '..', '..', 'test-output');
if (!RUN_BROWSER)
  console.warn(`[portfolio dashboard.test] SKIPPED: ${CHROMIUM} not found (apt-get install chromium); CI runs these tests.`);

describe.skipIf(!RUN_BROWSER)('portfolio dashboard in headless Chromium', () => {
  let gh: GitHubSetup;
  let dir: string;
  let entries: IndexEntry[];
  let b: OpenedPage;

  beforeAll(async () => {
    gh = await githubOrg({ count: 214, seed: 21, extraListed: [{ name: 'acme/gone-1' }, { name: 'acme/gone-2' }] });
    dir = tempDir('dashboard');
    await run(gh, dir, { concurrency: 16, batchSize: 50 });
    entries = indexLines(dir);
    b = await openFile(join(dir, 'dashboard.html'));
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await gh?.close();
  });

  const rows = () =>
    b.page.$$eval('#repos tbody tr', (trs) =>
      (trs as HTMLTableRowElement[])
        .filter((tr) => !tr.hidden)
        .map((tr) => ({ name: tr.cells[0].getAttribute('data-v') ?? '', score: tr.cells[2].getAttribute('data-v') ?? '' })),
    );

  it('renders 200 repositories with charts and a heat map, requesting nothing but the file', async () => {
    expect(entries.length).toBeGreaterThanOrEqual(200);
    mkdirSync(OUT, { recursive: true });
    await b.page.screenshot({ path: join(OUT, 'dashboard.png'), fullPage: false });
    await b.page.locator('section:has(#repositories)').screenshot({ path: join(OUT, 'dashboard-table.png') });
    await b.page.locator('section:has(#heatmap)').screenshot({ path: join(OUT, 'dashboard-heatmap.png') });
    expect(await b.page.locator('#repos tbody tr').count()).toBe(entries.length);
    expect(await b.page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(4); // scores + one per framework
    expect(await b.page.locator('table.heat tbody tr').count()).toBe(entries.filter((e) => e.status === 'ok').length);
    expect(await b.page.locator('#failing + table tbody tr').count()).toBeGreaterThan(0);
    await expect(b.page.locator('#repos tbody tr[data-status="unknown"]').count()).resolves.toBe(2);
    expect(b.requests).toEqual([pathToFileURL(join(dir, 'dashboard.html')).href]);
    expect(b.problems).toEqual([]);
  });

  it('clicking a column header sorts the table', async () => {
    await b.page.click('#repos thead th:nth-child(3) button'); // Score: highest first
    let r = await rows();
    const scores = r.map((x) => x.score);
    const numeric = scores.filter((s) => s !== '').map(Number);
    expect(numeric.length).toBeGreaterThan(150);
    expect(numeric).toEqual([...numeric].sort((x, y) => y - x));
    expect(scores.slice(numeric.length).every((s) => s === '')).toBe(true); // unknown scores last
    await b.page.click('#repos thead th:nth-child(3) button'); // again: lowest first
    r = await rows();
    const asc = r
      .map((x) => x.score)
      .filter((s) => s !== '')
      .map(Number);
    expect(asc).toEqual([...asc].sort((x, y) => x - y));
    expect(await b.page.getAttribute('#repos thead th:nth-child(3)', 'aria-sort')).toBe('ascending');
    await b.page.click('#repos thead th:nth-child(1) button'); // Repository: A→Z
    r = await rows();
    const names = r.map((x) => x.name);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
    expect(b.problems).toEqual([]);
  });

  it('typing in the filter shows only the matching repositories', async () => {
    await b.page.fill('#filter', 'repo-0001');
    const want = entries.filter((e) => `${e.host}/${e.repo}`.toLowerCase().includes('repo-0001')).length;
    expect(want).toBeGreaterThan(3);
    let r = await rows();
    expect(r).toHaveLength(want);
    expect(r.every((x) => x.name.includes('repo-0001'))).toBe(true);
    expect(await b.page.textContent('#shown')).toBe(String(want));
    await b.page.fill('#filter', '');
    await b.page.selectOption('#status', 'unknown');
    r = await rows();
    expect(r.map((x) => x.name).sort()).toEqual(
      entries
        .filter((e) => e.status === 'error')
        .map((e) => `${e.host}/${e.repo}`)
        .sort(),
    );
    await b.page.selectOption('#status', '');
    expect(await rows()).toHaveLength(entries.length);
    expect(b.problems).toEqual([]);
  });
});
