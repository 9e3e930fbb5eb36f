import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import { openPostgresStore } from './postgres-store.ts';
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
    return openPostgresStore(config.databaseUrl, { onListenerError, logger });
  }
  return openSqliteStore(join(config.dataDir, 'tollgate.sqlite'), { onListenerError });
}
