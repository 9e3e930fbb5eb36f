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

/** What `run` throws; fails the test if it returns. */
function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal, but the call returned');
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
    const seqs = (conversationId: string) =>
      log()
        .read(conversationId)
        .map((e) => e.seq);
    beforeEach(() => {
      t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
      t.store.conversations.create({ id: 'c2', createdAt: 1_000 });
    });

    describe('append', () => {
      it('numbers each conversation’s entries 1, 2, 3 without gaps, stamped with the machine version and time', () => {
        const hello = userMessage('Hello');
        const first = log().append(entry(1, hello));
        const second = log().append(entry(2, started(1)));
        const other = log().append(entry(1, userMessage('Other'), 'c2'));
        const third = log().append(entry(3, textDelta(1, 'Hi')));
        expect(first).toEqual({
          conversationId: 'c1',
          seq: 1,
          event: hello,
          at: 2_001,
          machineVersion: MACHINE_VERSION,
        });
        expect(log().read('c1')).toEqual([first, second, third]);
        expect(log().read('c2')).toEqual([other]);
        expect(log().lastSeq('c1')).toBe(3);
        expect(log().lastSeq('c2')).toBe(1);
      });

      it('is durable when it returns: a reopened store reads the same log and continues it', () => {
        const entries = [
          log().append(entry(1, userMessage('before'))),
          ...log().appendBatch([entry(2, started(1)), entry(3, textDelta(1, 'a'))]),
        ];
        const summary = t.store.conversations.get('c1');
        const store = t.subject.reopen();
        expect(store.log.read('c1')).toEqual(entries);
        expect(store.log.lastSeq('c1')).toBe(3);
        expect(store.conversations.get('c1')).toEqual(summary);
        expect(() => store.log.append(entry(3, completed(1)))).toThrow(SeqConflictError);
        expect(store.log.append(entry(4, completed(1))).seq).toBe(4);
      });

      it('refuses a seq that is taken (SeqConflictError), and writes nothing', () => {
        log().append(entry(1, userMessage('hi')));
        log().append(entry(2, started(1)));
        const error = thrown(() => log().append(entry(2, textDelta(1, 'late'))));
        expect(error).toBeInstanceOf(SeqConflictError);
        expect(error).toMatchObject({
          conversationId: 'c1',
          seq: 2,
          lastSeq: 2,
          message: 'refused entry 2 of conversation c1: its log ends at 2, so the next entry is 3',
        });
        expect(() => log().append(entry(1, textDelta(1, 'later')))).toThrow(SeqConflictError);
        expect(seqs('c1')).toEqual([1, 2]);
        expect(
          log()
            .read('c1', 1)
            .map((e) => e.event),
        ).toEqual([started(1)]);
      });

      it('refuses a seq that skips ahead (SeqConflictError), and writes nothing', () => {
        expect(() => log().append(entry(2, userMessage('too soon')))).toThrow(SeqConflictError);
        log().append(entry(1, userMessage('hi')));
        expect(() => log().append(entry(3, started(1)))).toThrow(
          /its log ends at 1, so the next entry is 2/,
        );
        expect(seqs('c1')).toEqual([1]);
        expect(log().lastSeq('c1')).toBe(1);
      });

      it('refuses a command already in the conversation’s log (DuplicateCommandError); another conversation may hold it', () => {
        const message = userMessage('once');
        log().append(entry(1, message));
        const error = thrown(() => log().append(entry(2, message)));
        expect(error).toBeInstanceOf(DuplicateCommandError);
        expect(error).toMatchObject({
          conversationId: 'c1',
          commandId: message.commandId,
          message: `command ${message.commandId} is already in the log of conversation c1`,
        });
        expect(seqs('c1')).toEqual([1]);
        expect(log().append(entry(1, message, 'c2')).seq).toBe(1);
      });

      it('refuses an event that fails the schema, naming it and what is wrong, and writes nothing', () => {
        const blank = { ...userMessage('x'), text: '   ' } satisfies UserMessageEvent;
        const error = thrown(() => log().append(entry(1, blank)));
        expect(error).toBeInstanceOf(EventStoreError);
        expect(error).not.toBeInstanceOf(SeqConflictError);
        expect(error.message).toMatch(
          /^refused to append an invalid user\.message to conversation c1: text: A message needs some text/,
        );
        const unknown = { type: 'assistant.mumbled' } as unknown as ConversationEvent;
        expect(() => log().append(entry(1, unknown))).toThrow(
          /^refused to append an invalid assistant\.mumbled to conversation c1: /,
        );
        expect(() => log().append(entry(1, null as unknown as ConversationEvent))).toThrow(
          /^refused to append an invalid event to conversation c1: /,
        );
        expect(log().lastSeq('c1')).toBe(0);
        expect(log().read('c1')).toEqual([]);
      });

      it('returns and stores the event as the schema reads it', () => {
        const withExtra = { ...started(1), stray: 'not in the schema' } as ConversationEvent;
        const appended = log().append(entry(1, withExtra));
        expect(appended.event).toEqual(started(1));
        expect(log().read('c1')).toEqual([appended]);
      });

      it('refuses an unknown conversation, a time that is not one and a seq that is not one', () => {
        expect(() => log().append(entry(1, userMessage('hi'), 'nope'))).toThrow(
          'there is no conversation nope',
        );
        const at = (value: number) => ({ ...entry(1, userMessage('hi')), at: value });
        expect(() => log().append(at(-1))).toThrow(/^refused an append time of -1/);
        expect(() => log().append(at(1.5))).toThrow(/^refused an append time of 1.5/);
        expect(() => log().append(entry(0, userMessage('hi')))).toThrow(/^refused seq 0 for/);
        expect(() => log().append(entry(1.5, userMessage('hi')))).toThrow(/^refused seq 1.5 for/);
        expect(log().read('nope')).toEqual([]);
        expect(log().lastSeq('nope')).toBe(0);
        expect(log().lastSeq('c1')).toBe(0);
      });
    });

    describe('appendBatch', () => {
      it('appends entries of several conversations at once, each seq following the entries before it', () => {
        const entries = log().appendBatch([
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
        expect(log().read('c1')).toEqual(entries.filter((e) => e.conversationId === 'c1'));
        expect(log().read('c2')).toEqual(entries.filter((e) => e.conversationId === 'c2'));
        expect(log().appendBatch([])).toEqual([]);
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

      it.each(refusals)('writes nothing when $refusal', ({ last, error, message }) => {
        const held = userMessage('hi');
        const first = log().append(entry(1, held));
        const before = t.store.conversations.list();
        const announced: LogEntry[][] = [];
        log().onAppended((entries) => announced.push([...entries]));
        const titled = userMessage('would be the title of c2');
        const staged = userMessage('staged');
        const prefix = [entry(1, titled, 'c2'), entry(2, staged)];
        const refused = thrown(() => log().appendBatch([...prefix, last(held, staged)]));
        expect(refused).toBeInstanceOf(error);
        expect(refused.message).toMatch(message);
        expect(log().read('c1')).toEqual([first]);
        expect(log().read('c2')).toEqual([]);
        expect(log().lastSeq('c2')).toBe(0);
        expect(t.store.conversations.list()).toEqual(before);
        expect(t.store.conversations.get('c2')).toMatchObject({ title: null, lastSeq: 0 });
        expect(t.store.commands.has('c2', titled.commandId)).toBe(false);
        expect(t.store.commands.has('c1', staged.commandId)).toBe(false);
        expect(announced).toEqual([]);
        // Nothing of the refused batch lingers: the same entries are accepted on their own.
        expect(
          log()
            .appendBatch(prefix)
            .map((e) => e.seq),
        ).toEqual([1, 2]);
        expect(t.store.conversations.get('c2')).toMatchObject({
          title: 'would be the title of c2',
        });
      });
    });

    describe('read', () => {
      it('returns the entries after a seq, in seq order', () => {
        log().appendBatch([
          entry(1, userMessage('hi')),
          entry(2, started(1)),
          entry(3, textDelta(1, 'a')),
          entry(4, completed(1)),
        ]);
        expect(
          log()
            .read('c1', 2)
            .map((e) => e.seq),
        ).toEqual([3, 4]);
        expect(log().read('c1', 4)).toEqual([]);
        expect(log().read('c1', 99)).toEqual([]);
        expect(log().read('c1', 0)).toEqual(log().read('c1'));
        expect(seqs('c1')).toEqual([1, 2, 3, 4]);
        expect(() => log().read('c1', -1)).toThrow('cannot read after seq -1');
        expect(() => log().read('c1', 1.5)).toThrow('cannot read after seq 1.5');
      });
    });

    describe('onAppended', () => {
      it('announces each commit’s entries once, in order, durable, before the append returns', () => {
        const announced: LogEntry[][] = [];
        const readable: (LogEntry | undefined)[][] = [];
        log().onAppended((entries) => {
          announced.push([...entries]);
          readable.push(entries.map((e) => log().read(e.conversationId, e.seq - 1)[0]));
        });
        const first = log().append(entry(1, userMessage('hi')));
        expect(announced).toEqual([[first]]);
        const batch = log().appendBatch([
          entry(2, started(1)),
          entry(1, userMessage('two'), 'c2'),
          entry(3, textDelta(1, 'a')),
        ]);
        const last = log().append(entry(4, completed(1)));
        expect(announced).toEqual([[first], batch, [last]]);
        expect(readable).toEqual(announced);
        // What was announced is what a restart finds.
        const store = t.subject.reopen();
        const announcedOf = (id: string) => announced.flat().filter((e) => e.conversationId === id);
        expect(store.log.read('c1')).toEqual(announcedOf('c1'));
        expect(store.log.read('c2')).toEqual(announcedOf('c2'));
      });

      it('announces nothing for a refused append or batch', () => {
        const message = userMessage('hi');
        log().append(entry(1, message));
        const announced: LogEntry[][] = [];
        log().onAppended((entries) => announced.push([...entries]));
        expect(() => log().append(entry(1, started(1)))).toThrow(SeqConflictError);
        expect(() => log().append(entry(2, message))).toThrow(DuplicateCommandError);
        const invalid = { ...textDelta(1, 'b'), turn: 0 } as ConversationEvent;
        expect(() => log().appendBatch([entry(2, started(1)), entry(3, invalid)])).toThrow(
          EventStoreError,
        );
        expect(announced).toEqual([]);
        const next = log().append(entry(2, started(1)));
        expect(announced).toEqual([[next]]);
      });

      it('a listener that throws fails neither the append nor the other listeners: its error is reported', () => {
        const bug = new Error('a listener bug');
        const heard: number[] = [];
        log().onAppended(() => {
          throw bug;
        });
        log().onAppended((entries) => heard.push(...entries.map((e) => e.seq)));
        const appended = log().append(entry(1, userMessage('hi')));
        expect(appended.seq).toBe(1);
        expect(heard).toEqual([1]);
        expect(t.takeListenerErrors()).toEqual([bug]);
        expect(log().read('c1')).toEqual([appended]);
      });

      it('stops calling a listener once it is removed', () => {
        const removed: number[] = [];
        const kept: number[] = [];
        const off = log().onAppended((entries) => removed.push(...entries.map((e) => e.seq)));
        log().onAppended((entries) => kept.push(...entries.map((e) => e.seq)));
        log().append(entry(1, userMessage('hi')));
        off();
        log().append(entry(2, started(1)));
        expect(removed).toEqual([1]);
        expect(kept).toEqual([1, 2]);
      });

      it('gives every listener the commits in order, even when one of them appends', () => {
        const first: number[] = [];
        const second: number[] = [];
        log().onAppended((entries) => {
          first.push(...entries.map((e) => e.seq));
          const [only] = entries;
          // A reaction to a person's message, appended from inside the announcement of it.
          if (only?.event.type === 'user.message') log().append(entry(only.seq + 1, started(1)));
        });
        log().onAppended((entries) => second.push(...entries.map((e) => e.seq)));
        log().append(entry(1, userMessage('hi')));
        expect(first).toEqual([1, 2]);
        expect(second).toEqual([1, 2]);
        expect(seqs('c1')).toEqual([1, 2]);
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
      t.store.close();
      const count = 2_000;
      const child = t.subject.spawnAppender('c1', count);
      const { ended } = await killAppender(child, (seq) => seq === count);
      expect(ended).toBe('SIGKILL');
      const store = t.subject.reopen();
      const entries = store.log.read('c1');
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      expect(store.conversations.get('c1')).toMatchObject({
        title: 'Stream me something',
        lastSeq: count,
      });
      const next = { conversationId: 'c1', seq: count + 1, event: entries.at(-1)!.event, at: 1 };
      expect(store.log.append(next).seq).toBe(count + 1);
    });

    it('killed mid-stream: keeps everything it announced, with no gap and no torn entry', async () => {
      t.store.close();
      const child = t.subject.spawnAppender('c1', 'forever');
      const { acknowledged, ended } = await killAppender(child, (seq) => seq >= 3_000);
      expect(ended).toBe('SIGKILL');
      const store = t.subject.reopen();
      // The child may have committed a few more after its last line reached us; never fewer.
      const entries = store.log.read('c1');
      expect(entries.length).toBeGreaterThanOrEqual(acknowledged);
      expect(entries.at(-1)?.seq).toBe(entries.length);
      expect(store.log.lastSeq('c1')).toBe(entries.length);
    });
  });
}
