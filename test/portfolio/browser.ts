/** Headless Chromium for the dashboard tests (Debian's /usr/bin/chromium via playwright-core), as test/report/browser.test.ts. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** Run where Chromium is installed; in CI it must be (a missing browser fails there instead of skipping). */
export const RUN_BROWSER = HAVE_CHROMIUM || Boolean(process.env.CI);

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
  if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'slsa-portfolio-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 1000 },
    colorScheme: 'light',
  });
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
