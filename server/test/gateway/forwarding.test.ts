import { describe, expect, it } from 'vitest';
import { createFakeRegistry, createFakeRuntime } from './support/fake-registry.ts';
import { createTestGateway } from './support/gateway-harness.ts';

describe('forwarding', () => {
  it("sends a subscription's entries and stops when the socket closes", () => {
    const runtime = createFakeRuntime();
    runtime.lastSeq = 4;
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const client = connect();
    client.sendJson({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 });
    expect(client.takeMessages()).toEqual([
      { type: 'subscribed', conversationId: 'c1', lastSeq: 4 },
    ]);

    const entries = JSON.stringify({
      type: 'entries',
      entries: [
        {
          conversationId: 'c1',
          seq: 5,
          at: 0,
          machineVersion: 1,
          event: { type: 'turn.stop', commandId: 'k1' },
        },
      ],
    });
    for (const subscriber of runtime.subscribers) subscriber.deliver(entries);
    expect(client.takeMessages()).toMatchObject([{ type: 'entries', entries: [{ seq: 5 }] }]);

    client.close();
    expect(runtime.subscribers.size).toBe(0);
  });

  it('answers list and create, and broadcasts to every open connection', () => {
    const { gateway, connect } = createTestGateway();
    const first = connect();
    const second = connect();
    first.sendJson({ type: 'list_conversations' });
    first.sendJson({ type: 'create_conversation', requestId: 'r1' });
    expect(first.takeMessages()).toMatchObject([
      { type: 'conversations' },
      { type: 'conversation_created', requestId: 'r1' },
    ]);
    second.close();
    gateway.broadcast({ type: 'conversations_updated', conversations: [] });
    expect(first.takeMessages()).toEqual([{ type: 'conversations_updated', conversations: [] }]);
    expect(second.takeMessages()).toEqual([]);
  });
});
