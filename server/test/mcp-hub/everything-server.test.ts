import { TOOL_NAME_PATTERN } from '@tollgate/machines';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolProgress } from '../../src/mcp/chunk-ledger.ts';
import { createMcpHub, type McpHub } from '../../src/mcp/mcp-hub.ts';
import { silentLogger } from '../silent-logger.ts';
import { capturingLogger, everythingServer } from './hub-test-kit.ts';

let hub: McpHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

describe('the hub against @modelcontextprotocol/server-everything', () => {
  it('lists its tools under prefixed, valid Claude names with their annotations', async () => {
    const { logger, lines } = capturingLogger();
    hub = createMcpHub({ servers: [everythingServer()], logger });
    await hub.start();

    expect(hub.status()).toEqual([
      expect.objectContaining({ server: 'everything', state: 'ready', failures: 0 }),
    ]);
    const tools = hub.tools();
    expect(tools.map((t) => t.claudeName)).toEqual(
      expect.arrayContaining([
        'everything__echo',
        'everything__get-sum',
        'everything__trigger-long-running-operation',
      ]),
    );
    for (const tool of tools) expect(tool.claudeName).toMatch(TOOL_NAME_PATTERN);
    expect(hub.tool('everything__get-sum')).toMatchObject({
      server: 'everything',
      mcpName: 'get-sum',
      title: 'Get Sum Tool',
      annotations: { readOnlyHint: true, destructiveHint: false },
      available: true,
      builtIn: false,
    });

    const claudeSum = hub.claudeTools().find((t) => t.name === 'everything__get-sum');
    expect(claudeSum).toMatchObject({
      input_schema: { type: 'object', required: ['a', 'b'] },
    });
    expect(claudeSum?.description).toContain('"everything"');
    expect(claudeSum).not.toHaveProperty('eager_input_streaming');

    // Its stderr went to our logger, tagged with the server's name.
    expect(lines).toContainEqual(
      expect.objectContaining({ mcpServer: 'everything', stream: 'stderr' }),
    );
  });

  it('calls a simple tool', async () => {
    hub = createMcpHub({ servers: [everythingServer()], logger: silentLogger() });
    await hub.start();
    const result = await hub.callTool('everything__get-sum', { a: 2, b: 40 });
    expect(result).toEqual({
      content: 'The sum of 2 and 40 is 42.',
      isError: false,
      server: 'everything',
    });
  });

  it("streams a foreign tool's progress as it happens", async () => {
    hub = createMcpHub({ servers: [everythingServer()], logger: silentLogger() });
    await hub.start();
    const progress: ToolProgress[] = [];
    const chunks: unknown[] = [];
    const result = await hub.callTool(
      'everything__trigger-long-running-operation',
      { duration: 0.4, steps: 4 },
      { onProgress: (p) => progress.push(p), onChunk: (c) => chunks.push(c) },
    );
    expect(result.content).toContain('Long running operation completed');
    expect(progress).toEqual([1, 2, 3, 4].map((n) => ({ progress: n, total: 4 })));
    expect(chunks).toEqual([]);
  });

  it('times out a call that goes quiet, while progress keeps a slow call alive', async () => {
    hub = createMcpHub({
      servers: [everythingServer()],
      logger: silentLogger(),
      callTimeoutMs: 600,
    });
    await hub.start();
    // Ten steps of 100 ms: each progress notification restarts the 600 ms timeout.
    const slow = await hub.callTool('everything__trigger-long-running-operation', {
      duration: 1,
      steps: 10,
    });
    expect(slow.isError).toBe(false);
    // One step of 1.5 s: nothing for longer than the timeout.
    await expect(
      hub.callTool('everything__trigger-long-running-operation', { duration: 1.5, steps: 1 }),
    ).rejects.toMatchObject({
      kind: 'timeout',
      message:
        'everything__trigger-long-running-operation on the everything server timed out: no answer or progress for 600 ms.',
    });
    expect(hub.status()[0]?.state).toBe('ready');
  });

  it('says why a call cannot run: an unknown tool, an arguments error from the server', async () => {
    hub = createMcpHub({ servers: [everythingServer()], logger: silentLogger() });
    await hub.start();
    await expect(hub.callTool('nope', {})).rejects.toMatchObject({
      name: 'ToolCallError',
      kind: 'unknown_tool',
      message: 'No MCP server offers a tool named nope.',
    });
    // The SDK's McpServer reports invalid arguments as a tool error the model can read.
    const bad = await hub.callTool('everything__get-sum', { a: 'two' });
    expect(bad.isError).toBe(true);
    expect(bad.content).toMatch(/invalid/i);
  });
});
