import { describe, expect, it } from 'vitest';
import * as ev from '../test-support/event-builders.ts';
import { entryAt as entry } from '../test-support/log-of.ts';
import { readServerMessage } from './read-server-message.ts';
import { serverMessageSchema } from './server-message.ts';

const delta = () => entry(3, ev.textDelta(1, 'word '));

describe('reading a server message', () => {
  it('reads an id the hand check leaves to the schema as the schema does', () => {
    // zod counts code points once the UTF-16 length is over the limit: 128 emoji fit its 128.
    const wide = { ...delta(), conversationId: '😀'.repeat(128) };
    expect(readServerMessage({ type: 'entries', entries: [wide] })).toEqual({
      type: 'entries',
      entries: [wide],
    });
    const tooWide = { ...delta(), conversationId: '😀'.repeat(129) };
    expect(readServerMessage({ type: 'entries', entries: [tooWide] })).toBeNull();
  });

  /** The schema's reading of `json`, or null, as readServerMessage answers. */
  const bySchema = (json: unknown) => {
    const parsed = serverMessageSchema.safeParse(json);
    return parsed.success ? parsed.data : null;
  };

  it('reads as the protocol schema does, entries of every kind and garbled ones alike', () => {
    const mixed = [
      entry(1, ev.userMessage('Hi')),
      entry(2, ev.started(1)),
      delta(),
      entry(4, ev.textDelta(1, 'more ')),
      entry(5, ev.completed(1)),
    ];
    const messages: unknown[] = [
      { type: 'entries', entries: mixed },
      // Left out by the schema: a key it does not name, in the message or in an entry.
      { type: 'entries', entries: mixed, extra: true },
      { type: 'entries', entries: [{ ...delta(), extra: 1 }] },
      { type: 'entries', entries: [] },
      { type: 'entries', entries: [delta(), null] },
      { type: 'entries', entries: [delta(), { ...delta(), seq: 0 }] },
      { type: 'entries', entries: [entry(6, { type: 'assistant.text_delta', turn: 1 })] },
      { type: 'entries', entries: 'none' },
      { type: 'entries' },
      { type: 'subscribed', conversationId: 'c1', lastSeq: 5 },
      { type: 'subscribed', conversationId: 'c1' },
      { type: 'nonsense' },
      null,
      [],
      'entries',
    ];
    for (const json of messages) {
      expect({ json, read: readServerMessage(json) }).toEqual({ json, read: bySchema(json) });
    }
    expect(readServerMessage(messages[0])).toEqual({ type: 'entries', entries: mixed });
  });
});
