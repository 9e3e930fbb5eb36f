import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  started,
  textDelta,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite-schema.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import { appendNext } from './support/append-next.ts';
import { type TempStore, tempStore } from './support/temp-store.ts';

let t: TempStore;
afterEach(() => t.dispose());

const pragma = (file: string, name: string) => {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.pragma(name, { simple: true });
  } finally {
    raw.close();
  }
};

describe('the SQLite file', () => {
  it('is created with its directory, in WAL mode, at the current schema version', async () => {
    t = tempStore();
    await t.store.close();
    expect(pragma(t.file, 'journal_mode')).toBe('wal');
    expect(pragma(t.file, 'user_version')).toBe(SCHEMA_VERSION);
  });

  it('opens again with its data, creating nothing twice', async () => {
    t = tempStore();
    await t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
    await appendNext(t.store.log, 'c1', userMessage('hi'), 2_000);
    await t.reopen();
    await t.reopen();
    expect(await t.store.log.lastSeq('c1')).toBe(1);
    expect(await t.store.conversations.list()).toHaveLength(1);
  });

  it('refuses a file from a newer schema rather than guess at its tables', async () => {
    t = tempStore();
    await t.store.close();
    const raw = new Database(t.file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openSqliteStore(t.file)).toThrow(
      `has schema version ${SCHEMA_VERSION + 1}; this build knows up to ${SCHEMA_VERSION}.`,
    );
    t.reopen = async () => t.store; // nothing to close on dispose but the already closed store
  });
});

/** An events row of the first schema: conversation, seq, command id, at, the event as stored. */
type V1Row = [string, number, string | null, number, string];

/**
 * Turns the temp store's file into one the first schema wrote (one row per entry, keyed by
 * conversation), with these conversations and rows, then reopens it: the migrations run.
 */
async function reopenAsFirstSchema(conversations: [string, string | null][], rows: V1Row[]) {
  await t.store.close();
  const raw = new Database(t.file);
  raw.exec('DROP TABLE recent_entries; DROP TABLE entry_segments; DROP TABLE commands;');
  raw.exec('DROP TABLE checkpoints; DROP TABLE conversations;');
  raw.exec('DROP TABLE search_texts; DROP TABLE search_backfill;');
  raw.exec('DROP TABLE tool_grants; DROP TABLE conversation_grants;');
  raw.exec(MIGRATIONS[0]!);
  raw.pragma('user_version = 1');
  const conversation = raw.prepare('INSERT INTO conversations VALUES (?, ?, 1000)');
  for (const [id, title] of conversations) conversation.run(id, title);
  const insert = raw.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, 1, ?)');
  for (const [id, seq, commandId, at, event] of rows) {
    const type = /"type":"([^"]*)"/.exec(event)?.[1] ?? '?'; // a damaged row may not parse
    insert.run(id, seq, type, commandId, at, event);
  }
  raw.close();
  await t.reopen();
}

describe('a file written by the first schema (one row per entry)', () => {
  it('is upgraded in place: entries, commands and titles are kept, and appends continue', async () => {
    t = tempStore();
    const message = userMessage('from before');
    await reopenAsFirstSchema(
      [['c1', 'from before']],
      [
        ['c1', 1, message.commandId, 2_000, JSON.stringify(message)],
        ['c1', 2, null, 2_001, JSON.stringify(started(1))],
        ['c1', 3, null, 2_002, JSON.stringify(textDelta(1, 'ok'))],
      ],
    );
    expect(
      (await t.store.log.read('c1')).map((entry) => [entry.seq, entry.at, entry.event]),
    ).toEqual([
      [1, 2_000, message],
      [2, 2_001, started(1)],
      [3, 2_002, textDelta(1, 'ok')],
    ]);
    expect(await t.store.commands.has('c1', message.commandId)).toBe(true);
    expect(await t.store.conversations.list()).toMatchObject([
      { id: 'c1', title: 'from before', lastSeq: 3, updatedAt: 2_002 },
    ]);
    // Conversations from before owners are the single owner's.
    expect(await t.store.conversations.ownerOf('c1')).toBeNull();
    expect((await t.store.conversations.listOwnedBy(null)).map((c) => c.id)).toEqual(['c1']);
    // Its messages are searchable: the texts were written from the log when it was upgraded.
    expect((await t.store.conversations.search(null, 'BEFORE')).results).toMatchObject([
      { conversationId: 'c1', seq: null },
      { conversationId: 'c1', seq: 1, anchor: `u-${message.commandId}` },
    ]);
    expect((await t.store.conversations.search(null, 'ok')).results).toMatchObject([
      { conversationId: 'c1', seq: 3, anchor: 'a-1' },
    ]);
    expect((await appendNext(t.store.log, 'c1', textDelta(1, ' then'), 3_000)).seq).toBe(4);
    await t.store.close();
    expect(pragma(t.file, 'user_version')).toBe(SCHEMA_VERSION);
  });

  it('is upgraded even with a damaged entry, which is still refused at its seq when read', async () => {
    t = tempStore();
    await reopenAsFirstSchema(
      [
        ['c1', null],
        ['c2', null],
      ],
      [
        ['c1', 1, null, 2_000, JSON.stringify(started(1))],
        ['c2', 1, null, 2_000, JSON.stringify(started(1))],
        ['c2', 2, null, 2_001, '{"type":"assistant.text_del'],
      ],
    );
    expect((await t.store.log.read('c1')).map((entry) => entry.event)).toEqual([started(1)]);
    await expect(t.store.log.read('c2')).rejects.toThrow(
      /^log entry 2 of conversation c2 is corrupt/,
    );
  });
});

describe('ownership of the file', () => {
  it('refuses a second store on a file another one has open', async () => {
    t = tempStore();
    await t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
    expect(() => openSqliteStore(t.file)).toThrow(/is in use by another process/);
    // The first one is unaffected.
    expect((await appendNext(t.store.log, 'c1', userMessage('still mine'), 2_000)).seq).toBe(1);
  });
});

describe('the write-ahead log', () => {
  it('is checkpointed as appends go, so it stays a few MB however long the log grows', async () => {
    t = tempStore();
    await t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
    await appendNext(t.store.log, 'c1', userMessage('hi'), 2_000);
    const delta = {
      type: 'assistant.text_delta',
      turn: 1,
      index: 0,
      text: 'x'.repeat(200),
    } as const;
    // Each append commits at least one 4 KB page: 3,000 of them, unchecked, would be 12 MB.
    for (let i = 0; i < 3_000; i++) await appendNext(t.store.log, 'c1', delta, 2_001 + i);
    expect(statSync(`${t.file}-wal`).size).toBeLessThan(6_000_000);
    expect(statSync(t.file).size).toBeGreaterThan(600_000);
  });
});
