import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { WEB_OUT_DIR } from '../../src/http/web-handler.ts';
import { hasChromium, launchChromium } from './chromium.ts';
import { type E2eStack, startStack } from './e2e-stack.ts';

/** Browser tests wait for the page; on a busy machine a step can take most of this. */
export const E2E_TIMEOUT = 60_000;

/**
 * One Chromium for the calling test file, and fresh stacks (server, emulator, folders) for each
 * test that asks for them, closed after it with the test's pages. Missing prerequisites fail the suite
 * loudly: a browser test that does not run proves nothing.
 */
export function browserSuite() {
  if (!hasChromium()) {
    throw new Error("The browser tests need Debian's Chromium: apt-get install -y chromium");
  }
  if (!existsSync(join(WEB_OUT_DIR, 'index.html'))) {
    throw new Error('The browser tests need the built page: npm run build -w web');
  }
  let browser: BrowserContext | undefined;
  const stacks: E2eStack[] = [];
  // The site's Content-Security-Policy is on in every test: anything it blocks fails the test.
  const blocked: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
    browser.on('page', (page) =>
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
      }),
    );
  }, E2E_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
  });
  // Closing the pages, the server and its MCP child can take more than the default 10 s when
  // the machine is busy; it is cleanup, not something measured.
  afterEach(async () => {
    for (const page of browser?.pages() ?? []) await page.close();
    for (const stack of stacks.splice(0)) await stack.close();
    expect(blocked.splice(0), 'what the Content-Security-Policy blocked').toEqual([]);
  }, E2E_TIMEOUT);
  return {
    get browser(): BrowserContext {
      if (!browser) throw new Error('the browser is only there inside a test');
      return browser;
    },
    /** A stack for the test (two, for two instances on one database), closed after it. */
    async startStack(...args: Parameters<typeof startStack>): Promise<E2eStack> {
      const stack = await startStack(...args);
      stacks.push(stack);
      return stack;
    },
  };
}
