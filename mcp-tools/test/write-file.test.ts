import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startToolClient, textOf } from './tool-client.ts';

type ToolClient = Awaited<ReturnType<typeof startToolClient>>;
let tools: ToolClient;
afterEach(async () => tools?.close());

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

async function writeAndCheck(content: string, chunkBytes: number) {
  tools = await startToolClient({ WRITE_CHUNK_BYTES: String(chunkBytes) });
  const result = await tools.call('write_file', { path: 'notes/a.md', content });
  expect(result.isError).toBeFalsy();
  const onDisk = await readFile(join(tools.workspace, 'notes/a.md'));
  const streamed = Buffer.from(tools.chunks.map((chunk) => chunk.text).join(''));
  expect(streamed.equals(onDisk)).toBe(true);
  expect(onDisk.toString('utf8')).toBe(content);
  expect(tools.chunks.map((chunk) => chunk.index)).toEqual(tools.chunks.map((_, i) => i));
  const progress = tools.chunks.map((chunk) => chunk.progress);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  expect(new Set(progress).size).toBe(progress.length);
  for (const chunk of tools.chunks) {
    expect(Buffer.byteLength(chunk.text)).toBeLessThanOrEqual(chunkBytes);
    expect(chunk.total).toBe(onDisk.length);
  }
  expect(result.structuredContent).toEqual({
    path: 'notes/a.md',
    bytes: onDisk.length,
    sha256: sha256(onDisk),
    chunks: tools.chunks.length,
  });
  return result;
}

describe('write_file over stdio', () => {
  it('streams ASCII chunk by chunk, in order, equal to the file on disk', async () => {
    const result = await writeAndCheck('# Notes\n\n- one\n- two\n- three\n'.repeat(20), 64);
    expect(tools.chunks.length).toBeGreaterThan(5);
    expect(tools.chunks[6]?.message).toMatch(/^Writing notes\/a\.md: chunk 7, \d+ of \d+ bytes$/);
    expect(textOf(result)).toMatch(
      /^Wrote notes\/a\.md: \d+ bytes in \d+ chunks \(sha256 [0-9a-f]{64}\)\.$/,
    );
  });

  it('never splits a multi-byte character, whatever the chunk boundary', async () => {
    const content = 'açaí 🍍 日本語のテキスト 👩🏽‍💻 Ünïcödé\n'.repeat(30);
    await writeAndCheck(content, 17);
    for (const chunk of tools.chunks)
      expect(Buffer.from(chunk.text).toString('utf8')).toBe(chunk.text);
  });

  it('writes an empty file with no chunks', async () => {
    await writeAndCheck('', 4096);
    expect(tools.chunks).toEqual([]);
  });

  it('writes a 1 MB file in 4 KB chunks', async () => {
    const line = 'The quick brown fox jumps over the lazy dog. 0123456789\n';
    const content = line.repeat(Math.ceil((1024 * 1024) / line.length)).slice(0, 1024 * 1024);
    await writeAndCheck(content, 4096);
    expect(tools.chunks.length).toBe(256);
  });

  it('refuses to replace a file unless asked, and replaces it when asked', async () => {
    tools = await startToolClient();
    await tools.call('write_file', { path: 'a.md', content: 'first' });
    const refused = await tools.call('write_file', { path: 'a.md', content: 'second' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/already exists; call again with overwrite: true/);
    expect(await readFile(join(tools.workspace, 'a.md'), 'utf8')).toBe('first');
    await tools.call('write_file', { path: 'a.md', content: 'second', overwrite: true });
    expect(await readFile(join(tools.workspace, 'a.md'), 'utf8')).toBe('second');
  });

  it('cancelled mid-write leaves no file and no temporary file behind', async () => {
    tools = await startToolClient({ WRITE_CHUNK_BYTES: '16', WRITE_CHUNK_DELAY_MS: '20' });
    const dir = join(tools.workspace, 'drafts');
    const controller = new AbortController();
    const firstChunk = new Promise<void>((resolve) => {
      const push = tools.chunks.push.bind(tools.chunks);
      tools.chunks.push = (...items) => {
        const n = push(...items);
        resolve();
        return n;
      };
    });
    const call = tools.call(
      'write_file',
      { path: 'drafts/long.md', content: 'x'.repeat(4000) },
      {
        signal: controller.signal,
      },
    );
    await firstChunk;
    // The temporary file exists while the write runs.
    expect((await readdir(dir)).some((name) => name.endsWith('.tollgate-partial'))).toBe(true);
    const emptied = new Promise<void>((resolve) => {
      const watcher = watch(dir, async () => {
        if ((await readdir(dir)).length === 0) {
          watcher.close();
          resolve();
        }
      });
    });
    controller.abort('the person pressed Stop');
    await expect(call).rejects.toThrow();
    await emptied;
    expect(await readdir(dir)).toEqual([]);
    expect(tools.chunks.length).toBeLessThan(250);
  });
});

describe('read_file and list_files', () => {
  it('read back what was written and list the workspace', async () => {
    tools = await startToolClient();
    await tools.call('write_file', { path: 'notes/a.md', content: 'Hello' });
    await tools.call('write_file', { path: 'b.txt', content: 'Bee' });
    expect(textOf(await tools.call('read_file', { path: 'notes/a.md' }))).toBe('Hello');
    expect(textOf(await tools.call('list_files', {}))).toBe(
      'b.txt (3 bytes)\nnotes/\nnotes/a.md (5 bytes)',
    );
    expect(textOf(await tools.call('list_files', { path: 'notes' }))).toBe('notes/a.md (5 bytes)');
  });

  it('announce truthful annotations and the output schema', async () => {
    tools = await startToolClient();
    const { tools: listed } = await tools.client.listTools();
    const byName = Object.fromEntries(listed.map((tool) => [tool.name, tool]));
    expect(byName.write_file?.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: false,
    });
    expect(byName.write_file?.outputSchema?.required).toEqual([
      'path',
      'bytes',
      'sha256',
      'chunks',
    ]);
    expect(byName.read_file?.annotations).toMatchObject({
      readOnlyHint: true,
      openWorldHint: false,
    });
    expect(byName.list_files?.annotations).toMatchObject({
      readOnlyHint: true,
      openWorldHint: false,
    });
    expect(Object.keys(byName).sort()).toEqual(['list_files', 'read_file', 'write_file']);
  });
});
