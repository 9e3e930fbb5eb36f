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
    const { openPostgresStore } = await import('./postgres-store.ts');
    const { databaseName } = await import('./postgres-connection.ts');
    try {
      return await openPostgresStore(config.databaseUrl, { onListenerError, logger });
    } catch (error) {
      throw new StartupError(
        unreachable(databaseName(config.databaseUrl), config.databaseUrl, error),
      );
    }
  }
  return openSqliteStore(join(config.dataDir, 'tollgate.sqlite'), { onListenerError });
}

/** Why the database of DATABASE_URL cannot be used, and what to do about it, in a sentence. */
function unreachable(name: string, url: string, error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const hint =
    code === '3D000'
      ? ` Create it first (createdb ${new URL(url).pathname.slice(1) || 'tollgate'}), or point DATABASE_URL at one that exists.`
      : code === '28P01' || code === '28000'
        ? ' Check the user and password in DATABASE_URL.'
        : code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT'
          ? ' Is PostgreSQL running, and are the host and port in DATABASE_URL right?'
          : '';
  return `the PostgreSQL database ${name} (DATABASE_URL) cannot be used: ${message ?? String(error)}.${hint}`;
}
