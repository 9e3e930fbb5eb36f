import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readMcpConfig } from '../../src/mcp/mcp-config.ts';
import { createMcpHub, type McpHub } from '../../src/mcp/mcp-hub.ts';
import type { ServerStatus } from '../../src/mcp/server-connection.ts';
import { silentLogger } from '../silent-logger.ts';
import { capturingLogger, fixtureServer, waitForStatus } from './hub-test-kit.ts';

let hub: McpHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const crashable = () => fixtureServer('crashable-server.mjs', 'crashable');

describe('a server that cannot start or stops', () => {
  it('a missing command: start() resolves, the server has failed with a clear error, the others work', async () => {
    const path = join(tmpdir(), `tollgate-mcp-${process.pid}-${Date.now()}.json`);
    const fixture = crashable();
    if (fixture.transport !== 'stdio') throw new Error('fixture is stdio');
    await writeFile(
      path,
      JSON.stringify({
        mcpServers: {
          ghost: { command: 'tollgate-no-such-command', args: ['--stdio'] },
          crashable: { command: fixture.command, args: fixture.args },
        },
      }),
    );
    hub = createMcpHub({
      servers: await readMcpConfig(path),
      logger: silentLogger(),
      backoff: { initialMs: 60_000 },
    });
    await hub.start();

    const [ghost, working] = hub.status();
    expect(ghost).toMatchObject({ server: 'ghost', state: 'failed', tools: 0, failures: 1 });
    expect(ghost?.error).toBe(
      'Cannot start the ghost server: the command "tollgate-no-such-command" was not found. Check mcpServers.ghost.command in the MCP config and PATH.',
    );
    expect(ghost?.retryAt).toBeGreaterThan(Date.now());
    expect(working).toMatchObject({ server: 'crashable', state: 'ready', tools: 2 });
    expect(hub.claudeTools().map((t) => t.name)).toEqual(['crashable__ping', 'crashable__crash']);
    expect((await hub.callTool('crashable__ping', {})).content).toMatch(/^pong from \d+$/);
  });

  it('a crash: the server is marked failed, its tools withdrawn, then restarted with backoff', async () => {
    hub = createMcpHub({
      servers: [crashable()],
      logger: silentLogger(),
      backoff: { initialMs: 50, maxMs: 1_000 },
    });
    await hub.start();
    const firstPid = (await hub.callTool('crashable__ping', {})).content;

    const seen: ServerStatus[] = [];
    hub.onStatusChange((status) => seen.push(status));
    const down = waitForStatus(hub, 'crashable', (s) => s.state === 'failed');
    await expect(hub.callTool('crashable__crash', {})).rejects.toMatchObject({
      kind: 'connection_closed',
      message:
        'The crashable server closed the connection while crashable__crash was running (it may have crashed).',
    });
    const status = await down;
    expect(status.error).toBe(
      'The crashable server stopped unexpectedly; restarting it. Its last output: "crashable: exiting on purpose"',
    );
    expect(status.stderr).toEqual([
      expect.stringMatching(/^crashable: ready \(pid \d+\)$/),
      'crashable: exiting on purpose',
    ]);
    // While it is down Claude is not offered its tools, and a call says why.
    expect(hub.claudeTools()).toEqual([]);
    expect(hub.tool('crashable__ping')).toMatchObject({ available: false });
    await expect(hub.callTool('crashable__ping', {})).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringContaining('The crashable server is unavailable'),
    });

    await waitForStatus(hub, 'crashable', (s) => s.state === 'ready');
    expect(seen.map((s) => s.state)).toEqual(['failed', 'restarting', 'ready']);
    expect(hub.claudeTools().map((t) => t.name)).toEqual(['crashable__ping', 'crashable__crash']);
    const secondPid = (await hub.callTool('crashable__ping', {})).content;
    expect(secondPid).not.toBe(firstPid);
  });

  it('a server that keeps failing to start is retried with a doubling wait', async () => {
    const { logger, lines } = capturingLogger();
    hub = createMcpHub({
      servers: [
        {
          name: 'dies',
          transport: 'stdio',
          command: process.execPath,
          args: ['-e', 'console.error("dies: no config, giving up"); process.exit(2)'],
          env: {},
        },
      ],
      logger,
      backoff: { initialMs: 40, maxMs: 10_000 },
    });
    const retries: (ServerStatus & { wait: number })[] = [];
    hub.onStatusChange((s) => {
      if (s.state === 'failed') retries.push({ ...s, wait: (s.retryAt ?? 0) - Date.now() });
    });
    await hub.start();
    await waitForStatus(hub, 'dies', (s) => s.state === 'failed' && s.failures === 3);
    expect(retries.map((s) => s.failures)).toEqual([1, 2, 3]);
    expect(retries[0]?.error).toBe(
      'The dies server stopped before it finished starting. Its last output: "dies: no config, giving up"',
    );
    // The wait before each retry doubles: 40, 80, 160 ms, as scheduled (and logged), and each
    // status announces a retry no later than that. (How much earlier depends on how busy the
    // machine is when the status is read, so that is not asserted.)
    const scheduled = lines.filter((line) => typeof line.retryInMs === 'number');
    expect(scheduled.map((line) => line.retryInMs)).toEqual([40, 80, 160]);
    retries.forEach(({ wait }, i) => {
      expect(wait).toBeLessThanOrEqual(40 * 2 ** i);
    });
  });

  it('close() stops retrying and leaves every server failed', async () => {
    hub = createMcpHub({
      servers: [
        {
          name: 'ghost',
          transport: 'stdio',
          command: 'tollgate-no-such-command',
          args: [],
          env: {},
        },
      ],
      logger: silentLogger(),
      backoff: { initialMs: 20 },
    });
    await hub.start();
    await hub.close();
    const after = hub.status();
    expect(after).toEqual([
      expect.objectContaining({ state: 'failed', error: 'The MCP hub was closed.' }),
    ]);
    expect(after[0]).not.toHaveProperty('retryAt');
  });
});
