#!/usr/bin/env node
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { readToolConfig } from './tool-config.ts';
import { createToolServer } from './tool-server.ts';

// The same tools over Streamable HTTP (responses as SSE streams), one MCP session per client.
const config = readToolConfig(process.env);
const host = process.env.MCP_HTTP_HOST?.trim() || '127.0.0.1';
const port = Number(process.env.MCP_HTTP_PORT?.trim() || 3333);
const sessions = new Map<string, StreamableHTTPServerTransport>();

async function readJson(request: import('node:http').IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

const http = createServer(async (request, response) => {
  try {
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/mcp') {
      response.writeHead(404).end('Not found: the MCP endpoint is /mcp\n');
      return;
    }
    const sessionId = request.headers['mcp-session-id'];
    const body = request.method === 'POST' ? await readJson(request) : undefined;
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!transport && request.method === 'POST' && isInitializeRequest(body)) {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, created),
      });
      created.onclose = () => {
        if (created.sessionId) sessions.delete(created.sessionId);
      };
      await createToolServer(config).connect(created);
      transport = created;
    }
    if (!transport) {
      response.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          jsonrpc: '2.0',
          error: { code: -32000, message: 'No valid MCP session: send initialize first.' },
          id: null,
        }),
      );
      return;
    }
    await transport.handleRequest(request, response, body);
  } catch (error) {
    process.stderr.write(`tollgate-files: ${error instanceof Error ? error.stack : error}\n`);
    if (!response.headersSent) response.writeHead(500).end();
  }
});

http.listen(port, host, () => {
  const address = http.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  process.stderr.write(
    `tollgate-files: serving ${config.workspaceDir} at http://${host}:${bound}/mcp\n`,
  );
});
