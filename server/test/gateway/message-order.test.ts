import { describe, expect, it } from 'vitest';
import { createFakeRegistry, createFakeRuntime } from './support/fake-registry.ts';
import { createTestGateway } from './support/gateway-harness.ts';

describe("a connection's answers", () => {
  it('come in the order of the messages they answer, refusals included', async () => {
    const runtime = createFakeRuntime(() => ({
      status: 'rejected',
      code: 'busy',
      message: 'Claude is still answering.',
    }));
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const client = connect();
    client.sendJson({ type: 'list_conversations' });
    client.sendJson({
      type: 'command',
      conversationId: 'c1',
      command: { type: 'turn.stop', commandId: 'k1' },
    });
    client.send('not JSON');
    await client.received(3);
    expect(client.takeMessages().map((m) => (m.type === 'error' ? m.code : m.type))).toEqual([
      'conversations',
      'command_rejected',
      'bad_json',
    ]);
  });
});
