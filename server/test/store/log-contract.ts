import {
  type ConversationEvent,
  type LogEntry,
  MACHINE_VERSION,
  type UserMessageEvent,
} from '@tollgate/machines';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  completed,
  started,
  textDelta,
  toolChunk,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import type { NewEntry } from '../../src/store/conversation-log.ts';
import {
  DuplicateCommandError,
  EventStoreError,
  SeqConflictError,
} from '../../src/store/store-errors.ts';
import { killAppender } from './support/kill-appender.ts';
import { type StoreImplementation, subjectPerTest } from './support/store-implementation.ts';

/** The entry `seq` of a conversation (c1 unless named), appended at 2_000 + seq. */
const entry = (seq: number, event: ConversationEvent, conversationId = 'c1'): NewEntry => ({
  conversationId,
  seq,
  event,
  at: 2_000 + seq,
});

/** What `run` rejects with; fails the test if it resolves. */
async function refused(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal, but the call resolved');
}

/**
 * The contract of a `ConversationLog` (src/store/conversation-log.ts): registers its tests for
 * `implementation`, from inside the caller's describe. Each test gets a fresh store with the
 * conversations c1 and c2. Run by log-contract.test.ts for every implementation; a new one
 * passes it before it is used.
 */
export function logContract(implementation: StoreImplementation): void {
  describe('ConversationLog', () => {
    const t = subjectPerTest((options) => implementation.open(options));
    const log = () => t.store.log;
    const seqs = async (conversationId: string) =>
      (await log().read(conversationId)).map((e) => e.seq);
    beforeEach(async () => {
      await t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
      await t.store.conversations.create({ id: 'c2', createdAt: 1_000 });
    });

    describe('append', () => {
      it('numbers each conversation’s entries 1, 2, 3 without gaps, stamped with the machine version and time', async () => {
        const hello = userMessage('Hello');
        const first = await log().append(entry(1, hello));
        const second = await log().append(entry(2, started(1)));
        const other = await log().append(entry(1, userMessage('Other'), 'c2'));
        const third = await log().append(entry(3, textDelta(1, 'Hi')));
        expect(first).toEqual({
          conversationId: 'c1',
          seq: 1,
          event: hello,
          at: 2_001,
          machineVersion: MACHINE_VERSION,
        });
        expect(await log().read('c1')).toEqual([first, second, third]);
        expect(await log().read('c2')).toEqual([other]);
        expect(await log().lastSeq('c1')).toBe(3);
        expect(await log().lastSeq('c2')).toBe(1);
      });

      it('is durable when it resolves: a reopened store reads the same log and continues it', async () => {
        const entries = [
          await log().append(entry(1, userMessage('before'))),
          ...(await log().appendBatch([entry(2, started(1)), entry(3, textDelta(1, 'a'))])),
        ];
        const summary = await t.store.conversations.get('c1');
        const store = await t.subject.reopen();
        expect(await store.log.read('c1')).toEqual(entries);
        expect(await store.log.lastSeq('c1')).toBe(3);
        expect(await store.conversations.get('c1')).toEqual(summary);
        await expect(store.log.append(entry(3, completed(1)))).rejects.toThrow(SeqConflictError);
        expect((await store.log.append(entry(4, completed(1)))).seq).toBe(4);
      });

      it('refuses a seq that is taken (SeqConflictError), and writes nothing', async () => {
        await log().append(entry(1, userMessage('hi')));
        await log().append(entry(2, started(1)));
        const error = await refused(() => log().append(entry(2, textDelta(1, 'late'))));
        expect(error).toBeInstanceOf(SeqConflictError);
        expect(error).toMatchObject({
          conversationId: 'c1',
          seq: 2,
          lastSeq: 2,
          message: 'refused entry 2 of conversation c1: its log ends at 2, so the next entry is 3',
        });
        await expect(log().append(entry(1, textDelta(1, 'later')))).rejects.toThrow(
          SeqConflictError,
        );
        expect(await seqs('c1')).toEqual([1, 2]);
        expect((await log().read('c1', 1)).map((e) => e.event)).toEqual([started(1)]);
      });

      it('refuses a seq that skips ahead (SeqConflictError), and writes nothing', async () => {
        await expect(log().append(entry(2, userMessage('too soon')))).rejects.toThrow(
          SeqConflictError,
        );
        await log().append(entry(1, userMessage('hi')));
        await expect(log().append(entry(3, started(1)))).rejects.toThrow(
          /its log ends at 1, so the next entry is 2/,
        );
        expect(await seqs('c1')).toEqual([1]);
        expect(await log().lastSeq('c1')).toBe(1);
      });

      it('refuses a command already in the conversation’s log (DuplicateCommandError); another conversation may hold it', async () => {
        const message = userMessage('once');
        await log().append(entry(1, message));
        const error = await refused(() => log().append(entry(2, message)));
        expect(error).toBeInstanceOf(DuplicateCommandError);
        expect(error).toMatchObject({
          conversationId: 'c1',
          commandId: message.commandId,
          message: `command ${message.commandId} is already in the log of conversation c1`,
        });
        expect(await seqs('c1')).toEqual([1]);
        expect((await log().append(entry(1, message, 'c2'))).seq).toBe(1);
      });

      it('refuses an event that fails the schema, naming it and what is wrong, and writes nothing', async () => {
        const blank = { ...userMessage('x'), text: '   ' } satisfies UserMessageEvent;
        const error = await refused(() => log().append(entry(1, blank)));
        expect(error).toBeInstanceOf(EventStoreError);
        expect(error).not.toBeInstanceOf(SeqConflictError);
        expect(error.message).toMatch(
          /^refused to append an invalid user\.message to conversation c1: text: A message needs some text/,
        );
        const unknown = { type: 'assistant.mumbled' } as unknown as ConversationEvent;
        await expect(log().append(entry(1, unknown))).rejects.toThrow(
          /^refused to append an invalid assistant\.mumbled to conversation c1: /,
        );
        await expect(log().append(entry(1, null as unknown as ConversationEvent))).rejects.toThrow(
          /^refused to append an invalid event to conversation c1: /,
        );
        expect(await log().lastSeq('c1')).toBe(0);
        expect(await log().read('c1')).toEqual([]);
      });

      it('resolves with and stores the event as the schema reads it', async () => {
        const withExtra = { ...started(1), stray: 'not in the schema' } as ConversationEvent;
        const appended = await log().append(entry(1, withExtra));
        expect(appended.event).toEqual(started(1));
        // A text delta and a tool's chunk too, which are checked by hand unless they hold more
        // than the schema names (streamed-event-check.ts).
        const deltaWithExtra = { ...textDelta(1, 'a'), stray: 1 } as ConversationEvent;
        const delta = await log().append(entry(2, deltaWithExtra));
        expect(delta.event).toEqual(textDelta(1, 'a'));
        const chunkOf = toolChunk('toolu_1', 0, 'line', 4, 8);
        const chunkWithExtra = { ...chunkOf, stray: 1 } as ConversationEvent;
        const chunk = await log().append(entry(3, chunkWithExtra));
        expect(chunk.event).toEqual(chunkOf);
        expect(await log().read('c1')).toEqual([appended, delta, chunk]);
      });

      it('refuses an unknown conversation, a time that is not one and a seq that is not one', async () => {
        await expect(log().append(entry(1, userMessage('hi'), 'nope'))).rejects.toThrow(
          'there is no conversation nope',
        );
        const at = (value: number) => ({ ...entry(1, userMessage('hi')), at: value });
        await expect(log().append(at(-1))).rejects.toThrow(/^refused an append time of -1/);
        await expect(log().append(at(1.5))).rejects.toThrow(/^refused an append time of 1.5/);
        await expect(log().append(entry(0, userMessage('hi')))).rejects.toThrow(
          /^refused seq 0 for/,
        );
        await expect(log().append(entry(1.5, userMessage('hi')))).rejects.toThrow(
          /^refused seq 1.5 for/,
        );
        expect(await log().read('nope')).toEqual([]);
        expect(await log().lastSeq('nope')).toBe(0);
        expect(await log().lastSeq('c1')).toBe(0);
      });
    });

    describe('appendBatch', () => {
      it('appends entries of several conversations at once, each seq following the entries before it', async () => {
        const entries = await log().appendBatch([
          entry(1, userMessage('one')),
          entry(1, userMessage('two'), 'c2'),
          entry(2, started(1)),
          entry(2, started(1), 'c2'),
          entry(3, textDelta(1, 'a')),
        ]);
        expect(entries.map((e) => [e.conversationId, e.seq])).toEqual([
          ['c1', 1],
          ['c2', 1],
          ['c1', 2],
          ['c2', 2],
          ['c1', 3],
        ]);
        expect(await log().read('c1')).toEqual(entries.filter((e) => e.conversationId === 'c1'));
        expect(await log().read('c2')).toEqual(entries.filter((e) => e.conversationId === 'c2'));
        expect(await log().appendBatch([])).toEqual([]);
      });

      // Each batch starts with two acceptable entries, a person's message in c2 (which would give
      // it a title) and a command in c1, and ends with the refused one.
      const refusals: {
        refusal: string;
        last: (held: UserMessageEvent, staged: UserMessageEvent) => NewEntry;
        error: abstract new (...args: never[]) => Error;
        message: RegExp;
      }[] = [
        {
          refusal: 'an entry takes a seq an earlier entry of the batch took',
          last: () => entry(2, started(1)),
          error: SeqConflictError,
          message: /refused entry 2 of conversation c1: its log ends at 2/,
        },
        {
          refusal: 'an entry skips ahead',
          last: () => entry(4, started(1)),
          error: SeqConflictError,
          message: /refused entry 4 of conversation c1: its log ends at 2/,
        },
        {
          refusal: 'an event fails the schema',
          last: () => entry(3, { ...textDelta(1, 'b'), turn: 0 } as ConversationEvent),
          error: EventStoreError,
          message: /invalid assistant\.text_delta to conversation c1: turn:/,
        },
        {
          refusal: 'a command is in the log already',
          last: (held) => entry(3, held),
          error: DuplicateCommandError,
          message: /is already in the log of conversation c1/,
        },
        {
          refusal: 'a command is twice in the batch',
          last: (_, staged) => entry(3, staged),
          error: DuplicateCommandError,
          message: /is already in the log of conversation c1/,
        },
        {
          refusal: 'an entry is for an unknown conversation',
          last: () => entry(1, started(1), 'nope'),
          error: EventStoreError,
          message: /there is no conversation nope/,
        },
      ];

      it.each(refusals)('writes nothing when $refusal', async ({ last, error, message }) => {
        const held = userMessage('hi');
        const first = await log().append(entry(1, held));
        const before = await t.store.conversations.list();
        const announced: LogEntry[][] = [];
        log().onAppended((entries) => announced.push([...entries]));
        const titled = userMessage('would be the title of c2');
        const staged = userMessage('staged');
        const prefix = [entry(1, titled, 'c2'), entry(2, staged)];
        const refusal = await refused(() => log().appendBatch([...prefix, last(held, staged)]));
        expect(refusal).toBeInstanceOf(error);
        expect(refusal.message).toMatch(message);
        expect(await log().read('c1')).toEqual([first]);
        expect(await log().read('c2')).toEqual([]);
        expect(await log().lastSeq('c2')).toBe(0);
        expect(await t.store.conversations.list()).toEqual(before);
        expect(await t.store.conversations.get('c2')).toMatchObject({ title: null, lastSeq: 0 });
        expect(await t.store.commands.has('c2', titled.commandId)).toBe(false);
        expect(await t.store.commands.has('c1', staged.commandId)).toBe(false);
        expect(announced).toEqual([]);
        // Nothing of the refused batch lingers: the same entries are accepted on their own.
        expect((await log().appendBatch(prefix)).map((e) => e.seq)).toEqual([1, 2]);
        expect(await t.store.conversations.get('c2')).toMatchObject({
          title: 'would be the title of c2',
        });
      });
    });

    describe('read', () => {
      it('returns the entries after a seq, in seq order', async () => {
        await log().appendBatch([
          entry(1, userMessage('hi')),
          entry(2, started(1)),
          entry(3, textDelta(1, 'a')),
          entry(4, completed(1)),
        ]);
        expect((await log().read('c1', 2)).map((e) => e.seq)).toEqual([3, 4]);
        expect(await log().read('c1', 4)).toEqual([]);
        expect(await log().read('c1', 99)).toEqual([]);
        expect(await log().read('c1', 0)).toEqual(await log().read('c1'));
        expect(await seqs('c1')).toEqual([1, 2, 3, 4]);
        await expect(log().read('c1', -1)).rejects.toThrow('cannot read after seq -1');
        await expect(log().read('c1', 1.5)).rejects.toThrow('cannot read after seq 1.5');
      });

      it('returns a page of at least `limit` entries: the log read page by page is the log read whole', async () => {
        await log().appendBatch([
          entry(1, userMessage('hi')),
          entry(2, started(1)),
          entry(3, textDelta(1, 'a')),
          entry(4, textDelta(1, 'b')),
          entry(5, completed(1)),
        ]);
        const whole = await log().read('c1');
        const first = await log().read('c1', 0, 2);
        expect(first.length).toBeGreaterThanOrEqual(2);
        expect(first).toEqual(whole.slice(0, first.length));
        expect(await log().read('c1', 5, 2)).toEqual([]);
        for (const limit of [1, 2, 3]) {
          const pages: LogEntry[][] = [];
          for (let page = await log().read('c1', 0, limit); page.length > 0; ) {
            pages.push(page);
            page = await log().read('c1', page.at(-1)!.seq, limit);
          }
          expect(pages.flat(), `in pages of ${limit}`).toEqual(whole);
          // Only the last page may be short: a shorter one says the log ends there.
          for (const page of pages.slice(0, -1)) expect(page.length).toBeGreaterThanOrEqual(limit);
        }
        expect(await log().read('c1', 0, 99)).toEqual(await log().read('c1'));
        await expect(log().read('c1', 0, 0)).rejects.toThrow('cannot read 0 entries at a time');
        await expect(log().read('c1', 0, 2.5)).rejects.toThrow('cannot read 2.5 entries at a time');
      });
    });

    describe('onAppended', () => {
      it('announces each commit’s entries once, in order, durable, before the append resolves', async () => {
        const announced: LogEntry[][] = [];
        // What a reader finds at the moment of each announcement (read once the test has them).
        const readable: Promise<(LogEntry | undefined)[]>[] = [];
        log().onAppended((entries) => {
          announced.push([...entries]);
          readable.push(
            Promise.all(
              entries.map(async (e) => (await log().read(e.conversationId, e.seq - 1))[0]),
            ),
          );
        });
        const first = await log().append(entry(1, userMessage('hi')));
        expect(announced).toEqual([[first]]);
        const batch = await log().appendBatch([
          entry(2, started(1)),
          entry(1, userMessage('two'), 'c2'),
          entry(3, textDelta(1, 'a')),
        ]);
        const last = await log().append(entry(4, completed(1)));
        expect(announced).toEqual([[first], batch, [last]]);
        expect(await Promise.all(readable)).toEqual(announced);
        // What was announced is what a restart finds.
        const store = await t.subject.reopen();
        const announcedOf = (id: string) => announced.flat().filter((e) => e.conversationId === id);
        expect(await store.log.read('c1')).toEqual(announcedOf('c1'));
        expect(await store.log.read('c2')).toEqual(announcedOf('c2'));
      });

      it('announces nothing for a refused append or batch', async () => {
        const message = userMessage('hi');
        await log().append(entry(1, message));
        const announced: LogEntry[][] = [];
        log().onAppended((entries) => announced.push([...entries]));
        await expect(log().append(entry(1, started(1)))).rejects.toThrow(SeqConflictError);
        await expect(log().append(entry(2, message))).rejects.toThrow(DuplicateCommandError);
        const invalid = { ...textDelta(1, 'b'), turn: 0 } as ConversationEvent;
        await expect(log().appendBatch([entry(2, started(1)), entry(3, invalid)])).rejects.toThrow(
          EventStoreError,
        );
        expect(announced).toEqual([]);
        const next = await log().append(entry(2, started(1)));
        expect(announced).toEqual([[next]]);
      });

      it('a listener that throws fails neither the append nor the other listeners: its error is reported', async () => {
        const bug = new Error('a listener bug');
        const heard: number[] = [];
        log().onAppended(() => {
          throw bug;
        });
        log().onAppended((entries) => heard.push(...entries.map((e) => e.seq)));
        const appended = await log().append(entry(1, userMessage('hi')));
        expect(appended.seq).toBe(1);
        expect(heard).toEqual([1]);
        expect(t.takeListenerErrors()).toEqual([bug]);
        expect(await log().read('c1')).toEqual([appended]);
      });

      it('stops calling a listener once it is removed', async () => {
        const removed: number[] = [];
        const kept: number[] = [];
        const off = log().onAppended((entries) => removed.push(...entries.map((e) => e.seq)));
        log().onAppended((entries) => kept.push(...entries.map((e) => e.seq)));
        await log().append(entry(1, userMessage('hi')));
        off();
        await log().append(entry(2, started(1)));
        expect(removed).toEqual([1]);
        expect(kept).toEqual([1, 2]);
      });

      it('gives every listener the commits in order, even when one of them appends', async () => {
        const first: number[] = [];
        const second: number[] = [];
        let reaction: Promise<LogEntry> | undefined;
        log().onAppended((entries) => {
          first.push(...entries.map((e) => e.seq));
          const [only] = entries;
          // A reaction to a person's message, appended from inside the announcement of it.
          if (only?.event.type === 'user.message') {
            reaction = log().append(entry(only.seq + 1, started(1)));
          }
        });
        log().onAppended((entries) => second.push(...entries.map((e) => e.seq)));
        await log().append(entry(1, userMessage('hi')));
        expect((await reaction)?.seq).toBe(2);
        expect(first).toEqual([1, 2]);
        expect(second).toEqual([1, 2]);
        expect(await seqs('c1')).toEqual([1, 2]);
      });
    });

    if (implementation.persistent) killContract(implementation);
  });
}

