import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  completed,
  started,
  textDelta,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import { SEGMENT_ENTRIES } from '../../src/store/log-segments.ts';
import { compactAtOnce } from '../../src/store/sqlite-compaction.ts';
import type { Store } from '../../src/store/store.ts';
import { DuplicateCommandError } from '../../src/store/store-errors.ts';
import { appendNext } from './support/append-next.ts';
import { tempStore, tempStorePerTest } from './support/temp-store.ts';

/** Why compactions failed, in this test. */
const compactionErrors: unknown[] = [];

// A threshold of 5 recent entries: every few appends move the recent ones into segments.
const t = tempStorePerTest(
  async (store) => {
    compactionErrors.length = 0;
    await store.conversations.create({ id: 'c1', createdAt: 1_000 });
    await store.conversations.create({ id: 'c2', createdAt: 1_000 });
  },
  {
    compactAfter: 5,
    scheduleCompaction: compactAtOnce,
    onCompactionError: (error) => compactionErrors.push(error),
  },
);

/** A temp store, as closing and opening it again needs it. */
type Reopened = { store: Store; file: string; reopen(): Promise<Store> };

/**
 * Runs `use` on the store's file by another connection: the store lets go of the file meanwhile
 * (closing it, which finishes a compaction under way), then opens it again.
 */
async function withFile<T>(
  temp: Reopened,
  use: (raw: Database.Database) => T,
  readonly = true,
): Promise<T> {
  await temp.store.close();
  const raw = new Database(temp.file, { readonly });
  try {
    return use(raw);
  } finally {
    raw.close();
    await temp.reopen();
  }
}

/** What `query` reads from the store's file. */
const readClosed = <T>(temp: Reopened, query: (raw: Database.Database) => T) =>
  withFile(temp, query);

/** Runs `sql` (triggers, for a test) on the store's file. */
const execClosed = (temp: Reopened, sql: string) =>
  withFile(temp, (raw) => void raw.exec(sql), false);

/** Rows in a table of the file. */
const count = (table: string) =>
  readClosed(t, (raw) => raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number);

/** The segments on disk. */
const segments = () =>
  readClosed(
    t,
    (raw) =>
      raw
        .prepare(
          'SELECT conversation_id, first_seq, last_seq, last_at, entries, checksum FROM entry_segments ORDER BY position',
        )
        .all() as {
        conversation_id: string;
        first_seq: number;
        last_seq: number;
        last_at: number;
        entries: string;
        checksum: string;
      }[],
  );

/** Twelve entries of c1 interleaved with twelve of c2, as two streaming turns append them. */
async function interleavedTurns() {
  const { log } = t.store;
  await log.append({ conversationId: 'c1', seq: 1, event: userMessage('one'), at: 2_000 });
  await log.append({ conversationId: 'c2', seq: 1, event: userMessage('two'), at: 2_000 });
  await log.appendBatch([
    { conversationId: 'c1', seq: 2, event: started(1), at: 2_001 },
    { conversationId: 'c2', seq: 2, event: started(1), at: 2_001 },
  ]);
  for (let i = 0; i < 9; i++) {
    await log.appendBatch([
      { conversationId: 'c1', seq: 3 + i, event: textDelta(1, `a${i}`), at: 2_002 + i },
      { conversationId: 'c2', seq: 3 + i, event: textDelta(1, `b${i}`), at: 2_002 + i },
    ]);
  }
  await log.append({ conversationId: 'c1', seq: 12, event: completed(1), at: 2_020 });
  await log.append({ conversationId: 'c2', seq: 12, event: completed(1), at: 2_021 });
}

const texts = async (id: string, afterSeq = 0) =>
  (await t.store.log.read(id, afterSeq)).map((entry) =>
    'text' in entry.event ? entry.event.text : entry.event.type,
  );

