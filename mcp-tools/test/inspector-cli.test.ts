import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { STDIO_ENTRY } from './tool-client.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const INSPECTOR = join(
  require.resolve('@modelcontextprotocol/inspector/package.json'),
  '../clients/launcher/build/index.js',
);

/** The official MCP Inspector's CLI, as any MCP host would drive the server over stdio. */
async function inspector(workspace: string, ...args: string[]) {
  const { stdout } = await run(
    process.execPath,
    [
      INSPECTOR,
      '--cli',
      '-e',
      `WORKSPACE_DIR=${workspace}`,
      process.execPath,
      STDIO_ENTRY,
      ...args,
    ],
    { timeout: 60_000 },
  );
  return JSON.parse(stdout);
}

describe('the MCP Inspector CLI', () => {
  it('lists the tools and calls write_file and read_file over stdio', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'tollgate-inspector-'));
    const listed = await inspector(workspace, '--method', 'tools/list');
    expect(listed.tools.map((tool: { name: string }) => tool.name).sort()).toEqual([
      'list_files',
      'read_file',
      'write_file',
    ]);
    const written = await inspector(
      workspace,
      '--method',
      'tools/call',
      '--tool-name',
      'write_file',
      '--tool-arg',
      'path=notes/hello.md',
      '--tool-arg',
      'content=Hi from the inspector',
    );
    expect(written.structuredContent).toMatchObject({
      path: 'notes/hello.md',
      bytes: 21,
      chunks: 1,
    });
    expect(await readFile(join(workspace, 'notes/hello.md'), 'utf8')).toBe('Hi from the inspector');
    const read = await inspector(
      workspace,
      '--method',
      'tools/call',
      '--tool-name',
      'read_file',
      '--tool-arg',
      'path=notes/hello.md',
    );
    expect(read.content[0].text).toBe('Hi from the inspector');
  }, 120_000);
});
