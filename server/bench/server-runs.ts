// What the benchmarks that drive the real server over WebSocket share (server-forwarding and
// scale-out): starting and stopping a server process on the emulator, making conversations,
// connecting the lean clients in batches, the unmeasured warm-up, and the emulator's clock.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stampClock } from '../test/claude-emulator/stamp-deltas.ts';
import {
  BUILT_MAIN,
  type ServerProcess,
  serverDirs,
  startServerProcess,
} from '../test/server/server-process.ts';
import type { startEmulatorChild } from './emulator-child.ts';
import { connectLatencyClient, type LatencyClient } from './latency-client.ts';

export type EmulatorChild = Awaited<ReturnType<typeof startEmulatorChild>>;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Turns forwarded before each measured run, unmeasured (see warmUp). */
export const WARM_UP = { conversations: 50, deltas: 100, delayMs: 5 };

/** The machine may be shared: a load already there before the runs makes every figure worse. */
export const loadAverage = () =>
  readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The emulator's clock minus ours, from the IPC round trip with the shortest time. */
export async function clockOffset(emulator: EmulatorChild) {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 30; i++) {
    const sent = stampClock();
    const { now } = (await emulator.call({ type: 'clock' })) as { now: number };
    const back = stampClock();
    if (back - sent < best.rtt) best = { rtt: back - sent, offset: now - (sent + back) / 2 };
  }
  return best;
}

export async function connectAll(n: number, connect: () => Promise<LatencyClient>) {
  const clients: LatencyClient[] = [];
  for (let i = 0; i < n; i += 100) {
    clients.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, connect))));
  }
  return clients;
}

/** Whether every client's stream ended within `deadlineMs`. */
export function allFinished(clients: LatencyClient[], deadlineMs: number): Promise<boolean> {
  return Promise.race([
    Promise.all(clients.map((client) => client.finished)).then(() => true),
    sleep(deadlineMs).then(() => false),
  ]);
}

export interface Turns {
  clients: LatencyClient[];
  start: () => void;
}

/**
 * Before each measured run, the system forwards WARM_UP's turns (or `shape`'s), unmeasured: the
 * figures are of a process that has been up a while, not of its first seconds (code not yet
 * compiled by the JIT, first pages of the store), which a server pays once per start.
 * `prepare(count)` gives `count` conversations' clients, each conversation asking Claude once
 * when started.
 */
export async function warmUp(
  emulator: EmulatorChild,
  prepare: (count: number) => Promise<Turns>,
  deadlineMs: number,
  shape: typeof WARM_UP = WARM_UP,
) {
  const turns = await prepare(shape.conversations);
  try {
    await emulator.enqueueStamped(shape.conversations, shape.deltas, shape.delayMs);
    turns.start();
    const done = await allFinished(turns.clients, deadlineMs);
    // Also resets the statuses, so the measured run checks those of its own requests only.
    const { statuses } = await emulator.call({ type: 'stats' });
    const answered = (statuses as Record<string, number>)['200'];
    if (!done || answered !== shape.conversations) {
      throw new Error(
        `the warm-up did not finish: ${JSON.stringify(statuses)} from the emulator, ` +
          `${turns.clients.filter((client) => client.state.done).length} of ${turns.clients.length} clients done`,
      );
    }
  } finally {
    for (const client of turns.clients) client.close();
  }
}

export interface BenchServer {
  server: ServerProcess;
  /** The server's data and workspace folders, removed by stopBenchServer. */
  root: string;
}

/**
 * The real server on the emulator, with a fresh data folder, plus `env` (DATABASE_URL, …); with
 * `built`, the bundle `npm start` runs instead of the source through tsx (see builtServerProblem).
 * BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) are Node flags for it.
 */
export async function startBenchServer(
  emulatorUrl: string,
  env: Record<string, string> = {},
  { built = false }: { built?: boolean } = {},
): Promise<BenchServer> {
  const dirs = await serverDirs();
  const server = await startServerProcess(
    {
      ANTHROPIC_API_KEY: 'sk-ant-bench',
      ANTHROPIC_BASE_URL: emulatorUrl,
      DATA_DIR: dirs.dataDir,
      WORKSPACE_DIR: dirs.workspaceDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean),
    { built },
  );
  return { server, root: dirs.root };
}

/** SIGTERM (SIGKILL after 5 s), then its folders removed. */
export async function stopBenchServer({ server, root }: BenchServer) {
  const killer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await server.kill('SIGTERM');
  clearTimeout(killer);
  await rm(root, { recursive: true, force: true });
}

/**
 * Conversations are made by a few set-up connections (50 each, within the burst the gateway
 * allows), so that each creation's list broadcast reaches those few, not all measured clients.
 */
export async function createConversations(wsUrl: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let made = 0; made < n; made += 50) {
    const setup = await connectLatencyClient(wsUrl, {
      startMarker: '\u0000',
      doneMarker: '\u0000',
      onDelta: () => {},
    });
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - made) }, () => {
        const requestId = randomUUID();
        return setup.request({ type: 'create_conversation', requestId }, (frame) =>
          frame.type === 'conversation_created' && frame.requestId === requestId
            ? (frame.conversation as { id: string }).id
            : undefined,
        );
      }),
    );
    ids.push(...batch);
    setup.close();
  }
  return ids;
}

/** The newest .ts file under the folders, with its modification time (ms). */
function newestSource(folders: string[]): { path: string; mtimeMs: number } {
  let newest = { path: '', mtimeMs: 0 };
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') visit(path);
      } else if (entry.name.endsWith('.ts')) {
        const { mtimeMs } = statSync(path);
        if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
      }
    }
  };
  for (const folder of folders) visit(folder);
  return newest;
}

/**
 * Why the built server cannot stand for the source (no bundle, or a source file newer than it),
 * or null when it can: a benchmark of a stale bundle measures code that is no longer there.
 */
export function builtServerProblem(): string | null {
  let built: number;
  try {
    built = statSync(BUILT_MAIN).mtimeMs;
  } catch {
    return `${BUILT_MAIN} is missing: run \`npm run build -w server\``;
  }
  const newest = newestSource([
    new URL('../src', import.meta.url).pathname,
    new URL('../../machines/src', import.meta.url).pathname,
  ]);
  return newest.mtimeMs > built
    ? `${newest.path} is newer than ${BUILT_MAIN}: run \`npm run build -w server\``
    : null;
}
