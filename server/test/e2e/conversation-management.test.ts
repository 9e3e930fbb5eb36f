import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import {
  button,
  dialog,
  messageBox,
  notes,
  say,
  screenshot,
  sendMessage,
  sha256,
  startConversation,
  waitForDecision,
  writeCall,
} from './page-kit.ts';

// Managing conversations in the page: rename and delete (seen by a second tab), search (opens
// the conversation at the message), export as Markdown and JSON, and import of the JSON.

const suite = browserSuite();

const actions = (page: Page) => page.getByRole('group', { name: 'Conversation actions' });
const list = (page: Page) => page.getByRole('navigation', { name: 'Conversations' });
const heading = (page: Page) => page.locator('h2').filter({ hasNotText: 'Conversations' }).first();
const answered = (page: Page, turn: number) =>
  page.locator(`article[data-turn="${turn}"][data-status="complete"]`).waitFor();

/** The text of a downloaded file. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return readFile(path, 'utf8');
}

describe('managing conversations', () => {
  it(
    'renames and deletes a conversation, and a second tab sees both',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(say('Lisbon in May is lovely.'));
      const page = await suite.browser.newPage();
      const id = await startConversation(page, stack.url);
      await sendMessage(page, 'Plan the trip');
      await answered(page, 1);
      const other = await suite.browser.newPage();
      await other.goto(`${stack.url}/?c=${id}`);
      await answered(other, 1);
      await list(other)
        .getByRole('link', { name: /Plan the trip/ })
        .waitFor();

      // Escape leaves the title as it was.
      await button(actions(page), 'Rename').click();
      const title = page.getByRole('textbox', { name: 'Conversation title' });
      expect(await title.inputValue()).toBe('Plan the trip');
      await title.fill('Never saved');
      await title.press('Escape');
      await title.waitFor({ state: 'hidden' });
      expect(await heading(page).textContent()).toBe('Plan the trip');

      await button(actions(page), 'Rename').click();
      await title.fill('Lisbon, May');
      await title.press('Enter');
      await heading(page).filter({ hasText: 'Lisbon, May' }).waitFor();
      // The other tab: its list and its header.
      await list(other)
        .getByRole('link', { name: /Lisbon, May/ })
        .waitFor();
      await heading(other).filter({ hasText: 'Lisbon, May' }).waitFor();
      await screenshot(page, 'conversation-renamed');

      // Delete asks first; Escape (or Cancel) keeps the conversation.
      await button(actions(page), 'Delete').click();
      await dialog(page).getByText('Delete this conversation?').waitFor();
      await dialog(page).getByText('“Lisbon, May” is deleted for good').waitFor();
      await page.keyboard.press('Escape');
      await dialog(page).waitFor({ state: 'hidden' });
      expect(page.url()).toContain(`c=${id}`);
      await button(actions(page), 'Delete').click();
      await screenshot(page, 'conversation-delete-dialog');
      await button(dialog(page), 'Delete conversation').click();

      // Gone from both tabs: each shows the empty page, and its list no longer has it.
      for (const tab of [page, other]) {
        await tab.getByText('Start a new conversation, or pick one from the list.').waitFor();
        expect(tab.url()).not.toContain('c=');
        await list(tab)
          .getByRole('link', { name: /Lisbon, May/ })
          .waitFor({ state: 'detached' });
      }
      // A reload does not bring it back.
      await other.goto(`${stack.url}/?c=${id}`);
      await other.getByText('This conversation does not exist').waitFor();
    },
    E2E_TIMEOUT,
  );

  it(
    'searches messages, marks the match, and opens the conversation at that message',
    async () => {
      const stack = await suite.startStack();
      const long = Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1} of the day plan.`).join(
        '\n\n',
      );
      stack.emulator.enqueue(
        say('Take the ferry to Cacilhas for the view.'),
        say(long),
        say('Another conversation altogether.'),
      );
      const page = await suite.browser.newPage();
      const first = await startConversation(page, stack.url);
      await sendMessage(page, 'How do I see the city from across the river?');
      await answered(page, 1);
      await sendMessage(page, 'And the rest of the day?');
      await answered(page, 2);
      await button(page, 'New conversation').click();
      await page.waitForURL((url) => !url.search.includes(first));
      await sendMessage(page, 'Something else');
      await answered(page, 1);

      await page.getByRole('searchbox', { name: 'Search conversations' }).fill('FERRY to cacilhas');
      const results = page.getByRole('list', { name: 'Search results' });
      const result = results.getByRole('link').filter({ hasText: 'Take the' });
      await result.waitFor();
      expect(await result.locator('mark').textContent()).toBe('ferry to Cacilhas');
      expect(await results.getByRole('link').count()).toBe(1);
      await screenshot(page, 'conversation-search', 'conversation-search.png');

      await result.click();
      await page.waitForURL(new RegExp(`c=${first}`));
      // Opened at Claude's first answer, not at the end where the conversation would open.
      const target = page.locator('li[data-anchor="a-1"][data-focused="true"]');
      await target.waitFor();
      const inView = await target.evaluate((item) => {
        const box = item.getBoundingClientRect();
        const main = item.closest('main')?.getBoundingClientRect();
        return main !== undefined && box.bottom > main.top && box.top < main.bottom;
      });
      expect(inView).toBe(true);
      const last = page.locator('li[data-anchor="a-2"]');
      const lastInView = await last.evaluate((item) => {
        const main = item.closest('main')!.getBoundingClientRect();
        return item.getBoundingClientRect().bottom <= main.bottom + 1;
      });
      expect(lastInView).toBe(false);
    },
    E2E_TIMEOUT,
  );

  it(
    'exports an approve-and-write conversation as Markdown and JSON, and the JSON imports to the same conversation',
    async () => {
      const stack = await suite.startStack();
      const content = notes(20);
      stack.emulator.enqueue(writeCall('toolu_x1', 'notes/x.md', content), say('Saved them.'));
      const page = await suite.browser.newPage();
      const original = await startConversation(page, stack.url);
      await sendMessage(page, 'Save my notes to notes/x.md');
      await waitForDecision(page);
      await button(dialog(page), 'Approve').click();
      await page.getByText('File created').waitFor();
      await answered(page, 2);

      const markdown = await downloaded(page, () =>
        actions(page).getByRole('link', { name: 'Export Markdown' }).click(),
      );
      expect(markdown).toMatch(/^# Save my notes to notes\/x\.md\n/);
      expect(markdown).toContain('### Tool call: write_file (`toolu_x1`)');
      expect(markdown).toContain('"path": "notes/x.md"');
      expect(markdown).toContain('**Decision:** approved\n');
      expect(markdown).toContain(
        `**File written:** \`notes/x.md\`, ${Buffer.byteLength(content)} bytes, sha256 \`${sha256(content)}\``,
      );
      expect(markdown).toContain('Saved them.');

      const json = await downloaded(page, () =>
        actions(page).getByRole('link', { name: 'Export JSON' }).click(),
      );
      const exported = JSON.parse(json);
      expect(exported.entries.length).toBeGreaterThan(10);
      const timeline = await page.locator('main ol').innerText();

      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        button(page, 'Import a conversation from a JSON export').click(),
      ]);
      await chooser.setFiles({
        name: 'export.json',
        mimeType: 'application/json',
        buffer: Buffer.from(json),
      });
      await page.waitForURL((url) => url.search.includes('c=') && !url.search.includes(original));
      const imported = new URL(page.url()).searchParams.get('c');
      await answered(page, 2);
      // The same conversation: the same timeline, the same log.
      expect(await page.locator('main ol').innerText()).toBe(timeline);
      expect(await messageBox(page).isEnabled()).toBe(true);
      const again = JSON.parse(
        await downloaded(page, () =>
          actions(page).getByRole('link', { name: 'Export JSON' }).click(),
        ),
      );
      expect(again.conversation.id).toBe(imported);
      expect(again.entries.map((e: { event: unknown; at: number }) => [e.event, e.at])).toEqual(
        exported.entries.map((e: { event: unknown; at: number }) => [e.event, e.at]),
      );
      expect(
        await list(page)
          .getByRole('link', { name: /Save my notes/ })
          .count(),
      ).toBe(2);

      // A file that is not an export is refused, in words.
      const [refusal] = await Promise.all([
        page.waitForEvent('filechooser'),
        button(page, 'Import a conversation from a JSON export').click(),
      ]);
      await refusal.setFiles({
        name: 'other.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{"hello":1}'),
      });
      await page
        .getByRole('alert')
        .filter({ hasText: 'The import failed: This export cannot be imported' })
        .waitFor();
    },
    E2E_TIMEOUT,
  );
});
