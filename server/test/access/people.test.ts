import { describe, expect, it } from 'vitest';
import { connectClient, type WsTestClient } from '../server/ws-test-client.ts';
import { serverPerSuite } from './support/access-server.ts';
import { connectFrom } from './support/bound-client.ts';
import { httpRequest } from './support/http-request.ts';

const TOKEN = 'a-long-random-token-for-the-test';

/** Every conversation id a client was told of, in any message. */
const idsSeenBy = (client: { received: unknown[] }) =>
  new Set(JSON.stringify(client.received).match(/c_[\w-]{12}/g) ?? []);

describe('two people behind a trusted proxy', () => {
  // The tests' own address, 127.0.0.1, is the proxy: it names the person in Remote-User.
  const server = serverPerSuite({
    APP_TOKEN: TOKEN,
    TRUSTED_PROXIES: '127.0.0.1',
    TRUSTED_USER_HEADER: 'Remote-User',
  });
  const as = async (name: string): Promise<WsTestClient> => {
    const client = await connectClient(server().wsUrl, { 'remote-user': name });
    await client.waitForMessage('hello');
    return client;
  };

  it('greets each by name, and each lists and hears of their own conversations only', async () => {
    const alice = await as('alice');
    const bob = await as('bob');
    expect(alice.received[0]).toMatchObject({ type: 'hello', person: { name: 'alice' } });
    expect(bob.received[0]).toMatchObject({ type: 'hello', person: { name: 'bob' } });
    const a = await alice.createConversation();
    const b = await bob.createConversation();
    await alice.waitForMessage('conversations_updated', (m) =>
      m.conversations.some((c) => c.id === a),
    );
    // Alice's creation came first: had it been sent to Bob, it would be in his hands by now.
    await bob.waitForMessage('conversations_updated', (m) =>
      m.conversations.some((c) => c.id === b),
    );
    alice.send({ type: 'list_conversations' });
    bob.send({ type: 'list_conversations' });
    const aliceList = await alice.waitForMessage('conversations');
    const bobList = await bob.waitForMessage('conversations');
    expect(aliceList.conversations.map((c) => c.id)).toEqual([a]);
    expect(bobList.conversations.map((c) => c.id)).toEqual([b]);
    expect(idsSeenBy(bob)).toEqual(new Set([b]));
    expect(idsSeenBy(alice)).toEqual(new Set([a]));
    alice.close();
    bob.close();
  });

  it('answers another’s conversation exactly as a missing one, to subscribe and to command', async () => {
    const alice = await as('alice');
    const bob = await as('bob');
    const a = await alice.createConversation();
    const missing = 'c_nobodyhas1';
    for (const id of [a, missing]) bob.send({ type: 'subscribe', conversationId: id, afterSeq: 0 });
    const answers = await Promise.all(
      [a, missing].map((id) =>
        bob.waitForMessage('error', (m) => m.conversationId === id && !m.commandId),
      ),
    );
    expect(
      answers.map((m) => ({ ...m, message: m.message.replace(m.conversationId!, '<id>') })),
    ).toEqual([
      {
        type: 'error',
        code: 'unknown_conversation',
        conversationId: a,
        message: 'There is no conversation <id>.',
      },
      {
        type: 'error',
        code: 'unknown_conversation',
        conversationId: missing,
        message: 'There is no conversation <id>.',
      },
    ]);
    const commandId = bob.command(a, { type: 'user.message', text: 'Let me in' });
    expect(await bob.waitForMessage('error', (m) => m.commandId === commandId)).toEqual({
      type: 'error',
      code: 'unknown_conversation',
      conversationId: a,
      commandId,
      message: `There is no conversation ${a}.`,
    });
    // Bob's command was answered, so had it been taken it would be in the log: it is not.
    expect((await alice.subscribe(a)).lastSeq).toBe(0);
    expect(bob.received.some((m) => m.type === 'entries' || m.type === 'subscribed')).toBe(false);
    alice.close();
    bob.close();
  });

  it('serves the page to a named person without the token, and refuses the proxy naming nobody', async () => {
    const named = await httpRequest(`${server().url}/`, { headers: { 'remote-user': 'alice' } });
    expect(named.status).toBe(200);
    const nobody = await httpRequest(`${server().url}/?token=${TOKEN}`);
    // The token is right (the cookie is set), but from the proxy a person is required.
    const cookie = nobody.headers['set-cookie']?.[0]?.split(';')[0] ?? '';
    const refused = await httpRequest(`${server().url}/`, { headers: { cookie } });
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('did not say who you are');
    const socket = await connectClient(`${server().wsUrl}?token=${TOKEN}`);
    expect(await socket.waitForMessage('error')).toMatchObject({ code: 'unauthorized' });
    expect(await socket.waitFor(() => socket.closed() ?? undefined, 'the close')).toEqual({
      code: 4401,
      reason: 'person required',
    });
  });
});

describe('a person header from an address that is not a trusted proxy', () => {
  // The proxy is 127.0.0.2; the tests' own address, 127.0.0.1, is anyone else.
  const server = serverPerSuite({
    APP_TOKEN: TOKEN,
    TRUSTED_PROXIES: '127.0.0.2',
    TRUSTED_USER_HEADER: 'Remote-User',
  });

  it('is ignored: it lets no one in, and with the token it is the single owner, not that person', async () => {
    const alice = await connectFrom('127.0.0.2', server().wsUrl, { 'remote-user': 'alice' });
    expect(await alice.waitForMessage('hello')).toMatchObject({ person: { name: 'alice' } });
    const a = await alice.createConversation();

    const forged = { 'remote-user': 'alice' };
    expect((await httpRequest(`${server().url}/`, { headers: forged })).status).toBe(401);
    const denied = await connectClient(server().wsUrl, forged);
    expect(await denied.waitFor(() => denied.closed() ?? undefined, 'the close')).toEqual({
      code: 4401,
      reason: 'token required',
    });

    const owner = await connectClient(`${server().wsUrl}?token=${TOKEN}`, forged);
    expect(await owner.waitForMessage('hello')).toMatchObject({ person: null });
    owner.send({ type: 'list_conversations' });
    expect((await owner.waitForMessage('conversations')).conversations).toEqual([]);
    owner.send({ type: 'subscribe', conversationId: a, afterSeq: 0 });
    expect(await owner.waitForMessage('error')).toMatchObject({
      code: 'unknown_conversation',
      conversationId: a,
    });
    owner.close();
  });
});
