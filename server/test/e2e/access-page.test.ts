import { describe, expect, it } from 'vitest';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import { button, messageBox, say, sendMessage } from './page-kit.ts';

// The page behind APP_TOKEN, as a person meets it: the link with the token once, then a cookie.

const suite = browserSuite();
const TOKEN = 'e2e-token-4f1c9a7b2d';

describe('the page behind an access token', () => {
  it(
    'trades the token for a cookie at once, never puts it in a URL again, and signs out',
    async () => {
      const stack = await suite.startStack({ APP_TOKEN: TOKEN });
      stack.emulator.enqueue(say('Hello behind the token.'));
      const page = await suite.browser.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      page.on('websocket', (socket) => requested.push(socket.url()));

      // Without the token: the small page that says so, never the chat.
      const refused = await page.goto(stack.url);
      expect(refused?.status()).toBe(401);
      expect(await messageBox(page).count()).toBe(0);

      await page.goto(`${stack.url}/?token=${TOKEN}`);
      await page.waitForURL((url) => !url.search.includes('token'));
      await button(page, 'New conversation').click();
      await sendMessage(page, 'Say hello');
      await page.getByText('Hello behind the token.').waitFor();
      // A reload keeps access: the cookie, not the address, carries it.
      await page.reload();
      await page.getByText('Hello behind the token.').waitFor();

      const afterRedirect = requested.slice(requested.findIndex((url) => url.includes(TOKEN)) + 1);
      expect(afterRedirect.length).toBeGreaterThan(3);
      expect(afterRedirect.filter((url) => url.includes(TOKEN))).toEqual([]);
      expect(afterRedirect.some((url) => url.endsWith('/ws'))).toBe(true);

      await button(page, 'Sign out').click();
      await page.waitForURL(/\/signout/);
      const after = await page.goto(stack.url);
      expect(after?.status()).toBe(401);
    },
    E2E_TIMEOUT,
  );
});
