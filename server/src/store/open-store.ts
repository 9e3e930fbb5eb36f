import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import { StartupError } from '../startup-error.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

/**
 * The store the configuration names: the PostgreSQL database of DATABASE_URL, shared with every
 * other instance that names it, or else the SQLite file in DATA_DIR, this process's alone.
 */
export async function openStore(
  config: { databaseUrl: string | null; dataDir: string },
  logger: Logger,
): Promise<Store> {
  const onListenerError = (error: unknown) =>
    logger.error({ err: error }, 'a store listener failed');
  if (config.databaseUrl) {
    // Loaded only when named: an instance on SQLite would carry the PostgreSQL driver in its
    // memory for nothing (docs/performance.md).
    const [{ openPostgresStore }, { unusableDatabase }] = await Promise.all([
      import('./postgres-store.ts'),
      import('./postgres-connection.ts'),
    ]);
    try {
      return await openPostgresStore(config.databaseUrl, { onListenerError, logger });
    } catch (error) {
      throw new StartupError(unusableDatabase(config.databaseUrl, error));
    }
  }
  return openSqliteStore(join(config.dataDir, 'tollgate.sqlite'), {
    onListenerError,
    onCompactionError: (error) =>
      logger.error({ err: error }, 'a compaction of the log failed; its entries stay recent'),
  });
}
