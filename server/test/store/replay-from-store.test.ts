import {
  type ConversationEvent,
  type ConversationSnapshot,
  findToolCall,
  inertConversationMachine,
  replay,
} from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  approve,
  completed,
  started,
  textDelta,
  toolChunk,
  toolCompleted,
  toolInputDelta,
  toolStarted,
  toolUse,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import { appendNext } from './support/append-next.ts';
import { tempStorePerTest } from './support/temp-store.ts';

const t = tempStorePerTest(async (store) => {
  await store.conversations.create({ id: 'c1', createdAt: 1_000 });
});

const input = { path: 'notes/a.md', content: 'Ünïcödé 📝\n"quoted"\t\\' };
// A turn that asks for a tool, is approved, streams the run, and answers after it.
const conversation: ConversationEvent[] = [
  userMessage('Please write my notes'),
  started(1),
  textDelta(1, "I'll write "),
  textDelta(1, 'them now.'),
  toolInputDelta(1, 1, 'toolu_1', 'write_file', '{"path":'),
  toolUse(1, 1, 'toolu_1', 'write_file', input),
  completed(1, 'tool_use'),
  approve('toolu_1'),
  toolStarted('toolu_1'),
  toolChunk('toolu_1', 0, 'Ünïcödé', 9, 20),
  toolCompleted('toolu_1'),
  started(2),
  textDelta(2, 'Done.'),
  completed(2),
];

const view = (snapshot: ConversationSnapshot) => ({
  value: snapshot.value,
  context: snapshot.context,
});

describe('replaying the stored log', () => {
  it('reaches the state the live actor reached, after a reopen', async () => {
    const live = createActor(inertConversationMachine).start();
    for (const [i, event] of conversation.entries()) {
      await appendNext(t.store.log, 'c1', event, 2_000 + i);
      live.send(event);
    }
    // The fold went all the way: the tool ran and the second turn completed.
    expect(live.getSnapshot().value).toBe('idle');
    expect(findToolCall(live.getSnapshot().context, 'toolu_1')?.run?.status).toBe('completed');
    await t.reopen();
    expect(view(replay(await t.store.log.read('c1')))).toEqual(view(live.getSnapshot()));
  });

  it('reaches it too from a stored checkpoint and the entries after it', async () => {
    const live = createActor(inertConversationMachine).start();
    for (const [i, event] of conversation.entries()) {
      const entry = await appendNext(t.store.log, 'c1', event, 2_000 + i);
      live.send(event);
      if (event.type === 'tool.approve') {
        await t.store.checkpoints.save('c1', entry.seq, live.getPersistedSnapshot());
      }
    }
    await t.reopen();
    const checkpoint = await t.store.checkpoints.latest('c1');
    if (!checkpoint) throw new Error('no checkpoint');
    const restored = createActor(inertConversationMachine, {
      snapshot: checkpoint.snapshot as ReturnType<typeof live.getPersistedSnapshot>,
    }).getSnapshot();
    const folded = replay(await t.store.log.read('c1', checkpoint.seq), {
      snapshot: restored,
      seq: checkpoint.seq,
    });
    expect(view(folded)).toEqual(view(live.getSnapshot()));
  });
});
