import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Logger } from '../../src/logger.ts';
import type { McpServerConfig } from '../../src/mcp/mcp-config.ts';
import type { McpHub } from '../../src/mcp/mcp-hub.ts';
import type { ServerStatus } from '../../src/mcp/server-connection.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** `node <server-everything>/dist/index.js stdio`: its package's bin, run with this Node. */
export function everythingServer(name = 'everything'): McpServerConfig {
  const pkg = require.resolve('@modelcontextprotocol/server-everything/package.json');
  return {
    name,
    transport: 'stdio',
    command: process.execPath,
    args: [join(dirname(pkg), 'dist/index.js'), 'stdio'],
    env: {},
  };
}

export function fixtureServer(
  file: 'crashable-server.mjs' | 'scripted-server.mjs' | 'gated-server.mjs',
  name: string,
  args: string[] = [],
): McpServerConfig {
  return {
    name,
    transport: 'stdio',
    command: process.execPath,
    args: [join(here, 'fixtures', file), ...args],
    env: {},
  };
}

/** A logger whose lines are kept, to assert that a server's stderr reached it. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

/** Resolves with the first status of `server` that satisfies `test` (now or after a change). */
export function waitForStatus(
  hub: McpHub,
  server: string,
  test: (status: ServerStatus) => boolean,
  timeoutMs = 15_000,
): Promise<ServerStatus> {
  return new Promise((resolve, reject) => {
    const check = (status: ServerStatus | undefined) => {
      if (status?.server !== server || !test(status)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(status);
      return true;
    };
    const unsubscribe = hub.onStatusChange(check);
    const timer = setTimeout(() => {
      unsubscribe();
      const now = hub.status().find((s) => s.server === server);
      reject(new Error(`${server} never reached the awaited status; now ${JSON.stringify(now)}`));
    }, timeoutMs);
    check(hub.status().find((s) => s.server === server));
  });
}

/** Polls `condition` until it holds: for effects that have no event (a file disappearing). */
export async function eventually(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every file (not folder) below `dir`, temporary ones included. */
export async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
