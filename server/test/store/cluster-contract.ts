import type { CommandInput } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { started, userMessage } from '../../../machines/src/test-support/event-builders.ts';
import type { Cluster, RelayedOutcome } from '../../src/store/cluster.ts';
import { type ClusterImplementation, clusterPerTest } from './support/cluster-implementation.ts';

/** A command as a tab sends it. */
const message = (commandId: string, text = commandId): CommandInput => ({
  type: 'user.message',
  commandId,
  text,
});

/** Resolves with the arguments of the next call of a listener added with `subscribe`. */
function next<T extends unknown[]>(
  subscribe: (listener: (...args: T) => void) => () => void,
): Promise<T> {
  return new Promise((resolve) => {
    const off = subscribe((...args) => {
      off();
      resolve(args);
    });
  });
}

/** What `cluster` is told of other instances' appends, and a wait for the first `count`. */
function heard(cluster: Cluster) {
  const announced: [string, number][] = [];
  const waiting = new Set<{ count: number; resolve: () => void }>();
  cluster.onLogChanged((conversationId, lastSeq) => {
    announced.push([conversationId, lastSeq]);
    for (const waiter of waiting) {
      if (announced.length >= waiter.count) {
        waiting.delete(waiter);
        waiter.resolve();
      }
    }
  });
  return {
    announced,
    until(count: number): Promise<void> {
      if (announced.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiting.add({ count, resolve }));
    },
  };
}

/** How a promise settled, without failing when it rejects. */
const settled = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ status: 'fulfilled' as const, value }),
    (reason: unknown) => ({ status: 'rejected' as const, reason }),
  );

/**
 * The contract every `Cluster` passes (store/cluster.ts): the PostgreSQL one and the in-memory
 * double the registry's tests use in its place. Each test runs several instances on one fresh
 * store holding the conversation `c1`.
 */
