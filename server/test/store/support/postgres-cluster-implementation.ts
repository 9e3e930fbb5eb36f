import { openPostgresStore } from '../../../src/store/postgres-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { silentLogger } from '../../silent-logger.ts';
import type { ClusterImplementation } from './cluster-implementation.ts';
import { adminQuery, freshDatabase } from './postgres-databases.ts';

/**
 * Instances of the PostgreSQL store on a fresh database of their own (support/postgres-databases.ts),
 * each opened with the contract's instance id. An instance loses the store when its connections
 * are ended on the server, as when PostgreSQL restarts or an administrator ends them: its session
 * reconnects by itself, after `RETRY_MS`.
 */
const RETRY_MS = 300;

export const postgresClusterImplementation: ClusterImplementation = {
  name: 'the PostgreSQL cluster',
  async open(options) {
    const database = await freshDatabase();
    const opened = new Map<string, Promise<Store>>();
    let created: Promise<unknown> | undefined;

    async function openInstance(id: string): Promise<Store> {
      const store = await openPostgresStore(database.url, {
        ...options,
        instanceId: id,
        logger: silentLogger(),
        firstRetryMs: RETRY_MS,
        maxRetryMs: RETRY_MS,
      });
      created ??= store.conversations.create({ id: 'c1', createdAt: 1_000 });
      await created;
      return store;
    }
    function instance(id: string): Promise<Store> {
      let store = opened.get(id);
      if (!store) {
        store = openInstance(id);
        opened.set(id, store);
      }
      return store;
    }

    return {
      instance,
      async lose(id) {
        const { cluster } = await instance(id);
        const lost = new Promise<void>((resolve) => {
          const off = cluster.onLost(() => {
            off();
            resolve();
          });
        });
        // Every connection of this instance (its session among them), found as the store names
        // them (postgres-store.ts); ended and waited for, so that its locks are gone too.
        const { rows } = await adminQuery(
          `SELECT pg_terminate_backend(pid, 10000) AS ended FROM pg_stat_activity
           WHERE datname = $1 AND application_name = $2`,
          [database.name, `tollgate ${cluster.instanceId}`],
        );
        if (rows.length === 0 || !rows.every((row) => row.ended === true)) {
          throw new Error(`could not end the connections of instance ${id}`);
        }
        await lost;
      },
      async waitRestored(id) {
        const { cluster } = await instance(id);
        if (cluster.healthy()) return;
        await new Promise<void>((resolve) => {
          const off = cluster.onRestored(() => {
            off();
            resolve();
          });
        });
      },
      async dispose() {
        const stores = await Promise.allSettled(opened.values());
        await Promise.all(
          stores.map((store) => (store.status === 'fulfilled' ? store.value.close() : undefined)),
        );
        await database.drop();
      },
    };
  },
};
