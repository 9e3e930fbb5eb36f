import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TURN_ENTRIES, writeTurns } from '../support/seed-conversations.ts';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import { launchChromium } from './chromium.ts';
import { startCuttableProxy } from './cuttable-proxy.ts';
import {
  button,
  dialog,
  messageBox,
  notes,
  recordChunkCounts,
  recordFilePanelDrawings,
  recordShownTexts,
  say,
  screenshot,
  sendMessage,
  sha256,
  shownFileText,
  startConversation,
  waitForChunkAbove,
  waitForDecision,
  watchLiveTail,
  watchRedraws,
  writeCall,
} from './page-kit.ts';
import {
  answerLongerThan,
  clipboardText,
  codeBlockWhileWritten,
  dialogWasSeen,
  firstDrawnAnswers,
  isFocused,
  lastLineInView,
  markedTop,
  markMiddleOfView,
  recordFirstDrawnAnswers,
  scrollPanel,
  scrollTimeline,
  timelineFromEnd,
  timelineNearEnd,
  timelineOverflows,
  watchForDialog,
} from './page-scripts.js';

// The chat page in Debian's Chromium against the real server and the Claude emulator: what a
// person sees and does, checked against what the server wrote to disk.

const suite = browserSuite();

describe('the chat page', () => {
  it(
    'streams the answer, asks for approval, then shows the file growing chunk by chunk',
    async () => {
      const stack = await suite.startStack();
      const content = notes(160);
      stack.emulator.enqueue(
        writeCall('toolu_a1', 'notes/a.md', content, { eventDelayMs: 2 }),
        say('Your notes are saved in `notes/a.md`.', { eventDelayMs: 5 }),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Save my notes to notes/a.md');
      // Shorter than its view, the conversation starts at the top of it.
      const fromTop = await page
        .locator('main li')
        .first()
        .evaluate((item) => {
          const main = item.closest('main')!.getBoundingClientRect();
          return item.getBoundingClientRect().top - main.top;
        });
      expect(fromTop).toBeLessThan(40);

      // Claude's text streams in; the dialog opens while Claude still writes the call, with the
      // file growing in its preview, and the decision waits until the call is complete.
      await page.locator('article[data-status="streaming"]', { hasText: 'for you.' }).waitFor();
      await dialog(page).getByText('Claude is still writing this request…').waitFor();
      expect(await button(dialog(page), 'Approve').isDisabled()).toBe(true);
      expect(await dialog(page).getAttribute('aria-modal')).toBe('true');
      await waitForDecision(page);
      const summary = await dialog(page).getByTestId('approval-summary').textContent();
      expect(summary).toMatch(/^Create the file notes\/a\.md \(\d+\.\d KB\)$/);
      await dialog(page).getByText('from tollgate-files').waitFor();
      expect(await shownFileText(dialog(page))).toBe(content);
      await screenshot(page, '01-approval-dialog', 'approval-dialog.png');
      // Nothing ran before the decision.
      await expect(stat(join(stack.workspaceDir, 'notes/a.md'))).rejects.toThrow();

      const seenChunks = await recordChunkCounts(page);
      const drawings = await recordFilePanelDrawings(page);
      await button(dialog(page), 'Approve').click();
      await dialog(page).waitFor({ state: 'hidden' });
      const first = await waitForChunkAbove(page, 1);
      await page.getByText('Writing notes/a.md…').waitFor();
      const later = await waitForChunkAbove(page, first + 2);
      expect(later).toBeGreaterThan(first);
      await screenshot(page, '02-file-streaming', 'file-streaming.png');

      await page.getByText('File created').waitFor();
      await page.getByText('Your notes are saved in').waitFor();
      const onDisk = await readFile(join(stack.workspaceDir, 'notes/a.md'), 'utf8');
      // The panel followed the file to its end: its last line is in view.
      const panel = page.getByTestId('file-content').last();
      const lines = onDisk.split('\n').length;
      expect(await panel.evaluate(lastLineInView)).toEqual({ shown: lines, lines });
      expect(await shownFileText(page)).toBe(onDisk);
      expect(onDisk).toBe(content);
      expect(await page.getByTestId('file-proof').textContent()).toContain(sha256(onDisk));
      // The panel draws only the lines in view; "Copy file" takes the whole file.
      await suite.browser.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(stack.url).origin,
      });
      await button(page, 'Copy file').click();
      await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
      expect(await page.evaluate(clipboardText)).toBe(onDisk);
      // Chunks never split a character, so there are at least bytes / 64 of them.
      const chunks = Number(await page.locator('[data-chunks]').last().getAttribute('data-chunks'));
      expect(chunks).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(content) / 64));
      await page.getByText(`Chunk ${chunks} received`).waitFor();
      const intermediate = (await seenChunks()).filter((n) => n > 1 && n < chunks);
      expect(intermediate.length).toBeGreaterThan(5);
      // Through the second half too, when the panel's box is long full and the panel draws the
      // chunks by itself.
      expect(intermediate.filter((n) => n > chunks / 2).length).toBeGreaterThanOrEqual(5);
      // Whatever the panel drew was the file's text, line for line: each drawn line is that line
      // of the file, and the last one drawn its start. While the file was written, the panel
      // drew it growing to its end, a few lines at a time.
      const fileLines = onDisk.split('\n');
      const drawn = await drawings();
      const grownTo = drawn
        .filter((drawing) => drawing.status === 'running')
        .map((drawing) => Number(drawing.gutter.split('\n').at(-1)));
      expect(Math.max(...grownTo)).toBeGreaterThan(lines * 0.9);
      expect(new Set(grownTo.filter((n) => n > lines / 2)).size).toBeGreaterThanOrEqual(5);
      for (const { gutter, code } of drawn) {
        const numbers = gutter.split('\n').map(Number);
        const texts = code.split('\n');
        expect(texts.length).toBe(numbers.length);
        const lastText = texts.pop() ?? '';
        expect(texts).toEqual(numbers.slice(0, -1).map((n) => fileLines[n - 1]));
        expect(fileLines[(numbers.at(-1) ?? 0) - 1]?.startsWith(lastText)).toBe(true);
      }
      await page
        .getByText(/\d+ in · \d+ out tokens/)
        .first()
        .waitFor();
      await screenshot(page, '03-file-created');
    },
    E2E_TIMEOUT,
  );

  it(
    'denies with a reason: the denial shows, then Claude explains, streaming',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(
        writeCall('toolu_d1', 'secret.md', 'top secret'),
        say(
          `Understood: I did not create secret.md. ${'Here is why that is fine. '.repeat(12)}I can show you the text here instead.`,
          { eventDelayMs: 10 },
        ),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Write secret.md');
      await waitForDecision(page);
      await dialog(page).getByLabel('Reason for denying (optional)').fill('Not today');
      const shownTexts = await recordShownTexts(page, 'article[data-turn="2"] .markdown');
      await button(dialog(page), 'Deny').click();
      await dialog(page).waitFor({ state: 'hidden' });
      await page.getByText('Denied: Not today').waitFor();
      // The explanation is seen while it is still streaming, then whole.
      await page.locator('article[data-status="streaming"]', { hasText: 'Understood' }).waitFor();
      await screenshot(page, '04-denied-explaining');
      await page.getByText('I can show you the text here instead.').waitFor();
      await page.locator('article[data-turn="2"][data-status="complete"]').waitFor();
      await expect(stat(join(stack.workspaceDir, 'secret.md'))).rejects.toThrow();
      // Every text the answer showed on its way, including what arrived between two renders
      // (written straight into the page), was a beginning of the final one: nothing twice, no
      // gap, nothing out of order.
      const final = (await page.locator('article[data-turn="2"] .markdown').textContent()) ?? '';
      const texts = await shownTexts();
      expect(texts.length).toBeGreaterThan(10);
      for (const text of texts) expect(final.startsWith(text)).toBe(true);
    },
    E2E_TIMEOUT,
  );

  it(
    'always allow: the next call of that tool runs without a dialog',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(
        writeCall('toolu_w1', 'one.md', 'first file'),
        say('Created one.md.'),
        writeCall('toolu_w2', 'two.md', 'second file'),
        say('Created two.md too.'),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Create one.md');
      await waitForDecision(page);
      await button(dialog(page), 'Always allow').click();
      await page.getByText('Created one.md.').waitFor();
      await page.getByText('write_file is always allowed in this conversation.').waitFor();

      await page.evaluate(watchForDialog);
      await sendMessage(page, 'Create two.md');
      await page.getByText('Created two.md too.').waitFor();
      expect(await page.evaluate(dialogWasSeen)).toBe(false);
      await page.getByText('Approved automatically: always allowed in this conversation').waitFor();
      expect(await readFile(join(stack.workspaceDir, 'two.md'), 'utf8')).toBe('second file');
      await screenshot(page, '05-always-allowed');
    },
    E2E_TIMEOUT,
  );

  it(
    'brings the dialog back after a reload while the approval waits',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(writeCall('toolu_r1', 'kept.md', 'still here'), say('Saved.'));
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Write kept.md');
      await waitForDecision(page);
      await page.reload();
      await waitForDecision(page);
      expect(await dialog(page).getByTestId('approval-summary').textContent()).toBe(
        'Create the file kept.md (10 bytes)',
      );
      await screenshot(page, '06-dialog-after-reload');
      // The keyboard works the dialog: Escape decides nothing, Tab stays inside, Enter approves.
      await page.keyboard.press('Escape');
      expect(await dialog(page).isVisible()).toBe(true);
      for (let i = 0; i < 12; i += 1) {
        await page.keyboard.press('Tab');
        expect(await dialog(page).locator(':focus').count()).toBe(1);
      }
      await button(dialog(page), 'Approve').focus();
      await page.keyboard.press('Enter');
      await page.getByText('Saved.').waitFor();
      await dialog(page).waitFor({ state: 'detached' });
      // Focus went back to the page, on the message box.
      expect(await messageBox(page).evaluate(isFocused)).toBe(true);
      expect(await readFile(join(stack.workspaceDir, 'kept.md'), 'utf8')).toBe('still here');
    },
    E2E_TIMEOUT,
  );

  it(
    'resumes the file panel after a reload during the run, and completes it',
    async () => {
      const stack = await suite.startStack();
      const content = notes(240);
      stack.emulator.enqueue(writeCall('toolu_p1', 'long.md', content), say('All written.'));
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Write long.md');
      await waitForDecision(page);
      await button(dialog(page), 'Approve').click();
      const before = await waitForChunkAbove(page, 2);
      await page.reload();
      // The catch-up replays what was missed; the run carries on live.
      await waitForChunkAbove(page, before);
      await screenshot(page, '07-run-after-reload');
      await page.getByText('File created').waitFor();
      await page.getByText('All written.').waitFor();
      const onDisk = await readFile(join(stack.workspaceDir, 'long.md'), 'utf8');
      expect(onDisk).toBe(content);
      expect(await shownFileText(page)).toBe(onDisk);
    },
    E2E_TIMEOUT,
  );

  it(
    'the conversation follows a streaming answer while the reader is at its end, and stays where they scroll to',
    async () => {
      const stack = await suite.startStack();
      const paragraphs = Array.from(
        { length: 150 },
        (_, i) => `Paragraph ${i + 1} of a long answer, which goes on and on.`,
      );
      stack.emulator.enqueue(say(paragraphs.join('\n\n'), { eventDelayMs: 4 }));
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Tell me a long story');
      const main = page.locator('main');
      const answer = main.locator('article[data-turn="1"]');
      const answerLength = async () => ((await answer.textContent()) ?? '').length;

      // Once the answer is well taller than the view, the view is at its end (give or take the
      // text that arrived since the last redraw).
      await page.waitForFunction(timelineOverflows, 400);
      expect(await main.evaluate(timelineFromEnd)).toBeLessThan(100);

      // The reader scrolls up to read: the answer keeps arriving below, and what they read stays
      // where it is on the screen.
      await main.evaluate(scrollTimeline, -300);
      const readAt = await main.evaluate(markMiddleOfView);
      await page.waitForFunction(answerLongerThan, (await answerLength()) + 400);
      expect(await page.evaluate(markedTop)).toBeCloseTo(readAt, 0);
      expect(await main.evaluate(timelineFromEnd)).toBeGreaterThan(300);

      // Back at the end while the answer still streams, the view follows it again, to the end.
      await main.evaluate(scrollTimeline, 'end' as const);
      await page.waitForFunction(answerLongerThan, (await answerLength()) + 400);
      expect(await main.evaluate(timelineFromEnd)).toBeLessThan(100);
      await page.locator('main article[data-turn="1"][data-status="complete"]').waitFor();
      await page.waitForFunction(timelineNearEnd, 1);
      expect(await answer.getByText('Paragraph 150 of a long answer').isVisible()).toBe(true);
    },
    E2E_TIMEOUT,
  );

  it(
    'a long conversation opens at its end, then draws its older messages above it without moving',
    async () => {
      const turns = 40;
      const conversationId = 'c_long';
      const stack = await suite.startStack(
        {},
        { seed: (dataDir) => writeTurns(dataDir, conversationId, turns) },
      );
      const page = await suite.browser.newPage();
      await page.addInitScript(recordFirstDrawnAnswers);
      // What the server sent for it: its checkpoint, saved when the server first opened it,
      // stands in for the 1,760 entries.
      const checkpoints: number[] = [];
      let entries = 0;
      page.on('websocket', (socket) =>
        socket.on('framereceived', ({ payload }) => {
          const message = JSON.parse(String(payload)) as {
            type: string;
            seq?: number;
            entries?: { conversationId: string }[];
          };
          if (message.type === 'checkpoint') checkpoints.push(message.seq ?? 0);
          entries += (message.entries ?? []).filter(
            (e) => e.conversationId === conversationId,
          ).length;
        }),
      );
      await page.goto(`${stack.url}/?c=${conversationId}`);
      const main = page.locator('main');
      await main.getByText(`Answer ${turns}:`).waitFor();
      expect(checkpoints).toEqual([turns * TURN_ENTRIES]);
      expect(entries).toBe(0);
      await page.waitForFunction(timelineNearEnd, 50);
      // Its end came first: a few answers, not forty.
      const first = await page.evaluate(firstDrawnAnswers);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(8);

      // The older turns arrive above the last one, a few at a time, and the view stays at the end.
      const articles = main.locator('article[data-turn]');
      await main.getByText('Question 1', { exact: true }).waitFor({ state: 'attached' });
      expect(await articles.count()).toBe(turns);
      expect(await main.evaluate(timelineFromEnd)).toBeLessThan(50);
      expect(await main.getByText(`Answer ${turns}:`).isVisible()).toBe(true);
    },
    E2E_TIMEOUT,
  );

  it(
    'the file panel follows the end while the reader is there, and stays where they scroll to',
    async () => {
      const stack = await suite.startStack();
      const content = notes(400);
      stack.emulator.enqueue(writeCall('toolu_s1', 'scroll.md', content), say('It is written.'));
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Write scroll.md');
      await waitForDecision(page);
      await button(dialog(page), 'Approve').click();
      const panel = page.getByTestId('file-content').last();
      // Well past a panel's height (each chunk is 64 bytes, about two lines), it shows the end.
      const early = await waitForChunkAbove(page, 30);
      const following = await panel.evaluate(lastLineInView);
      expect(following.shown).toBe(following.lines);
      expect(following.lines).toBeGreaterThan(40);
      // The reader scrolls up a little (a few arrow presses): the text keeps arriving, and
      // they stay where they are.
      const upTo = await panel.evaluate(scrollPanel, -100);
      const later = await waitForChunkAbove(page, early + 15);
      expect(await panel.evaluate(scrollPanel, 0)).toBe(upTo);
      const stayed = await panel.evaluate(lastLineInView);
      expect(stayed.shown).toBeLessThan(stayed.lines - 5);
      // Back at the end while the file still grows, the panel follows again.
      await panel.evaluate(scrollPanel, 'end' as const);
      await waitForChunkAbove(page, later + 10);
      const again = await panel.evaluate(lastLineInView);
      expect(again.shown).toBe(again.lines);
      expect(again.lines).toBeGreaterThan(stayed.lines);
      await page.getByText('File created').waitFor();
      await page.getByText('It is written.').waitFor();
      const done = await panel.evaluate(lastLineInView);
      expect(done).toEqual({
        shown: content.split('\n').length,
        lines: content.split('\n').length,
      });
      expect(await shownFileText(page)).toBe(content);
    },
    E2E_TIMEOUT,
  );

  it(
    'two tabs on one conversation: deciding in one closes the dialog in the other',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(
        writeCall('toolu_t1', 'both.md', 'seen by both'),
        say('Done in both tabs.'),
      );
      const a = await suite.browser.newPage();
      const id = await startConversation(a, stack.url);
      const b = await suite.browser.newPage();
      await b.goto(`${stack.url}/?c=${id}`);
      await messageBox(b).waitFor();
      await sendMessage(a, 'Write both.md');
      await waitForDecision(a);
      await waitForDecision(b);
      await screenshot(b, '08-second-tab-dialog');
      await button(dialog(b), 'Approve').click();
      await dialog(a).waitFor({ state: 'hidden' });
      await dialog(b).waitFor({ state: 'hidden' });
      await a.getByText('Done in both tabs.').waitFor();
      await b.getByText('Done in both tabs.').waitFor();
      expect(await shownFileText(a)).toBe('seen by both');
      expect(await shownFileText(b)).toBe('seen by both');
      await screenshot(a, '09-first-tab-after');
    },
    E2E_TIMEOUT,
  );

  it(
    'shows a Claude error plainly, and Retry asks again',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(
        {
          kind: 'http-error',
          status: 529,
          type: 'overloaded_error',
          message: 'Overloaded',
          headers: { 'x-should-retry': 'false' },
        },
        say('Here I am, on the second try.'),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Hello?');
      const alert = page.getByRole('alert').filter({ hasText: 'Claude could not answer' });
      await alert.waitFor();
      await screenshot(page, '10-claude-error');
      await button(alert, 'Retry').click();
      await page.getByText('Here I am, on the second try.').waitFor();
      // The failed turn stays in the history, marked; only its Retry goes.
      await button(alert, 'Retry').waitFor({ state: 'detached' });
    },
    E2E_TIMEOUT,
  );

  it(
    'works on a phone-sized screen in Brazilian Portuguese',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(writeCall('toolu_m1', 'celular.md', notes(12)), say('Pronto.'));
      const phone = await launchChromium({
        viewport: { width: 390, height: 844 },
        locale: 'pt-BR',
      });
      try {
        const page = await phone.newPage();
        await page.goto(stack.url);
        await button(page, 'Mostrar conversas').click();
        await button(page.getByRole('navigation'), 'Nova conversa').click();
        await page.waitForURL(/\?c=/);
        await page.getByRole('textbox', { name: 'Mensagem' }).fill('Crie celular.md');
        await page.getByRole('textbox', { name: 'Mensagem' }).press('Enter');
        await button(dialog(page), 'Aprovar').waitFor();
        const approve = await button(dialog(page), 'Aprovar').elementHandle();
        await approve?.waitForElementState('enabled');
        await screenshot(page, '11-phone-dialog-pt-br');
        await approve?.click();
        await page.getByText('Arquivo criado').waitFor();
        await page.getByText('Pronto.').waitFor();
        await screenshot(page, '12-phone-done-pt-br');
        // The switch brings the English names back.
        await page.getByRole('combobox').selectOption('en');
        await page.getByRole('textbox', { name: 'Message' }).waitFor();
      } finally {
        await phone.close();
      }
    },
    E2E_TIMEOUT,
  );

  it(
    'streams markdown: text that arrives between two redraws shows at its end, never elsewhere',
    async () => {
      const stack = await suite.startStack();
      const answer = [
        'Here is the plan:',
        '',
        '1. Step one, the **first** thing to do.',
        '',
        '   More about step one, in a second paragraph of the same item.',
        '',
        '   And a third, so that a paragraph gets a successor while the text streams.',
        '',
        '2. Step two.',
        '',
        'Then some code, right after a paragraph:',
        '```js',
        'const answer = 42;',
        'console.log(answer);',
        '```',
        '',
        'And that is all, in a last paragraph that streams in word by word.',
      ].join('\n');
      stack.emulator.enqueue(say(answer, { eventDelayMs: 6 }));
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      const tails = await watchLiveTail(page, 'article[data-turn="1"] .markdown');
      await sendMessage(page, 'Plan it');
      await page.locator('article[data-turn="1"][data-status="complete"]').waitFor();
      const { shown, misplaced } = await tails();
      expect(misplaced).toEqual([]);
      expect(shown).toBeGreaterThan(0);
      const turn = page.locator('article[data-turn="1"]');
      await turn.getByText('More about step one').waitFor();
      expect(await turn.locator('ol > li').count()).toBe(2);
      expect(await turn.locator('pre code').textContent()).toBe(
        'const answer = 42;\nconsole.log(answer);\n',
      );
      expect(await turn.locator('[data-live-tail]').count()).toBe(0);
    },
    E2E_TIMEOUT,
  );

  it(
    'formats markdown while it streams, and draws plain words through the live tail alone',
    async () => {
      const stack = await suite.startStack();
      const words = (from: number) =>
        Array.from({ length: 40 }, (_, i) => `word${from + i}`).join(' ');
      // Plain words, then **bold** text, then plain words again: the bold must show while
      // Claude is still writing, and the plain words need no redraw of the markdown.
      const answer = `${words(1)} and a **bold claim** ${words(41)} end`;
      stack.emulator.enqueue(say(answer, { eventDelayMs: 10 }));
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      const redraws = await watchRedraws(page, 1, 'strong');
      const tails = await watchLiveTail(page, 'article[data-turn="1"] .markdown');
      const shownTexts = await recordShownTexts(page, 'article[data-turn="1"] .markdown');
      await sendMessage(page, 'Stream it');
      await page.locator('article[data-turn="1"][data-status="complete"]').waitFor();
      const turn = page.locator('article[data-turn="1"]');
      const { redraws: drawn, formattedWhile } = await redraws();
      expect(formattedWhile).toBe('streaming');
      const { shown, misplaced } = await tails();
      expect(misplaced).toEqual([]);
      const texts = await shownTexts();
      // What a person read at each moment was the start of the answer, each word once: the text
      // as it grew, with the asterisks of the bold not yet closed shown as they came.
      const read = (text: string) => text.replaceAll('*', '').replace(/\s+/g, ' ');
      const whole = read(answer);
      expect(texts.filter((text) => !whole.startsWith(read(text)))).toEqual([]);
      expect(texts.at(-1)).toBe(answer.replaceAll('**', ''));
      // Every delta the tail showed would have been a redraw as well at the old pace; now the
      // markdown is drawn when the text starts, for the bold, and once complete.
      expect(shown).toBeGreaterThan(40);
      expect(drawn).toBeLessThan(10);
      await expect(turn.locator('strong').textContent()).resolves.toBe('bold claim');
      await turn.getByText('word80 end').waitFor();
    },
    E2E_TIMEOUT,
  );

  it(
    'shows code as Claude writes it, highlighted while it streams, parsed again a line at a time',
    async () => {
      const stack = await suite.startStack();
      const code = Array.from(
        { length: 24 },
        (_, i) => `const value${i} = compute(${i}, "x", [1, 2]); // step ${i}`,
      ).join('\n');
      stack.emulator.enqueue(
        say(`Here it is:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`, { eventDelayMs: 10 }),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      const redraws = await watchRedraws(page, 1, 'pre .hljs-keyword');
      const tails = await watchLiveTail(page, 'article[data-turn="1"] .markdown');
      const shownCode = await recordShownTexts(page, 'article[data-turn="1"] pre');
      await sendMessage(page, 'Write it');
      // While a line is being written, the block is as tall as its lines: the line shows right
      // under the ones rendered, with no gap and nothing drawn twice.
      const written = await page.waitForFunction(codeBlockWhileWritten, {
        block: 'article[data-turn="1"] pre',
        tail: 'article[data-turn="1"] pre [data-live-tail="code"]',
        after: 'step 5',
      });
      const midway = (await written.jsonValue()) ?? { lines: 0, tall: -1, tail: '' };
      expect(midway.tail).not.toBe('');
      expect(midway.tall).toBeCloseTo(midway.lines, 1);
      await page.locator('article[data-turn="1"][data-status="complete"]').waitFor();
      const { redraws: drawn, formattedWhile } = await redraws();
      expect(formattedWhile).toBe('streaming');
      const { shown, misplaced } = await tails();
      expect(misplaced).toEqual([]);
      // What a person read in the code block at each moment was the start of the code, each
      // character once, where it belongs. (A last line break shows no line; the closing fence's
      // first backticks show as code until the fence is whole, as the renderer draws them.)
      const texts = await shownCode();
      const read = (text: string) => text.replace(/\n`{1,2}\n$/, '\n').replace(/\n$/, '');
      expect(texts.filter((text) => !code.startsWith(read(text)))).toEqual([]);
      expect(texts.at(-1)).toBe(`${code}\n`);
      // The deltas of a line being written are shown by the live tail; the code is parsed and
      // highlighted again once a line is complete, not at each of its 300-odd deltas.
      expect(shown).toBeGreaterThan(100);
      expect(drawn).toBeLessThan(60);
      await expect(page.locator('article[data-turn="1"] pre .hljs-comment').count()).resolves.toBe(
        24,
      );
      await page.locator('article[data-turn="1"]').getByText('Done.').waitFor();
    },
    E2E_TIMEOUT,
  );

  it(
    'says when the connection is lost, reconnects and resumes without a gap or a repeat',
    async () => {
      const stack = await suite.startStack();
      const answer = Array.from({ length: 40 }, (_, i) => `sentence ${i + 1}.`).join(' ');
      stack.emulator.enqueue(say(answer, { eventDelayMs: 15 }));
      const proxy = await startCuttableProxy(new URL(stack.url));
      try {
        const page = await suite.browser.newPage();
        await startConversation(page, proxy.url);
        await sendMessage(page, 'Tell me forty things');
        await page.getByText('sentence 3.', { exact: false }).waitFor();
        proxy.cut();
        const lost = page
          .getByRole('alert')
          .filter({ hasText: 'The connection to the server was lost' });
        await lost.waitFor();
        await page
          .locator('[data-connection="reconnecting"], [data-connection="offline"]')
          .waitFor();
        await screenshot(page, '13-connection-lost');
        proxy.restore();
        // Retry, unless the page's own backoff timer reconnects first (then the button is gone
        // before it can be clicked): either way the page must come back by itself.
        const connected = page.locator('[data-connection="connected"]');
        await Promise.race([
          button(lost, 'Retry')
            .click()
            .catch(() => connected.waitFor()),
          connected.waitFor(),
        ]);
        await connected.waitFor();
        await page.locator('article[data-turn="1"][data-status="complete"]').waitFor();
        expect(await page.locator('article[data-turn="1"] .markdown').textContent()).toBe(answer);
        await lost.waitFor({ state: 'detached' });
      } finally {
        await proxy.close();
      }
    },
    E2E_TIMEOUT,
  );

  it(
    'edits the content before approving: the tool writes the edited file',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(writeCall('toolu_e1', 'edited.md', 'Claude wrote this'), say('Done.'));
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Write edited.md');
      await waitForDecision(page);
      await button(dialog(page), 'Edit before approving').click();
      await dialog(page).getByLabel('File content (edited)').fill('The person wrote this');
      await button(dialog(page), 'Approve').click();
      await page.getByText('Approved with your edits').waitFor();
      await page.getByText('Done.', { exact: true }).waitFor();
      expect(await readFile(join(stack.workspaceDir, 'edited.md'), 'utf8')).toBe(
        'The person wrote this',
      );
      expect(await shownFileText(page)).toBe('The person wrote this');
    },
    E2E_TIMEOUT,
  );
});
