import { type ConversationEvent, MACHINE_VERSION, type UserMessageEvent } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import {
  completed,
  started,
  textDelta,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import { EventStoreError } from '../../src/store/store-errors.ts';
import { tempStorePerTest } from './support/temp-store.ts';

const t = tempStorePerTest((store) => {
  store.createConversation({ id: 'c1', createdAt: 1_000 });
});

const seqs = (id: string) => t.store.read(id).map((entry) => entry.seq);

describe('append', () => {
  it('numbers entries 1, 2, 3… and stamps the machine version and time', () => {
    const first = t.store.append('c1', userMessage('Hello'), 2_000);
    const second = t.store.append('c1', started(1), 2_001);
    expect(first).toEqual({
      conversationId: 'c1',
      seq: 1,
      event: first.event,
      at: 2_000,
      machineVersion: MACHINE_VERSION,
    });
    expect(second.seq).toBe(2);
    expect(t.store.lastSeq('c1')).toBe(2);
    expect(t.store.read('c1')).toEqual([first, second]);
  });

  it('keeps each conversation its own sequence', () => {
    t.store.createConversation({ id: 'c2', createdAt: 1_000 });
    t.store.append('c1', userMessage('one'), 2_000);
    t.store.append('c2', userMessage('two'), 2_000);
    t.store.append('c1', started(1), 2_001);
    expect(seqs('c1')).toEqual([1, 2]);
    expect(seqs('c2')).toEqual([1]);
  });

  it('continues without a gap after the file is reopened', () => {
    t.store.append('c1', userMessage('before'), 2_000);
    t.store.append('c1', started(1), 2_001);
    t.reopen();
    expect(t.store.lastSeq('c1')).toBe(2);
    expect(t.store.append('c1', textDelta(1, 'after'), 2_002).seq).toBe(3);
    expect(seqs('c1')).toEqual([1, 2, 3]);
  });

  it('returns and stores the event as the schema reads it', () => {
    const withExtra = { ...started(1), stray: 'not in the schema' } as ConversationEvent;
    const entry = t.store.append('c1', withExtra, 2_000);
    expect(entry.event).toEqual(started(1));
    expect(t.store.read('c1')[0]).toEqual(entry);
  });

  it('refuses an event that fails the schema, naming it, and writes nothing', () => {
    const blank = { ...userMessage('x'), text: '   ' } satisfies UserMessageEvent;
    expect(() => t.store.append('c1', blank, 2_000)).toThrow(
      /invalid user\.message to conversation c1: text: A message needs some text/,
    );
    expect(t.store.lastSeq('c1')).toBe(0);
  });

  it('refuses an unknown conversation and an invalid time', () => {
    expect(() => t.store.append('nope', userMessage('hi'), 2_000)).toThrow(
      /there is no conversation nope/,
    );
    expect(() => t.store.append('c1', userMessage('hi'), -1)).toThrow(EventStoreError);
    expect(() => t.store.append('c1', userMessage('hi'), 1.5)).toThrow(EventStoreError);
    expect(t.store.read('nope')).toEqual([]);
    expect(t.store.lastSeq('nope')).toBe(0);
  });
});

describe('appendMany', () => {
  it('appends consecutive seqs in one go', () => {
    t.store.append('c1', userMessage('hi'), 2_000);
    const entries = t.store.appendMany('c1', [started(1), textDelta(1, 'a'), completed(1)], 2_001);
    expect(entries.map((entry) => entry.seq)).toEqual([2, 3, 4]);
    expect(t.store.read('c1').slice(1)).toEqual(entries);
  });

  it('appends nothing when one event in the middle is invalid', () => {
    t.store.append('c1', userMessage('hi'), 2_000);
    const broken = { ...textDelta(1, 'b'), turn: 0 } as ConversationEvent;
    expect(() => t.store.appendMany('c1', [started(1), broken, completed(1)], 2_001)).toThrow(
      /invalid assistant\.text_delta to conversation c1: turn:/,
    );
    expect(seqs('c1')).toEqual([1]);
    expect(t.store.append('c1', started(1), 2_002).seq).toBe(2);
  });

  it('appends nothing when the database refuses an event in the middle', () => {
    // The second copy of a command passes the schema but not the unique index: the first insert of
    // the batch is rolled back with it.
    const message = userMessage('twice');
    expect(() => t.store.appendMany('c1', [message, started(1), message], 2_000)).toThrow(
      /command cmd_\d+ is already in the log of conversation c1/,
    );
    expect(seqs('c1')).toEqual([]);
    expect(t.store.listConversations()[0]).toMatchObject({
      title: null,
      lastSeq: 0,
      updatedAt: 1_000,
    });
  });
});

describe('read', () => {
  it('returns the entries after a seq, in order', () => {
    t.store.appendMany(
      'c1',
      [userMessage('hi'), started(1), textDelta(1, 'a'), completed(1)],
      2_000,
    );
    expect(t.store.read('c1', 2).map((entry) => entry.seq)).toEqual([3, 4]);
    expect(t.store.read('c1', 4)).toEqual([]);
    expect(t.store.read('c1', 99)).toEqual([]);
    expect(t.store.read('c1', 0)).toEqual(t.store.read('c1'));
    expect(() => t.store.read('c1', -1)).toThrow(EventStoreError);
  });
});

describe('hasCommand', () => {
  it('finds a command by its commandId, in its own conversation only', () => {
    t.store.createConversation({ id: 'c2', createdAt: 1_000 });
    const message = userMessage('hi');
    expect(t.store.hasCommand('c1', message.commandId)).toBe(false);
    t.store.append('c1', message, 2_000);
    expect(t.store.hasCommand('c1', message.commandId)).toBe(true);
    expect(t.store.hasCommand('c2', message.commandId)).toBe(false);
    expect(t.store.hasCommand('c1', 'cmd_never')).toBe(false);
    t.reopen();
    expect(t.store.hasCommand('c1', message.commandId)).toBe(true);
  });

  it('refuses to store a command twice', () => {
    const message = userMessage('hi');
    t.store.append('c1', message, 2_000);
    expect(() => t.store.append('c1', message, 2_001)).toThrow(/already in the log/);
    expect(seqs('c1')).toEqual([1]);
  });
});
