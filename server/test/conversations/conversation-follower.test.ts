import { type LogEntry, replay } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { openConversationFollower } from '../../src/conversations/conversation-follower.ts';
import type { Checkpoint } from '../../src/store/checkpoint-store.ts';
import { silentLogger } from '../silent-logger.ts';

const entry = (seq: number, event: LogEntry['event']): LogEntry => ({
  conversationId: 'c1',
  seq,
  event,
  at: seq,
  machineVersion: 1,
});

/** A follower over an in-memory log that another instance appends to (and checkpoints). */
function following(initial: LogEntry[], checkpoint: Checkpoint | null = null) {
  const log = [...initial];
  const follower = openConversationFollower({
    conversationId: 'c1',
    read: async (afterSeq) => log.filter((e) => e.seq > afterSeq),
    lastSeq: log.length,
    checkpoints: { latest: async () => checkpoint },
    logger: silentLogger(),
  });
  return { log, follower };
}

/** Subscribes and resolves with each message's seqs once `seqs` have all been received. */
async function receive(follower: ReturnType<typeof following>['follower'], upTo: number) {
  const messages: number[][] = [];
  await new Promise<void>((resolve) => {
    void follower.subscribe(
      {
        deliver(message) {
          const entries = (JSON.parse(message) as { entries: LogEntry[] }).entries;
          messages.push(entries.map((e) => e.seq));
          if (entries.at(-1)?.seq === upTo) resolve();
        },
      },
      0,
    );
  });
  return messages;
}

describe('a follower of a conversation another instance owns', () => {
  it('reads what the log has beyond what it published when a tab joins, announced or not', async () => {
    const { log, follower } = following([entry(1, ev.userMessage('Hi')), entry(2, ev.started(1))]);
    // Appended by the owner; its announcement never reached this instance.
    log.push(entry(3, ev.textDelta(1, 'Hello')), entry(4, ev.completed(1)));
    expect((await receive(follower, 4)).flat()).toEqual([1, 2, 3, 4]);
    follower.close();
  });

  it('sends a completion and the decisions read with it as one message', async () => {
    const { log, follower } = following([entry(1, ev.userMessage('Read b.md'))]);
    const tab = receive(follower, 5);
    log.push(
      entry(2, ev.started(1)),
      entry(3, ev.toolUse(1, 0, 'toolu_read', 'read_file', { path: 'b.md' })),
      entry(4, ev.completed(1, 'tool_use')),
      entry(5, {
        type: 'tool.policy_decided',
        toolUseId: 'toolu_read',
        decision: 'approved',
        rule: { index: 1, effect: 'allow', server: '*', tool: 'read_*' },
      }),
    );
    follower.announced(5);
    expect((await tab).slice(-2)).toEqual([[3], [4, 5]]);
    follower.close();
  });

  it("sends a tab that takes one the owner's checkpoint, then the entries after it", async () => {
    const exchange = [
      ev.userMessage('Hi'),
      ev.started(1),
      ev.textDelta(1, 'Hello'),
      ev.completed(1),
    ];
    const entries = exchange.map((event, i) => entry(i + 1, event));
    const folded = replay(entries.slice(0, 4));
    const { log, follower } = following(entries, { seq: 4, snapshot: folded });
    log.push(entry(5, ev.userMessage('Again')));
    const messages: { type: string; seq?: number; entries?: LogEntry[] }[] = [];
    const subscribed = await follower.subscribe(
      { deliver: (message) => messages.push(JSON.parse(message)) },
      0,
      { checkpoint: true },
    );
    expect(messages.map((m) => [m.type, m.seq ?? m.entries?.map((e) => e.seq)])).toEqual([
      ['checkpoint', 4],
      ['entries', [5]],
    ]);
    expect(subscribed).toBe(5);
    follower.close();
  });
});
