import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { started, userMessage } from '../../../machines/src/test-support/event-builders.ts';
import { SessionLostError } from '../../src/store/postgres-session.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';
import { silentLogger } from '../silent-logger.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.ts';

// A PostgreSQL server of this file's own, stopped and started under running stores.
let server: PrivatePostgres;
beforeAll(async () => {
  server = await startPrivatePostgres();
}, 60_000);
afterAll(() => server?.dispose());

/** Resolves the next time `subscribe` calls its listener. */
function next<T extends unknown[]>(subscribe: (listener: (...args: T) => void) => () => void) {
  return new Promise<T>((resolve) => {
    const off = subscribe((...args) => {
      off();
      resolve(args);
    });
  });
}

const open = () =>
  // Short waits between reconnect attempts, so the test does not wait out the production ones.
  openPostgresStore(server.url, { logger: silentLogger(), firstRetryMs: 50, maxRetryMs: 400 });

describe('a store whose PostgreSQL server goes away', () => {
  it('is told it lost the store (owning nothing), refuses appends, and works again once it is back', async () => {
    const a = await open();
    const stores: Store[] = [a];
    try {
      await a.conversations.create({ id: 'c1', createdAt: 1_000 });
      await a.log.append({ conversationId: 'c1', seq: 1, event: userMessage('hi'), at: 2_000 });
      expect(await a.cluster.claim('c1')).toBe(true);
      expect(a.cluster.healthy()).toBe(true);

      const lost = next(a.cluster.onLost);
      await server.stop();
      const [why] = await lost;
      expect(why).toBeInstanceOf(Error);
      expect(a.cluster.healthy()).toBe(false);
      const refused = a.log.append({ conversationId: 'c1', seq: 2, event: started(1), at: 2_001 });
      await expect(refused).rejects.toThrow(SessionLostError);
      await expect(refused).rejects.toThrow(
        /^the session with the PostgreSQL database postgres on 127\.0\.0\.1 is lost \(.+\); reconnecting$/,
      );
      await expect(a.cluster.claim('c1')).rejects.toThrow(SessionLostError);

      const restored = next(a.cluster.onRestored);
      await server.start();
      await restored;
      expect(a.cluster.healthy()).toBe(true);
      // The locks died with the old session: another instance may claim what this one had.
      const b = await open();
      stores.push(b);
      expect(await b.cluster.claim('c1')).toBe(true);
      expect(await a.cluster.claim('c1')).toBe(false);
      // Appends work again (the seq key keeps two writers apart, whoever owns the conversation).
      const appended = await a.log.append({
        conversationId: 'c1',
        seq: 2,
        event: started(1),
        at: 2_001,
      });
      expect(appended.seq).toBe(2);
      expect((await b.log.read('c1')).map((entry) => entry.seq)).toEqual([1, 2]);
      // And the notifications flow again on the new session.
      const heard = next(a.cluster.onLogChanged);
      await b.log.append({ conversationId: 'c1', seq: 3, event: started(2), at: 2_002 });
      expect(await heard).toEqual(['c1', 3]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('closes cleanly while it waits for the server', async () => {
    const a = await open();
    const lost = next(a.cluster.onLost);
    await server.stop();
    try {
      await lost;
      await a.close();
      await expect(a.log.read('c1')).rejects.toThrow(/is closed$/);
      await expect(
        a.log.append({ conversationId: 'c1', seq: 1, event: started(1), at: 1 }),
      ).rejects.toThrow(/is closed$/);
    } finally {
      await server.start();
    }
  });

  it('counts a session that stops answering (a network cut without a reset) as lost, and fails what waited on it', async () => {
    const proxy = await freezableProxy(Number(new URL(server.url).port));
    const via = new URL(server.url);
    via.port = String(proxy.port);
    const a = await openPostgresStore(via.toString(), {
      logger: silentLogger(),
      firstRetryMs: 50,
      maxRetryMs: 400,
      livenessEveryMs: 100,
      livenessTimeoutMs: 1_000,
    });
    try {
      await a.conversations.create({ id: 'c9', createdAt: 1_000 });
      expect(await a.cluster.claim('c9')).toBe(true);
      const lost = next(a.cluster.onLost);
      // Packets stop; nothing closes: only the liveness check can tell.
      proxy.freeze();
      const stuck = a.log.append({ conversationId: 'c9', seq: 1, event: started(1), at: 2_000 });
      const [why] = await lost;
      expect((why as Error).message).toBe('PostgreSQL did not answer for 1000 ms');
      await expect(stuck).rejects.toThrow();
      expect(a.cluster.healthy()).toBe(false);

      const restored = next(a.cluster.onRestored);
      proxy.thaw();
      await restored;
      expect(await a.cluster.claim('c9')).toBe(true);
    } finally {
      await a.close();
      proxy.close();
    }
  });
});

/**
 * A TCP relay to PostgreSQL that can stop passing bytes without closing anything, as a network
 * that drops packets does; while frozen it refuses new connections, and thawed it relays again.
 */
async function freezableProxy(targetPort: number) {
  const pairs = new Set<[Socket, Socket]>();
  let frozen = false;
  const relay = createServer((client) => {
    if (frozen) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    for (const socket of pair) {
      socket.on('error', () => undefined);
      socket.on('close', () => pairs.delete(pair));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    port: (relay.address() as AddressInfo).port,
    freeze() {
      frozen = true;
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    thaw() {
      frozen = false;
    },
    close() {
      relay.close();
      for (const pair of pairs) for (const socket of pair) socket.destroy();
    },
  };
}
