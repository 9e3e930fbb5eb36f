import type { ServerMessage } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { CLOSE } from '../../src/gateway/gateway-limits.ts';
import { createFakeRegistry, createFakeRuntime } from './support/fake-registry.ts';
import { createTestGateway } from './support/gateway-harness.ts';
import type { LinkedClient } from './support/linked-socket-pair.ts';

const update = (n: number): ServerMessage => ({
  type: 'conversation_created',
  requestId: `r${n}`,
  conversation: { id: 'c1', title: null, createdAt: 0, updatedAt: 0, lastSeq: n },
});

/** A conversation whose catch-up is five times the limit, behind a gateway with that limit. */
function longConversation(maxBufferedBytes: number) {
  const runtime = createFakeRuntime();
  const page = JSON.stringify(update(1));
  runtime.backlog = Array.from(
    { length: Math.ceil((5 * maxBufferedBytes) / page.length) },
    () => page,
  );
  const { gateway, connect } = createTestGateway({
    registry: createFakeRegistry({ c1: runtime }),
    limits: { maxBufferedBytes },
  });
  return {
    gateway,
    runtime,
    client: connect(),
    page,
    backlogBytes: runtime.backlog.join('').length,
  };
}

/** How much the client has read, as the JSON of its messages. */
const bytesRead = (client: LinkedClient) =>
  client
    .messages()
    .map((m) => JSON.stringify(m))
    .join('').length;

describe('a slow consumer', () => {
  it('is closed with 4008 once more than maxBufferedBytes wait for it; a reader is not', async () => {
    const maxBufferedBytes = 1000;
    const messageBytes = JSON.stringify(update(10)).length;
    const runtime = createFakeRuntime();
    const { gateway, connect } = createTestGateway({
      registry: createFakeRegistry({ c1: runtime }),
      limits: { maxBufferedBytes },
    });
    const slow = connect();
    const reader = connect();
    slow.sendJson({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 });
    await runtime.until(() => runtime.subscribers.size === 1);
    expect(runtime.subscribers.size).toBe(1);
    slow.pause();

    const sent = 30;
    for (let n = 10; n < 10 + sent; n++) gateway.broadcast(update(n));

    // The send that finds more than the limit waiting closes instead of adding to it.
    const waitingWhenClosed = Math.floor(maxBufferedBytes / messageBytes) + 1;
    expect(waitingWhenClosed).toBeLessThan(sent);
    expect(slow.closure()).toEqual({
      code: CLOSE.slowConsumer,
      reason: 'too slow: reconnect and resume',
      terminated: false,
    });
    // Closed: the connection lets go of its subscription.
    await runtime.until(() => runtime.subscribers.size === 0);
    expect(runtime.subscribers.size).toBe(0);
    slow.resume();
    expect(slow.messages().slice(1)).toHaveLength(waitingWhenClosed);

    expect(reader.closure()).toBeNull();
    expect(reader.messages()).toHaveLength(sent);
  });

  it('is sent a catch-up it asked for whole, however large, and cut loose only past it', async () => {
    const maxBufferedBytes = 1000;
    const { gateway, client, runtime, page, backlogBytes } = longConversation(maxBufferedBytes);
    client.pause();
    client.sendJson({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 });
    await runtime.until(() => runtime.subscribers.size === 1);
    expect(client.closure()).toBeNull();
    // Live messages on top of the unread catch-up: allowed up to the limit, not past it.
    for (let n = 10; n < 100 && client.closure() === null; n++) gateway.broadcast(update(n));
    expect(client.closure()).toMatchObject({ code: CLOSE.slowConsumer });
    client.resume();
    const read = bytesRead(client);
    expect(read).toBeGreaterThan(backlogBytes + maxBufferedBytes);
    expect(read).toBeLessThan(backlogBytes + 2 * maxBufferedBytes + 2 * page.length);
  });

  it('forgets the catch-up once the client has read it: the limit is the limit again', async () => {
    const maxBufferedBytes = 1000;
    const { gateway, client, runtime, page } = longConversation(maxBufferedBytes);
    client.sendJson({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 });
    await runtime.until(() => runtime.subscribers.size === 1);
    gateway.broadcast(update(2)); // read at once: nothing waits, so the allowance is dropped
    client.pause();
    let sent = 0;
    for (let n = 10; n < 100 && client.closure() === null; n++, sent++) {
      gateway.broadcast(update(n));
    }
    expect(client.closure()).toMatchObject({ code: CLOSE.slowConsumer });
    expect(sent * page.length).toBeLessThan(maxBufferedBytes + 3 * page.length);
  });

  it('sends one unread catch-up at a time: asking for another while behind cuts the client loose', async () => {
    const maxBufferedBytes = 1000;
    const { client, runtime, backlogBytes } = longConversation(maxBufferedBytes);
    client.pause();
    client.sendJson({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 });
    await runtime.until(() => runtime.subscribers.size === 1);
    expect(client.closure()).toBeNull();
    client.sendJson({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 });
    expect(await client.closed).toMatchObject({ code: CLOSE.slowConsumer });
    client.resume();
    const read = bytesRead(client);
    // The first catch-up and its `subscribed`, not a second copy of the log.
    expect(read).toBeLessThan(backlogBytes + maxBufferedBytes);
  });
});
