import { describe, expect, it } from 'vitest';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import { button, messageBox, say, screenshot, sendMessage, startConversation } from './page-kit.ts';

// The page against a server that says, in its hello, that it runs a newer conversation machine:
// the real server, with only the hello rewritten on its way to the page (Playwright's WebSocket
// routing), as after a deploy while the tab stayed open.

const suite = browserSuite();

describe('a page older than its server', () => {
  it(
    'asks to be reloaded, folds and sends nothing, and reloads on Reload',
    async () => {
      const stack = await suite.startStack();
      // A conversation with something in it, made by a page of the server's own version.
      stack.emulator.enqueue(say('Hello from the current server.'));
      const current = await suite.browser.newPage();
      const conversationId = await startConversation(current, stack.url);
      await sendMessage(current, 'Say hello to the old page');
      await current.getByText('Hello from the current server.').waitFor();
      await current.close();

      const page = await suite.browser.newPage();
      const toServer: string[] = [];
      /** One per WebSocket the page opens: resolves when the page closes it. */
      const closedByPage: Promise<{ code?: number; reason?: string }>[] = [];
      await page.routeWebSocket(
        (url) => url.pathname === '/ws',
        (ws) => {
          const server = ws.connectToServer();
          ws.onMessage((message) => {
            toServer.push(String(message));
            server.send(message);
          });
          closedByPage.push(
            new Promise((resolve) => {
              ws.onClose((code, reason) => {
                resolve({ code, reason });
                void server.close({ code, reason });
              });
            }),
          );
          server.onMessage((message) => {
            const parsed = JSON.parse(String(message));
            ws.send(
              parsed.type === 'hello'
                ? JSON.stringify({ ...parsed, machineVersion: parsed.machineVersion + 1 })
                : message,
            );
          });
        },
      );
      await page.goto(new URL(`/?c=${conversationId}`, stack.url).href);

      const banner = page
        .getByRole('alert')
        .filter({ hasText: 'This page is older than the server. Reload to continue.' });
      await banner.waitFor();
      await button(banner, 'Reload').waitFor();
      await screenshot(page, 'version-mismatch');
      // The page closed its socket at the hello (so all it sent has been seen), and says offline
      // rather than reconnecting.
      expect(await closedByPage[0]).toEqual({ code: 1000, reason: 'version mismatch' });
      await page.locator('[data-connection="offline"]').waitFor();

      // The composer cannot send: Send stays disabled with text in the box, and Enter does nothing.
      await messageBox(page).fill('Are you still there?');
      expect(await button(page, 'Send').isDisabled()).toBe(true);
      await messageBox(page).press('Enter');
      expect(await messageBox(page).inputValue()).toBe('Are you still there?');
      // Nothing of the newer server's log was folded, and no command left the page.
      expect(await page.getByText('Say hello to the old page').count()).toBe(0);
      expect(toServer.map((message) => JSON.parse(message).type)).not.toContain('command');
      expect(closedByPage).toHaveLength(1);

      // Reload fetches the page again (here the same build, so it stops again at the hello).
      await Promise.all([page.waitForEvent('load'), button(banner, 'Reload').click()]);
      await banner.waitFor();
      expect(closedByPage).toHaveLength(2);
    },
    E2E_TIMEOUT,
  );
});