/** For implementations whose data outlives the process: what survives a kill -9 of it. */
function killContract(implementation: Extract<StoreImplementation, { persistent: true }>) {
  describe('after a kill -9 of the process that was appending', () => {
    const t = subjectPerTest((options) => implementation.open(options));

    it('keeps every entry it announced, and continues from them', async () => {
      await t.store.close();
      const count = 2_000;
      const child = t.subject.spawnAppender('c1', count);
      const { ended } = await killAppender(child, (seq) => seq === count);
      expect(ended).toBe('SIGKILL');
      const store = await t.subject.reopen();
      const entries = await store.log.read('c1');
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      expect(await store.conversations.get('c1')).toMatchObject({
        title: 'Stream me something',
        lastSeq: count,
      });
      const next = { conversationId: 'c1', seq: count + 1, event: entries.at(-1)!.event, at: 1 };
      expect((await store.log.append(next)).seq).toBe(count + 1);
    });

    it('killed mid-stream: keeps everything it announced, with no gap and no torn entry', async () => {
      await t.store.close();
      const child = t.subject.spawnAppender('c1', 'forever');
      const { acknowledged, ended } = await killAppender(child, (seq) => seq >= 3_000);
      expect(ended).toBe('SIGKILL');
      const store = await t.subject.reopen();
      // The child may have committed a few more after its last line reached us; never fewer.
      const entries = await store.log.read('c1');
      expect(entries.length).toBeGreaterThanOrEqual(acknowledged);
      expect(entries.at(-1)?.seq).toBe(entries.length);
      expect(await store.log.lastSeq('c1')).toBe(entries.length);
    });
  });
}
