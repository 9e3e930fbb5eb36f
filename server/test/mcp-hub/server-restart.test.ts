import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMcpHub, type McpHub } from '../../src/mcp/mcp-hub.ts';
import type { ServerStatus } from '../../src/mcp/server-connection.ts';
import { silentLogger } from '../silent-logger.ts';
import { fixtureServer, waitForStatus } from './hub-test-kit.ts';

// A person restarts a server from the page (docs/mcp.md, "The MCP servers panel"): the hub tries
// it again at once, whatever the backoff says, and its status says what happened, with the tail
// of what it wrote to stderr when it failed.

let hub: McpHub | undefined;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-restart-'));
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A server that cannot start until `gate` exists, after writing `noise` lines to stderr. */
function gatedHub(gate: string, noise = 0): McpHub {
  hub = createMcpHub({
    servers: [fixtureServer('gated-server.mjs', 'gated', [gate, String(noise)])],
    logger: silentLogger(),
    // No try by itself during a test: each one here is asked for.
    backoff: { initialMs: 60_000, maxMs: 120_000 },
  });
  return hub;
}

describe('restarting an MCP server', () => {
  it('a failed server carries its error and the tail of its stderr, at most 20 lines', async () => {
    const gate = join(dir, 'gate');
    const hub = gatedHub(gate, 30);
    await hub.start();
    const [failed] = hub.status();
    expect(failed).toMatchObject({
      server: 'gated',
      state: 'failed',
      error: `The gated server stopped before it finished starting. Its last output: "gated: cannot start: ${gate} is missing"`,
      failures: 1,
    });
    expect(failed?.stderr).toEqual([
      ...Array.from({ length: 19 }, (_, i) => `gated: log line ${i + 12}`),
      `gated: cannot start: ${gate} is missing`,
    ]);
    expect(failed?.retryAt).toBeGreaterThan(Date.now() + 30_000);
  });

  it('tries a failed server again at once, keeps its error while it restarts, and forgets it once ready', async () => {
    const gate = join(dir, 'gate');
    const hub = gatedHub(gate);
    await hub.start();
    expect(hub.status()[0]?.state).toBe('failed');
    expect(hub.claudeTools()).toEqual([]);

    await writeFile(gate, 'open');
    const seen: ServerStatus[] = [];
    hub.onStatusChange((status) => seen.push(status));
    expect(hub.restart('gated')).toBe(true);
    const ready = await waitForStatus(hub, 'gated', (s) => s.state === 'ready');

    expect(seen.map((s) => s.state)).toEqual(['restarting', 'ready']);
    // While it restarts, the page still shows why it failed, and no next try is scheduled.
    expect(seen[0]).toMatchObject({
      error: expect.stringContaining('stopped before it finished starting'),
      stderr: [`gated: cannot start: ${gate} is missing`],
    });
    expect(seen[0]).not.toHaveProperty('retryAt');
    expect(ready).toMatchObject({ state: 'ready', tools: 2, stderr: [], failures: 0 });
    expect(ready).not.toHaveProperty('error');
    expect(hub.claudeTools().map((t) => t.name)).toEqual(['gated__ping', 'gated__crash']);
    expect((await hub.callTool('gated__ping', {})).content).toMatch(/^pong from \d+$/);
  });

  it('a restart that fails again starts the backoff afresh', async () => {
    const gate = join(dir, 'gate');
    const hub = gatedHub(gate);
    await hub.start();
    expect(hub.restart('gated')).toBe(true);
    const again = await waitForStatus(hub, 'gated', (s) => s.state === 'failed');
    expect(again.failures).toBe(1);
    expect(again.stderr).toEqual([`gated: cannot start: ${gate} is missing`]);
  });

  it('restarts a ready server as a new process, and a restart asked twice is one try', async () => {
    await writeFile(join(dir, 'gate'), 'open');
    const hub = gatedHub(join(dir, 'gate'));
    await hub.start();
    const firstPid = (await hub.callTool('gated__ping', {})).content;

    const seen: string[] = [];
    hub.onStatusChange((status) => seen.push(status.state));
    expect(hub.restart('gated')).toBe(true);
    expect(hub.restart('gated')).toBe(true);
    await waitForStatus(hub, 'gated', (s) => s.state === 'ready');
    expect(seen).toEqual(['restarting', 'ready']);
    const secondPid = (await hub.callTool('gated__ping', {})).content;
    expect(secondPid).not.toBe(firstPid);
  });

  it('knows no server by another name', async () => {
    const hub = gatedHub(join(dir, 'gate'));
    await hub.start();
    expect(hub.restart('ghost')).toBe(false);
  });

  it('does nothing once the hub is closed', async () => {
    const hub = gatedHub(join(dir, 'gate'));
    await hub.start();
    await hub.close();
    hub.restart('gated');
    expect(hub.status()[0]).toMatchObject({ state: 'failed', error: 'The MCP hub was closed.' });
  });
});
