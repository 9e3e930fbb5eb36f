import { request } from 'node:http';
import type { LogEntry } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { connectClient, type WsTestClient } from '../server/ws-test-client.ts';
import { serverPerSuite } from './support/access-server.ts';

// Renaming, deleting, searching, exporting and importing conversations on a real server with
// two people behind a trusted proxy: each reaches only their own conversations, on the socket
// and over HTTP alike.

/** One HTTP request with a body, from the test's address (the trusted proxy). */
function send(
  url: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
      );
    });
    outgoing.end(body);
  });
}

describe('managing conversations, two people behind a trusted proxy', () => {
  const server = serverPerSuite({
    APP_TOKEN: 'a-long-random-token-for-the-test',
    TRUSTED_PROXIES: '127.0.0.1',
    TRUSTED_USER_HEADER: 'Remote-User',
  });
  const as = async (name: string): Promise<WsTestClient> => {
    const client = await connectClient(server().wsUrl, { 'remote-user': name });
    await client.waitForMessage('hello');
    return client;
  };
  /** A conversation of `client`'s with one message, whose failed turn (no Claude) has ended. */
  const withMessage = async (client: WsTestClient, text: string) => {
    const id = await client.createConversation();
    await client.subscribe(id);
    client.command(id, { type: 'user.message', text });
    await client.waitForEntry(id, (e) => e.event.type === 'assistant.failed', 'the failed turn');
    return id;
  };

  it('renames and deletes for the owner, and every tab of the owner sees it; nobody else can', async () => {
    const alice = await as('alice');
    const aliceElsewhere = await as('alice');
    const bob = await as('bob');
    const a = await withMessage(alice, 'Plan the trip');

    alice.command(a, { type: 'conversation.renamed', title: 'Lisbon, May' });
    await aliceElsewhere.waitForMessage('conversations_updated', (m) =>
      m.conversations.some((c) => c.id === a && c.title === 'Lisbon, May'),
    );
    // A rename that breaks the rules is refused before the log, naming the command.
    const bad = alice.command(a, { type: 'conversation.renamed', title: ' padded ' });
    expect(await alice.waitForMessage('error', (m) => m.commandId === bad)).toMatchObject({
      code: 'bad_message',
    });

    bob.send({ type: 'delete_conversation', conversationId: a, requestId: 'r1' });
    expect(await bob.waitForMessage('error', (m) => m.conversationId === a)).toMatchObject({
      code: 'unknown_conversation',
      message: `There is no conversation ${a}.`,
    });
    alice.send({ type: 'list_conversations' });
    expect((await alice.waitForMessage('conversations')).conversations.map((c) => c.id)).toContain(
      a,
    );

    alice.send({ type: 'delete_conversation', conversationId: a, requestId: 'r2' });
    for (const tab of [alice, aliceElsewhere]) {
      await tab.waitForMessage('conversation_deleted', (m) => m.conversationId === a);
    }
    alice.send({ type: 'subscribe', conversationId: a, afterSeq: 0 });
    await alice.waitForMessage('error', (m) => m.conversationId === a);
    expect(bob.received.some((m) => m.type === 'conversation_deleted')).toBe(false);
    for (const client of [alice, aliceElsewhere, bob]) client.close();
  });

  it('searches the person’s own conversations only', async () => {
    const alice = await as('alice');
    const bob = await as('bob');
    const a = await withMessage(alice, 'The secret recipe for pastel de nata');
    await withMessage(bob, 'My own secret recipe');
    alice.send({ type: 'search_conversations', query: 'SECRET RECIPE', requestId: 's1' });
    const answer = await alice.waitForMessage('search_results', (m) => m.requestId === 's1');
    expect(answer.results.map((r) => [r.conversationId, r.seq])).toEqual([
      [a, null],
      [a, 1],
    ]);
    expect(answer.results[1]?.snippet).toEqual({
      before: 'The ',
      match: 'secret recipe',
      after: ' for pastel de nata',
    });
    alice.close();
    bob.close();
  });

  it('exports the owner’s conversation as JSON and Markdown, and imports the JSON as a new one', async () => {
    const alice = await as('alice');
    const a = await withMessage(alice, 'Export me');
    const url = `${server().url}/api/conversations/${a}/export`;
    const json = await send(`${url}.json`, { headers: { 'remote-user': 'alice' } });
    expect(json.status).toBe(200);
    expect(json.headers['content-disposition']).toMatch(/^attachment; filename="Export me.json"/);
    const file = JSON.parse(json.body);
    expect(file).toMatchObject({ format: 'tollgate.conversation', conversation: { id: a } });
    expect(file.entries.map((e: LogEntry) => e.event.type)).toEqual([
      'user.message',
      'assistant.failed',
    ]);
    const markdown = await send(`${url}.md`, { headers: { 'remote-user': 'alice' } });
    expect(markdown.headers['content-type']).toMatch(/^text\/markdown/);
    expect(markdown.body).toMatch(/^# Export me\n/);
    // Another person's is missing, as on the socket.
    expect((await send(`${url}.json`, { headers: { 'remote-user': 'bob' } })).status).toBe(404);

    const importUrl = `${server().url}/api/conversations/import`;
    const post = (body: string, headers: Record<string, string> = {}) =>
      send(importUrl, {
        method: 'POST',
        body,
        headers: { 'remote-user': 'alice', 'content-type': 'application/json', ...headers },
      });
    expect((await post(json.body, { origin: 'https://elsewhere.example' })).status).toBe(403);
    expect((await post(json.body, { 'content-type': 'text/plain' })).status).toBe(415);
    const broken = { ...file, entries: file.entries.slice(1) };
    const refused = await post(JSON.stringify(broken));
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).error).toMatch(
      /^This export cannot be imported: Entry 1 has seq 2/,
    );

    const imported = await post(json.body);
    expect(imported.status).toBe(201);
    const { conversation } = JSON.parse(imported.body);
    expect(conversation).toMatchObject({ title: 'Export me', lastSeq: 2 });
    expect(conversation.id).not.toBe(a);
    await alice.subscribe(conversation.id);
    const again = alice.entries(conversation.id);
    expect(again.map((e) => e.event)).toEqual(file.entries.map((e: LogEntry) => e.event));
    alice.close();
  });
});
