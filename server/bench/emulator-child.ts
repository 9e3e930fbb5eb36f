// Starts emulator-process.ts and talks to it over IPC, for the benchmarks.
import { fork } from 'node:child_process';
import type { ScriptedResponse } from '../test/claude-emulator/claude-emulator.ts';
import { stampedScript } from './stamped-scripts.ts';

export async function startEmulatorChild() {
  const child = fork(new URL('./emulator-process.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (reply: Record<string, unknown>) => void>();
  let nextCall = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: Record<string, unknown>) => {
      if (typeof message.ready === 'string') resolve(message.ready);
      const id = message.id as number;
      pending.get(id)?.(message);
      pending.delete(id);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
  });

  function call(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = nextCall++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      child.send({ ...message, id });
    });
  }

  return {
    url,
    pid: child.pid!,
    call,
    /** Queues `n` answers of `deltas` stamped text deltas, `delayMs` apart, one per request. */
    enqueueStamped: (n: number, deltas: number, delayMs: number) =>
      call({
        type: 'enqueue',
        scripts: Array.from(
          { length: n },
          (_, i): ScriptedResponse => stampedScript(deltas, delayMs, i + 1),
        ),
      }),
    /** The emulator exits once it has closed its server. */
    close: () => child.disconnect(),
  };
}
