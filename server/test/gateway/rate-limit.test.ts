import { describe, expect, it } from 'vitest';
import { createFakeRegistry, createFakeRuntime } from './support/fake-registry.ts';
import { createTestGateway } from './support/gateway-harness.ts';

const command = (commandId: string) => ({
  type: 'command',
  conversationId: 'c1',
  command: { type: 'turn.stop', commandId },
});

describe('the rate limit', () => {
  it('lets a burst through, then refuses naming the command, until tokens refill', async () => {
    let now = 0;
    const runtime = createFakeRuntime();
    const { connect } = createTestGateway({
      registry: createFakeRegistry({ c1: runtime }),
      limits: { burst: 3, messagesPerSecond: 2 },
      clock: () => now,
    });
    const client = connect();

    for (const id of ['k1', 'k2', 'k3']) client.sendJson(command(id));
    await runtime.until(() => runtime.commands.length === 3);
    expect(runtime.commands.map((c) => c.commandId)).toEqual(['k1', 'k2', 'k3']);
    expect(client.takeMessages()).toEqual([]);

    client.sendJson(command('k4'));
    client.sendJson({ type: 'list_conversations' });
    await client.received(2);
    expect(client.takeMessages()).toEqual([
      {
        type: 'error',
        code: 'rate_limited',
        message: 'Too many messages; slow down.',
        conversationId: 'c1',
        commandId: 'k4',
      },
      { type: 'error', code: 'rate_limited', message: 'Too many messages; slow down.' },
    ]);
    expect(runtime.commands).toHaveLength(3);

    // Half a second at two per second is one message more, and only one.
    now += 500;
    client.sendJson(command('k4'));
    client.sendJson(command('k5'));
    await runtime.until(() => runtime.commands.length === 4);
    expect(runtime.commands.map((c) => c.commandId)).toEqual(['k1', 'k2', 'k3', 'k4']);
    await client.received(1);
    expect(client.takeMessages()).toMatchObject([{ code: 'rate_limited', commandId: 'k5' }]);
  });

  it('counts each connection on its own', async () => {
    const { connect } = createTestGateway({ limits: { burst: 1, messagesPerSecond: 1 } });
    const first = connect();
    const second = connect();
    first.sendJson({ type: 'list_conversations' });
    first.sendJson({ type: 'list_conversations' });
    second.sendJson({ type: 'list_conversations' });
    await first.received(2);
    await second.received(1);
    // Answered in order (message-order.test.ts): the list, then the refusal.
    expect(first.takeMessages().map((m) => m.type)).toEqual(['conversations', 'error']);
    expect(second.takeMessages().map((m) => m.type)).toEqual(['conversations']);
  });
});
