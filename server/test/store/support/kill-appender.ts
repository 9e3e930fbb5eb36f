import type { ChildProcess } from 'node:child_process';

/**
 * Reads an appending child's stdout line by line (`appended <seq>`) and SIGKILLs it as soon as
 * `enough` accepts a seq. Resolves, once the child is gone, with the last seq it acknowledged
 * before the kill and how it ended; rejects if it exits on its own first.
 */
export async function killAppender(
  child: ChildProcess,
  enough: (seq: number) => boolean,
): Promise<{ acknowledged: number; ended: NodeJS.Signals | number | null }> {
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  let pending = '';
  let acknowledged = 0;
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      pending += data.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^appended (\d+)$/.exec(line);
        if (!match) continue;
        acknowledged = Number(match[1]);
        if (enough(acknowledged)) {
          child.kill('SIGKILL');
          resolve();
          return;
        }
      }
    });
    void exited.then((how) => reject(new Error(`the child exited (${how}) early:\n${stderr}`)));
  });
  return { acknowledged, ended: await exited };
}
