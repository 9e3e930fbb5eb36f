import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StartupError } from '../startup-error.ts';
import { readPolicyFile } from './policy-file.ts';

const dir = await mkdtemp(join(tmpdir(), 'tollgate-policy-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, text: string) {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('readPolicyFile', () => {
  it('reads the rules of a valid file', async () => {
    const path = await file('ok.json', '{"rules":[{"effect":"deny","tool":"delete_*"}]}');
    expect(await readPolicyFile(path)).toEqual([
      { index: 1, effect: 'deny', server: '*', tool: 'delete_*' },
    ]);
  });

  it('stops the start with a sentence naming the file and each problem', async () => {
    const missing = join(dir, 'missing.json');
    await expect(readPolicyFile(missing)).rejects.toThrow(
      new StartupError(`POLICY_FILE ${missing} cannot be read: it does not exist.`),
    );
    const broken = await file('broken.json', '{"rules": [');
    await expect(readPolicyFile(broken)).rejects.toThrow(/is not valid JSON/);
    const wrong = await file(
      'wrong.json',
      '{"rules":[{"effect":"maybe","tool":"x"},{"effect":"allow"}]}',
    );
    const error = await readPolicyFile(wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toBe(
      `POLICY_FILE ${wrong} has 2 problems:\n` +
        '    - at rules[0].effect: must be "allow", "deny" or "ask"\n' +
        '    - at rules[1]: names neither a "server" nor a "tool": write "*" to match every tool on purpose',
    );
  });
});
