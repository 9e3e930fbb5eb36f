import { describe, expect, it } from 'vitest';
import { createTestGateway } from './support/gateway-harness.ts';

describe('restarting an MCP server from a connection', () => {
  it('asks the hub to try the named server again, and answers nothing more', async () => {
    const asked: string[] = [];
    const { connect } = createTestGateway({
      restartMcpServer: (server) => {
        asked.push(server);
        return server === 'everything';
      },
    });
    const client = connect();
    client.sendJson({ type: 'restart_mcp_server', server: 'everything' });
    // Answered in order: had the restart been answered, its answer would come first.
    client.sendJson({ type: 'list_conversations' });
    await client.received(1);
    expect(client.takeMessages()).toEqual([{ type: 'conversations', conversations: [] }]);
    expect(asked).toEqual(['everything']);
  });

  it('answers an unknown server with an error, and keeps the connection', async () => {
    const { connect } = createTestGateway({ restartMcpServer: () => false });
    const client = connect();
    client.sendJson({ type: 'restart_mcp_server', server: 'ghost' });
    await client.received(1);
    expect(client.takeMessages()).toEqual([
      {
        type: 'error',
        code: 'unknown_mcp_server',
        message: 'There is no MCP server named ghost.',
      },
    ]);
    expect(client.closure()).toBeNull();
  });

  it('refuses a request with a field it does not know, without restarting anything', async () => {
    const asked: string[] = [];
    const { connect } = createTestGateway({
      restartMcpServer: (server) => asked.push(server) > 0,
    });
    const client = connect();
    client.sendJson({ type: 'restart_mcp_server', server: 'everything', force: true });
    client.sendJson({ type: 'restart_mcp_server' });
    await client.received(2);
    expect(client.takeMessages()).toMatchObject([
      { type: 'error', code: 'bad_message', message: expect.stringMatching(/force/) },
      { type: 'error', code: 'bad_message', message: expect.stringMatching(/server/) },
    ]);
    expect(asked).toEqual([]);
  });
});
