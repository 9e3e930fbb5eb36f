import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeFlags } from './start-node-flags.ts';

const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;
/** The bundle `npm start` runs (`npm run build -w server`). */
export const BUILT_MAIN = new URL('../../dist/main.js', import.meta.url).pathname;

export interface ServerProcess {
  url: string;
  wsUrl: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit signal or code. */
  exited: Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<string>;
}

/** Fresh folders for one server's data and workspace, kept across its restarts. */
export async function serverDirs() {
  const root = await mkdtemp(join(tmpdir(), 'tollgate-server-'));
  return { root, dataDir: join(root, 'data'), workspaceDir: join(root, 'workspace') };
}

/**
 * Starts the real server as a child process and resolves once it prints its URL: by default its
 * source (`src/main.ts`, the entry `npm start` builds) through tsx; with `built`, the bundle
 * `npm start` runs, with plain Node and the flags `npm start` gives it, as the benchmarks that
 * weigh the process's memory need (the tsx loader adds tens of MiB).
 */
export async function startServerProcess(
  env: Record<string, string>,
  /** Extra Node flags, e.g. `--cpu-prof` for a benchmark (NODE_OPTIONS does not allow it). */
  nodeArgs: string[] = [],
  { built = false }: { built?: boolean } = {},
): Promise<ServerProcess> {
  // Only what the test gives: the developer's own keys and settings must not leak in.
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    LOG_LEVEL: 'warn',
    TOLLGATE_ROOT: env.DATA_DIR ?? tmpdir(),
    ...env,
  };
  // The bundle runs with the flags `npm start` gives Node (package.json), as it would in use;
  // the caller's come after them, so a benchmark can override one (the last of a flag counts).
  const entry = built
    ? [...startNodeFlags(), ...nodeArgs, BUILT_MAIN]
    : [...nodeArgs, '--import', 'tsx', MAIN];
  const child = spawn(process.execPath, entry, {
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /Tollgate is running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', check);
    void exited.then((how) =>
      reject(new Error(`server exited (${how}) before starting:\n${output}`)),
    );
  });
  return {
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
    child,
    output: () => output,
    exited,
    kill(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}
