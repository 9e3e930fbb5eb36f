import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_IN_SERVER_NAME, builtInToolServer } from '../../src/mcp/built-in-tool-server.ts';
import type { ToolChunk } from '../../src/mcp/chunk-ledger.ts';
import { createMcpHub, type McpHub } from '../../src/mcp/mcp-hub.ts';
import { silentLogger } from '../silent-logger.ts';
import { eventually, filesIn, fixtureServer } from './hub-test-kit.ts';

// Against the real mcp-tools server (its build, run over stdio as the server runs it).

let hub: McpHub | undefined;
let workspace: string | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  if (workspace) await rm(workspace, { recursive: true, force: true });
  workspace = undefined;
});

async function startBuiltIn(chunkDelayMs = 0) {
  workspace = await mkdtemp(join(tmpdir(), 'tollgate-hub-'));
  hub = createMcpHub({
    servers: [
      builtInToolServer({ workspaceDir: workspace, chunkBytes: 16, chunkDelayMs }),
      fixtureServer('crashable-server.mjs', 'other'),
    ],
    logger: silentLogger(),
  });
  await hub.start();
  return { hub, workspace };
}

const content = `# Notes ✍️\n${Array.from({ length: 40 }, (_, i) => `line ${i}: ünïcödé 📝`).join('\n')}\n`;

describe('the built-in tool server (mcp-tools)', () => {
  it('keeps its tool names and streams write_file input from Claude', async () => {
    const { hub } = await startBuiltIn();
    expect(hub.status().find((s) => s.server === BUILT_IN_SERVER_NAME)).toMatchObject({
      state: 'ready',
      builtIn: true,
    });
    const tools = hub.claudeTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['write_file', 'read_file', 'list_files', 'other__ping']),
    );
    expect(tools.find((t) => t.name === 'write_file')).toMatchObject({
      eager_input_streaming: true,
      input_schema: { type: 'object', required: ['path', 'content'] },
    });
    expect(tools.find((t) => t.name === 'read_file')).not.toHaveProperty('eager_input_streaming');
    expect(hub.tool('write_file')).toMatchObject({
      server: BUILT_IN_SERVER_NAME,
      annotations: { destructiveHint: true, readOnlyHint: false },
    });
  });

  it('write_file: the chunks concatenate to the file on disk byte for byte, sha256 verified', async () => {
    const { hub, workspace } = await startBuiltIn();
    const chunks: ToolChunk[] = [];
    const result = await hub.callTool(
      'write_file',
      { path: 'notes/a.md', content },
      { onChunk: (c) => chunks.push(c) },
    );
    const onDisk = await readFile(join(workspace, 'notes/a.md'));
    const total = Buffer.byteLength(content);
    expect(onDisk.equals(Buffer.from(chunks.map((c) => c.text).join('')))).toBe(true);
    expect(onDisk.toString('utf8')).toBe(content);
    expect(chunks.length).toBeGreaterThan(20);
    expect(chunks.map((c) => c.index)).toEqual([...chunks.keys()]);
    expect(chunks.every((c) => c.total === total)).toBe(true);
    expect(chunks.at(-1)?.bytes).toBe(total);
    expect(result).toMatchObject({
      isError: false,
      server: BUILT_IN_SERVER_NAME,
      file: {
        path: 'notes/a.md',
        bytes: total,
        sha256: createHash('sha256').update(onDisk).digest('hex'),
      },
    });

    const read = await hub.callTool('read_file', { path: 'notes/a.md' });
    expect(read).toEqual({ content, isError: false, server: BUILT_IN_SERVER_NAME });
  });

  it('a refusal is a tool error Claude can read, not a failure', async () => {
    const { hub } = await startBuiltIn();
    const result = await hub.callTool('write_file', { path: '../escape.txt', content: 'x' });
    expect(result.isError).toBe(true);
    expect(result.content).not.toBe('');
    expect(result).not.toHaveProperty('file');
  });

  it('cancelling mid-write through the signal leaves no file behind', async () => {
    const { hub, workspace } = await startBuiltIn(40);
    const controller = new AbortController();
    const chunks: ToolChunk[] = [];
    const call = hub.callTool(
      'write_file',
      { path: 'big.txt', content },
      {
        signal: controller.signal,
        onChunk: (c) => {
          chunks.push(c);
          if (c.index === 2) controller.abort('stop');
        },
      },
    );
    await expect(call).rejects.toMatchObject({
      kind: 'cancelled',
      message: 'write_file was cancelled before it finished.',
    });
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2]);
    // The tool removes its temporary file once it sees the cancellation.
    await eventually(async () => (await filesIn(workspace)).length === 0, 'no file is left');
    // And the server is still there for the next call.
    const listing = await hub.callTool('list_files', {});
    expect(listing.content).toBe('The folder is empty.');
  });
});
