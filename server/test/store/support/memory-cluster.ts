import type { LogEntry } from '@tollgate/machines';
import type { Cluster, RelayedOutcome, RelayHandler } from '../../../src/store/cluster.ts';
import { createListeners } from '../../../src/store/listeners.ts';
import type { Store } from '../../../src/store/store.ts';

interface Member {
  healthy: boolean;
  handler?: RelayHandler;
  logChanged: ReturnType<typeof createListeners<[string, number]>>;
  lost: ReturnType<typeof createListeners<unknown>>;
  restored: ReturnType<typeof createListeners<undefined>>;
}

const rethrow = (error: unknown) => {
  throw error;
};

/**
 * Several instances on one store, in one process: the in-memory double of the PostgreSQL
 * cluster, for tests of what the registry does with it. Each instance gets the store with a
 * cluster of its own: claims are exclusive between instances (and held again by the one that
 * has them), a commit is announced to the other instances, a relay reaches the named instance's
 * handler (or times out), and an instance can be made to lose the store (its claims go, its
 * appends are refused) and get it back. It passes the same contract as the PostgreSQL cluster
 * (server/test/store/cluster-contract.ts).
 */
export function createMemoryCluster(store: Store) {
  const locks = new Map<string, string>();
  const members = new Map<string, Member>();

  function announce(writer: string, entries: readonly LogEntry[]) {
    const heads = new Map<string, number>();
    for (const entry of entries) heads.set(entry.conversationId, entry.seq);
    for (const [id, member] of members) {
      if (id === writer || !member.healthy) continue;
      for (const head of heads) member.logChanged.emit(head);
    }
  }

  const net = {
    /** Told after each claim: lets a test make something happen right then. */
    afterClaim: undefined as
      | ((instanceId: string, conversationId: string, won: boolean) => void)
      | undefined,
    /** The store as instance `id` sees it. */
    instance(id: string): Store {
      const member: Member = {
        healthy: true,
        logChanged: createListeners<[string, number]>(rethrow),
        lost: createListeners<unknown>(rethrow),
        restored: createListeners<undefined>(rethrow),
      };
      members.set(id, member);
      const up = () => {
        if (!member.healthy) throw new Error(`instance ${id} has lost the store`);
      };
      const cluster: Cluster = {
        instanceId: id,
        async claim(conversationId) {
          up();
          const holder = locks.get(conversationId);
          const won = !holder || holder === id;
          if (won) locks.set(conversationId, id);
          net.afterClaim?.(id, conversationId, won);
          return won;
        },
        async release(conversationId) {
          if (locks.get(conversationId) === id) locks.delete(conversationId);
        },
        ownerOf: async (conversationId) => locks.get(conversationId) ?? null,
        onLogChanged: (listener) =>
          member.logChanged.add(([conversationId, seq]) => listener(conversationId, seq)),
        async relay(ownerId, conversationId, command, timeoutMs) {
          up();
          // As through PostgreSQL: the owner gets its own copy of the command, its handler's
          // failure comes back as a refusal, and an owner that does not answer (none serving,
          // lost, or too slow) is given up at the timeout.
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<null>((resolve) => {
            timer = setTimeout(() => resolve(null), timeoutMs);
          });
          const owner = members.get(ownerId);
          const handler = owner?.healthy ? owner.handler : undefined;
          if (!handler) return timedOut;
          const answered = handler(conversationId, structuredClone(command)).catch(
            (error: unknown): RelayedOutcome => ({
              status: 'rejected',
              code: 'internal',
              message: error instanceof Error ? error.message : String(error),
            }),
          );
          try {
            return await Promise.race([answered, timedOut]);
          } finally {
            clearTimeout(timer);
          }
        },
        serve(handler) {
          member.handler = handler;
        },
        healthy: () => member.healthy,
        onLost: (listener) => member.lost.add(listener),
        onRestored: (listener) => member.restored.add(() => listener()),
      };
      return {
        ...store,
        log: {
          ...store.log,
          async append(entry) {
            up();
            const appended = await store.log.append(entry);
            announce(id, [appended]);
            return appended;
          },
          async appendBatch(entries) {
            up();
            const appended = await store.log.appendBatch(entries);
            announce(id, appended);
            return appended;
          },
        },
        cluster,
        close: async () => {},
      };
    },
    /** Instance `id` loses the store: its claims are gone, as with a PostgreSQL session. */
    lose(id: string) {
      const member = members.get(id);
      if (!member?.healthy) return;
      member.healthy = false;
      for (const [conversationId, holder] of locks) {
        if (holder === id) locks.delete(conversationId);
      }
      member.lost.emit(new Error(`instance ${id} lost the store`));
    },
    restore(id: string) {
      const member = members.get(id);
      if (!member || member.healthy) return;
      member.healthy = true;
      member.restored.emit(undefined);
    },
    holder: (conversationId: string) => locks.get(conversationId) ?? null,
  };
  return net;
}
