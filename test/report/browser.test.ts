/**
 * The HTML report in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
 * - the report full of injection payloads loads from file:// with no dialog, no script from the
 *   data running (`window.__pwned` stays undefined), no CSP violation and no request but the file;
 * - a real report of a real assessment renders at phone and desktop width (screenshots in
 *   test-output/), with the SLSA ladders and the check score bars visible, no horizontal scrolling
 *   on a phone, everything expanded in print, and the page still complete with JavaScript off.
 * Skipped, with a message, only where Chromium is missing outside CI; in CI it must run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { renderHtml } from '../../src/report/html.js';
import { renderBadge } from '../../src/report/badge.js';
import { assess, type Assessment } from '../../src/assessment.js';
import { LocalSource } from '../../src/sources/local/index.js';
import { builtinChecks } from '../../checks/index.js';
import { gitEnv, tempTree } from '../helpers/facts.js';
import { hostile, XSS } from './fixtures.js';
import { CHROMIUM, launchChromium, RUN_BROWSER } from '../helpers/chromium.js';

const RUN = RUN_BROWSER;
const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'test-output');
const O = { color: false, details: false };

if (!RUN) console.warn(`[browser.test] SKIPPED: ${CHROMIUM} not found (apt-get install chromium); CI runs these tests.`);

/** A fresh profile for each context; no first-run, sync, component updates or background traffic. */
async function open(
  opts: { javaScriptEnabled?: boolean; width?: number } = {},
): Promise<{ ctx: BrowserContext; page: Page; close: () => Promise<void> }> {
  const { ctx, profile } = await launchChromium({ width: opts.width ?? 1280, height: 900, javaScriptEnabled: opts.javaScriptEnabled });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  return {
    ctx,
    page,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!RUN)('HTML report in headless Chromium', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'slsa-sc-html-'));
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a report full of injection payloads runs no script, opens no dialog and requests nothing', { timeout: 60_000 }, async () => {
    const file = join(work, 'hostile.html');
    writeFileSync(file, await renderHtml(hostile(), O));
    const b = await open();
    try {
      const dialogs: string[] = [];
      const requests: string[] = [];
      const consoleErrors: string[] = [];
      b.page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      b.ctx.on('request', (r) => requests.push(r.url()));
      b.page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
      b.page.on('pageerror', (e) => consoleErrors.push(String(e)));
      const url = pathToFileURL(file).href;
      await b.page.goto(url, { waitUntil: 'load' });
      await b.page.waitForTimeout(300);
      expect(dialogs).toEqual([]);
      expect(await b.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(requests).toEqual([url]);
      expect(consoleErrors).toEqual([]);
      const dom = await b.page.evaluate(() => ({
        scripts: document.scripts.length,
        foreign: document.querySelectorAll('img, iframe, object, embed, link, style:not(head style), svg [onload], a[href^="javascript"]')
          .length,
        handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
        hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!),
        text: document.body.innerText,
        copyButtons: document.querySelectorAll('button.copy').length,
      }));
      expect(dom.scripts).toBe(1);
      expect(dom.foreign).toBe(0);
      expect(dom.handlers).toBe(0);
      for (const h of dom.hrefs) expect(h).toMatch(/^(#|https:\/\/(github\.com\/acme\/|slsa\.dev\/))/);
      // The payloads are shown as text, not dropped.
      expect(dom.text).toContain(XSS.script);
      expect(dom.text).toContain('[x](javascript:alert(1))');
      // Our own script ran under the CSP (its hash matches): it added the Copy buttons.
      expect(dom.copyButtons).toBeGreaterThan(0);
    } finally {
      await b.close();
    }
  });

  describe('a real report', () => {
    let a: Assessment;
    let file: string;
    let repo: { dir: string; cleanup: () => void };

    beforeAll(async () => {
      repo = tempTree({
        '.github/workflows/ci.yml':
          'name: CI\non:\n  pull_request:\n  push:\n    branches: [main]\npermissions: write-all\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n      - run: npm ci && npm test\n      - run: curl -sSL https://example.com/install.sh | bash\n',
        '.github/workflows/release.yml':
          "name: release\non:\n  push:\n    tags: ['v*']\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm run build\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n",
        Dockerfile: 'FROM node:20\nRUN npm install -g typescript\nCOPY . /app\n',
        'package.json': '{"name":"widget","version":"1.0.0","scripts":{"test":"node test.js"}}\n',
        'README.md': '# widget\n',
        LICENSE:
          'MIT License\n\nCopyright (c) 2026 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software.\n',
      });
      const g = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, stdio: 'pipe', env: gitEnv() });
      g('init', '-q', '-b', 'main');
      g('remote', 'add', 'origin', 'https://github.com/acme/widget.git');
      g('add', '-A');
      g('commit', '-q', '-m', 'widget');
      a = await assess(new LocalSource(repo.dir), { checks: [...builtinChecks] });
      expect(a.slsa?.frameworks.length).toBe(3);
      file = join(OUT, 'report.html');
      writeFileSync(file, await renderHtml(a, O));
    }, 60_000);
    afterAll(() => repo?.cleanup());

    const visibleBoxes = async (page: Page, selector: string) => {
      const boxes = await Promise.all((await page.locator(selector).all()).map((l) => l.boundingBox()));
      return boxes.filter((b) => b && b.width > 0 && b.height > 0).length;
    };

    it(
      'phone (390 px) and desktop: ladders and score bars visible, no sideways scrolling, screenshots taken',
      { timeout: 60_000 },
      async () => {
        expect(a.target).toMatchObject({ platform: 'github', repo: 'acme/widget' });
        const b = await open({ width: 390 });
        try {
          const requests: string[] = [];
          b.ctx.on('request', (r) => requests.push(r.url()));
          await b.page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
          const frameworks = a.slsa!.frameworks.length;
          for (const [width, shot] of [
            [390, 'report-phone.png'],
            [1280, 'report.png'],
          ] as const) {
            await b.page.setViewportSize({ width, height: 900 });
            expect(await visibleBoxes(b.page, '.ladder'), `ladders at ${width}px`).toBe(frameworks);
            expect(await visibleBoxes(b.page, '.ladder .bar')).toBe(a.slsa!.frameworks.reduce((n, f) => n + f.levels.length, 0));
            expect(await visibleBoxes(b.page, '.check .meter'), `score bars at ${width}px`).toBe(a.checks.length);
            const overflow = await b.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
            await b.page.screenshot({ path: join(OUT, shot), fullPage: true });
          }
          // Findings link to the repository at the assessed commit.
          const links = await b.page.locator('.finding .loc a').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
          expect(links.length).toBeGreaterThan(0);
          for (const l of links) expect(l).toMatch(new RegExp(`^https://github\\.com/acme/widget/blob/${a.target.commit}/`));
          expect(requests).toEqual([pathToFileURL(file).href]);

          // Print: the nav goes, folded findings and snippets are laid out.
          await b.page.emulateMedia({ media: 'print' });
          expect(await b.page.locator('nav.toc').isVisible()).toBe(false);
          expect(await visibleBoxes(b.page, '.finding .msg')).toBe(a.checks.reduce((n, c) => n + c.findings.length, 0));
          expect(
            await b.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
          ).toBeLessThanOrEqual(0);
          await b.page.screenshot({ path: join(OUT, 'report-print.png'), fullPage: true });
        } finally {
          await b.close();
        }
      },
    );

    it('works with JavaScript off', { timeout: 60_000 }, async () => {
      const b = await open({ javaScriptEnabled: false });
      try {
        await b.page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        expect(await visibleBoxes(b.page, '.ladder')).toBe(a.slsa!.frameworks.length);
        expect(await b.page.locator('button.copy').count()).toBe(0);
        await b.page.locator('.check details summary').first().click();
        expect(await visibleBoxes(b.page, '.finding .msg')).toBeGreaterThan(0);
      } finally {
        await b.close();
      }
    });

    it('the SVG badge parses as XML in the browser', { timeout: 60_000 }, async () => {
      const b = await open();
      try {
        const svg = renderBadge(hostile());
        const r = await b.page.evaluate((text) => {
          const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
          return {
            error: doc.getElementsByTagName('parsererror').length,
            root: doc.documentElement.nodeName,
            title: doc.querySelector('title')?.textContent,
          };
        }, svg);
        expect(r).toMatchObject({ error: 0, root: 'svg' });
        expect(r.title).toContain(XSS.img);
      } finally {
        await b.close();
      }
    });
  });
});
