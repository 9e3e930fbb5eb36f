import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatedServerPerTest } from '../server/emulated-server.ts';
import { awaitingApproval, say, turnCompleted, writeCall } from '../server/flow-scripts.ts';
import type { WsTestClient } from '../server/ws-test-client.ts';

const kit = emulatedServerPerTest();

describe('an "always allow" one person grants', () => {
  it('approves that person’s later calls, and never a call in another person’s conversation', async () => {
    const { dirs } = await kit.start({
      TRUSTED_PROXIES: '127.0.0.1',
      TRUSTED_USER_HEADER: 'Remote-User',
    });
    const as = (name: string) => kit.client(undefined, { 'remote-user': name });
    const writes = (c: WsTestClient, id: string, toolUseId: string) =>
      c
        .entries(id)
        .filter((e) => e.event.type === 'tool.started' && e.event.toolUseId === toolUseId);
    kit.emulator.enqueue(
      writeCall('toolu_a1', 'alice-1.md', 'one'),
      say('Saved.'),
      writeCall('toolu_a2', 'alice-2.md', 'two'),
      say('Saved without asking.'),
      writeCall('toolu_b1', 'bob-1.md', 'bob'),
    );

    const alice = await as('alice');
    const a = await alice.createConversation();
    await alice.subscribe(a);
    alice.command(a, { type: 'user.message', text: 'Save alice-1.md' });
    await awaitingApproval(alice, a);
    alice.command(a, { type: 'tool.approve', toolUseId: 'toolu_a1', scope: 'always' });
    await turnCompleted(alice, a, 2);
    // The grant holds in Alice's conversation: her next write runs without a decision.
    alice.command(a, { type: 'user.message', text: 'Save alice-2.md' });
    await turnCompleted(alice, a, 4);
    expect(writes(alice, a, 'toolu_a2')).toHaveLength(1);
    expect(
      alice
        .entries(a)
        .some((e) => e.event.type === 'tool.approve' && e.event.toolUseId === 'toolu_a2'),
    ).toBe(false);

    const bob = await as('bob');
    const b = await bob.createConversation();
    await bob.subscribe(b);
    bob.command(b, { type: 'user.message', text: 'Save bob-1.md' });
    // Bob's call of the same tool waits for Bob.
    await awaitingApproval(bob, b);
    expect(writes(bob, b, 'toolu_b1')).toEqual([]);
    await expect(stat(join(dirs.workspaceDir, 'bob-1.md'))).rejects.toThrow();
    await expect(stat(join(dirs.workspaceDir, 'alice-2.md'))).resolves.toBeDefined();
  });
});
