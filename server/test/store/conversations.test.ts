import { describe, expect, it } from 'vitest';
import {
  started,
  textDelta,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import { conversationTitle } from '../../src/store/conversation-title.ts';
import { tempStorePerTest } from './support/temp-store.ts';

const t = tempStorePerTest();

describe('conversations', () => {
  it('lists the most recent activity first, with the first message as the title', () => {
    t.store.createConversation({ id: 'old', createdAt: 1_000 });
    t.store.createConversation({ id: 'new', createdAt: 2_000 });
    t.store.createConversation({ id: 'empty', createdAt: 1_500 });
    t.store.append('old', userMessage('  Plan the\n  trip to Lisbon  '), 3_000);
    t.store.append('old', userMessage('And the budget'), 3_001);
    t.store.append('new', userMessage('Write my notes'), 2_500);
    expect(t.store.listConversations()).toEqual([
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
    t.store.appendMany('new', [started(1), textDelta(1, 'Sure')], 4_000);
    expect(t.store.listConversations().map((c) => [c.id, c.lastSeq])).toEqual([
      ['new', 3],
      ['old', 2],
      ['empty', 0],
    ]);
    t.reopen();
    expect(t.store.listConversations()[0]).toMatchObject({ id: 'new', title: 'Write my notes' });
  });

  it('knows which conversations exist and refuses a duplicate or malformed id', () => {
    expect(t.store.hasConversation('c1')).toBe(false);
    t.store.createConversation({ id: 'c1', createdAt: 1_000 });
    expect(t.store.hasConversation('c1')).toBe(true);
    expect(() => t.store.createConversation({ id: 'c1', createdAt: 2_000 })).toThrow(
      /conversation c1 already exists/,
    );
    expect(() => t.store.createConversation({ id: '', createdAt: 1_000 })).toThrow(/refused/);
    expect(() => t.store.createConversation({ id: 'x'.repeat(129), createdAt: 1_000 })).toThrow(
      /refused/,
    );
  });

  it('announces which conversations were created or had a person’s message, once per tick, not facts', async () => {
    t.store.createConversation({ id: 'c1', createdAt: 1_000 });
    t.store.createConversation({ id: 'c3', createdAt: 1_000 });
    const calls: string[][] = [];
    const off = t.store.onConversationsChanged((ids) => calls.push(ids));
    t.store.appendMany('c1', [userMessage('one'), started(1)], 2_000);
    t.store.append('c1', userMessage('two'), 2_001);
    t.store.append('c3', userMessage('other'), 2_001);
    expect(calls).toEqual([]); // after the caller has broadcast its entries
    await Promise.resolve();
    expect(calls).toEqual([['c1', 'c3']]);
    t.store.createConversation({ id: 'c2', createdAt: 3_000 });
    await Promise.resolve();
    expect(calls).toEqual([['c1', 'c3'], ['c2']]);
    t.store.append('c1', textDelta(1, 'fact'), 3_001);
    await Promise.resolve();
    expect(calls).toHaveLength(2);
    off();
    t.store.append('c1', userMessage('three'), 3_002);
    t.store.createConversation({ id: 'c4', createdAt: 3_002 });
    await Promise.resolve();
    expect(calls).toHaveLength(2);
  });

  it('gives one conversation’s summary as the list has it', () => {
    t.store.createConversation({ id: 'c1', createdAt: 1_000 });
    t.store.append('c1', userMessage('Hello'), 2_000);
    expect(t.store.conversation('c1')).toEqual(t.store.listConversations()[0]);
    expect(t.store.conversation('nope')).toBeNull();
  });
});

describe('conversationTitle', () => {
  it('keeps a short message whole, on one line', () => {
    expect(conversationTitle('  Hello\n\tthere  ')).toBe('Hello there');
  });

  it('cuts a long message near 80 characters, at a word, without splitting an emoji', () => {
    const long = `${'word '.repeat(30)}end`;
    const title = conversationTitle(long);
    expect(Array.from(title).length).toBeLessThanOrEqual(80);
    expect(title).toMatch(/^word( word)+…$/);
    const emoji = conversationTitle('📝'.repeat(100));
    expect(Array.from(emoji)).toEqual([...Array.from('📝'.repeat(79)), '…']);
  });
});
