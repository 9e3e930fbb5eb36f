import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { migrate } from '../../../src/store/postgres-schema.ts';

/**
 * The server the PostgreSQL tests use, as a superuser URL: TOLLGATE_TEST_DATABASE_URL, or the
 * local server (.ci/run starts it). Each test gets a database of its own on it.
 */
export const ADMIN_URL =
  process.env.TOLLGATE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of another database on the same server as `url`. */
export function urlOfDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A database name no other test file (running at the same time) will pick. */
function uniqueName(kind: string): string {
  return `tollgate_test_${kind}_${randomBytes(6).toString('hex')}`;
}

/** Runs one statement on the server as the superuser, on a connection of its own. */
export async function adminQuery(sql: string, values: unknown[] = [], url = ADMIN_URL) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

/**
 * The database every test database of this file is copied from: migrated once, on first use,
 * then never connected to again (CREATE DATABASE … TEMPLATE needs it idle). Dropped after the
 * file's tests.
 */
let template: Promise<string> | undefined;
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const name = uniqueName('template');
    await adminQuery(`CREATE DATABASE ${name}`);
    const client = new pg.Client({ connectionString: urlOfDatabase(ADMIN_URL, name) });
    await client.connect();
    try {
      await migrate(client, name);
    } finally {
      await client.end();
    }
    return name;
  })();
  return template;
}

afterAll(async () => {
  if (!template) return;
  const name = await template.catch(() => undefined);
  template = undefined;
  if (name) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

/** A test's database of its own, and the means to drop it. */
export interface TestDatabase {
  name: string;
  url: string;
  /** Runs a statement on this database, on a connection of its own (behind the store's back). */
  query(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** Drops it, ending whatever is still connected to it. */
  drop(): Promise<void>;
}

/** A new database, migrated to the current schema unless told otherwise. */
export async function freshDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const name = uniqueName('db');
  // An empty one is PostgreSQL's own template1 copied: no table of the store's yet.
  await adminQuery(
    migrated
      ? `CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate()}`
      : `CREATE DATABASE ${name}`,
  );
  const url = urlOfDatabase(ADMIN_URL, name);
  return {
    name,
    url,
    query: (sql, values) => adminQuery(sql, values, url),
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
