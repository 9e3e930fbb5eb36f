import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import type { ScriptedResponse } from '../claude-emulator/claude-emulator.ts';
import {
  chunkAbove,
  fileDrawings,
  liveTails,
  markdownRedraws,
  readFilePanel,
  recordChunks,
  recordFileDrawings,
  recordTexts,
  seenChunks,
  seenTexts,
  watchLiveTails,
  watchMarkdownRedraws,
} from './page-scripts.js';

// What the browser tests do on the page, in the words a person would use, and the scripts the
// Claude emulator answers with. Every wait is on DOM state; nothing sleeps.

const HERE = dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = join(HERE, 'artifacts');
export const DOCS_IMAGES = join(HERE, '../../../docs/images');

export const writeCall = (
  id: string,
  path: string,
  content: string,
  options: Partial<ScriptedResponse> = {},
): ScriptedResponse =>
  ({
    kind: 'stream',
    blocks: [
      { type: 'text', text: `I'll create **${path}** for you.` },
      { type: 'tool_use', id, name: 'write_file', input: { path, content } },
    ],
    stopReason: 'tool_use',
    ...options,
  }) as ScriptedResponse;

export const say = (text: string, options: Partial<ScriptedResponse> = {}): ScriptedResponse =>
  ({
    kind: 'stream',
    blocks: [{ type: 'text', text }],
    stopReason: 'end_turn',
    ...options,
  }) as ScriptedResponse;

/** A file long enough to watch: each line different, some multi-byte characters. */
export function notes(lines: number): string {
  return Array.from(
    { length: lines },
    (_, i) => `- note ${i + 1}: ünïcödé ✓ ${'·'.repeat(i % 7)}`,
  ).join('\n');
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export async function screenshot(page: Page, name: string, alsoTo?: string) {
  await mkdir(ARTIFACTS, { recursive: true });
  const image = await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  // The README's pictures are refreshed on request only, so a test run leaves the tree clean.
  if (alsoTo !== undefined && process.env.UPDATE_DOC_IMAGES === '1') {
    const { writeFile } = await import('node:fs/promises');
    await mkdir(DOCS_IMAGES, { recursive: true });
    await writeFile(join(DOCS_IMAGES, alsoTo), image);
  }
}

export const messageBox = (page: Page) => page.getByRole('textbox', { name: 'Message' });
export const dialog = (page: Page) => page.getByRole('dialog');
export const button = (scope: Page | Locator, name: string) =>
  scope.getByRole('button', { name, exact: true });

/** Opens the app and starts a conversation; resolves with its id (from the URL). */
export async function startConversation(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await button(page, 'New conversation').click();
  await page.waitForURL(/\?c=/);
  await messageBox(page).waitFor();
  return new URL(page.url()).searchParams.get('c') ?? '';
}

export async function sendMessage(page: Page, text: string) {
  await messageBox(page).fill(text);
  await messageBox(page).press('Enter');
  await page.locator('article', { hasText: text }).first().waitFor();
}

/** Waits until the dialog's decision buttons can be used (Claude has finished the call). */
export async function waitForDecision(page: Page) {
  await dialog(page).waitFor();
  const approve = await button(dialog(page), 'Approve').first().elementHandle();
  await approve?.waitForElementState('enabled');
}

/**
 * Waits until a running file panel shows "Chunk N received" with N above `after` (the file still
 * being written), and returns N.
 */
export async function waitForChunkAbove(page: Page, after: number): Promise<number> {
  const handle = await page.waitForFunction(chunkAbove, after);
  return (await handle.jsonValue()) as number;
}

/** Records every "Chunk N received" the page ever shows; the returned function reads them. */
export async function recordChunkCounts(page: Page) {
  await page.evaluate(recordChunks);
  return () => page.evaluate(seenChunks);
}

/** Records what the last file panel draws at each DOM change (recordFileDrawings); read it later. */
export async function recordFilePanelDrawings(page: Page) {
  await page.evaluate(recordFileDrawings);
  return () => page.evaluate(fileDrawings);
}

/** Records every text the element shows, however briefly (each DOM change); read it later. */
export async function recordShownTexts(page: Page, selector: string) {
  await page.evaluate(recordTexts, selector);
  return () => page.evaluate(seenTexts);
}

/** Checks, at every DOM change, that the live tail only shows at the end; read the tally later. */
export async function watchLiveTail(page: Page, selector: string) {
  await page.evaluate(watchLiveTails, selector);
  return () => page.evaluate(liveTails);
}

/**
 * Starts counting the redraws of turn `turn`'s markdown (changes outside its live tail), and
 * noting its status when `formatted` first shows in it; returns what reads them.
 */
export async function watchRedraws(page: Page, turn: number, formatted: string) {
  const article = `article[data-turn="${turn}"]`;
  await page.evaluate(watchMarkdownRedraws, {
    article,
    selector: `${article} .markdown`,
    formatted,
  });
  return () => page.evaluate(markdownRedraws);
}

/**
 * The text of the last file panel in `scope` as a person reads it, scrolling it from top to
 * bottom (the panel draws only the lines in view).
 */
export async function shownFileText(scope: Page | Locator): Promise<string> {
  return scope.getByTestId('file-content').last().evaluate(readFilePanel);
}
