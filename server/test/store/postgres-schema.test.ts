import { afterEach, describe, expect, it } from 'vitest';
import {
  started,
  textDelta,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/postgres-schema.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';
import { CorruptLogEntryError } from '../../src/store/store-errors.ts';
import { silentLogger } from '../silent-logger.ts';
import { appendEvents } from './support/append-next.ts';
import { freshDatabase, type TestDatabase } from './support/postgres-databases.ts';

let database: TestDatabase | undefined;
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await database?.drop();
  database = undefined;
});

async function open(url: string): Promise<Store> {
  const store = await openPostgresStore(url, { logger: silentLogger() });
  stores.push(store);
  return store;
}

const version = async (db: TestDatabase) =>
  (await db.query('SELECT version FROM schema_version')).rows.map((row) => row.version);

describe('the PostgreSQL schema', () => {
  it('is created in an empty database at start, once, even by instances starting together', async () => {
    database = await freshDatabase({ migrated: false });
    const url = database.url;
    const [a, b, c] = await Promise.all([open(url), open(url), open(url)]);
    expect(await version(database)).toEqual([SCHEMA_VERSION]);
    await a!.conversations.create({ id: 'c1', createdAt: 1_000 });
    expect(await b!.conversations.has('c1')).toBe(true);
    expect(await c!.log.lastSeq('c1')).toBe(0);
    // Opening again migrates nothing and keeps the data.
    expect(await (await open(url)).conversations.has('c1')).toBe(true);
    expect(await version(database)).toEqual([SCHEMA_VERSION]);
  });

  it('upgrades a database written before search, writing the texts of its logs once', async () => {
    database = await freshDatabase({ migrated: false });
    await database.query(MIGRATIONS[0]!);
    await database.query(
      'CREATE TABLE schema_version (only_row boolean PRIMARY KEY DEFAULT true, version integer NOT NULL)',
    );
    await database.query('INSERT INTO schema_version (version) VALUES (1)');
    await database.query(
      "INSERT INTO conversations (id, created_at, title, last_seq, updated_at) VALUES ('c1', 1000, 'Old trip', 3, 2002)",
    );
    const message = userMessage('Old trip to Porto');
    const events = [message, started(1), textDelta(1, 'Porto is lovely')];
    for (const [i, event] of events.entries()) {
      await database.query(
        "INSERT INTO log_entries (conversation_id, seq, at, machine_version, event) VALUES ('c1', $1, $2, 1, $3)",
        [i + 1, 2_000 + i, JSON.stringify(event)],
      );
    }
    const [a, b] = await Promise.all([open(database.url), open(database.url)]);
    expect(await version(database)).toEqual([SCHEMA_VERSION]);
    // Once, whichever instance did it; the block still streaming is left to its owner.
    expect((await a!.conversations.search(null, 'porto')).results).toMatchObject([
      { conversationId: 'c1', seq: 1, anchor: `u-${message.commandId}` },
    ]);
    expect((await b!.conversations.search(null, 'porto')).results).toHaveLength(1);
  });

  it('refuses a database from a newer build rather than guess at its tables', async () => {
    database = await freshDatabase();
    await database.query('UPDATE schema_version SET version = $1', [SCHEMA_VERSION + 1]);
    await expect(open(database.url)).rejects.toThrow(
      `has schema version ${SCHEMA_VERSION + 1}; this build knows up to ${SCHEMA_VERSION}. Run a newer Tollgate.`,
    );
  });

  it('refuses, by itself, an entry whose seq is taken or skips ahead, whoever writes it', async () => {
    database = await freshDatabase();
    const store = await open(database.url);
    await store.conversations.create({ id: 'c1', createdAt: 1_000 });
    await appendEvents(store.log, 'c1', [userMessage('hi'), started(1)], 2_000);
    const insert = (seq: number) =>
      database!.query(
        `INSERT INTO log_entries (conversation_id, seq, at, machine_version, event)
         VALUES ('c1', $1, 1, 1, $2)`,
        [seq, JSON.stringify(textDelta(1, 'by hand'))],
      );
    await expect(insert(2)).rejects.toThrow(/duplicate key value violates unique constraint/);
    await expect(insert(4)).rejects.toThrow(
      /violates foreign key constraint "log_entries_previous_exists"/,
    );
    await insert(3);
    expect((await store.log.read('c1')).map((entry) => entry.seq)).toEqual([1, 2, 3]);
  });
});

describe('a corrupt PostgreSQL log', () => {
  async function withLog() {
    database = await freshDatabase();
    const store = await open(database.url);
    await store.conversations.create({ id: 'c1', createdAt: 1_000 });
    await appendEvents(
      store.log,
      'c1',
      [userMessage('hi'), started(1), textDelta(1, 'a'), textDelta(1, 'b')],
      2_000,
    );
    return { store, db: database };
  }

  it('is refused at an entry that is not JSON, naming the conversation and seq', async () => {
    const { store, db } = await withLog();
    await db.query(`UPDATE log_entries SET event = '{"type":"assistant.text_del' WHERE seq = 3`);
    const error = await store.log.read('c1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptLogEntryError);
    expect(error).toMatchObject({ conversationId: 'c1', seq: 3 });
    expect((error as Error).message).toMatch(
      /^log entry 3 of conversation c1 is corrupt: its event is not JSON/,
    );
    // Entries after it are still readable: a client resuming past the damage is not blocked.
    expect((await store.log.read('c1', 3)).map((entry) => entry.seq)).toEqual([4]);
  });

  it('is refused at an entry that fails the event schema, or has an impossible machine version', async () => {
    const { store, db } = await withLog();
    await db.query(
      `UPDATE log_entries SET event = replace(event, '"turn":1', '"turn":-1') WHERE seq = 4`,
    );
    await expect(store.log.read('c1')).rejects.toThrow(
      /^log entry 4 of conversation c1 is corrupt: event\.turn:/,
    );
    await db.query('UPDATE log_entries SET machine_version = 0 WHERE seq = 2');
    await expect(store.log.read('c1')).rejects.toThrow(
      /^log entry 2 of conversation c1 is corrupt: machineVersion:/,
    );
  });

  it('is refused where an entry is missing', async () => {
    const { store, db } = await withLog();
    // Only by going around the keys (as a restore of a damaged backup might).
    await db.query(`
      SET session_replication_role = replica;
      DELETE FROM log_entries WHERE seq = 2;
    `);
    await expect(store.log.read('c1')).rejects.toThrow(
      'log entry 2 of conversation c1 is corrupt: it is missing',
    );
    await expect(store.log.read('c1', 1)).rejects.toThrow(
      'log entry 2 of conversation c1 is corrupt: it is missing',
    );
  });
});
