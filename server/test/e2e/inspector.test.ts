import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import {
  button,
  dialog,
  notes,
  say,
  screenshot,
  sendMessage,
  startConversation,
  waitForDecision,
  writeCall,
} from './page-kit.ts';

// The flow inspector in Debian's Chromium, against the real server, mcp-tools and the Claude
// emulator: a second tab that watches a conversation's machine live while a person uses the chat
// in the first, and travels back through its log. Every wait is on what the page shows.

const suite = browserSuite();

const STATES = ['idle', 'streaming', 'awaitingApproval', 'executingTool', 'resuming', 'failed'];

const diagram = (page: Page) => page.getByRole('figure', { name: /State diagram/ });
const events = (page: Page) => page.getByRole('table', { name: 'Events' });
const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
/** The rows of the events list, the header row left out. */
const eventRows = (page: Page) =>
  events(page)
    .getByRole('row')
    .filter({ hasNot: page.getByRole('columnheader') });
const eventRow = (page: Page, type: string) => eventRows(page).filter({ hasText: type });

/** Waits until the diagram marks `state` as the current one, and checks no other is marked. */
async function currentState(page: Page, state: string) {
  await diagram(page)
    .getByRole('img', { name: state, exact: true })
    .and(page.locator('[aria-current="step"]'))
    .waitFor();
  expect(await diagram(page).locator('[aria-current]').count()).toBe(1);
}

/** The labels of the transitions the diagram draws as just taken. */
const takenTransitions = (page: Page) =>
  diagram(page).locator('[data-taken] title').allTextContents();

/**
 * Opens the inspector the way a person does, from the conversation header's "Inspect" link, in a
 * tab of its own. (While the approval dialog is open the page behind it is inert, link included.)
 */
async function openInspector(chat: Page, conversationId: string): Promise<Page> {
  const href = await chat.getByRole('link', { name: 'Inspect', exact: true }).getAttribute('href');
  expect(href).toBe(`/inspect?c=${conversationId}`);
  const inspector = await suite.browser.newPage();
  await inspector.goto(new URL(href ?? '', chat.url()).href);
  return inspector;
}