export function clusterContract(implementation: ClusterImplementation) {
  const cluster = clusterPerTest(implementation);
  const instance = async (id: string) => (await cluster.subject.instance(id)).cluster;

  describe('claims', () => {
    it('are exclusive between instances, held again by their holder, and named by ownerOf', async () => {
      const a = await instance('a');
      const b = await instance('b');
      expect(a.instanceId).not.toBe(b.instanceId);
      expect(await b.ownerOf('c1')).toBeNull();

      expect(await a.claim('c1')).toBe(true);
      expect(await a.claim('c1')).toBe(true);
      expect(await b.claim('c1')).toBe(false);
      expect(await a.ownerOf('c1')).toBe(a.instanceId);
      expect(await b.ownerOf('c1')).toBe(a.instanceId);
      // Another conversation is claimed on its own.
      expect(await b.claim('c2')).toBe(true);
      expect(await a.claim('c2')).toBe(false);
      expect(await a.ownerOf('c2')).toBe(b.instanceId);
    });

    it('go to exactly one of the instances that claim at once', async () => {
      const all = await Promise.all(['a', 'b', 'c'].map(instance));
      const won = await Promise.all(all.map((one) => one.claim('c1')));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = all[won.indexOf(true)]!;
      for (const one of all) expect(await one.ownerOf('c1')).toBe(winner.instanceId);
    });

    it('are freed by release, for another instance to claim; a release by another changes nothing', async () => {
      const a = await instance('a');
      const b = await instance('b');
      expect(await a.claim('c1')).toBe(true);
      await b.release('c1'); // not b's
      expect(await b.claim('c1')).toBe(false);
      expect(await b.ownerOf('c1')).toBe(a.instanceId);

      await a.release('c1');
      expect(await a.ownerOf('c1')).toBeNull();
      expect(await b.ownerOf('c1')).toBeNull();
      expect(await b.claim('c1')).toBe(true);
      expect(await a.claim('c1')).toBe(false);
      expect(await a.ownerOf('c1')).toBe(b.instanceId);
      // Released twice is released once.
      await b.release('c1');
      await b.release('c1');
      expect(await a.claim('c1')).toBe(true);
      expect(await b.ownerOf('c1')).toBe(a.instanceId);
    });
  });

  describe('announcements', () => {
    it('tell the other instances of an append, with the conversation and its new last seq, and not the writer', async () => {
      const a = await cluster.subject.instance('a');
      const b = await cluster.subject.instance('b');
      const c = await cluster.subject.instance('c');
      const byA = heard(a.cluster);
      const byB = heard(b.cluster);
      const byC = heard(c.cluster);
      await a.conversations.create({ id: 'c2', createdAt: 1_000 });

      // One batch over two conversations: each announced once, at the seq its log now reaches.
      await a.log.appendBatch([
        { conversationId: 'c1', seq: 1, event: userMessage('hi'), at: 2_000 },
        { conversationId: 'c1', seq: 2, event: started(1), at: 2_000 },
        { conversationId: 'c2', seq: 1, event: userMessage('yo'), at: 2_000 },
      ]);
      await Promise.all([byB.until(2), byC.until(2)]);
      const sorted = (announced: [string, number][]) => [...announced].sort();
      expect(sorted(byB.announced)).toEqual([
        ['c1', 2],
        ['c2', 1],
      ]);
      expect(sorted(byC.announced)).toEqual(sorted(byB.announced));
      // What was announced is in the log for a follower to read.
      expect((await b.log.read('c1')).map((entry) => entry.seq)).toEqual([1, 2]);

      // Once the writer hears of a later append by another, it would have heard of its own.
      await b.log.append({ conversationId: 'c1', seq: 3, event: started(2), at: 2_001 });
      await Promise.all([byA.until(1), byC.until(3)]);
      expect(byA.announced).toEqual([['c1', 3]]);
      expect(byC.announced.slice(2)).toEqual([['c1', 3]]);
      expect(sorted(byB.announced)).toEqual([
        ['c1', 2],
        ['c2', 1],
      ]);
    });
  });

  describe('relay', () => {
    it('reaches the owner’s handler with the command and brings back the outcome it gives', async () => {
      const owner = await instance('a');
      const sender = await instance('b');
      const served: [string, CommandInput][] = [];
      const outcomes: Record<string, RelayedOutcome> = {
        m1: { status: 'accepted', seq: 7 },
        m2: { status: 'duplicate' },
        m3: { status: 'rejected', code: 'command_rejected', message: 'Not now.' },
      };
      owner.serve(async (conversationId, command) => {
        served.push([conversationId, command]);
        const outcome = 'commandId' in command ? outcomes[command.commandId] : undefined;
        if (!outcome) throw new Error('The actor is gone.');
        return outcome;
      });
      const send = (commandId: string) =>
        sender.relay(owner.instanceId, 'c1', message(commandId, `text of ${commandId}`), 5_000);

      expect(await send('m1')).toEqual({ status: 'accepted', seq: 7 });
      expect(await send('m2')).toEqual({ status: 'duplicate' });
      expect(await send('m3')).toEqual({
        status: 'rejected',
        code: 'command_rejected',
        message: 'Not now.',
      });
      // A handler that fails is a refusal with its reason.
      expect(await send('m4')).toEqual({
        status: 'rejected',
        code: 'internal',
        message: 'The actor is gone.',
      });
      expect(served).toEqual(
        ['m1', 'm2', 'm3', 'm4'].map((commandId) => [
          'c1',
          message(commandId, `text of ${commandId}`),
        ]),
      );
    });

    it('resolves with null after the timeout when the instance does not answer', async () => {
      const silent = await instance('a'); // serves nothing
      const slow = await instance('b');
      const sender = await instance('c');
      let answer = (_outcome: RelayedOutcome) => {};
      slow.serve(
        () =>
          new Promise<RelayedOutcome>((resolve) => {
            answer = resolve;
          }),
      );
      const timeoutMs = 200;
      const timed = async (ownerInstanceId: string) => {
        const start = performance.now();
        const outcome = await sender.relay(ownerInstanceId, 'c1', message('m1'), timeoutMs);
        return { outcome, tookMs: performance.now() - start };
      };

      for (const owner of [silent.instanceId, slow.instanceId, 'nobody-at-all']) {
        const { outcome, tookMs } = await timed(owner);
        expect(outcome).toBeNull();
        // A timer may fire a little before its time by the clock that measures it.
        expect(tookMs).toBeGreaterThanOrEqual(timeoutMs - 5);
      }
      answer({ status: 'accepted', seq: 1 }); // too late: nobody collects it
    });
  });

  describe('losing the store', () => {
    it('is told, frees its claims and refuses its appends; once back, it claims and appends again', async () => {
      const a = await cluster.subject.instance('a');
      const b = await cluster.subject.instance('b');
      expect(a.cluster.healthy()).toBe(true);
      await a.conversations.create({ id: 'c2', createdAt: 1_000 });
      expect(await a.cluster.claim('c1')).toBe(true);
      expect(await a.cluster.claim('c2')).toBe(true);

      // What the instance sees the moment it is told, before it can be back.
      const lost = new Promise<{
        error: unknown;
        healthy: boolean;
        append: ReturnType<typeof settled>;
        claim: ReturnType<typeof settled>;
      }>((resolve) => {
        const off = a.cluster.onLost((error) => {
          off();
          resolve({
            error,
            healthy: a.cluster.healthy(),
            append: settled(
              a.log.append({ conversationId: 'c1', seq: 1, event: userMessage('hi'), at: 2_000 }),
            ),
            claim: settled(a.cluster.claim('c1')),
          });
        });
      });
      const restored = next((listener: () => void) => a.cluster.onRestored(listener));
      await cluster.subject.lose('a');
      const seen = await lost;
      expect(seen.error).toBeInstanceOf(Error);
      expect(seen.healthy).toBe(false);
      expect((await seen.append).status).toBe('rejected');
      expect((await seen.claim).status).toBe('rejected');
      // Nothing it tried to append was written.
      expect(await b.log.lastSeq('c1')).toBe(0);
      // What it held is free for another instance.
      expect(await b.cluster.claim('c1')).toBe(true);
      expect(await b.cluster.ownerOf('c1')).toBe(b.cluster.instanceId);

      await cluster.subject.waitRestored('a');
      await restored;
      expect(a.cluster.healthy()).toBe(true);
      // It holds nothing from before: what another took stays the other's, what nobody took is
      // free for it again.
      expect(await a.cluster.claim('c1')).toBe(false);
      expect(await a.cluster.claim('c2')).toBe(true);
      expect(await b.cluster.ownerOf('c2')).toBe(a.cluster.instanceId);
      await b.cluster.release('c1');
      expect(await a.cluster.claim('c1')).toBe(true);
      expect(await b.cluster.ownerOf('c1')).toBe(a.cluster.instanceId);

      // It appends again, and hears the others' appends again.
      const byA = heard(a.cluster);
      const byB = heard(b.cluster);
      await a.log.append({ conversationId: 'c1', seq: 1, event: userMessage('hi'), at: 2_000 });
      await byB.until(1);
      expect(byB.announced).toEqual([['c1', 1]]);
      await b.log.append({ conversationId: 'c2', seq: 1, event: userMessage('yo'), at: 2_001 });
      await byA.until(1);
      expect(byA.announced).toEqual([['c2', 1]]);
    });

    it('leaves the other instances as they were', async () => {
      const a = await instance('a');
      const b = await instance('b');
      expect(await b.claim('c2')).toBe(true);
      await cluster.subject.lose('a');
      expect(b.healthy()).toBe(true);
      expect(await b.claim('c2')).toBe(true);
      expect(await a.ownerOf('c2')).toBe(b.instanceId);
      await cluster.subject.waitRestored('a');
      expect(await a.claim('c2')).toBe(false);
    });
  });
}
