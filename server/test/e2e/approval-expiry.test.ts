import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import {
  dialog,
  messageBox,
  say,
  sendMessage,
  startConversation,
  waitForDecision,
  writeCall,
} from './page-kit.ts';

// APPROVAL_TTL: the dialog counts down to the deadline, closes by itself when the call expires,
// and Claude is told the call did not run.

const suite = browserSuite();

describe('Approval expiry', () => {
  it(
    'an expired approval reaches Claude as a denial',
    async () => {
      const stack = await suite.startStack({ APPROVAL_TTL: '2s' });
      stack.emulator.enqueue(
        writeCall('toolu_e1', 'expired.md', 'never written'),
        say('Nobody answered, so I left the file alone.'),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Write expired.md');
      await waitForDecision(page);
      const countdown = dialog(page).getByRole('timer');
      await countdown.waitFor();
      expect(await countdown.textContent()).toMatch(/^(Expires in 0:0[12]|Expiring…)$/);

      // Nobody decides: the dialog closes by itself, and the timeline says why.
      await dialog(page).waitFor({ state: 'hidden' });
      await page.getByText('Expired: nobody decided in time, so it did not run').waitFor();
      await page.getByText('Nobody answered, so I left the file alone.').waitFor();
      expect(await messageBox(page).isEnabled()).toBe(true);
      await expect(stat(join(stack.workspaceDir, 'expired.md'))).rejects.toThrow();

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
          tool_use_id: 'toolu_e1',
          is_error: true,
          content: expect.stringContaining('expired: nobody decided in time'),
        }),
      ]);
    },
    E2E_TIMEOUT,
  );
});
