import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  started,
  textDelta,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import { compactAtOnce } from '../../src/store/sqlite-compaction.ts';
import { CorruptLogEntryError } from '../../src/store/store-errors.ts';
import { appendEvents, appendNext } from './support/append-next.ts';
import { tempStorePerTest } from './support/temp-store.ts';

const t = tempStorePerTest(async (store) => {
  await store.conversations.create({ id: 'c1', createdAt: 1_000 });
  await appendEvents(
    store.log,
    'c1',
    [userMessage('hi'), started(1), textDelta(1, 'a'), textDelta(1, 'b')],
    2_000,
  );
  await store.close();
});

/** Edits the file behind the store's back, as a bad disk, a hand edit or a buggy build would. */
function tamper(sql: string, ...params: unknown[]) {
  const raw = new Database(t.file);
  raw.prepare(sql).run(...params);
  raw.close();
  return t.reopen();
}

async function readError(afterSeq = 0): Promise<CorruptLogEntryError> {
  try {
    await t.store.log.read('c1', afterSeq);
  } catch (error) {
    if (error instanceof CorruptLogEntryError) return error;
    throw error;
  }
  throw new Error('read returned entries from a corrupt log');
}

describe('a corrupt log', () => {
  it('is refused at an entry that is not JSON, naming the conversation and seq', async () => {
    await tamper(`UPDATE recent_entries SET event = '{"type":"assistant.text_del' WHERE seq = 3`);
    const error = await readError();
    expect(error.message).toMatch(
      /^log entry 3 of conversation c1 is corrupt: its event is not JSON/,
    );
    expect([error.conversationId, error.seq]).toEqual(['c1', 3]);
    // Entries after it are still readable: a client resuming past the damage is not blocked.
    expect((await t.store.log.read('c1', 3)).map((entry) => entry.seq)).toEqual([4]);
  });

  it('is refused at an entry that fails the event schema', async () => {
    await tamper(`UPDATE recent_entries SET event = json_set(event, '$.turn', -1) WHERE seq = 4`);
    expect((await readError()).message).toMatch(
      /^log entry 4 of conversation c1 is corrupt: event\.turn:/,
    );
  });

  it('is refused at an entry with an impossible machine version', async () => {
    await tamper('UPDATE recent_entries SET machine_version = 0 WHERE seq = 2');
    expect((await readError()).message).toMatch(
      /^log entry 2 of conversation c1 is corrupt: machineVersion:/,
    );
  });

  it('is refused where an entry is missing', async () => {
    await tamper('DELETE FROM recent_entries WHERE seq = 2');
    expect((await readError()).message).toBe(
      'log entry 2 of conversation c1 is corrupt: it is missing',
    );
    expect((await readError(1)).message).toBe(
      'log entry 2 of conversation c1 is corrupt: it is missing',
    );
  });
});

describe('a corrupt segment', () => {
  const compacted = tempStorePerTest(
    async (store) => {
      await store.conversations.create({ id: 'c1', createdAt: 1_000 });
      // Four entries reach the threshold: they are moved into one segment.
      await appendEvents(
        store.log,
        'c1',
        [userMessage('hi'), started(1), textDelta(1, 'a'), textDelta(1, 'b')],
        2_000,
      );
      await appendNext(store.log, 'c1', textDelta(1, 'c'), 2_001);
      await store.close();
    },
    // Each compaction's steps run at once: the fifth entry stays recent.
    { compactAfter: 4, scheduleCompaction: compactAtOnce },
  );

  async function tamperSegment(sql: string) {
    const raw = new Database(compacted.file);
    raw.prepare(sql).run();
    raw.close();
    await compacted.reopen();
  }

  it('is refused as a whole when it is not JSON, at its first seq', async () => {
    await tamperSegment(`UPDATE entry_segments SET entries = substr(entries, 1, 40)`);
    await expect(compacted.store.log.read('c1')).rejects.toThrow(
      /^log entry 1 of conversation c1 is corrupt: its segment \(entries 1 to 4\) is not JSON/,
    );
    // What follows the segment is still readable.
    expect((await compacted.store.log.read('c1', 4)).map((entry) => entry.seq)).toEqual([5]);
  });

  it('is refused where one of its entries fails the event schema', async () => {
    await tamperSegment(
      `UPDATE entry_segments SET entries = json_set(entries, '$[2][3].turn', -1)`,
    );
    await expect(compacted.store.log.read('c1')).rejects.toThrow(
      /^log entry 3 of conversation c1 is corrupt: event\.turn:/,
    );
  });

  it('is refused when it holds something other than entries', async () => {
    await tamperSegment(`UPDATE entry_segments SET entries = json_set(entries, '$[1]', 'x')`);
    await expect(compacted.store.log.read('c1')).rejects.toThrow(
      /its segment \(entries 1 to 4\) holds something that is not \[seq, at, machine_version, event\]/,
    );
  });
});
