import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  awaitingApproval,
  chunksOf,
  mirrorOf,
  notes,
  say,
  textDeltasOf,
  turnCompleted,
  writeCall,
} from '../server/flow-scripts.ts';
import type { WsTestClient } from '../server/ws-test-client.ts';
import { CLUSTER_TEST_TIMEOUT, clusterPerTest } from './cluster-kit.ts';

const kit = clusterPerTest();

/** Each entry's seq and event, as a tab keeps them: what two tabs must agree on. */
const seen = (client: WsTestClient, id: string) =>
  client.entries(id).map((entry) => [entry.seq, entry.event]);

/** The log as stored, read behind the instances' backs. */
async function storedTypes(id: string): Promise<string[]> {
  const { rows } = await kit.database.query(
    'SELECT event FROM log_entries WHERE conversation_id = $1 ORDER BY seq',
    [id],
  );
  return rows.map((row) => {
    const event = typeof row.event === 'string' ? JSON.parse(row.event) : row.event;
    return event.type as string;
  });
}

describe('two instances on one PostgreSQL database', { timeout: CLUSTER_TEST_TIMEOUT }, () => {
  it('shows one conversation on both: every delta and chunk on each tab, decided on the other, the tool run once', async () => {
    const [one, two] = [await kit.start(), await kit.start()];
    kit.emulator.enqueue(writeCall('toolu_c1', 'notes/both.md', notes), say('Saved, once.'));
    const a = await kit.client(one!);
    const b = await kit.client(two!);
    const id = await a.createConversation();
    // Instance two lists it too: the list is the database's, told through NOTIFY.
    await b.waitForMessage('conversations_updated', (m) =>
      m.conversations.some((c) => c.id === id),
    );
    await a.subscribe(id);
    await b.subscribe(id);
    b.command(id, { type: 'user.message', text: 'Save my notes' });
    await awaitingApproval(a, id);
    await awaitingApproval(b, id);
    // Requested through one instance's tab, decided on the other's.
    a.command(id, { type: 'tool.approve', toolUseId: 'toolu_c1', scope: 'once' });
    await turnCompleted(a, id, 2);
    await turnCompleted(b, id, 2);

    const entries = b.entries(id);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(seen(b, id)).toEqual(seen(a, id));
    expect(textDeltasOf(entries).length).toBeGreaterThan(1);
    expect(chunksOf(entries, 'toolu_c1').join('')).toBe(notes);
    expect(entries.filter((e) => e.event.type === 'tool.started')).toHaveLength(1);
    expect(await readFile(join(kit.workspaceDir, 'notes/both.md'), 'utf8')).toBe(notes);
    expect(kit.emulator.requests).toHaveLength(2);
    const results = JSON.stringify(kit.emulator.requests[1]?.body).match(/"tool_result"/g);
    expect(results).toHaveLength(1);
    expect(await storedTypes(id)).toEqual(entries.map((e) => e.event.type));
  });

  it("refuses a command sent to an instance that does not own the conversation with the owner's reason, and logs it nowhere", async () => {
    const [one, two] = [await kit.start(), await kit.start()];
    kit.emulator.enqueue(writeCall('toolu_r1', 'r.md', 'r'), say('Done.'));
    const a = await kit.client(one!);
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write r.md' });
    await awaitingApproval(a, id);
    const b = await kit.client(two!);
    await b.subscribe(id);
    const before = await storedTypes(id);
    const refused = b.command(id, { type: 'tool.approve', toolUseId: 'toolu_nope', scope: 'once' });
    expect(await b.waitForMessage('error', (m) => m.commandId === refused)).toMatchObject({
      code: 'command_rejected',
      conversationId: id,
      message: expect.stringMatching(/No tool call toolu_nope/),
    });
    expect(await storedTypes(id)).toEqual(before);
    expect(JSON.stringify(a.entries(id))).not.toContain('toolu_nope');
    // Then an accepted one, the same way: it reaches the owner, and both tabs see it.
    b.command(id, { type: 'tool.deny', toolUseId: 'toolu_r1', reason: 'Not now' });
    await turnCompleted(a, id, 2);
    await turnCompleted(b, id, 2);
  });

  it('after SIGKILL of the owner during an approval, the survivor takes it: decided there, written once, Claude asked once', async () => {
    const [one, two] = [await kit.start(), await kit.start()];
    kit.emulator.enqueue(writeCall('toolu_k1', 'once.md', 'exactly once'), say('Written once.'));
    const a = await kit.client(one!);
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write once.md' });
    await awaitingApproval(a, id);
    const b = await kit.client(two!);
    await b.subscribe(id);
    expect(await one!.kill('SIGKILL')).toBe('SIGKILL');

    // The survivor's tab is watching: it takes the conversation over and the approval still waits.
    b.command(id, { type: 'tool.approve', toolUseId: 'toolu_k1', scope: 'once' });
    await turnCompleted(b, id, 2);
    const entries = b.entries(id);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.filter((e) => e.event.type === 'tool.approve')).toHaveLength(1);
    expect(entries.filter((e) => e.event.type === 'tool.started')).toHaveLength(1);
    expect(await readFile(join(kit.workspaceDir, 'once.md'), 'utf8')).toBe('exactly once');
    // Once for the request, once with the tool's result: nothing asked twice.
    expect(kit.emulator.requests).toHaveLength(2);
    expect(await storedTypes(id)).toEqual(entries.map((e) => e.event.type));
  });

  it('after SIGKILL of the owner mid-stream, the survivor marks the turn interrupted and Retry works there', async () => {
    const [one, two] = [await kit.start(), await kit.start()];
    kit.emulator.enqueue({ ...say('This answer is cut by a crash.'), holdAfterEvents: 4 });
    const a = await kit.client(one!);
    const id = await a.createConversation();
    await a.subscribe(id);
    const b = await kit.client(two!);
    await b.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Hello' });
    await b.waitForEntry(id, (e) => e.event.type === 'assistant.text_delta', 'a delta');
    await one!.kill('SIGKILL');
    kit.emulator.release();

    const failed = await b.waitForEntry(
      id,
      (e) => e.event.type === 'assistant.failed',
      'the interrupted turn',
    );
    expect(failed.event).toMatchObject({ kind: 'interrupted', retryable: true });
    kit.emulator.enqueue(say('Here is the full answer.'));
    b.command(id, { type: 'turn.retry' });
    await b.waitForEntry(id, (e) => e.event.type === 'assistant.completed', 'the retried turn');
    expect(mirrorOf(b.entries(id)).value).toBe('idle');
  });

  it('after SIGKILL of the owner mid-tool, the survivor records the run as failed, tells Claude on Retry, and never runs it again', async () => {
    const [one, two] = [
      await kit.start({ WRITE_CHUNK_BYTES: '64', WRITE_CHUNK_DELAY_MS: '150' }),
      await kit.start(),
    ];
    kit.emulator.enqueue(writeCall('toolu_m1', 'slow.md', notes), say('The write was cut off.'));
    const a = await kit.client(one!);
    const id = await a.createConversation();
    await a.subscribe(id);
    const b = await kit.client(two!);
    await b.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write slow.md' });
    await awaitingApproval(b, id);
    b.command(id, { type: 'tool.approve', toolUseId: 'toolu_m1', scope: 'once' });
    await b.waitForEntry(id, (e) => e.event.type === 'tool.chunk', 'a chunk');
    await one!.kill('SIGKILL');

    const failed = await b.waitForEntry(id, (e) => e.event.type === 'tool.failed', 'the cut run');
    expect(failed.event).toMatchObject({ toolUseId: 'toolu_m1' });
    // As after a restart: the turn waits for the person, who retries; Claude then hears of it.
    await b.waitForEntry(id, (e) => e.event.type === 'assistant.failed', 'the interrupted turn');
    b.command(id, { type: 'turn.retry' });
    await turnCompleted(b, id, 3);
    const entries = b.entries(id);
    expect(entries.filter((e) => e.event.type === 'tool.started')).toHaveLength(1);
    const sent = JSON.stringify(kit.emulator.requests.at(-1)?.body);
    expect(sent).toContain('"is_error":true');
  });
});
