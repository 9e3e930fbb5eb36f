// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are ${VAR} references to expand, not templates
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseMcpConfig } from '../../src/mcp/mcp-config.ts';
import { createMcpHub, type McpHub } from '../../src/mcp/mcp-hub.ts';
import { silentLogger } from '../silent-logger.ts';

// Headers from the mcpServers file, `${VAR}` expanded, reach a real remote MCP server on every
// request: over Streamable HTTP (`/mcp`) and over the older HTTP+SSE transport (`/sse`, whose
// event stream is a GET of its own, then POSTs to `/messages`). The server refuses any request
// without the token, so "ready" already proves the header came with the handshake.

const TOKEN = 'tok-3f9a';

interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  tag: string | undefined;
}

let http: Server;
let base: string;
const seen: SeenRequest[] = [];
const streamable = new Map<string, StreamableHTTPServerTransport>();
const sse = new Map<string, SSEServerTransport>();

/** One MCP server per session, with a tool that answers the header its call came with. */
function headerServer(): McpServer {
  const server = new McpServer({ name: 'header-check', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: 'The x-tollgate-test header of this call' },
    (extra) => ({
      content: [{ type: 'text', text: String(extra.requestInfo?.headers['x-tollgate-test']) }],
    }),
  );
  return server;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  http = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const tag = request.headers['x-tollgate-test'];
    seen.push({
      method: request.method ?? '',
      path: url.pathname,
      authorization: request.headers.authorization,
      tag: typeof tag === 'string' ? tag : undefined,
    });
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401).end('a token is needed');
      return;
    }
    try {
      if (url.pathname === '/mcp') {
        const sessionId = request.headers['mcp-session-id'];
        const body = request.method === 'POST' ? await readJson(request) : undefined;
        let transport = typeof sessionId === 'string' ? streamable.get(sessionId) : undefined;
        if (!transport && isInitializeRequest(body)) {
          const created = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            onsessioninitialized: (id) => void streamable.set(id, created),
          });
          await headerServer().connect(created);
          transport = created;
        }
        if (!transport) {
          response.writeHead(400).end('no session');
          return;
        }
        await transport.handleRequest(request, response, body);
      } else if (url.pathname === '/sse' && request.method === 'GET') {
        const transport = new SSEServerTransport('/messages', response);
        sse.set(transport.sessionId, transport);
        transport.onclose = () => sse.delete(transport.sessionId);
        await headerServer().connect(transport);
      } else if (url.pathname === '/messages' && request.method === 'POST') {
        const transport = sse.get(url.searchParams.get('sessionId') ?? '');
        if (transport) await transport.handlePostMessage(request, response);
        else response.writeHead(404).end('no session');
      } else {
        response.writeHead(404).end();
      }
    } catch (error) {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

let hub: McpHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  seen.length = 0;
});

/** A hub over the one server of this file, read the way MCP_CONFIG is read. */
async function hubFor(entry: Record<string, unknown>, env: Record<string, string>) {
  const servers = parseMcpConfig(JSON.stringify({ mcpServers: { remote: entry } }), 'mcp.json', {
    env,
  });
  hub = createMcpHub({ servers, logger: silentLogger(), backoff: { initialMs: 60_000 } });
  await hub.start();
  return hub;
}

const env = { BASE_URL: 'replaced below', MCP_TOKEN: TOKEN };

describe('headers from the mcpServers file reach a remote server', () => {
  it('over Streamable HTTP, on every request', async () => {
    const started = await hubFor(
      {
        type: 'http',
        url: '${BASE_URL}/mcp',
        headers: { Authorization: 'Bearer ${MCP_TOKEN}', 'X-Tollgate-Test': '${TAG:-streamable}' },
      },
      { ...env, BASE_URL: base },
    );
    expect(started.status()[0]).toMatchObject({ server: 'remote', state: 'ready', tools: 1 });
    const result = await started.callTool('remote__whoami', {});
    expect(result).toMatchObject({ content: 'streamable', isError: false });

    const paths = new Set(seen.map((r) => `${r.method} ${r.path}`));
    expect(paths).toContain('POST /mcp');
    expect(seen.length).toBeGreaterThanOrEqual(3); // initialize, initialized, tools/list, the call
    for (const request of seen) {
      expect(request).toMatchObject({ authorization: `Bearer ${TOKEN}`, tag: 'streamable' });
    }
  });

  it('over HTTP+SSE, on the event stream and on every message', async () => {
    const started = await hubFor(
      {
        type: 'sse',
        url: '${BASE_URL}/sse',
        headers: { Authorization: 'Bearer ${MCP_TOKEN}', 'X-Tollgate-Test': '${TAG:-sse}' },
      },
      { ...env, BASE_URL: base, TAG: 'legacy-sse' },
    );
    expect(started.status()[0]).toMatchObject({ server: 'remote', state: 'ready', tools: 1 });
    const result = await started.callTool('remote__whoami', {});
    expect(result).toMatchObject({ content: 'legacy-sse', isError: false });

    expect(seen.filter((r) => r.method === 'GET' && r.path === '/sse')).toHaveLength(1);
    expect(
      seen.filter((r) => r.method === 'POST' && r.path === '/messages').length,
    ).toBeGreaterThanOrEqual(3);
    for (const request of seen) {
      expect(request).toMatchObject({ authorization: `Bearer ${TOKEN}`, tag: 'legacy-sse' });
    }
  });

  it('without the header the same server refuses, and the hub says it cannot connect', async () => {
    const started = await hubFor({ type: 'sse', url: `${base}/sse` }, {});
    const status = started.status()[0];
    expect(status?.state).not.toBe('ready');
    expect(status?.error).toMatch(
      /^Cannot connect to the remote server at http:\/\/127\.0\.0\.1:\d+\/sse: /,
    );
    expect(seen).toEqual([
      { method: 'GET', path: '/sse', authorization: undefined, tag: undefined },
    ]);
  });
});
