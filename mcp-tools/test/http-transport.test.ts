import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type SeenChunk, tapChunks } from './tool-client.ts';

const HTTP_ENTRY = new URL('../dist/http.js', import.meta.url).pathname;
let stop: (() => void) | undefined;
afterEach(() => stop?.());

/** Starts `npm run start:http`'s entry on a free port and resolves with its MCP endpoint. */
async function startHttpServer(workspace: string) {
  const child = spawn(process.execPath, [HTTP_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      WORKSPACE_DIR: workspace,
      MCP_HTTP_PORT: '0',
      WRITE_CHUNK_BYTES: '32',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  stop = () => child.kill();
  return new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stderr.on('data', (data: Buffer) => {
      seen += data.toString();
      const match = /at (http:\/\/\S+\/mcp)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`http server exited (${code}): ${seen}`)));
  });
}

describe('Streamable HTTP', () => {
  it('serves the same tools, with chunk progress streamed as SSE', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'tollgate-http-'));
    const url = await startHttpServer(workspace);
    const chunks: SeenChunk[] = [];
    const client = new Client({ name: 'tollgate-tests', version: '0' });
    client.onerror = () => undefined;
    await client.connect(tapChunks(new StreamableHTTPClientTransport(new URL(url)), chunks));
    const content = 'Streamed over HTTP, one small chunk at a time. ✓\n'.repeat(10);
    const result = (await client.callTool(
      { name: 'write_file', arguments: { path: 'web/a.md', content } },
      undefined,
      {
        onprogress: () => undefined,
      },
    )) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(content);
    expect(await readFile(join(workspace, 'web/a.md'), 'utf8')).toBe(content);
    await client.close();
  });
});
