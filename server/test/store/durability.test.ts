import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type TempStore, tempStore } from './support/temp-store.ts';

const CHILD = fileURLToPath(new URL('./support/append-until-killed.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs the appending child against `file`, reads its stdout line by line, and SIGKILLs it as soon
 * as `enough` accepts a line. Resolves with the last "appended N" it saw before the kill.
 */
async function appendThenKill(file: string, mode: string, enough: (seq: number) => boolean) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, 'c1', mode], {
    cwd: SERVER_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  let pending = '';
  let acknowledged = 0;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
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
  expect(await exited).toBe('SIGKILL');
  return acknowledged;
}

let t: TempStore | undefined;
afterEach(() => t?.dispose());

describe('durability against kill -9', () => {
  it('keeps every event appended before the process was killed', async () => {
    t = tempStore();
    t.store.close();
    const count = 2_000;
    await appendThenKill(t.file, String(count), (seq) => seq === count);
    const store = t.reopen();
    const entries = store.read('c1');
    expect(entries).toHaveLength(count);
    expect(entries.map((entry) => entry.seq)).toEqual(
      Array.from({ length: count }, (_, i) => i + 1),
    );
    expect(store.listConversations()[0]).toMatchObject({
      title: 'Stream me something',
      lastSeq: count,
    });
    expect(store.append('c1', entries.at(-1)!.event, 1).seq).toBe(count + 1);
  });

  it('killed mid-stream: keeps everything acknowledged, with no gap and no torn entry', async () => {
    t = tempStore();
    t.store.close();
    const acknowledged = await appendThenKill(t.file, 'forever', (seq) => seq >= 3_000);
    const store = t.reopen();
    // The child may have committed a few more after its last line reached us; never fewer.
    const entries = store.read('c1');
    expect(entries.length).toBeGreaterThanOrEqual(acknowledged);
    expect(entries.at(-1)?.seq).toBe(entries.length);
    expect(store.lastSeq('c1')).toBe(entries.length);
  });
});
