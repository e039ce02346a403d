/** Headless Debian Chromium through playwright-core, with a fresh profile and no background traffic. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** Run where Chromium is installed; in CI it must be (a missing browser fails there instead of skipping). */
export const RUN_BROWSER = HAVE_CHROMIUM || Boolean(process.env.CI);

export async function launchChromium(opts: {
  width: number;
  height: number;
  javaScriptEnabled?: boolean;
}): Promise<{ ctx: BrowserContext; profile: string }> {
  if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'slsa-sc-chromium-'));
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
    viewport: { width: opts.width, height: opts.height },
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    colorScheme: 'light',
  });
  return { ctx, profile };
}
