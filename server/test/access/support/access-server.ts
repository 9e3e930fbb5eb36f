import { afterAll, beforeAll } from 'vitest';
import { type ServerProcess, serverDirs, startServerProcess } from '../../server/server-process.ts';

export interface AccessServer {
  process: ServerProcess;
  /** The server's address on 127.0.0.1, whatever HOST it listens on. */
  url: string;
  wsUrl: string;
}

/** A real server process (src/main.ts) in fresh folders, reached on 127.0.0.1. */
export async function startAccessServer(env: Record<string, string>): Promise<AccessServer> {
  const dirs = await serverDirs();
  const process = await startServerProcess({
    DATA_DIR: dirs.dataDir,
    WORKSPACE_DIR: dirs.workspaceDir,
    ...env,
  });
  const url = process.url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//127.0.0.1:');
  return { process, url, wsUrl: `${url.replace(/^http/, 'ws')}/ws` };
}

/** One server for the whole suite (a start loads the built page, which takes seconds). */
export function serverPerSuite(env: Record<string, string>) {
  let server: AccessServer | undefined;
  beforeAll(async () => {
    server = await startAccessServer(env);
  });
  afterAll(async () => {
    await server?.process.kill('SIGKILL');
  });
  return () => {
    if (!server) throw new Error('the suite’s server has not started');
    return server;
  };
}

/** Resolves once the process has printed text matching `pattern`; a timeout fails the test. */
export function outputMatching(server: ServerProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} in the output:\n${server.output()}`)),
      10_000,
    );
    const check = () => {
      if (!pattern.test(server.output())) return;
      clearTimeout(timer);
      server.child.stdout?.off('data', check);
      server.child.stderr?.off('data', check);
      resolve(server.output());
    };
    server.child.stdout?.on('data', check);
    server.child.stderr?.on('data', check);
    check();
  });
}
