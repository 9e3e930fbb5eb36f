import { afterEach, beforeEach } from 'vitest';
import { openPostgresStore, type PostgresStoreOptions } from '../../../src/store/postgres-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { silentLogger } from '../../silent-logger.ts';
import { freshDatabase, type TestDatabase } from './postgres-databases.ts';

/**
 * A fresh database for each test of the calling file, and the means to open several stores on
 * it, as several server instances would: all closed, and the database dropped, after the test.
 * A listener that throws fails the test.
 */
export function instancesPerTest() {
  let database: TestDatabase | undefined;
  const opened: Store[] = [];
  let listenerErrors: unknown[] = [];
  beforeEach(async () => {
    listenerErrors = [];
    database = await freshDatabase();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await database?.drop();
    database = undefined;
    if (listenerErrors.length > 0) {
      throw new AggregateError(listenerErrors, 'a store listener threw during the test');
    }
  });
  const now = () => {
    if (!database) throw new Error('instancesPerTest is only usable inside a test');
    return database;
  };
  return {
    get database() {
      return now();
    },
    /** Opens one more instance's store on the test's database. */
    async open(options: PostgresStoreOptions = {}): Promise<Store> {
      const store = await openPostgresStore(now().url, {
        logger: silentLogger(),
        onListenerError: (error) => listenerErrors.push(error),
        ...options,
      });
      opened.push(store);
      return store;
    },
  };
}
