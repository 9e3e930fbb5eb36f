import { describe, expect, it } from 'vitest';
import {
  started,
  textDelta,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import { appendEvents, appendNext } from './support/append-next.ts';
import { type StoreImplementation, subjectPerTest } from './support/store-implementation.ts';

/**
 * The contract of the other parts of a `Store` (src/store/store.ts): the conversation list, the
 * checkpoints, the command ledger, and closing. Registers its tests for `implementation`, from
 * inside the caller's describe; run beside `logContract` by log-contract.test.ts.
 */
export function storeContract(implementation: StoreImplementation): void {
  const t = subjectPerTest((options) => implementation.open(options));

  describe('ConversationIndex', () => {
    const index = () => t.store.conversations;

    it('lists the most recent activity first, titled by the first message a person sent', () => {
      index().create({ id: 'old', createdAt: 1_000 });
      index().create({ id: 'new', createdAt: 2_000 });
      index().create({ id: 'empty', createdAt: 1_500 });
      appendNext(t.store.log, 'old', userMessage('  Plan the\n  trip to Lisbon  '), 3_000);
      appendNext(t.store.log, 'old', userMessage('And the budget'), 3_001);
      appendNext(t.store.log, 'new', userMessage('Write my notes'), 2_500);
      expect(index().list()).toEqual([
        {
          id: 'old',
          title: 'Plan the trip to Lisbon',
          createdAt: 1_000,
          updatedAt: 3_001,
          lastSeq: 2,
        },
        { id: 'new', title: 'Write my notes', createdAt: 2_000, updatedAt: 2_500, lastSeq: 1 },
        { id: 'empty', title: null, createdAt: 1_500, updatedAt: 1_500, lastSeq: 0 },
      ]);
      // A streamed answer is activity too.
      appendEvents(t.store.log, 'new', [started(1), textDelta(1, 'Sure')], 4_000);
      expect(
        index()
          .list()
          .map((c) => [c.id, c.lastSeq]),
      ).toEqual([
        ['new', 3],
        ['old', 2],
        ['empty', 0],
      ]);
      const list = index().list();
      expect(t.subject.reopen().conversations.list()).toEqual(list);
    });

    it('knows which conversations exist, and refuses a duplicate or malformed one', () => {
      expect(index().has('c1')).toBe(false);
      index().create({ id: 'c1', createdAt: 1_000 });
      expect(index().has('c1')).toBe(true);
      expect(() => index().create({ id: 'c1', createdAt: 2_000 })).toThrow(
        'conversation c1 already exists',
      );
      expect(() => index().create({ id: '', createdAt: 1_000 })).toThrow(
        'refused conversation id ""',
      );
      expect(() => index().create({ id: 'x'.repeat(129), createdAt: 1_000 })).toThrow(
        /^refused conversation id/,
      );
      expect(() => index().create({ id: 'c2', createdAt: -1 })).toThrow(
        'refused creation time -1 for conversation c2',
      );
      expect(index().has('c2')).toBe(false);
      expect(t.subject.reopen().conversations.has('c1')).toBe(true);
    });

    it('keeps each conversation’s owner, and lists one owner’s alone, across a reopen', () => {
      index().create({ id: 'mine', createdAt: 1_000 });
      index().create({ id: 'a1', createdAt: 2_000, owner: 'alice' });
      index().create({ id: 'b1', createdAt: 3_000, owner: 'bob' });
      index().create({ id: 'a2', createdAt: 4_000, owner: 'alice' });
      index().create({ id: 'also-mine', createdAt: 5_000, owner: null });
      appendNext(t.store.log, 'a1', userMessage('Alice first'), 6_000);
      const ids = (list: { id: string }[]) => list.map((c) => c.id);
      const check = () => {
        expect(ids(index().listOwnedBy('alice'))).toEqual(['a1', 'a2']);
        expect(ids(index().listOwnedBy('bob'))).toEqual(['b1']);
        expect(ids(index().listOwnedBy(null))).toEqual(['also-mine', 'mine']);
        expect(index().listOwnedBy('carol')).toEqual([]);
        expect(ids(index().list())).toEqual(['a1', 'also-mine', 'a2', 'b1', 'mine']);
        expect(['mine', 'a1', 'b1', 'also-mine', 'nope'].map((id) => index().ownerOf(id))).toEqual([
          null,
          'alice',
          'bob',
          null,
          undefined,
        ]);
        // The summary is the same whoever asks, and never names the owner (the page gets it).
        expect(index().listOwnedBy('alice')[0]).toEqual(index().get('a1'));
        expect(index().get('a1')).toEqual({
          id: 'a1',
          title: 'Alice first',
          createdAt: 2_000,
          updatedAt: 6_000,
          lastSeq: 1,
        });
      };
      check();
      t.subject.reopen();
      check();
    });

    it('refuses an owner that is not a name', () => {
      expect(() => index().create({ id: 'c1', createdAt: 1_000, owner: '' })).toThrow(
        'refused owner "" for conversation c1',
      );
      expect(() => index().create({ id: 'c1', createdAt: 1_000, owner: 'x'.repeat(257) })).toThrow(
        /^refused owner "x+" for conversation c1$/,
      );
      expect(index().has('c1')).toBe(false);
      index().create({ id: 'c1', createdAt: 1_000, owner: 'x'.repeat(256) });
      expect(index().ownerOf('c1')).toBe('x'.repeat(256));
    });

    it('gives one conversation’s summary as the list has it', () => {
      index().create({ id: 'c1', createdAt: 1_000 });
      appendNext(t.store.log, 'c1', userMessage('Hello'), 2_000);
      expect(index().get('c1')).toEqual(index().list()[0]);
      expect(index().get('nope')).toBeNull();
    });

    it('announces the conversations created or given a person’s message, once per tick, not facts', async () => {
      index().create({ id: 'c1', createdAt: 1_000 });
      index().create({ id: 'c3', createdAt: 1_000 });
      const calls: string[][] = [];
      const off = index().onChanged((ids) => calls.push(ids));
      appendEvents(t.store.log, 'c1', [userMessage('one'), started(1)], 2_000);
      appendNext(t.store.log, 'c1', userMessage('two'), 2_001);
      appendNext(t.store.log, 'c3', userMessage('other'), 2_001);
      expect(calls).toEqual([]); // after the caller has published its entries
      await Promise.resolve();
      expect(calls).toEqual([['c1', 'c3']]);
      index().create({ id: 'c2', createdAt: 3_000 });
      await Promise.resolve();
      expect(calls).toEqual([['c1', 'c3'], ['c2']]);
      appendNext(t.store.log, 'c1', textDelta(1, 'fact'), 3_001);
      await Promise.resolve();
      expect(calls).toHaveLength(2);
      off();
      appendNext(t.store.log, 'c1', userMessage('three'), 3_002);
      index().create({ id: 'c4', createdAt: 3_002 });
      await Promise.resolve();
      expect(calls).toHaveLength(2);
    });
  });

  describe('CheckpointStore', () => {
    const snapshot = {
      status: 'active',
      value: 'streaming',
      context: { items: [{ text: 'hé 📝' }] },
    };
    const withLog = () => {
      t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
      appendEvents(t.store.log, 'c1', [userMessage('hi'), started(1), textDelta(1, 'a')], 2_000);
      return t.store.checkpoints;
    };

    it('round-trip as JSON, across a reopen', () => {
      const checkpoints = withLog();
      expect(checkpoints.latest('c1')).toBeNull();
      checkpoints.save('c1', 2, snapshot);
      expect(checkpoints.latest('c1')).toEqual({ seq: 2, snapshot });
      expect(t.subject.reopen().checkpoints.latest('c1')).toEqual({ seq: 2, snapshot });
    });

    it('keep the newest: a later one replaces it, an older one does not', () => {
      const checkpoints = withLog();
      checkpoints.save('c1', 2, { at: 2 });
      checkpoints.save('c1', 3, { at: 3 });
      checkpoints.save('c1', 1, { at: 1 });
      expect(checkpoints.latest('c1')).toEqual({ seq: 3, snapshot: { at: 3 } });
    });

    it('are never ahead of the log, nor of an unknown conversation', () => {
      const checkpoints = withLog();
      expect(() => checkpoints.save('c1', 4, snapshot)).toThrow(
        'refused a checkpoint at seq 4 of conversation c1, whose log ends at 3',
      );
      expect(() => checkpoints.save('c1', -1, snapshot)).toThrow(/^refused a checkpoint/);
      expect(() => checkpoints.save('nope', 1, snapshot)).toThrow('there is no conversation nope');
      expect(checkpoints.latest('c1')).toBeNull();
      expect(checkpoints.latest('nope')).toBeNull();
    });

    it('written by another machine version are ignored: the log is replayed instead', () => {
      withLog().save('c1', 2, snapshot);
      expect(t.subject.ageCheckpoint('c1').checkpoints.latest('c1')).toBeNull();
    });
  });

  describe('CommandLedger', () => {
    it('finds a command by its commandId, in its own conversation only, across a reopen', () => {
      t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
      t.store.conversations.create({ id: 'c2', createdAt: 1_000 });
      const message = userMessage('hi');
      expect(t.store.commands.has('c1', message.commandId)).toBe(false);
      appendNext(t.store.log, 'c1', message, 2_000);
      expect(t.store.commands.has('c1', message.commandId)).toBe(true);
      expect(t.store.commands.has('c2', message.commandId)).toBe(false);
      expect(t.store.commands.has('c1', 'cmd_never')).toBe(false);
      expect(t.store.commands.has('nope', message.commandId)).toBe(false);
      expect(t.subject.reopen().commands.has('c1', message.commandId)).toBe(true);
    });
  });

  describe('close', () => {
    it('refuses every use once closed; closing again is harmless', () => {
      t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
      const store = t.store;
      store.close();
      store.close();
      expect(() => appendNext(store.log, 'c1', userMessage('hi'), 2_000)).toThrow(/is closed$/);
      expect(() => store.log.read('c1')).toThrow(/is closed$/);
      expect(() => store.conversations.list()).toThrow(/is closed$/);
      expect(() => store.conversations.listOwnedBy(null)).toThrow(/is closed$/);
      expect(() => store.conversations.ownerOf('c1')).toThrow(/is closed$/);
      expect(() => store.checkpoints.latest('c1')).toThrow(/is closed$/);
      expect(() => store.commands.has('c1', 'cmd_1')).toThrow(/is closed$/);
      expect(t.subject.reopen().conversations.has('c1')).toBe(true);
    });
  });
}
