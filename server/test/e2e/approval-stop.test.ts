import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import {
  button,
  dialog,
  messageBox,
  say,
  sendMessage,
  startConversation,
  waitForDecision,
  writeCall,
} from './page-kit.ts';

// Stop while an approval waits: the dialog offers it once the call is complete, not only while
// Claude is still writing it.

const suite = browserSuite();

describe('Stop during an approval', () => {
  it(
    'cancels the call waiting for a decision, ends the turn, and Claude hears it did not run',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(
        writeCall('toolu_s1', 'stopped.md', 'never written'),
        say('Understood, I will leave it.'),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Write stopped.md');
      await waitForDecision(page);
      await button(dialog(page), 'Stop').click();
      await dialog(page).waitFor({ state: 'hidden' });
      await page.getByText('Cancelled: the turn was stopped').waitFor();
      expect(await messageBox(page).isEnabled()).toBe(true);
      await expect(stat(join(stack.workspaceDir, 'stopped.md'))).rejects.toThrow();

      await sendMessage(page, 'Never mind');
      await page.getByText('Understood, I will leave it.').waitFor();
      expect(stack.emulator.requests).toHaveLength(2);
      const sent = stack.emulator.requests[1]?.body as {
        messages: {
          role: string;
          content: { type: string; is_error?: boolean; content?: string }[];
        }[];
      };
      const results = sent.messages.flatMap((m) =>
        m.role === 'user' ? m.content.filter((block) => block.type === 'tool_result') : [],
      );
      expect(results).toEqual([
        expect.objectContaining({
          is_error: true,
          content: expect.stringContaining('stopped the conversation before deciding'),
        }),
      ]);
    },
    E2E_TIMEOUT,
  );
});
