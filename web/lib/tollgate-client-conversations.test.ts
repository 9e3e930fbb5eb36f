import { MACHINE_VERSION, PROTOCOL_VERSION } from '@tollgate/machines';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeNetwork, type FakeSocket } from './test-support/fake-socket.ts';
import { createTollgateClient, type TollgateClient } from './tollgate-client.ts';

const hello = {
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  machineVersion: MACHINE_VERSION,
  claude: { status: 'ready', provider: 'anthropic', model: 'claude-sonnet-5-5', message: null },
  tools: [],
  mcpServers: [],
};
const summary = (id: string, title: string | null) => ({
  id,
  title,
  createdAt: 1,
  updatedAt: 1,
  lastSeq: 0,
});

let sockets: FakeSocket[];
let client: TollgateClient;
const last = () => sockets.at(-1) as FakeSocket;

beforeEach(() => {
  const network = createFakeNetwork();
  ({ sockets } = network);
  client = createTollgateClient({ url: 'ws://test/ws', ...network.options });
  client.start();
  client.follow('c_1');
  last().open();
  last().receive(hello);
  last().receive({ type: 'subscribed', conversationId: 'c_1', lastSeq: 0 });
  last().receive({
    type: 'conversations',
    conversations: [summary('c_1', 'One'), summary('c_2', 'Two')],
  });
});

describe('managing conversations from the page', () => {
  it('renames with a command in the log, trimmed', () => {
    const commandId = client.renameConversation('c_1', '  Trip  ');
    expect(last().ofType('command')).toEqual([
      {
        type: 'command',
        conversationId: 'c_1',
        command: { type: 'conversation.renamed', title: 'Trip', commandId },
      },
    ]);
  });

  it('asks for a deletion, and drops the conversation once any tab’s deletion is announced', () => {
    expect(client.deleteConversation('c_2')).toBe(true);
    expect(last().ofType('delete_conversation')).toMatchObject([
      { type: 'delete_conversation', conversationId: 'c_2' },
    ]);
    // Nothing changes before the server says so.
    expect(client.getState().conversations?.map((c) => c.id)).toEqual(['c_1', 'c_2']);
    last().receive({ type: 'conversation_deleted', conversationId: 'c_1' });
    expect(client.getState().conversations?.map((c) => c.id)).toEqual(['c_2']);
    expect(client.getState().deleted).toEqual(['c_1']);
  });

  it('answers a search with the results of its own request', async () => {
    const answer = client.searchConversations('trip');
    const [request] = last().ofType('search_conversations') as { requestId: string }[];
    last().receive({
      type: 'search_results',
      requestId: 'someone-else',
      query: 'x',
      results: [],
      truncated: false,
    });
    const result = {
      conversationId: 'c_1',
      title: 'One',
      seq: 3,
      anchor: 'a-1',
      snippet: { before: 'a ', match: 'trip', after: ' b' },
    };
    last().receive({
      type: 'search_results',
      requestId: request?.requestId,
      query: 'trip',
      results: [result],
      truncated: false,
    });
    expect(await answer).toEqual({ query: 'trip', results: [result], truncated: false });
  });

  it('fails a search the connection dropped', async () => {
    const answer = client.searchConversations('trip');
    last().drop();
    await expect(answer).rejects.toThrow('Disconnected.');
  });
});
