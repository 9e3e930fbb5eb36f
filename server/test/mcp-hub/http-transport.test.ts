import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolChunk } from '../../src/mcp/chunk-ledger.ts';
import { createMcpHub, type McpHub } from '../../src/mcp/mcp-hub.ts';
import { silentLogger } from '../silent-logger.ts';
import { waitForStatus } from './hub-test-kit.ts';

// mcp-tools served over Streamable HTTP (SSE responses), reached through a `url` entry.
const HTTP_ENTRY = fileURLToPath(new URL('../../../mcp-tools/dist/http.js', import.meta.url));

let hub: McpHub | undefined;
let server: ChildProcess | undefined;
let workspace: string | undefined;
afterEach(async () => {
  await hub?.close();
  server?.kill();
  if (workspace) await rm(workspace, { recursive: true, force: true });
  hub = undefined;
  server = undefined;
  workspace = undefined;
});

/** Starts mcp-tools' HTTP server on a free port; resolves with its URL once it listens. */
async function startHttpTools(): Promise<string> {
  workspace = await mkdtemp(join(tmpdir(), 'tollgate-http-'));
  const child = spawn(process.execPath, [HTTP_ENTRY], {
    env: { ...process.env, WORKSPACE_DIR: workspace, WRITE_CHUNK_BYTES: '16', MCP_HTTP_PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server = child;
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (data) => {
      output += String(data);
      const url = /at (http:\/\/\S+\/mcp)/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`mcp-tools http exited (${code}): ${output}`)));
  });
}

describe('a server reached by url (Streamable HTTP)', () => {
  it('streams chunks over SSE and proves the file, then reports the server gone when it stops', async () => {
    const url = await startHttpTools();
    hub = createMcpHub({
      servers: [{ name: 'remote-files', transport: 'http', url, headers: { 'x-test': '1' } }],
      logger: silentLogger(),
      backoff: { initialMs: 60_000 },
    });
    await hub.start();
    expect(hub.status()[0]).toMatchObject({ state: 'ready', transport: 'http', tools: 3 });
    // Not built in: its tools are prefixed like any configured server's.
    expect(hub.claudeTools().map((t) => t.name)).toContain('remote-files__write_file');

    const content = 'über HTTP ✓\n'.repeat(20);
    const chunks: ToolChunk[] = [];
    const result = await hub.callTool(
      'remote-files__write_file',
      { path: 'remote.txt', content },
      { onChunk: (c) => chunks.push(c) },
    );
    const onDisk = await readFile(join(workspace!, 'remote.txt'), 'utf8');
    expect(onDisk).toBe(content);
    expect(chunks.map((c) => c.text).join('')).toBe(content);
    expect(result.file).toEqual({
      path: 'remote.txt',
      bytes: Buffer.byteLength(content),
      sha256: createHash('sha256').update(content).digest('hex'),
    });

    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server?.kill();
    await exited;
    await expect(hub.callTool('remote-files__list_files', {})).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/^Could not reach the remote-files server/),
    });
    const down = await waitForStatus(hub, 'remote-files', (s) => s.state === 'failed');
    expect(down.error).toBe('The remote-files server stopped unexpectedly; restarting it.');
    expect(hub.claudeTools()).toEqual([]);
  });
});