describe('compaction into segments', () => {
  it('keeps every entry, in order, whichever tier holds it', async () => {
    await interleavedTurns();
    // Most entries are in segments by now, the last few still recent.
    expect(await count('entry_segments')).toBeGreaterThan(2);
    expect(await count('recent_entries')).toBeLessThan(5);
    expect(await texts('c1')).toEqual([
      'one',
      'assistant.started',
      ...Array.from({ length: 9 }, (_, i) => `a${i}`),
      'assistant.completed',
    ]);
    expect((await texts('c2')).slice(2, 5)).toEqual(['b0', 'b1', 'b2']);
    expect((await t.store.log.read('c1')).map((entry) => entry.seq)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });

  it('reads from the middle of a segment and across into the recent entries', async () => {
    await interleavedTurns();
    expect(await texts('c1', 6)).toEqual(['a4', 'a5', 'a6', 'a7', 'a8', 'assistant.completed']);
    expect(await texts('c1', 12)).toEqual([]);
  });

  it('reads page by page, a segment never cut, the recent entries one by one', async () => {
    await interleavedTurns();
    await t.store.log.append({
      conversationId: 'c1',
      seq: 13,
      event: userMessage('on'),
      at: 3_000,
    });
    await t.store.log.append({ conversationId: 'c1', seq: 14, event: started(2), at: 3_001 });
    const ofC1 = (await segments()).filter((segment) => segment.conversation_id === 'c1');
    const compacted = ofC1.at(-1)?.last_seq ?? 0;
    // Several segments, and entries after them still recent.
    expect(ofC1.length).toBeGreaterThan(1);
    expect(compacted).toBeLessThan(13);
    const page = async (afterSeq: number, limit: number) =>
      (await t.store.log.read('c1', afterSeq, limit)).map((entry) => entry.seq);
    const seqs = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, k) => from + k);
    // A page that reaches into a segment ends where that segment does, from wherever it starts.
    for (const { first_seq, last_seq } of ofC1) {
      expect(await page(first_seq - 1, 1)).toEqual(seqs(first_seq, last_seq));
      expect(await page(last_seq - 1, 1)).toEqual([last_seq]);
    }
    expect(await page(0, ofC1[0]!.last_seq + 1)).toEqual(seqs(1, ofC1[1]!.last_seq));
    // Past the segments, the recent entries are read one at a time.
    expect(await page(compacted, 1)).toEqual([compacted + 1]);
    expect(await page(compacted, 2)).toEqual([compacted + 1, compacted + 2]);
  });

  it('is the same after a reopen: seqs continue, titles and times are kept', async () => {
    await interleavedTurns();
    const before = await t.store.log.read('c2');
    const list = await t.store.conversations.list();
    await t.reopen();
    expect(await t.store.log.read('c2')).toEqual(before);
    expect(await t.store.conversations.list()).toEqual(list);
    expect(list.map((c) => [c.id, c.title, c.lastSeq, c.updatedAt])).toEqual([
      ['c2', 'two', 12, 2_021],
      ['c1', 'one', 12, 2_020],
    ]);
    expect((await appendNext(t.store.log, 'c1', userMessage('again'), 3_000)).seq).toBe(13);
  });

  it('still refuses a command that was compacted away', async () => {
    const message = userMessage('once');
    await appendNext(t.store.log, 'c1', message, 2_000);
    for (let i = 0; i < 6; i++) await appendNext(t.store.log, 'c1', textDelta(1, `x${i}`), 2_001);
    expect(await count('recent_entries')).toBeLessThan(5);
    expect(await t.store.commands.has('c1', message.commandId)).toBe(true);
    await expect(appendNext(t.store.log, 'c1', message, 2_010)).rejects.toThrow(
      DuplicateCommandError,
    );
    expect(await t.store.log.lastSeq('c1')).toBe(7);
  });

  // What a compaction moves is exactly what the log holds: the rows there before a reopen, none
  // of an append that failed, none of a deleted conversation.

  it('compacts the entries the store found on opening, read from the table, with the later ones', async () => {
    const { log } = t.store;
    await log.append({ conversationId: 'c1', seq: 1, event: userMessage('one'), at: 2_000 });
    await log.append({ conversationId: 'c2', seq: 1, event: userMessage('two'), at: 2_000 });
    await log.append({ conversationId: 'c1', seq: 2, event: started(1), at: 2_001 });
    await t.reopen();
    // Two more reach the threshold of 5: one compaction of all five, then one more recent.
    await appendNext(t.store.log, 'c2', started(1), 2_002);
    await appendNext(t.store.log, 'c1', textDelta(1, 'a'), 2_003);
    await appendNext(t.store.log, 'c1', textDelta(1, 'b'), 2_004);
    expect(await count('recent_entries')).toBe(1);
    expect((await segments()).map((s) => [s.conversation_id, s.first_seq, s.last_seq])).toEqual([
      ['c1', 1, 3],
      ['c2', 1, 2],
    ]);
    expect(await texts('c1')).toEqual(['one', 'assistant.started', 'a', 'b']);
    expect(await texts('c2')).toEqual(['two', 'assistant.started']);
  });

  it('leaves out of its compactions what a failed append did not write; a failed compaction leaves every entry recent', async () => {
    // Triggers refuse a segment that holds the word "poison", and a recent entry that holds
    // "poison-alone": the append of the one fails alone (a lone INSERT), and the compaction of the
    // other fails, while its append stands. Nothing of the first may come back later, and all of
    // the second must.
    const poison = (sql: string) => execClosed(t, sql);
    await poison(`
      CREATE TRIGGER poisoned_segment BEFORE INSERT ON entry_segments
        WHEN NEW.entries LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poisoned'); END;
      CREATE TRIGGER poisoned_entry BEFORE INSERT ON recent_entries
        WHEN NEW.event LIKE '%poison-alone%' BEGIN SELECT RAISE(ABORT, 'poisoned'); END;
    `);
    const { log } = t.store;
    await log.append({ conversationId: 'c1', seq: 1, event: userMessage('one'), at: 2_000 });
    await log.append({ conversationId: 'c1', seq: 2, event: started(1), at: 2_001 });
    await expect(
      log.append({ conversationId: 'c1', seq: 3, event: textDelta(1, 'poison-alone'), at: 2_002 }),
    ).rejects.toThrow('poisoned');
    await log.append({ conversationId: 'c1', seq: 3, event: textDelta(1, 'a'), at: 2_002 });
    await log.append({ conversationId: 'c1', seq: 4, event: textDelta(1, 'b'), at: 2_003 });
    // The fifth recent entry makes a compaction due; its segment would hold the poison.
    await log.append({ conversationId: 'c1', seq: 5, event: textDelta(1, 'poison'), at: 2_004 });
    expect(compactionErrors.map((error) => (error as Error).message)).toEqual(['poisoned']);
    expect(await texts('c1')).toEqual(['one', 'assistant.started', 'a', 'b', 'poison']);
    expect(await count('recent_entries')).toBe(5);
    expect(await segments()).toEqual([]);

    // Without the segments' trigger (and reopened), the next append's compaction moves them all.
    await poison('DROP TRIGGER poisoned_segment');
    // (Each store reopened since tried it again as it closed, and failed the same way.)
    const failed = compactionErrors.length;
    for (const text of ['c', 'd', 'e'])
      await appendNext(t.store.log, 'c1', textDelta(1, text), 2_005);
    expect(await count('recent_entries')).toBe(2);
    expect((await segments()).map((s) => [s.conversation_id, s.first_seq, s.last_seq])).toEqual([
      ['c1', 1, 6],
    ]);
    expect(await texts('c1')).toEqual([
      'one',
      'assistant.started',
      'a',
      'b',
      'poison',
      'c',
      'd',
      'e',
    ]);
    expect(compactionErrors).toHaveLength(failed);
  });

  it('compacts none of the recent entries of a conversation deleted before it, and all the others', async () => {
    await interleavedTurns();
    // Recent now, in append order: c2's 12, c1's 13, c2's 13, c1's 14. c2 goes, then c1 goes on
    // past the threshold.
    const { log } = t.store;
    await appendNext(log, 'c1', textDelta(1, 'x'), 3_000);
    await appendNext(log, 'c2', userMessage('more'), 3_001);
    await appendNext(log, 'c1', textDelta(1, 'y'), 3_002);
    await t.store.conversations.delete('c2');
    for (let i = 0; i < 6; i++) await appendNext(log, 'c1', textDelta(1, `z${i}`), 3_003 + i);
    expect(await t.store.log.read('c2')).toEqual([]);
    expect((await t.store.log.read('c1')).map((entry) => entry.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect((await texts('c1')).slice(-8)).toEqual(['x', 'y', 'z0', 'z1', 'z2', 'z3', 'z4', 'z5']);
    const ofC1 = (await segments()).filter((s) => s.conversation_id === 'c1');
    expect(ofC1.at(-1)?.last_seq).toBe(17);
  });

  it('writes each segment as [[seq, at, machine_version, event], …] with the sha256 of that text', async () => {
    await interleavedTurns();
    const written = await segments();
    expect(written.length).toBeGreaterThan(2);
    for (const segment of written) {
      const expected = (await t.store.log.read(segment.conversation_id))
        .filter((entry) => entry.seq >= segment.first_seq && entry.seq <= segment.last_seq)
        .map((entry) => [entry.seq, entry.at, entry.machineVersion, entry.event]);
      expect(segment.entries).toBe(JSON.stringify(expected));
      expect(segment.last_at).toBe(Math.max(...expected.map(([, at]) => at as number)));
      expect(segment.checksum).toBe(createHash('sha256').update(segment.entries).digest('hex'));
    }
  });

  it('cuts a compaction of a long stretch into segments of at most SEGMENT_ENTRIES entries', async () => {
    // One compaction of 600 entries, two conversations streaming at once (c1 three times as
    // fast): c1's 450 make two segments, c2's 150 one, each read back whole and from inside.
    const long = tempStore({ compactAfter: 600, scheduleCompaction: compactAtOnce });
    try {
      for (const id of ['c1', 'c2'])
        await long.store.conversations.create({ id, createdAt: 1_000 });
      for (let i = 0; i < 150; i++) {
        for (const id of ['c1', 'c1', 'c1', 'c2']) {
          await appendNext(long.store.log, id, textDelta(1, `${id}-${i}`), 2_000 + i);
        }
      }
      const written = await readClosed(long, (raw) =>
        raw
          .prepare(
            'SELECT conversation_id, first_seq, last_seq FROM entry_segments ORDER BY last_seq',
          )
          .all(),
      );
      expect(written).toEqual([
        { conversation_id: 'c2', first_seq: 1, last_seq: 150 },
        { conversation_id: 'c1', first_seq: 1, last_seq: SEGMENT_ENTRIES },
        { conversation_id: 'c1', first_seq: SEGMENT_ENTRIES + 1, last_seq: 450 },
      ]);
      const seqs = async (id: string, afterSeq: number) =>
        (await long.store.log.read(id, afterSeq)).map((entry) => entry.seq);
      expect(await seqs('c1', 0)).toEqual(Array.from({ length: 450 }, (_, k) => k + 1));
      expect(await seqs('c1', 300)).toEqual(Array.from({ length: 150 }, (_, k) => k + 301));
      expect(await seqs('c2', 149)).toEqual([150]);
      // A page never cuts a segment: it ends where the segment that reaches its limit does.
      const page = async (afterSeq: number, limit: number) =>
        (await long.store.log.read('c1', afterSeq, limit)).map((entry) => entry.seq);
      expect(await page(0, 100)).toEqual(Array.from({ length: SEGMENT_ENTRIES }, (_, k) => k + 1));
      expect(await page(SEGMENT_ENTRIES, 100)).toEqual(
        Array.from({ length: 450 - SEGMENT_ENTRIES }, (_, k) => k + SEGMENT_ENTRIES + 1),
      );
    } finally {
      await long.dispose();
    }
  });
});

describe('a compaction in steps', () => {
  // The steps a compaction has asked for, run by hand: 600 entries are read in three (256, 256,
  // 88), then joined into segments in one, and moved in one.
  const steps: (() => void)[] = [];
  const errors: unknown[] = [];
  const s = tempStorePerTest(
    async (store) => {
      steps.length = 0;
      errors.length = 0;
      for (const id of ['c1', 'c2']) await store.conversations.create({ id, createdAt: 1_000 });
    },
    {
      compactAfter: 600,
      scheduleCompaction: (step) => steps.push(step),
      onCompactionError: (error) => errors.push(error),
    },
  );
  /** Runs up to `count` of the steps asked for (and those they ask for); says how many ran. */
  const runSteps = (count = Number.POSITIVE_INFINITY) => {
    let run = 0;
    for (; run < count && steps.length > 0; run++) steps.shift()!();
    return run;
  };
  /** `count` text deltas to each conversation of `ids`, taking turns. */
  const stream = async (ids: string[], count: number, label: string) => {
    for (let i = 0; i < count; i++) {
      for (const id of ids)
        await appendNext(s.store.log, id, textDelta(1, `${label}${i}`), 2_000 + i);
    }
  };
  const seqs = async (id: string) => (await s.store.log.read(id)).map((entry) => entry.seq);
  const upTo = (n: number) => Array.from({ length: n }, (_, k) => k + 1);
  /** The segments on disk, by conversation and seqs. */
  const written = () =>
    readClosed(s, (raw) =>
      raw
        .prepare(
          'SELECT conversation_id, first_seq, last_seq FROM entry_segments ORDER BY position',
        )
        .raw()
        .all(),
    );

  it('lets appends and reads go on between its steps; what is appended meanwhile waits for the next', async () => {
    await stream(['c1', 'c2'], 300, 'a');
    expect(steps).toHaveLength(1);
    runSteps(1);
    // Between two steps, every entry is read once, from where it is.
    await stream(['c1', 'c2'], 5, 'b');
    expect(await seqs('c1')).toEqual(upTo(305));
    // Two more reads, the join and the move: the compaction is done, and none is due after it
    // (closing the store below has nothing left to finish).
    expect(runSteps()).toBe(4);
    expect(steps).toEqual([]);
    expect(errors).toEqual([]);
    expect(await seqs('c1')).toEqual(upTo(305));
    expect(await seqs('c2')).toEqual(upTo(305));
    // The 600 are in segments; the 10 appended during the compaction are still recent.
    expect(await written()).toEqual([
      ['c1', 1, 256],
      ['c2', 1, 256],
      ['c1', 257, 300],
      ['c2', 257, 300],
    ]);
    expect(await seqs('c2')).toEqual(upTo(305));
  });

  it('drops a compaction under way when a conversation is deleted, and loses nothing appended after it', async () => {
    // c2 alone fills the recent table; the compaction has read some of it when c2 is deleted.
    await stream(['c2'], 600, 'a');
    runSteps(1);
    await s.store.conversations.delete('c2');
    // The table is empty now: c1's new rows take positions the dropped compaction had read.
    await stream(['c1'], 10, 'b');
    runSteps();
    expect(errors).toEqual([]);
    expect(await s.store.log.read('c2')).toEqual([]);
    expect(await seqs('c1')).toEqual(upTo(10));
    expect(await written()).toEqual([]);
    // c1 goes on to the threshold: its compaction moves all of it.
    await stream(['c1'], 590, 'c');
    runSteps();
    expect(await written()).toEqual([
      ['c1', 1, 256],
      ['c1', 257, 512],
      ['c1', 513, 600],
    ]);
    expect(await seqs('c1')).toEqual(upTo(600));
  });

  it('is finished by the append that finds four compactions of entries recent, with no step run', async () => {
    // A segment of c2's entries is refused: the compaction's failure is the sign that it ran.
    await execClosed(
      s,
      `CREATE TRIGGER refused BEFORE INSERT ON entry_segments
        WHEN NEW.conversation_id = 'c2' BEGIN SELECT RAISE(ABORT, 'refused'); END;`,
    );
    await stream(['c1', 'c2'], 1_199, 'a');
    expect(errors).toEqual([]);
    // The 2,400th entry: four times the threshold of 600.
    await stream(['c1', 'c2'], 1, 'b');
    expect(errors.map((error) => (error as Error).message)).toEqual(['refused']);
    expect(steps).toHaveLength(1);
    expect(await seqs('c1')).toEqual(upTo(1_200));
    expect(await seqs('c2')).toEqual(upTo(1_200));
  });

  it('is finished by closing the store; a step asked for before that then does nothing', async () => {
    await stream(['c1', 'c2'], 300, 'a');
    runSteps(1);
    const closed = s.store;
    await closed.close();
    runSteps();
    await s.reopen();
    expect(errors).toEqual([]);
    expect(await written()).toHaveLength(4);
    expect(await seqs('c1')).toEqual(upTo(300));
  });
});
