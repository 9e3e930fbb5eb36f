import type { ConversationEvent } from '@tollgate/machines';
import { describe, expect, it, vi } from 'vitest';
import {
  completed,
  renamed,
  started,
  stop,
  textDelta,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import type { Store } from '../../src/store/store.ts';
import { appendEvents, appendNext } from './support/append-next.ts';
import type { StoreSubject } from './support/store-implementation.ts';

/** What the suite reads of the caller's subject (subjectPerTest). */
interface Subject {
  readonly store: Store;
  readonly subject: StoreSubject;
}

/**
 * The contract of managing conversations (src/store/conversation-index.ts): renaming (the title
 * the log's rename gives), deleting (everything of a conversation purged), and searching (titles
 * and message text, the person's own only). Registered from `storeContract`.
 */
export function managementContract(t: Subject): void {
  const index = () => t.store.conversations;
  const answer = (text: string): ConversationEvent[] => [
    started(1),
    textDelta(1, text.slice(0, 5)),
    textDelta(1, text.slice(5)),
    completed(1),
  ];

  describe('renaming', () => {
    it('gives the title in the append, and a later message does not replace it', async () => {
      await index().create({ id: 'c1', createdAt: 1_000 });
      await appendNext(t.store.log, 'c1', userMessage('Plan the trip'), 2_000);
      await appendNext(t.store.log, 'c1', renamed('Lisbon, May'), 2_001);
      expect(await index().get('c1')).toMatchObject({ title: 'Lisbon, May', lastSeq: 2 });
      await appendNext(t.store.log, 'c1', userMessage('And the budget'), 2_002);
      expect((await index().get('c1'))?.title).toBe('Lisbon, May');
      // Renamed before any message: the first message does not replace it either.
      await index().create({ id: 'c2', createdAt: 1_000 });
      await appendNext(t.store.log, 'c2', renamed('Named first'), 2_000);
      await appendNext(t.store.log, 'c2', userMessage('hello'), 2_001);
      expect((await index().get('c2'))?.title).toBe('Named first');
      // The last rename of a batch wins, wherever the first message is in it.
      await index().create({ id: 'c3', createdAt: 1_000 });
      await appendEvents(
        t.store.log,
        'c3',
        [renamed('one'), userMessage('hi'), renamed('two'), started(1)],
        2_000,
      );
      expect((await index().get('c3'))?.title).toBe('two');
      const reopened = await t.subject.reopen();
      expect((await reopened.conversations.get('c1'))?.title).toBe('Lisbon, May');
      expect((await reopened.log.read('c1')).map((e) => e.event.type)).toEqual([
        'user.message',
        'conversation.renamed',
        'user.message',
      ]);
    });

    it('is announced as a change to the list', async () => {
      await index().create({ id: 'c1', createdAt: 1_000 });
      const heard: string[][] = [];
      index().onChanged((ids) => heard.push(ids));
      await appendNext(t.store.log, 'c1', renamed('New name'), 2_000);
      await vi.waitFor(() => expect(heard).toEqual([['c1']]));
    });
  });

  describe('deleting', () => {
    it('purges the log, the commands, the checkpoints and the texts of one conversation only', async () => {
      await index().create({ id: 'gone', createdAt: 1_000, owner: 'alice' });
      await index().create({ id: 'kept', createdAt: 1_000, owner: 'alice' });
      const message = userMessage('Lisbon notes');
      for (const id of ['gone', 'kept']) {
        await appendEvents(
          t.store.log,
          id,
          [id === 'gone' ? message : userMessage('Lisbon notes'), ...answer('Lisbon it is')],
          2_000,
        );
      }
      await t.store.checkpoints.save('gone', 2, { at: 2 });
      const deleted: [string, string | null][] = [];
      index().onDeleted((id, owner) => deleted.push([id, owner]));

      expect(await index().delete('gone')).toBe('alice');
      const check = async (store: Store) => {
        expect(await store.conversations.has('gone')).toBe(false);
        expect(await store.conversations.get('gone')).toBeNull();
        expect(await store.conversations.ownerOf('gone')).toBeUndefined();
        expect((await store.conversations.list()).map((c) => c.id)).toEqual(['kept']);
        expect(await store.log.read('gone')).toEqual([]);
        expect(await store.log.lastSeq('gone')).toBe(0);
        expect(await store.commands.has('gone', message.commandId)).toBe(false);
        expect(await store.checkpoints.latest('gone')).toBeNull();
        const found = await store.conversations.search('alice', 'lisbon');
        expect(new Set(found.results.map((r) => r.conversationId))).toEqual(new Set(['kept']));
        expect(await store.log.read('kept')).toHaveLength(5);
      };
      await check(t.store);
      await vi.waitFor(() => expect(deleted).toEqual([['gone', 'alice']]));
      // Nothing more to delete, and nothing can be appended to it.
      expect(await index().delete('gone')).toBeUndefined();
      expect(await index().delete('never')).toBeUndefined();
      await expect(
        t.store.log.append({ conversationId: 'gone', seq: 6, event: userMessage('x'), at: 3_000 }),
      ).rejects.toThrow('there is no conversation gone');
      await check(await t.subject.reopen());
    });

    it('leaves the id free: a conversation created with it again starts empty', async () => {
      await index().create({ id: 'c1', createdAt: 1_000 });
      const message = userMessage('first life');
      await appendNext(t.store.log, 'c1', message, 2_000);
      await index().delete('c1');
      await index().create({ id: 'c1', createdAt: 3_000 });
      expect(await index().get('c1')).toMatchObject({ title: null, lastSeq: 0 });
      // The same command is new to it.
      await appendNext(t.store.log, 'c1', message, 4_000);
      expect(await t.store.log.read('c1')).toHaveLength(1);
    });
  });

  describe('searching', () => {
    it('finds titles and messages, the person’s and Claude’s, ignoring case, with the match marked', async () => {
      await index().create({ id: 'trip', createdAt: 1_000, owner: 'alice' });
      await index().create({ id: 'work', createdAt: 1_000, owner: 'alice' });
      const question = userMessage('What should I see in Lisbon?');
      await appendEvents(t.store.log, 'trip', [question], 2_000);
      // Claude's text streams in deltas: the match spans two of them.
      await appendEvents(
        t.store.log,
        'trip',
        [started(1), textDelta(1, 'Start at the Alfama, then '), textDelta(1, 'take tram 28.')],
        2_001,
      );
      await appendEvents(t.store.log, 'trip', [completed(1)], 2_002);
      await appendEvents(t.store.log, 'work', [renamed('Lisbon office')], 3_000);

      const found = await index().search('alice', 'LISBON');
      expect(found.truncated).toBe(false);
      const tripTitle = 'What should I see in Lisbon?';
      const inQuestion = { before: 'What should I see in ', match: 'Lisbon', after: '?' };
      // Titles first, in the list's order; then messages, newest first.
      expect(found.results).toEqual([
        {
          conversationId: 'work',
          title: 'Lisbon office',
          seq: null,
          anchor: null,
          snippet: { before: '', match: 'Lisbon', after: ' office' },
        },
        { conversationId: 'trip', title: tripTitle, seq: null, anchor: null, snippet: inQuestion },
        {
          conversationId: 'trip',
          title: tripTitle,
          seq: 1,
          anchor: `u-${question.commandId}`,
          snippet: inQuestion,
        },
      ]);

      const tram = await index().search('alice', 'then take TRAM');
      expect(tram.results).toEqual([
        {
          conversationId: 'trip',
          title: tripTitle,
          seq: 3,
          anchor: 'a-1',
          snippet: { before: 'Start at the Alfama, ', match: 'then take tram', after: ' 28.' },
        },
      ]);
      expect(
        (await (await t.subject.reopen()).conversations.search('alice', 'tram')).results,
      ).toHaveLength(1);
    });

    it('answers only the owner’s conversations', async () => {
      await index().create({ id: 'a', createdAt: 1_000, owner: 'alice' });
      await index().create({ id: 'b', createdAt: 1_000, owner: 'bob' });
      await index().create({ id: 'n', createdAt: 1_000 });
      for (const id of ['a', 'b', 'n']) {
        await appendNext(t.store.log, id, userMessage(`secret plan of ${id}`), 2_000);
      }
      const ids = async (owner: string | null) =>
        (await index().search(owner, 'secret plan')).results.map((r) => r.conversationId);
      expect(await ids('alice')).toEqual(['a', 'a']);
      expect(await ids('bob')).toEqual(['b', 'b']);
      expect(await ids(null)).toEqual(['n', 'n']);
      expect(await ids('carol')).toEqual([]);
    });

    it('searches a block of Claude’s text once it has ended, and a stopped one too', async () => {
      await index().create({ id: 'c1', createdAt: 1_000 });
      await appendEvents(
        t.store.log,
        'c1',
        [userMessage('hi'), started(1), textDelta(1, 'streaming words')],
        2_000,
      );
      expect((await index().search(null, 'streaming')).results).toEqual([]);
      await appendNext(t.store.log, 'c1', stop(), 2_001);
      expect((await index().search(null, 'streaming')).results).toMatchObject([
        { seq: 3, anchor: 'a-1', snippet: { match: 'streaming' } },
      ]);
    });

    it('takes the query literally, and keeps to the limit', async () => {
      await index().create({ id: 'c1', createdAt: 1_000 });
      await appendNext(t.store.log, 'c1', userMessage('100% sure_thing'), 2_000);
      await appendNext(t.store.log, 'c1', userMessage('1000 sure things'), 2_001);
      const matches = async (query: string) =>
        (await index().search(null, query)).results.filter((r) => r.seq !== null).length;
      expect(await matches('0% sure_')).toBe(1);
      expect(await matches('0_ sure')).toBe(0);
      expect(await matches('%')).toBe(1);
      expect(await matches('   ')).toBe(0);
      expect((await index().search(null, '   ')).results).toEqual([]);
      for (let i = 0; i < 6; i++) {
        await appendNext(t.store.log, 'c1', userMessage(`note ${i}`), 3_000 + i);
      }
      const limited = await index().search(null, 'note', 4);
      expect(limited.truncated).toBe(true);
      // Newest first.
      expect(limited.results.map((r) => r.snippet.after)).toEqual([' 5', ' 4', ' 3', ' 2']);
      const all = await index().search(null, 'note', 6);
      expect([all.results.length, all.truncated]).toEqual([6, false]);
    });

    it('cuts a long text around the match', async () => {
      await index().create({ id: 'c1', createdAt: 1_000 });
      const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
      await appendNext(t.store.log, 'c1', userMessage(`${words(40)} NEEDLE ${words(40)}`), 2_000);
      const [result] = (await index().search(null, 'needle')).results.filter((r) => r.seq);
      expect(result?.snippet.match).toBe('NEEDLE');
      expect(result?.snippet.before.startsWith('…')).toBe(true);
      expect(result?.snippet.after.endsWith('…')).toBe(true);
      expect(result!.snippet.before.length).toBeLessThanOrEqual(61);
      expect(result!.snippet.after.length).toBeLessThanOrEqual(61);
    });
  });
}
