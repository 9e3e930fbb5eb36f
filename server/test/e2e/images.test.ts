import { describe, expect, it } from 'vitest';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import { button, messageBox, say, startConversation } from './page-kit.ts';

const suite = browserSuite();

/** A 1×1 PNG, as the API's documentation sends one. */
const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
/** A 1×1 GIF. */
const GIF_1X1 = 'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==';

/** Pastes a PNG into the message box as a person's Ctrl+V of a copied image does. */
const pastePng = `(() => {
  const bytes = Uint8Array.from(atob('${PNG_1X1}'), (c) => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], 'pixel.png', { type: 'image/png' }));
  const box = document.querySelector('textarea');
  box.focus();
  box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
})()`;

type SentBody = { messages: { role: string; content: Record<string, unknown>[] }[] };

describe('images in messages', () => {
  it(
    'an image pasted reaches the emulator as an image block, and shows as a thumbnail',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(say('A single white pixel.'));
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);

      await page.evaluate(pastePng);
      const toSend = page.getByRole('list', { name: 'Images to send' });
      await toSend.getByRole('img', { name: 'Image 1' }).waitFor();
      await button(toSend, 'Remove image 1').waitFor();
      await messageBox(page).fill('What is in this picture?');
      await expect.poll(() => button(page, 'Send').isEnabled()).toBe(true);
      await messageBox(page).press('Enter');

      const thumbnail = page
        .getByRole('list', { name: 'Attached images' })
        .getByRole('img', { name: 'Image 1' });
      await thumbnail.waitFor();
      await expect
        .poll(() => thumbnail.evaluate((img) => (img as { naturalWidth: number }).naturalWidth))
        .toBe(1);
      await page.locator('article[data-turn="1"][data-status="complete"]').waitFor();
      expect(await toSend.count()).toBe(0);

      const request = stack.emulator.requests[0]!;
      expect([request.status, request.violations]).toEqual([200, []]);
      expect((request.body as SentBody).messages[0]?.content).toEqual([
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1 } },
        {
          type: 'text',
          text: 'What is in this picture?',
          cache_control: { type: 'ephemeral' },
        },
      ]);
    },
    E2E_TIMEOUT,
  );

  it(
    'images picked with Attach image can be removed before sending; a file that is no image is refused',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(say('A GIF.'));
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      const picker = page.getByTestId('image-picker');
      await button(page, 'Attach image').waitFor();

      await picker.setInputFiles([
        { name: 'a.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1X1, 'base64') },
        { name: 'b.gif', mimeType: 'image/gif', buffer: Buffer.from(GIF_1X1, 'base64') },
      ]);
      const toSend = page.getByRole('list', { name: 'Images to send' });
      await expect.poll(() => toSend.getByRole('listitem').count()).toBe(2);
      await button(toSend, 'Remove image 1').click();
      await expect.poll(() => toSend.getByRole('listitem').count()).toBe(1);

      await picker.setInputFiles({
        name: 'fake.png',
        mimeType: 'image/png',
        buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      });
      await page
        .getByRole('alert')
        .filter({ hasText: 'The image fake.png was not attached' })
        .waitFor();

      await messageBox(page).fill('And this?');
      await expect.poll(() => button(page, 'Send').isEnabled()).toBe(true);
      await button(page, 'Send').click();
      await page.locator('article[data-turn="1"][data-status="complete"]').waitFor();
      const content = (stack.emulator.requests[0]!.body as SentBody).messages[0]?.content;
      expect(content?.map((block) => block.type)).toEqual(['image', 'text']);
      expect(content?.[0]).toEqual({
        type: 'image',
        source: { type: 'base64', media_type: 'image/gif', data: GIF_1X1 },
      });
    },
    E2E_TIMEOUT,
  );
});
