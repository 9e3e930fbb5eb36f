import { describe, expect, it, vi } from 'vitest';
import { createFakeRegistry, createFakeRuntime } from './support/fake-registry.ts';
import { createTestGateway } from './support/gateway-harness.ts';

const command = (commandId: string, conversationId = 'c1') => ({
  type: 'command',
  conversationId,
  command: { type: 'user.message', commandId, text: 'hello' },
});

describe('the gateway refuses', () => {
  it('a message over the size limit by its bytes, before it is parsed', async () => {
    const { connect } = createTestGateway({ limits: { maxMessageBytes: 100 } });
    const client = connect();
    const parse = vi.spyOn(JSON, 'parse');

    // Not JSON: had it been parsed first, the answer would be bad_json.
    client.send(`{${'x'.repeat(200)}`);
    // 60 characters, 120 bytes: the limit is on bytes.
    client.send(`"${'é'.repeat(60)}"`);
    // A command whose id could have been read, had it been parsed.
    client.sendJson({ ...command('k1'), padding: 'x'.repeat(100) });

    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    const tooLarge = {
      type: 'error',
      code: 'too_large',
      message: 'Messages are limited to 100 bytes.',
    };
    await client.received(3);
    expect(client.takeMessages()).toEqual([tooLarge, tooLarge, tooLarge]);
  });

  it('a message at the size limit is read', async () => {
    const { connect } = createTestGateway({ limits: { maxMessageBytes: 100 } });
    const client = connect();
    client.send(`{${'x'.repeat(99)}`);
    await client.received(1);
    expect(client.takeMessages()).toMatchObject([{ type: 'error', code: 'bad_json' }]);
  });

  it('what is not JSON, text or binary, and keeps the connection', async () => {
    const { connect } = createTestGateway();
    const client = connect();
    client.send('{"type": "list_conversations"');
    client.send(Buffer.from('{"type":"list_conversations"}'));
    client.sendJson({ type: 'list_conversations' });
    await client.received(3);
    expect(client.takeMessages()).toEqual([
      { type: 'error', code: 'bad_json', message: 'That message is not JSON.' },
      { type: 'error', code: 'bad_json', message: 'That message is not JSON.' },
      { type: 'conversations', conversations: [] },
    ]);
    expect(client.closure()).toBeNull();
  });

  it('a message the schema refuses, naming the field and what it is about', async () => {
    const runtime = createFakeRuntime();
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const client = connect();
    client.sendJson({ type: 'subscribe', conversationId: 'c1' });
    client.sendJson({
      type: 'command',
      conversationId: 'c1',
      command: { type: 'user.message', commandId: 'k1', text: 42 },
    });
    await client.received(2);
    const [subscribe, commandRefusal, ...rest] = client.takeMessages();
    expect(rest).toEqual([]);
    expect(subscribe).toMatchObject({ type: 'error', code: 'bad_message', conversationId: 'c1' });
    expect(subscribe).toHaveProperty('message', expect.stringContaining('afterSeq'));
    expect(commandRefusal).toMatchObject({
      type: 'error',
      code: 'bad_message',
      conversationId: 'c1',
      commandId: 'k1',
    });
    expect(commandRefusal).toHaveProperty('message', expect.stringContaining('command.text'));
    expect(runtime.commands).toEqual([]);
    expect(runtime.subscribers.size).toBe(0);
  });

  it('a conversation that does not exist, naming the command sent to it', async () => {
    const { connect } = createTestGateway({ registry: createFakeRegistry({}) });
    const client = connect();
    client.sendJson({ type: 'subscribe', conversationId: 'nope', afterSeq: 0 });
    client.sendJson(command('k1', 'nope'));
    await client.received(2);
    expect(client.takeMessages()).toEqual([
      {
        type: 'error',
        code: 'unknown_conversation',
        conversationId: 'nope',
        message: 'There is no conversation nope.',
      },
      {
        type: 'error',
        code: 'unknown_conversation',
        conversationId: 'nope',
        commandId: 'k1',
        message: 'There is no conversation nope.',
      },
    ]);
  });

  it('a command the conversation rejects, as command_rejected naming it', async () => {
    const runtime = createFakeRuntime(() => ({
      status: 'rejected',
      code: 'busy',
      message: 'Claude is still answering.',
    }));
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const client = connect();
    client.sendJson(command('k7'));
    await client.received(1);
    expect(runtime.commands).toEqual([command('k7').command]);
    expect(client.takeMessages()).toEqual([
      {
        type: 'error',
        code: 'command_rejected',
        conversationId: 'c1',
        commandId: 'k7',
        message: 'Claude is still answering.',
      },
    ]);
  });

  it('says nothing about a duplicate command: its first copy is answered by the log', async () => {
    const runtime = createFakeRuntime(() => ({ status: 'duplicate' }));
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const client = connect();
    client.sendJson(command('k1'));
    // Messages are handled in order: once the next one is answered, the command was handled.
    client.sendJson({ type: 'list_conversations' });
    await client.received(1);
    expect(runtime.commands).toHaveLength(1);
    expect(client.takeMessages()).toEqual([{ type: 'conversations', conversations: [] }]);
  });

  it('a message whose handling throws, as internal naming the command', async () => {
    const runtime = createFakeRuntime(() => {
      throw new Error('disk full');
    });
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const client = connect();
    client.sendJson(command('k2'));
    await client.received(1);
    expect(client.takeMessages()).toMatchObject([
      { type: 'error', code: 'internal', conversationId: 'c1', commandId: 'k2' },
    ]);
    expect(client.closure()).toBeNull();
    // The connection goes on: the next message is handled.
    client.sendJson({ type: 'list_conversations' });
    await client.received(1);
    expect(client.takeMessages()).toEqual([{ type: 'conversations', conversations: [] }]);
  });
});
