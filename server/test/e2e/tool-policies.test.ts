import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScriptedResponse } from '../claude-emulator/scripted-response.ts';
import { browserSuite, E2E_TIMEOUT } from './browser-suite.ts';
import {
  button,
  dialog,
  say,
  screenshot,
  sendMessage,
  startConversation,
  waitForDecision,
  writeCall,
} from './page-kit.ts';
import { dialogWasSeen, watchForDialog } from './page-scripts.js';

// POLICY_FILE rules (docs/policies.md): a deny rule answers Claude without a dialog, an allow rule
// runs the call without one, and the timeline says which rule decided.

const suite = browserSuite();
const dir = await mkdtemp(join(tmpdir(), 'tollgate-policy-e2e-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const listCall = (id: string): ScriptedResponse =>
  ({
    kind: 'stream',
    blocks: [
      { type: 'text', text: 'Let me look at the workspace.' },
      { type: 'tool_use', id, name: 'list_files', input: {} },
    ],
    stopReason: 'tool_use',
  }) as ScriptedResponse;

type SentMessages = {
  messages: { role: string; content: { type: string; is_error?: boolean; content?: string }[] }[];
};
const toolResults = (body: unknown) =>
  (body as SentMessages).messages.flatMap((m) =>
    m.role === 'user' && Array.isArray(m.content)
      ? m.content.filter((block) => block.type === 'tool_result')
      : [],
  );

describe('tool policies from POLICY_FILE', () => {
  it(
    'a deny rule answers Claude without a dialog, an allow rule runs without one, each named',
    async () => {
      const policyFile = join(dir, 'policy.json');
      await writeFile(
        policyFile,
        JSON.stringify({
          rules: [
            {
              effect: 'deny',
              server: 'tollgate-files',
              tool: 'write_file',
              reason: 'This workspace is read-only.',
            },
            { effect: 'allow', server: 'tollgate-files', tool: 'list_*' },
          ],
        }),
      );
      const stack = await suite.startStack({ POLICY_FILE: policyFile });
      stack.emulator.enqueue(
        writeCall('toolu_p1', 'blocked.md', 'never written'),
        say('A rule stopped that write.'),
        listCall('toolu_p2'),
        say('The workspace is empty.'),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await page.evaluate(watchForDialog);

      await sendMessage(page, 'Write blocked.md');
      await page.getByText('A rule stopped that write.').waitFor();
      await page
        .getByText(
          'Denied by rule 1 of the policy file (write_file on tollgate-files); nobody was asked: This workspace is read-only.',
        )
        .waitFor();
      expect(await page.evaluate(dialogWasSeen)).toBe(false);
      await expect(stat(join(stack.workspaceDir, 'blocked.md'))).rejects.toThrow();
      await screenshot(page, '30-policy-denied', 'policy-rules.png');
      expect(toolResults(stack.emulator.requests[1]?.body)).toEqual([
        expect.objectContaining({
          is_error: true,
          content: expect.stringContaining('rule 1: deny write_file on tollgate-files'),
        }),
      ]);

      await sendMessage(page, 'What is in the workspace?');
      await page.getByText('The workspace is empty.').waitFor();
      await page
        .getByText('Approved automatically by rule 2 of the policy file (list_* on tollgate-files)')
        .waitFor();
      expect(await page.evaluate(dialogWasSeen)).toBe(false);
      const listed = toolResults(stack.emulator.requests[3]?.body).at(-1);
      expect(listed?.is_error).toBeUndefined();
      await screenshot(page, '31-policy-allowed');
    },
    E2E_TIMEOUT,
  );

  it(
    '"Always allow everywhere" runs the next conversation\'s call without a dialog, until revoked under Policies',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(
        writeCall('toolu_e1', 'one.md', 'first file'),
        say('Created one.md.'),
        writeCall('toolu_e2', 'two.md', 'second file'),
        say('Created two.md too.'),
        writeCall('toolu_e3', 'three.md', 'third file'),
        say('Created three.md as well.'),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Create one.md');
      await waitForDecision(page);
      await button(dialog(page), 'Always allow everywhere').click();
      await page.getByText('Created one.md.').waitFor();
      await page
        .getByText('write_file is always allowed in every conversation (revoke it under Policies).')
        .waitFor();

      // Another conversation: the grant approves its call, and the timeline says so.
      await startConversation(page, stack.url);
      await page.evaluate(watchForDialog);
      await sendMessage(page, 'Create two.md');
      await page.getByText('Created two.md too.').waitFor();
      expect(await page.evaluate(dialogWasSeen)).toBe(false);
      await page
        .getByText('Approved automatically: always allowed everywhere (see Policies)')
        .waitFor();
      expect(await readFile(join(stack.workspaceDir, 'two.md'), 'utf8')).toBe('second file');

      // The Policies panel lists the grant and the decision that made it; Revoke ends it.
      await button(page, 'Policies').click();
      const panel = page.getByRole('dialog', { name: 'Policies' });
      await panel.getByText('Granted', { exact: false }).waitFor();
      expect(await panel.getByRole('listitem', { name: 'write_file' }).textContent()).toContain(
        'from tollgate-files',
      );
      expect(await panel.textContent()).toContain('“Create one.md”');
      await screenshot(page, '32-policies-panel', 'policies-panel.png');
      await button(panel, 'Ask again for write_file').click();
      await panel.getByText('No tool is always allowed.').waitFor();
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });

      await sendMessage(page, 'Create three.md');
      await waitForDecision(page);
      await button(dialog(page), 'Approve').click();
      await page.getByText('Created three.md as well.').waitFor();
      expect(await readFile(join(stack.workspaceDir, 'three.md'), 'utf8')).toBe('third file');
    },
    E2E_TIMEOUT,
  );

  it(
    'lists a conversation\'s "Always allow" under Policies, and revoking it there asks again in that conversation',
    async () => {
      const stack = await suite.startStack();
      stack.emulator.enqueue(
        writeCall('toolu_c1', 'alpha.md', 'alpha'),
        say('Created alpha.md.'),
        writeCall('toolu_c2', 'beta.md', 'beta'),
        say('Created beta.md.'),
      );
      const page = await suite.browser.newPage();
      await startConversation(page, stack.url);
      await sendMessage(page, 'Create alpha.md');
      await waitForDecision(page);
      await button(dialog(page), 'Always allow').click();
      await page.getByText('Created alpha.md.').waitFor();
      await page.getByText('write_file is always allowed in this conversation.').waitFor();

      // The panel lists it with its conversation; Revoke sends that conversation policy.revoke.
      await button(page, 'Policies').click();
      const panel = page.getByRole('dialog', { name: 'Policies' });
      const item = panel.getByRole('listitem', { name: 'write_file' });
      await item.getByText('One conversation').waitFor();
      expect(await item.textContent()).toContain('Always allowed in “Create alpha.md”');
      expect(await item.textContent()).toContain('from tollgate-files');
      await button(panel, 'Ask again for write_file').click();
      await panel.getByText('No tool is always allowed.').waitFor();
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });
      // The conversation's timeline shows the revocation, and its next call asks again.
      await page.getByText('write_file needs your approval again.').waitFor();
      await sendMessage(page, 'Create beta.md');
      await waitForDecision(page);
      await button(dialog(page), 'Approve').click();
      await page.getByText('Created beta.md.').waitFor();
      expect(await readFile(join(stack.workspaceDir, 'beta.md'), 'utf8')).toBe('beta');
    },
    E2E_TIMEOUT,
  );
});
