import { MACHINE_VERSION } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { CLOSE } from '../../src/gateway/gateway-limits.ts';
import { createFakeRegistry, createFakeRuntime } from './support/fake-registry.ts';
import { createTestGateway } from './support/gateway-harness.ts';

const entries = (seq: number) =>
  JSON.stringify({
    type: 'entries',
    entries: [
      {
        conversationId: 'c1',
        seq,
        at: 0,
        machineVersion: 1,
        event: { type: 'turn.stop', commandId: `k${seq}` },
      },
    ],
  });

describe('forwarding', () => {
  it("sends a subscription's entries and stops when the socket closes", async () => {
    const runtime = createFakeRuntime();
    runtime.lastSeq = 4;
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const client = connect();
    client.sendJson({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 });
    await client.received(1);
    expect(client.takeMessages()).toEqual([
      { type: 'subscribed', conversationId: 'c1', lastSeq: 4 },
    ]);

    for (const subscriber of runtime.subscribers) subscriber.deliver(entries(5));
    expect(client.takeMessages()).toMatchObject([{ type: 'entries', entries: [{ seq: 5 }] }]);

    client.close();
    await runtime.until(() => runtime.subscribers.size === 0);
    expect(runtime.subscribers.size).toBe(0);
  });

  it("asks for a checkpoint only for a page of the server's own machine", async () => {
    const runtime = createFakeRuntime();
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const client = connect();
    for (const checkpoint of [MACHINE_VERSION, MACHINE_VERSION + 1, undefined]) {
      client.sendJson({ type: 'subscribe', conversationId: 'c1', afterSeq: 0, checkpoint });
      await client.received(1);
      client.takeMessages();
    }
    expect(runtime.subscriptions.map((s) => s.checkpoint)).toEqual([true, false, false]);
  });

  it('sends the catch-up, then subscribed, then live entries', async () => {
    const runtime = createFakeRuntime();
    runtime.lastSeq = 4;
    runtime.backlog = [entries(3), entries(4)];
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const client = connect();
    client.sendJson({ type: 'subscribe', conversationId: 'c1', afterSeq: 2 });
    await client.received(3);
    for (const subscriber of runtime.subscribers) subscriber.deliver(entries(5));
    expect(client.takeMessages()).toMatchObject([
      { type: 'entries', entries: [{ seq: 3 }] },
      { type: 'entries', entries: [{ seq: 4 }] },
      { type: 'subscribed', conversationId: 'c1', lastSeq: 4 },
      { type: 'entries', entries: [{ seq: 5 }] },
    ]);
  });

  it('handles a command sent right after a subscribe once the subscription is in place', async () => {
    const runtime = createFakeRuntime();
    // A catch-up that takes a turn of the event loop to read, as the store's may.
    const subscribe = runtime.subscribe;
    runtime.subscribe = async (...args) => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return subscribe(...args);
    };
    const subscribedWhenCommanded: number[] = [];
    const command = runtime.command;
    runtime.command = async (input) => {
      subscribedWhenCommanded.push(runtime.subscribers.size);
      return command(input);
    };
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const client = connect();
    client.sendJson({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 });
    client.sendJson({
      type: 'command',
      conversationId: 'c1',
      command: { type: 'turn.stop', commandId: 'k1' },
    });
    await runtime.until(() => runtime.commands.length === 1);
    expect(subscribedWhenCommanded).toEqual([1]);
    expect(client.takeMessages()).toEqual([
      { type: 'subscribed', conversationId: 'c1', lastSeq: 0 },
    ]);
  });

  it('answers list and create, and broadcasts to every open connection', async () => {
    const { gateway, connect } = createTestGateway();
    const first = connect();
    const second = connect();
    first.sendJson({ type: 'list_conversations' });
    first.sendJson({ type: 'create_conversation', requestId: 'r1' });
    await first.received(2);
    expect(first.takeMessages()).toMatchObject([
      { type: 'conversations' },
      { type: 'conversation_created', requestId: 'r1' },
    ]);
    second.close();
    gateway.broadcast({ type: 'conversations_updated', conversations: [] });
    expect(first.takeMessages()).toEqual([{ type: 'conversations_updated', conversations: [] }]);
    expect(second.takeMessages()).toEqual([]);
  });

  it('closes every connection with the code and reason it is given', () => {
    const { gateway, connect } = createTestGateway();
    const first = connect();
    const second = connect();
    gateway.closeAll(CLOSE.unavailable, 'database unavailable');
    for (const client of [first, second]) {
      expect(client.closure()).toEqual({
        code: CLOSE.unavailable,
        reason: 'database unavailable',
        terminated: false,
      });
    }
  });
});
