import { describe, expect, it } from 'vitest';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import { button, dialog, say, screenshot, sendMessage, startConversation } from './page-kit.ts';

const suite = browserSuite();

type SentBody = {
  model: string;
  max_tokens: number;
  thinking?: unknown;
  system?: { type: string; text: string }[];
};

describe("a conversation's model, thinking and system prompt", () => {
  it(
    'a change shows in the header of every tab, and the next request asks that model, thinking',
    async () => {
      const stack = await suite.startStack({
        CLAUDE_MODELS: 'claude-sonnet-5-5,claude-opus-5-5',
        CLAUDE_MAX_TOKENS: '8192',
      });
      const page = await suite.browser.newPage();
      const id = await startConversation(page, stack.url);
      const header = page.getByRole('region', { name: 'Claude settings of this conversation' });
      await header.getByText('claude-sonnet-5-5').waitFor();
      await header.getByText('Thinking: off').waitFor();
      await header.getByText('Default instructions').waitFor();

      // The first turn asks with the defaults and says which model answered.
      stack.emulator.enqueue(say('Hello from Sonnet.'));
      await sendMessage(page, 'Hello');
      await page.locator('article[data-turn="1"][data-status="complete"]').waitFor();
      await page.getByText('Answered by claude-sonnet-5-5').waitFor();

      await button(header, 'Settings').click();
      const settings = dialog(page);
      await settings.getByRole('heading', { name: 'Conversation settings' }).waitFor();
      await settings.getByRole('combobox', { name: 'Model' }).selectOption('claude-opus-5-5');
      const budget = settings.getByRole('spinbutton', { name: 'Thinking budget (tokens)' });
      expect(await budget.isDisabled()).toBe(true);
      await settings.getByRole('checkbox', { name: 'Extended thinking' }).check();
      // A budget the API would refuse cannot be saved.
      await budget.fill('8192');
      await settings.getByRole('alert').filter({ hasText: 'from 1,024 to 8,191' }).waitFor();
      expect(await button(settings, 'Save').isDisabled()).toBe(true);
      await budget.fill('2048');
      await settings.getByRole('textbox', { name: 'System prompt' }).fill('Answer briefly.');
      await screenshot(page, 'conversation-settings', 'conversation-settings.png');
      await button(settings, 'Save').click();
      await settings.waitFor({ state: 'detached' });

      await header.getByText('claude-opus-5-5').waitFor();
      await header.getByText('Thinking: 2,048 tokens').waitFor();
      await header.getByText('Own instructions').waitFor();
      // Every tab folds the same log: another one shows the change too.
      const other = await suite.browser.newPage();
      await other.goto(`${stack.url}/?c=${id}`);
      const otherHeader = other.getByRole('region', {
        name: 'Claude settings of this conversation',
      });
      await otherHeader.getByText('claude-opus-5-5').waitFor();
      await otherHeader.getByText('Thinking: 2,048 tokens').waitFor();

      stack.emulator.enqueue({
        kind: 'stream',
        blocks: [
          { type: 'thinking', thinking: 'A short answer is wanted.', signature: 'c2ln' },
          { type: 'text', text: 'Hello from Opus.' },
        ],
        stopReason: 'end_turn',
      });
      await sendMessage(page, 'And now?');
      await page.locator('article[data-turn="2"][data-status="complete"]').waitFor();
      await page.getByText('Answered by claude-opus-5-5').waitFor();
      const [first, second] = stack.emulator.requests.map((r) => r.body as SentBody);
      expect(first).toMatchObject({ model: 'claude-sonnet-5-5', max_tokens: 8192 });
      expect(first).not.toHaveProperty('thinking');
      expect(second).toMatchObject({
        model: 'claude-opus-5-5',
        max_tokens: 8192,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        system: [{ type: 'text', text: 'Answer briefly.' }],
      });
      expect(stack.emulator.requests.map((r) => [r.status, r.violations])).toEqual([
        [200, []],
        [200, []],
      ]);
    },
    E2E_TIMEOUT,
  );
});
