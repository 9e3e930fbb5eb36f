import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../store/support/postgres-databases.ts';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import {
  button,
  dialog,
  notes,
  say,
  sendMessage,
  sha256,
  startConversation,
  waitForDecision,
  writeCall,
} from './page-kit.ts';

// Two Tollgate instances on one PostgreSQL database (and one workspace), a tab on each: what a
// team behind a load balancer sees when two of its people's tabs land on different instances.

const suite = browserSuite();
let database: TestDatabase;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(async () => {
  await database.drop();
}, E2E_TIMEOUT);

describe('two instances, a tab on each', () => {
  it(
    'shows the same stream, the same approval and the same file on both; decided on the other instance',
    async () => {
      const first = await suite.startStack({ DATABASE_URL: database.url });
      const second = await suite.startStack({
        DATABASE_URL: database.url,
        WORKSPACE_DIR: first.workspaceDir,
      });
      const content = notes(60);
      // The instance that opened the conversation first runs it, and calls its Claude.
      first.emulator.enqueue(
        writeCall('toolu_t1', 'team/notes.md', content, { eventDelayMs: 2 }),
        say('Saved for the whole team.', { eventDelayMs: 5 }),
      );
      const a = await suite.browser.newPage();
      const id = await startConversation(a, first.url);
      const b = await suite.browser.newPage();
      await b.goto(`${second.url}/?c=${id}`);
      await b.getByRole('textbox', { name: 'Message' }).waitFor();

      await sendMessage(a, 'Save the team notes');
      await b.locator('article', { hasText: 'Save the team notes' }).waitFor();
      await waitForDecision(b);
      await waitForDecision(a);
      expect(await dialog(b).getByTestId('approval-summary').textContent()).toMatch(
        /^Create the file team\/notes\.md/,
      );
      await button(dialog(b), 'Approve').click();
      await dialog(a).waitFor({ state: 'hidden' });
      await dialog(b).waitFor({ state: 'hidden' });
      for (const page of [a, b]) {
        await page.getByText('File created').waitFor();
        await page.getByText('Saved for the whole team.').waitFor();
      }
      const onDisk = await readFile(join(first.workspaceDir, 'team/notes.md'), 'utf8');
      expect(onDisk).toBe(content);
      for (const page of [a, b]) {
        expect(await page.getByTestId('file-proof').textContent()).toContain(sha256(onDisk));
      }
      expect(first.emulator.requests).toHaveLength(2);
      expect(second.emulator.requests).toHaveLength(0);
    },
    E2E_TIMEOUT,
  );
});
