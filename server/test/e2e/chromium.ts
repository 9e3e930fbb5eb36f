import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium; the tests drive it through playwright-core (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';

export const hasChromium = () => existsSync(CHROMIUM);

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A browser with a fresh profile of its own (a new --user-data-dir every time, so no state leaks
 * between runs), removed when the browser closes. Playwright refuses --user-data-dir in `launch`
 * args; a persistent context on a fresh temporary folder is the same thing.
 */
export async function launchChromium(
  options: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<BrowserContext> {
  const profile = await mkdtemp(join(tmpdir(), 'tollgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? 'en-US',
  });
  // Closing the context ends the browser first (Playwright's persistent context), so the
  // profile is no longer in use; a few MB per run were left in the temporary folder before.
  const close = context.close.bind(context);
  context.close = async (closeOptions) => {
    await close(closeOptions);
    await rm(profile, { recursive: true, force: true });
  };
  return context;
}
