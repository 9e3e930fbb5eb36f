import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ScriptedResponse } from '../claude-emulator/claude-emulator.ts';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import {
  button,
  dialog,
  say,
  screenshot,
  sendMessage,
  startConversation,
  waitForDecision,
} from './page-kit.ts';
import { isFocused } from './page-scripts.js';

// The MCP servers panel and other servers' progress, in Chromium against the real server: a
// server configured in MCP_CONFIG (fixtures/reporter-server.mjs) fails to start until its settings
// file exists; the panel shows why and restarts it. Its tools report progress with and without a
// total.

const suite = browserSuite();
const REPORTER = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/reporter-server.mjs');

/** A folder for the MCP config and the files the reporter waits for, removed after the test. */
async function testFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-mcp-e2e-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An MCP config with the reporter, which needs `settings` to exist to start (if given). */
async function reporterConfig(dir: string, settings?: string): Promise<string> {
  const path = join(dir, 'mcp.json');
  const args = settings === undefined ? [REPORTER] : [REPORTER, settings];
  await writeFile(
    path,
    JSON.stringify({ mcpServers: { reporter: { command: process.execPath, args } } }),
  );
  return path;
}

const serversPanel = (page: Page) => page.getByRole('dialog', { name: 'MCP servers' });
const serverRegion = (page: Page, name: string) =>
  serversPanel(page).getByRole('region', { name, exact: true });

const callTool = (id: string, name: string, input: Record<string, unknown>): ScriptedResponse =>
  ({
    kind: 'stream',
    blocks: [
      { type: 'text', text: `I'll use ${name}.` },
      { type: 'tool_use', id, name, input },
    ],
    stopReason: 'tool_use',
  }) as ScriptedResponse;

describe('the MCP servers panel', () => {
  it(
    'a failed MCP server shown with its error, restarted from the panel',
    async () => {
      const dir = await testFolder();
      const settings = join(dir, 'reporter-settings.json');
      const stack = await suite.startStack(
        { MCP_CONFIG: await reporterConfig(dir, settings) },
        // No try by itself during the test: the restart is the person's.
        { mcpBackoff: { initialMs: 600_000, maxMs: 600_000 } },
      );
      const page = await suite.browser.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(stack.url);

      // The header says a server failed before anyone opens the panel.
      await button(page, 'MCP servers (1 failed)').click();
      const reporter = serverRegion(page, 'reporter');
      await reporter.getByText('Failed', { exact: true }).waitFor();
      await reporter
        .getByText(
          `The reporter server stopped before it finished starting. Its last output: "Error: ENOENT: no such file or directory, open '${settings}'"`,
        )
        .waitFor();
      const stderr = reporter.getByRole('figure', { name: 'The last lines it wrote to stderr' });
      expect(await stderr.locator('pre').textContent()).toBe(
        [
          'reporter: starting',
          `reporter: reading settings from ${settings}`,
          `Error: ENOENT: no such file or directory, open '${settings}'`,
        ].join('\n'),
      );
      expect(await reporter.getByText('No tools listed.').isVisible()).toBe(true);
      // The built-in server is there too, ready, with its tools.
      const files = serverRegion(page, 'tollgate-files');
      await files.getByText('Ready', { exact: true }).waitFor();
      expect(
        await files.getByRole('list', { name: 'Tools' }).getByRole('listitem').allTextContents(),
      ).toEqual(expect.arrayContaining(['write_file', 'read_file', 'list_files']));
      expect(await button(files, 'Restart').count()).toBe(0);
      await screenshot(page, 'mcp-01-failed', 'mcp-servers-failed.png');

      // A second tab watches: the new state reaches every connection.
      const other = await suite.browser.newPage();
      await other.goto(stack.url);
      await button(other, 'MCP servers (1 failed)').click();
      await serverRegion(other, 'reporter').getByText('Failed', { exact: true }).waitFor();

      // The person fixes what the error says, and restarts the server from the panel.
      await writeFile(settings, '{}');
      await button(reporter, 'Restart').click();
      await reporter.getByText('Ready', { exact: true }).waitFor();
      expect(
        await reporter.getByRole('list', { name: 'Tools' }).getByRole('listitem').allTextContents(),
      ).toEqual(['reporter__count', 'reporter__wait']);
      expect(await reporter.getByRole('figure').count()).toBe(0);
      expect(await button(reporter, 'Restart').count()).toBe(0);
      await button(page, 'MCP servers').waitFor();
      await screenshot(page, 'mcp-02-restarted');

      const seen = serverRegion(other, 'reporter');
      await seen.getByText('Ready', { exact: true }).waitFor();
      expect(await seen.getByRole('listitem').allTextContents()).toEqual([
        'reporter__count',
        'reporter__wait',
      ]);

      // Escape closes the panel, and focus goes back to its button.
      await page.keyboard.press('Escape');
      await serversPanel(page).waitFor({ state: 'hidden' });
      expect(await button(page, 'MCP servers').evaluate(isFocused)).toBe(true);
    },
    E2E_TIMEOUT * 2,
  );

  it(
    "another server's progress: a bar in the card with a total, a live status line without",
    async () => {
      const dir = await testFolder();
      const stack = await suite.startStack({ MCP_CONFIG: await reporterConfig(dir) });
      const countRelease = join(dir, 'count-go');
      const waitRelease = join(dir, 'wait-go');
      stack.emulator.enqueue(
        callTool('toolu_count', 'reporter__count', { to: 5, holdAt: 2, release: countRelease }),
        say('I counted to five.'),
        callTool('toolu_wait', 'reporter__wait', { release: waitRelease }),
        say('The go-ahead came.'),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);

      await sendMessage(page, 'Count to five');
      await waitForDecision(page);
      await button(dialog(page), 'Approve').click();
      const count = page.locator('article[data-tool-use-id="toolu_count"]');
      const bar = count.getByRole('progressbar', { name: 'Progress' });
      await count.locator('[role="progressbar"][aria-valuenow="2"]').waitFor();
      expect(await bar.getAttribute('aria-valuemax')).toBe('5');
      expect(await bar.getAttribute('aria-valuetext')).toBe('2 of 5');
      expect(await count.getByRole('status').textContent()).toBe('Counted 2 of 5');
      await screenshot(page, 'mcp-03-progress-bar', 'tool-progress.png');
      await writeFile(countRelease, '');
      await page.getByText('I counted to five.').waitFor();
      expect(await bar.count()).toBe(0);
      await count.getByText('Result').click();
      await count.getByText('Counted to 5.').waitFor();

      await sendMessage(page, 'Wait for the go-ahead');
      await waitForDecision(page);
      await button(dialog(page), 'Approve').click();
      const waiting = page.locator('article[data-tool-use-id="toolu_wait"]');
      const line = waiting.getByRole('status');
      await line.getByText(/^Still waiting for the go-ahead \(\d+\)$/).waitFor();
      // The line is live: each new message replaces the last.
      const first = await line.textContent();
      await waiting
        .getByRole('status')
        .filter({ hasNotText: first ?? '' })
        .waitFor();
      expect(await line.textContent()).toMatch(/^Still waiting for the go-ahead \(\d+\)$/);
      expect(await waiting.getByRole('progressbar').count()).toBe(0);
      await screenshot(page, 'mcp-04-status-line');
      await writeFile(waitRelease, '');
      await page.getByText('The go-ahead came.').waitFor();
      expect(await waiting.getByRole('status').count()).toBe(0);
    },
    E2E_TIMEOUT * 2,
  );
});
