import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { userMessage } from '../../../machines/src/test-support/event-builders.ts';
import { openSqliteEventStore } from '../../src/store/sqlite-event-store.ts';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema.ts';
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
  it('is created with its directory, in WAL mode, at the current schema version', () => {
    t = tempStore();
    t.store.close();
    expect(pragma(t.file, 'journal_mode')).toBe('wal');
    expect(pragma(t.file, 'user_version')).toBe(SCHEMA_VERSION);
  });

  it('opens again with its data, creating nothing twice', () => {
    t = tempStore();
    t.store.createConversation({ id: 'c1', createdAt: 1_000 });
    t.store.append('c1', userMessage('hi'), 2_000);
    t.reopen();
    t.reopen();
    expect(t.store.lastSeq('c1')).toBe(1);
    expect(t.store.listConversations()).toHaveLength(1);
  });

  it('refuses a file from a newer schema rather than guess at its tables', () => {
    t = tempStore();
    t.store.close();
    const raw = new Database(t.file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openSqliteEventStore(t.file)).toThrow(
      /schema version 2; this build knows up to 1/,
    );
    t.reopen = () => t.store; // nothing to close on dispose but the already closed store
  });
});

describe('ownership of the file', () => {
  it('refuses a second store on a file another one has open', () => {
    t = tempStore();
    t.store.createConversation({ id: 'c1', createdAt: 1_000 });
    expect(() => openSqliteEventStore(t.file)).toThrow(/is in use by another process/);
    // The first one is unaffected.
    expect(t.store.append('c1', userMessage('still mine'), 2_000).seq).toBe(1);
  });
});

describe('the write-ahead log', () => {
  it('is checkpointed as appends go, so it stays a few MB however long the log grows', () => {
    t = tempStore();
    t.store.createConversation({ id: 'c1', createdAt: 1_000 });
    t.store.append('c1', userMessage('hi'), 2_000);
    const delta = {
      type: 'assistant.text_delta',
      turn: 1,
      index: 0,
      text: 'x'.repeat(200),
    } as const;
    // Each append commits at least one 4 KB page: 3,000 of them, unchecked, would be 12 MB.
    for (let i = 0; i < 3_000; i++) t.store.append('c1', delta, 2_001 + i);
    expect(statSync(`${t.file}-wal`).size).toBeLessThan(6_000_000);
    expect(statSync(t.file).size).toBeGreaterThan(600_000);
  });
});
