import { MACHINE_VERSION } from '@tollgate/machines';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { started, userMessage } from '../../../machines/src/test-support/event-builders.ts';
import { tempStorePerTest } from './support/temp-store.ts';

const t = tempStorePerTest((store) => {
  store.createConversation({ id: 'c1', createdAt: 1_000 });
  store.appendMany('c1', [userMessage('hi'), started(1), started(1)], 2_000);
});

const snapshot = { status: 'active', value: 'streaming', context: { items: [{ text: 'hé 📝' }] } };

describe('checkpoints', () => {
  it('round-trip as JSON, across a reopen', () => {
    expect(t.store.latestCheckpoint('c1')).toBeNull();
    t.store.saveCheckpoint('c1', 2, snapshot);
    expect(t.store.latestCheckpoint('c1')).toEqual({ seq: 2, snapshot });
    t.reopen();
    expect(t.store.latestCheckpoint('c1')).toEqual({ seq: 2, snapshot });
  });

  it('keep the newest: a later one replaces it, an older one does not', () => {
    t.store.saveCheckpoint('c1', 2, { at: 2 });
    t.store.saveCheckpoint('c1', 3, { at: 3 });
    t.store.saveCheckpoint('c1', 1, { at: 1 });
    expect(t.store.latestCheckpoint('c1')).toEqual({ seq: 3, snapshot: { at: 3 } });
  });

  it('are never ahead of the log, nor of an unknown conversation', () => {
    expect(() => t.store.saveCheckpoint('c1', 4, snapshot)).toThrow(/log ends at 3/);
    expect(() => t.store.saveCheckpoint('nope', 1, snapshot)).toThrow(/no conversation nope/);
    expect(t.store.latestCheckpoint('nope')).toBeNull();
  });

  it('written by another machine version are ignored: the log is replayed instead', () => {
    t.store.saveCheckpoint('c1', 2, snapshot);
    t.store.close();
    const raw = new Database(t.file);
    raw.prepare('UPDATE checkpoints SET machine_version = ?').run(MACHINE_VERSION + 1);
    raw.close();
    expect(t.reopen().latestCheckpoint('c1')).toBeNull();
  });
});
