import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolChunk, ToolProgress } from '../../src/mcp/chunk-ledger.ts';
import { createMcpHub, type McpHub } from '../../src/mcp/mcp-hub.ts';
import { silentLogger } from '../silent-logger.ts';
import { fixtureServer } from './hub-test-kit.ts';

// The scripted server writes N chunk notifications and the result in one write, so they arrive
// in one read: the case where the SDK's own `onprogress` loses notifications (typescript-sdk
// #2580: Protocol handles the response synchronously, deletes the progress handler, and only then
// runs the notification handlers it queued as microtasks).

const CHUNKS = 20;
const ROUNDS = 30;
const scripted = () => fixtureServer('scripted-server.mjs', 'scripted');
const chunkText = (i: number) => `chunk ${i} é✓\n`;

let hub: McpHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

async function startHub(): Promise<McpHub> {
  hub = createMcpHub({ servers: [scripted()], logger: silentLogger() });
  await hub.start();
  return hub;
}

describe('reading progress from the transport', () => {
  it("the SDK's plain onprogress drops notifications that share a read with the result", async () => {
    const config = scripted();
    if (config.transport !== 'stdio') throw new Error('fixture is stdio');
    const client = new Client({ name: 'sdk-only', version: '0' });
    const errors: string[] = [];
    client.onerror = (error) => errors.push(error.message);
    await client.connect(new StdioClientTransport({ command: config.command, args: config.args }));
    try {
      let delivered = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        await client.callTool({ name: 'burst', arguments: { chunks: CHUNKS } }, undefined, {
          onprogress: () => {
            delivered += 1;
          },
        });
      }
      expect(delivered).toBeLessThan(CHUNKS * ROUNDS);
      expect(errors.filter((m) => m.includes('unknown token')).length).toBe(
        CHUNKS * ROUNDS - delivered,
      );
    } finally {
      await client.close();
    }
  });

  it('the hub delivers every chunk, in order, before the result, and proves the bytes', async () => {
    const h = await startHub();
    const expectedText = Array.from({ length: CHUNKS }, (_, i) => chunkText(i)).join('');
    for (let round = 0; round < ROUNDS; round += 1) {
      const chunks: ToolChunk[] = [];
      const result = await h.callTool(
        'scripted__burst',
        { chunks: CHUNKS },
        { onChunk: (c) => chunks.push(c) },
      );
      expect(chunks.map((c) => c.index)).toEqual([...Array(CHUNKS).keys()]);
      expect(chunks.map((c) => c.text).join('')).toBe(expectedText);
      const total = Buffer.byteLength(expectedText);
      expect(chunks.at(-1)).toMatchObject({ bytes: total, total, message: `chunk 20 of 20` });
      expect(result).toEqual({
        content: 'wrote 20 chunks',
        isError: false,
        server: 'scripted',
        file: {
          path: 'burst.txt',
          bytes: total,
          sha256: createHash('sha256').update(expectedText).digest('hex'),
        },
      });
    }
  });

  it('keeps the chunks of concurrent calls apart', async () => {
    const h = await startHub();
    const sizes = [3, 7, 1, 12, 5];
    const runs = await Promise.all(
      sizes.map(async (chunks) => {
        const seen: ToolChunk[] = [];
        const result = await h.callTool(
          'scripted__burst',
          { chunks },
          { onChunk: (c) => seen.push(c) },
        );
        return { seen, result };
      }),
    );
    runs.forEach(({ seen, result }, i) => {
      expect(seen.map((c) => c.text)).toEqual(
        Array.from({ length: sizes[i]! }, (_, n) => chunkText(n)),
      );
      expect(result.file?.bytes).toBe(seen.at(-1)?.bytes);
    });
  });

  it.each([
    ['sha', /sha256 of the chunks is [0-9a-f]{64}, the tool wrote [0-9a-f]{64}/, 20],
    ['skip', /expected chunk 1, received chunk 2/, 1],
    ['bytes', /chunk 1 says \d+ bytes written, its text makes \d+/, 1],
    ['malformed', /chunk 1 has malformed chunk metadata/, 1],
  ])('a receipt the chunks do not match (%s) fails the call', async (corrupt, why, delivered) => {
    const h = await startHub();
    const chunks: ToolChunk[] = [];
    const failure = h.callTool(
      'scripted__burst',
      { chunks: 5 + 15 * Number(corrupt === 'sha'), corrupt },
      { onChunk: (c) => chunks.push(c) },
    );
    await expect(failure).rejects.toMatchObject({
      name: 'ToolCallError',
      kind: 'chunks_lost',
      message: expect.stringMatching(why),
    });
    await expect(failure).rejects.toThrow(/chunks were lost or corrupted/);
    // Nothing after the first bad chunk is passed on: a gap is reported, never folded in.
    expect(chunks.map((c) => c.index)).toEqual([...Array(delivered).keys()]);
  });

  it('foreign progress, malformed notifications and a non-JSON line never break a call', async () => {
    const h = await startHub();
    const chunks: ToolChunk[] = [];
    const progress: ToolProgress[] = [];
    const result = await h.callTool(
      'scripted__burst',
      { chunks: 4, noise: true },
      { onChunk: (c) => chunks.push(c), onProgress: (p) => progress.push(p) },
    );
    expect(result.file?.bytes).toBe(Buffer.byteLength([0, 1, 2, 3].map(chunkText).join('')));
    expect(chunks).toHaveLength(4);
    expect(progress).toEqual(
      [0, 1, 2, 3].map((i) => ({ progress: i, message: 'foreign progress' })),
    );
    expect(h.status()[0]?.state).toBe('ready');
  });

  it('a result that is not valid MCP fails the call and leaves the server usable', async () => {
    const h = await startHub();
    await expect(h.callTool('scripted__malformed_result', {})).rejects.toMatchObject({
      kind: 'invalid_reply',
      message: 'The scripted server sent a malformed result for scripted__malformed_result.',
    });
    expect(h.status()[0]?.state).toBe('ready');
    expect((await h.callTool('scripted__burst', { chunks: 1 })).content).toBe('wrote 1 chunks');
  });
});
