/** Headless Chromium for the dashboard tests (Debian's /usr/bin/chromium via playwright-core), as test/report/browser.test.ts. */
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';

export { CHROMIUM, HAVE_CHROMIUM, RUN_BROWSER } from '../helpers/chromium.js';

export interface OpenedPage {
  ctx: BrowserContext;
  page: Page;
  /** Every request the page made (URLs). */
  requests: string[];
  /** Console errors, page errors and dialogs. */
  problems: string[];
  close(): Promise<void>;
}

export async function openFile(file: string, opts: { width?: number; height?: number } = {}): Promise<OpenedPage> {
  const { ctx, profile } = await launchChromium({ width: opts.width ?? 1400, height: opts.height ?? 1000 });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return {
    ctx,
    page,
    requests,
    problems,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
