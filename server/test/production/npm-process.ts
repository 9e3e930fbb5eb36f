import { type ChildProcess, spawn } from 'node:child_process';

export interface NpmProcess {
  child: ChildProcess;
  output: () => string;
  /**
   * Resolves with npm's exit code, or the signal that ended it, once every process holding its
   * output (the server among them) has ended too.
   */
  exited: Promise<string>;
  /** Ends npm and everything it started (the server and its tool server). */
  stop(): Promise<string>;
}

/**
 * `npm run <script>` in `cwd` with only the environment given (and PATH and HOME, for npm and its
 * configuration), in its own process group so that stopping it stops the server too: npm does
 * not pass a SIGTERM on to its script.
 */
export function runNpm(cwd: string, script: string, env: Record<string, string>): NpmProcess {
  // Only what is given: the developer's own keys and settings must not leak in.
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...env,
  };
  const child = spawn('npm', ['run', '--silent', script], {
    cwd,
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<string>((resolve) =>
    child.on('close', (code, signal) => resolve(signal ?? String(code))),
  );
  return {
    child,
    output: () => output,
    exited,
    stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        process.kill(-child.pid, 'SIGTERM');
      }
      return exited;
    },
  };
}

/** The URL the server prints once it listens; rejects with its output if it exits first. */
export function serverUrl(npm: NpmProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /Tollgate is running at (http:\/\/\S+)/.exec(npm.output());
      if (match?.[1]) resolve(match[1]);
    };
    npm.child.stdout?.on('data', check);
    void npm.exited.then((how) =>
      reject(new Error(`npm exited (${how}) before the server started:\n${npm.output()}`)),
    );
  });
}