describe('the flow inspector', () => {
  it(
    'follows an approval live, then travels back through it to the exact messages Claude got',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(
        writeCall('toolu_i1', 'notes/i.md', notes(160)),
        // Claude's reply is held before its first event, so the machine waits in `resuming`
        // until the test lets it go.
        say('Your notes are in notes/i.md.', { holdAfterEvents: 0 }),
      );
      const chat = await suite.browser.newPage();
      const conversationId = await startConversation(chat, stack.url);
      const inspector = await openInspector(chat, conversationId);
      await currentState(inspector, 'idle');
      await sendMessage(chat, 'Save my notes to notes/i.md');
      await waitForDecision(chat);
      await currentState(inspector, 'awaitingApproval');
      for (const state of STATES) {
        expect(
          await diagram(inspector).getByRole('img', { name: state, exact: true }).count(),
        ).toBe(1);
      }
      expect(await takenTransitions(inspector)).toEqual([
        'streaming → awaitingApproval: assistant.completed [isCurrentTurn and asksForTools]',
      ]);
      // The list ends with Claude's call and the end of the turn that asked for it.
      const lastTwo = eventRows(inspector);
      const count = await lastTwo.count();
      expect(await lastTwo.nth(count - 2).getAttribute('data-type')).toBe('assistant.tool_use');
      expect(await lastTwo.nth(count - 2).textContent()).toContain(
        'write_file notes/i.md (toolu_i1)',
      );
      expect(await lastTwo.nth(count - 1).getAttribute('data-type')).toBe('assistant.completed');
      expect(await lastTwo.nth(count - 1).textContent()).toContain('tool_use');
      // Why is Claude waiting? The context says which call waits for a decision.
      const context = region(inspector, 'Context');
      await context.getByText('Waiting for a decision').waitFor();
      await context.getByText('Create the file notes/i.md').first().waitFor();
      await screenshot(inspector, 'inspector-01-pending', 'inspector-pending.png');

      // The dialog itself links to the inspector (the page behind it is inert), in a new tab.
      const fromDialog = dialog(chat).getByRole('link', { name: 'Inspect', exact: true });
      expect(await fromDialog.getAttribute('href')).toBe(`/inspect?c=${conversationId}`);
      expect(await fromDialog.getAttribute('target')).toBe('_blank');

      // The person approves in the chat tab; the inspector follows live.
      await button(dialog(chat), 'Approve').click();
      await currentState(inspector, 'executingTool');
      await currentState(inspector, 'resuming');
      stack.emulator.release();
      await currentState(inspector, 'idle');
      await chat.getByText('Your notes are in notes/i.md.').waitFor();
      expect(await button(inspector, 'Live').getAttribute('aria-pressed')).toBe('true');
      await eventRows(inspector).last().filter({ hasText: 'end_turn' }).waitFor();

      // What exactly did Claude receive? At the last entry, the messages of the last request.
      const messages = region(inspector, 'Messages sent to Claude').locator('pre');
      expect(await messages.getAttribute('data-turn')).toBe('2');
      expect(stack.emulator.requests).toHaveLength(2);
      const received = stack.emulator.requests.at(-1)?.body as { messages: unknown };
      expect(JSON.parse((await messages.textContent()) ?? '')).toEqual(received.messages);

      // Back to the approval: the tool was running right after it.
      await eventRow(inspector, 'tool.approve').click();
      await currentState(inspector, 'executingTool');
      expect(await button(inspector, 'Live').getAttribute('aria-pressed')).toBe('false');
      expect(await eventRow(inspector, 'tool.approve').getAttribute('aria-current')).toBe('true');
      expect(await takenTransitions(inspector)).toEqual([
        'awaitingApproval → executingTool: always [allDecided and someApproved]',
      ]);
      await region(inspector, 'Changes').getByText('+ "approved"').waitFor();
      await region(inspector, 'Actors').getByText('write_file (toolu_i1)').waitFor();
      await screenshot(inspector, 'inspector-02-travelled', 'inspector-travelled.png');

      // One step back: the call was still waiting for the person.
      await button(inspector, 'Previous event').click();
      await currentState(inspector, 'awaitingApproval');
      await context.getByText('Waiting for a decision').waitFor();
      await context.getByText('decision: pending').waitFor();
      expect(await messages.getAttribute('data-turn')).toBe('1');

      await button(inspector, 'Live').click();
      await currentState(inspector, 'idle');
      expect(await context.getByText('Waiting for a decision').count()).toBe(0);
    },
    E2E_TIMEOUT,
  );

  it(
    'keeps the selected point while live entries arrive, and shows a denial’s reason at its row',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(
        writeCall('toolu_d1', 'secret.md', 'top secret'),
        say('Understood: I did not create secret.md.'),
      );
      const chat = await suite.browser.newPage();
      const conversationId = await startConversation(chat, stack.url);
      const inspector = await openInspector(chat, conversationId);
      await sendMessage(chat, 'Write secret.md');
      await waitForDecision(chat);
      await currentState(inspector, 'awaitingApproval');
      // Travel back to Claude's call while the conversation goes on in the other tab.
      await eventRow(inspector, 'assistant.tool_use').click();
      await currentState(inspector, 'streaming');
      const rowsBefore = await eventRows(inspector).count();

      await dialog(chat).getByLabel('Reason for denying (optional)').fill('Not today');
      await button(dialog(chat), 'Deny').click();
      await chat.getByText('Understood: I did not create secret.md.').waitFor();
      // The new entries are listed; the selection and the point shown stay where they were.
      await eventRows(inspector).last().filter({ hasText: 'end_turn' }).waitFor();
      expect(await eventRows(inspector).count()).toBeGreaterThan(rowsBefore);
      await currentState(inspector, 'streaming');
      expect(await eventRow(inspector, 'assistant.tool_use').getAttribute('aria-current')).toBe(
        'true',
      );

      await eventRow(inspector, 'tool.deny').click();
      await currentState(inspector, 'resuming');
      const context = region(inspector, 'Context');
      await context.getByText('decision: denied · reason: Not today').waitFor();
      expect(await eventRow(inspector, 'tool.deny').textContent()).toContain('"Not today"');
      expect(await takenTransitions(inspector)).toEqual([
        'awaitingApproval → resuming: always [allDecided]',
      ]);
    },
    E2E_TIMEOUT,
  );
});
