import { describe, expect, it } from 'vitest';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import { button, say, sendMessage, startConversation } from './page-kit.ts';
import { clipboardText } from './page-scripts.js';

const suite = browserSuite();

const answer = [
  'Here is the **plan**, with a script:',
  '```js\nconst steps = ["read", "write"];\nconsole.log(steps.join(" then "));\n```',
  'Run it with `node plan.js`.',
].join('\n\n');

describe('copy buttons', () => {
  it(
    'copy an answer as its Markdown, and a code block as its code',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(say(answer));
      const page = await suite.browser.newPage();
      await suite.browser.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(stack.url).origin,
      });
      await startConversation(page, stack.url);
      await sendMessage(page, 'Plan it');
      const reply = page.locator('article[data-turn="1"][data-status="complete"]');
      await reply.waitFor();

      await button(reply, 'Copy as Markdown').click();
      await reply.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
      expect(await page.evaluate(clipboardText)).toBe(answer);

      await button(reply, 'Copy code').click();
      await reply.getByRole('status').filter({ hasText: 'Copied' }).first().waitFor();
      expect(await page.evaluate(clipboardText)).toBe(
        'const steps = ["read", "write"];\nconsole.log(steps.join(" then "));\n',
      );
    },
    E2E_TIMEOUT,
  );
});
