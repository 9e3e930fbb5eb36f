import { describe, expect, it, vi } from 'vitest';
import {
  started,
  textDelta,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import { grantsContract } from './grants-contract.ts';
import { managementContract } from './management-contract.ts';
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

    it('lists the most recent activity first, titled by the first message a person sent', async () => {
      await index().create({ id: 'old', createdAt: 1_000 });
      await index().create({ id: 'new', createdAt: 2_000 });
      await index().create({ id: 'empty', createdAt: 1_500 });
      await appendNext(t.store.log, 'old', userMessage('  Plan the\n  trip to Lisbon  '), 3_000);
      await appendNext(t.store.log, 'old', userMessage('And the budget'), 3_001);
      await appendNext(t.store.log, 'new', userMessage('Write my notes'), 2_500);
      expect(await index().list()).toEqual([
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
      await appendEvents(t.store.log, 'new', [started(1), textDelta(1, 'Sure')], 4_000);
      expect((await index().list()).map((c) => [c.id, c.lastSeq])).toEqual([
        ['new', 3],
        ['old', 2],
        ['empty', 0],
      ]);
      const list = await index().list();
      expect(await (await t.subject.reopen()).conversations.list()).toEqual(list);
    });

    it('knows which conversations exist, and refuses a duplicate or malformed one', async () => {
      expect(await index().has('c1')).toBe(false);
      await index().create({ id: 'c1', createdAt: 1_000 });
      expect(await index().has('c1')).toBe(true);
      await expect(index().create({ id: 'c1', createdAt: 2_000 })).rejects.toThrow(
        'conversation c1 already exists',
      );
      await expect(index().create({ id: '', createdAt: 1_000 })).rejects.toThrow(
        'refused conversation id ""',
      );
      await expect(index().create({ id: 'x'.repeat(129), createdAt: 1_000 })).rejects.toThrow(
        /^refused conversation id/,
      );
      await expect(index().create({ id: 'c2', createdAt: -1 })).rejects.toThrow(
        'refused creation time -1 for conversation c2',
      );
      expect(await index().has('c2')).toBe(false);
      expect(await (await t.subject.reopen()).conversations.has('c1')).toBe(true);
    });

    it('keeps each conversation’s owner, and lists one owner’s alone, across a reopen', async () => {
      await index().create({ id: 'mine', createdAt: 1_000 });
      await index().create({ id: 'a1', createdAt: 2_000, owner: 'alice' });
      await index().create({ id: 'b1', createdAt: 3_000, owner: 'bob' });
      await index().create({ id: 'a2', createdAt: 4_000, owner: 'alice' });
      await index().create({ id: 'also-mine', createdAt: 5_000, owner: null });
      await appendNext(t.store.log, 'a1', userMessage('Alice first'), 6_000);
      const ids = async (list: Promise<{ id: string }[]>) => (await list).map((c) => c.id);
      const check = async () => {
        expect(await ids(index().listOwnedBy('alice'))).toEqual(['a1', 'a2']);
        expect(await ids(index().listOwnedBy('bob'))).toEqual(['b1']);
        expect(await ids(index().listOwnedBy(null))).toEqual(['also-mine', 'mine']);
        expect(await index().listOwnedBy('carol')).toEqual([]);
        expect(await ids(index().list())).toEqual(['a1', 'also-mine', 'a2', 'b1', 'mine']);
        expect(
          await Promise.all(
            ['mine', 'a1', 'b1', 'also-mine', 'nope'].map((id) => index().ownerOf(id)),
          ),
        ).toEqual([null, 'alice', 'bob', null, undefined]);
        // The summary is the same whoever asks, and never names the owner (the page gets it).
        expect((await index().listOwnedBy('alice'))[0]).toEqual(await index().get('a1'));
        expect(await index().get('a1')).toEqual({
          id: 'a1',
          title: 'Alice first',
          createdAt: 2_000,
          updatedAt: 6_000,
          lastSeq: 1,
        });
      };
      await check();
      await t.subject.reopen();
      await check();
    });

    it('refuses an owner that is not a name', async () => {
      await expect(index().create({ id: 'c1', createdAt: 1_000, owner: '' })).rejects.toThrow(
        'refused owner "" for conversation c1',
      );
      await expect(
        index().create({ id: 'c1', createdAt: 1_000, owner: 'x'.repeat(257) }),
      ).rejects.toThrow(/^refused owner "x+" for conversation c1$/);
      expect(await index().has('c1')).toBe(false);
      await index().create({ id: 'c1', createdAt: 1_000, owner: 'x'.repeat(256) });
      expect(await index().ownerOf('c1')).toBe('x'.repeat(256));
    });

    it('gives one conversation’s summary as the list has it', async () => {
      await index().create({ id: 'c1', createdAt: 1_000 });
      await appendNext(t.store.log, 'c1', userMessage('Hello'), 2_000);
      expect(await index().get('c1')).toEqual((await index().list())[0]);
      expect(await index().get('nope')).toBeNull();
    });

    it('announces the conversations created or given a person’s message, after their entries, not facts', async () => {
      // One record of what the log's feed and the list's announce, in the order they do. A
      // creation, announced after everything before it, tells when the announcements are in.
      const heard: string[] = [];
      t.store.log.onAppended((entries) =>
        heard.push(...entries.map((e) => `entry ${e.conversationId} ${e.seq}`)),
      );
      const off = index().onChanged((ids) => heard.push(...ids.map((id) => `changed ${id}`)));
      const created = async (id: string, at: number) => {
        await index().create({ id, createdAt: at });
        await vi.waitFor(() => expect(heard).toContain(`changed ${id}`));
      };
      await created('c1', 1_000);
      await created('c3', 1_000);
      expect(heard).toEqual(['changed c1', 'changed c3']);
      heard.length = 0;

      await appendEvents(t.store.log, 'c1', [userMessage('one'), started(1)], 2_000);
      await appendNext(t.store.log, 'c1', userMessage('two'), 2_001);
      await appendNext(t.store.log, 'c3', userMessage('other'), 2_001);
      await created('c2', 3_000);
      expect(heard).toEqual([
        'entry c1 1',
        'entry c1 2',
        'changed c1',
        'entry c1 3',
        'changed c1',
        'entry c3 1',
        'changed c3',
        'changed c2',
      ]);
      heard.length = 0;

      // A streamed fact leaves the list as it is.
      await appendNext(t.store.log, 'c1', textDelta(1, 'fact'), 3_001);
      await created('c4', 3_001);
      expect(heard).toEqual(['entry c1 4', 'changed c4']);
      heard.length = 0;

      off();
      const after: string[] = [];
      index().onChanged((ids) => after.push(...ids));
      await appendNext(t.store.log, 'c1', userMessage('three'), 3_002);
      await index().create({ id: 'c5', createdAt: 3_002 });
      await vi.waitFor(() => expect(after).toContain('c5'));
      expect(after).toEqual(['c1', 'c5']);
      expect(heard).toEqual(['entry c1 5']);
    });
  });

  describe('CheckpointStore', () => {
    const snapshot = {
      status: 'active',
      value: 'streaming',
      context: { items: [{ text: 'hé 📝' }] },
    };
    const withLog = async () => {
      await t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
      await appendEvents(
        t.store.log,
        'c1',
        [userMessage('hi'), started(1), textDelta(1, 'a')],
        2_000,
      );
      return t.store.checkpoints;
    };

    it('round-trip as JSON, across a reopen', async () => {
      const checkpoints = await withLog();
      expect(await checkpoints.latest('c1')).toBeNull();
      await checkpoints.save('c1', 2, snapshot);
      expect(await checkpoints.latest('c1')).toEqual({ seq: 2, snapshot });
      expect(await (await t.subject.reopen()).checkpoints.latest('c1')).toEqual({
        seq: 2,
        snapshot,
      });
    });

    it('keep the newest: a later one replaces it, an older one does not', async () => {
      const checkpoints = await withLog();
      await checkpoints.save('c1', 2, { at: 2 });
      await checkpoints.save('c1', 3, { at: 3 });
      await checkpoints.save('c1', 1, { at: 1 });
      expect(await checkpoints.latest('c1')).toEqual({ seq: 3, snapshot: { at: 3 } });
    });

    it('are never ahead of the log, nor of an unknown conversation', async () => {
      const checkpoints = await withLog();
      await expect(checkpoints.save('c1', 4, snapshot)).rejects.toThrow(
        'refused a checkpoint at seq 4 of conversation c1, whose log ends at 3',
      );
      await expect(checkpoints.save('c1', -1, snapshot)).rejects.toThrow(/^refused a checkpoint/);
      await expect(checkpoints.save('nope', 1, snapshot)).rejects.toThrow(
        'there is no conversation nope',
      );
      expect(await checkpoints.latest('c1')).toBeNull();
      expect(await checkpoints.latest('nope')).toBeNull();
    });

    it('written by another machine version are ignored: the log is replayed instead', async () => {
      await (await withLog()).save('c1', 2, snapshot);
      expect(await (await t.subject.ageCheckpoint('c1')).checkpoints.latest('c1')).toBeNull();
    });
  });

  describe('CommandLedger', () => {
    it('finds a command by its commandId, in its own conversation only, across a reopen', async () => {
      await t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
      await t.store.conversations.create({ id: 'c2', createdAt: 1_000 });
      const message = userMessage('hi');
      expect(await t.store.commands.has('c1', message.commandId)).toBe(false);
      await appendNext(t.store.log, 'c1', message, 2_000);
      expect(await t.store.commands.has('c1', message.commandId)).toBe(true);
      expect(await t.store.commands.has('c2', message.commandId)).toBe(false);
      expect(await t.store.commands.has('c1', 'cmd_never')).toBe(false);
      expect(await t.store.commands.has('nope', message.commandId)).toBe(false);
      expect(await (await t.subject.reopen()).commands.has('c1', message.commandId)).toBe(true);
    });
  });

  describe('ConversationIndex: rename, delete, search', () => managementContract(t));
  describe('ToolGrants: always allow everywhere', () => grantsContract(t));

  describe('close', () => {
    it('refuses every use once closed; closing again is harmless', async () => {
      await t.store.conversations.create({ id: 'c1', createdAt: 1_000 });
      const store = t.store;
      await store.close();
      await store.close();
      await expect(
        store.log.append({ conversationId: 'c1', seq: 1, event: userMessage('hi'), at: 2_000 }),
      ).rejects.toThrow(/is closed$/);
      await expect(store.log.read('c1')).rejects.toThrow(/is closed$/);
      await expect(store.log.lastSeq('c1')).rejects.toThrow(/is closed$/);
      await expect(store.conversations.list()).rejects.toThrow(/is closed$/);
      await expect(store.conversations.listOwnedBy(null)).rejects.toThrow(/is closed$/);
      await expect(store.conversations.ownerOf('c1')).rejects.toThrow(/is closed$/);
      await expect(store.checkpoints.latest('c1')).rejects.toThrow(/is closed$/);
      await expect(store.commands.has('c1', 'cmd_1')).rejects.toThrow(/is closed$/);
      expect(await (await t.subject.reopen()).conversations.has('c1')).toBe(true);
    });
  });
}
