import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { awaitingApproval, say, turnCompleted, writeCall } from '../server/flow-scripts.ts';
import { CLUSTER_TEST_TIMEOUT, clusterPerTest } from './cluster-kit.ts';

const kit = clusterPerTest();

/** Rows of the conversation left in any table, read behind the instances' backs. */
async function rowsLeft(id: string): Promise<number> {
  const { rows } = await kit.database.query(
    `SELECT (SELECT count(*) FROM conversations WHERE id = $1)
          + (SELECT count(*) FROM log_entries WHERE conversation_id = $1)
          + (SELECT count(*) FROM commands WHERE conversation_id = $1)
          + (SELECT count(*) FROM checkpoints WHERE conversation_id = $1)
          + (SELECT count(*) FROM search_texts WHERE conversation_id = $1) AS n`,
    [id],
  );
  return Number(rows[0]?.n);
}

describe('managing a conversation on two instances sharing PostgreSQL', {
  timeout: CLUSTER_TEST_TIMEOUT,
}, () => {
  it('renames on one and the other lists it; searches on the other; deletes from the other while the owner runs its tool', async () => {
    // A file of 10 chunks 100 ms apart: long enough to be deleted mid-run, and a call short
    // enough to stream quickly (every tool input delta is an entry both clients fold).
    const slowly = { WRITE_CHUNK_BYTES: '64', WRITE_CHUNK_DELAY_MS: '100' };
    const [one, two] = [await kit.start(slowly), await kit.start(slowly)];
    const long = Array.from({ length: 80 }, (_, i) => `line ${i}`).join('\n');
    kit.emulator.enqueue(say('Porto has the best tiles.'), writeCall('toolu_d1', 'slow.md', long));
    const a = await kit.client(one!);
    const b = await kit.client(two!);
    const id = await a.createConversation();
    await a.subscribe(id); // instance one owns it
    a.command(id, { type: 'user.message', text: 'Tell me about Porto' });
    await turnCompleted(a, id, 1);

    a.command(id, { type: 'conversation.renamed', title: 'Porto notes' });
    await b.waitForMessage('conversations_updated', (m) =>
      m.conversations.some((c) => c.id === id && c.title === 'Porto notes'),
    );
    b.send({ type: 'search_conversations', query: 'best tiles', requestId: 's1' });
    const found = await b.waitForMessage('search_results', (m) => m.requestId === 's1');
    expect(found.results).toMatchObject([{ conversationId: id, seq: 3, anchor: 'a-1' }]);

    await b.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write it slowly' });
    await awaitingApproval(a, id);
    a.command(id, { type: 'tool.approve', toolUseId: 'toolu_d1', scope: 'once' });
    await b.waitForEntry(id, (e) => e.event.type === 'tool.chunk', 'a chunk on the follower');

    // Deleted through the instance that does not own it, while the owner's tool writes.
    b.send({ type: 'delete_conversation', conversationId: id, requestId: 'd1' });
    for (const client of [a, b]) {
      await client.waitForMessage('conversation_deleted', (m) => m.conversationId === id);
    }
    expect(await rowsLeft(id)).toBe(0);
    // The owner cancelled the run: the file was never completed, so nothing is left behind.
    // (Uncancelled, its 10 chunks 100 ms apart would have finished well within this wait.)
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Nothing at all: not the file, nor the temporary file a run still writing would have.
    expect(await readdir(kit.workspaceDir).catch(() => [])).toEqual([]);
    expect(await rowsLeft(id)).toBe(0);
    a.send({ type: 'list_conversations' });
    expect((await a.waitForMessage('conversations')).conversations).toEqual([]);
  });
});
