import { describe, expect, it } from 'vitest';
import { clientMessageSchema } from './client-message.ts';
import { serverMessageSchema } from './server-message.ts';

const accepts = (message: unknown) => clientMessageSchema.safeParse(message).success;

describe('managing conversations on the wire', () => {
  it('deletes one conversation by id, and nothing else', () => {
    expect(accepts({ type: 'delete_conversation', conversationId: 'c_1', requestId: 'r1' })).toBe(
      true,
    );
    expect(accepts({ type: 'delete_conversation', conversationId: 'c 1', requestId: 'r1' })).toBe(
      false,
    );
    expect(accepts({ type: 'delete_conversation', conversationId: 'c_1' })).toBe(false);
    expect(
      accepts({ type: 'delete_conversation', conversationId: 'c_1', requestId: 'r1', all: true }),
    ).toBe(false);
  });

  it('searches with some text, at most 200 characters', () => {
    expect(accepts({ type: 'search_conversations', query: 'tram 28', requestId: 's1' })).toBe(true);
    expect(accepts({ type: 'search_conversations', query: '  ', requestId: 's1' })).toBe(false);
    expect(accepts({ type: 'search_conversations', query: 'x'.repeat(201), requestId: 's' })).toBe(
      false,
    );
  });

  it('reads a deletion and search results', () => {
    expect(
      serverMessageSchema.parse({ type: 'conversation_deleted', conversationId: 'c_1' }),
    ).toEqual({ type: 'conversation_deleted', conversationId: 'c_1' });
    const results = {
      type: 'search_results',
      requestId: 's1',
      query: 'tram',
      results: [
        {
          conversationId: 'c_1',
          title: null,
          seq: 3,
          anchor: 'a-1',
          snippet: { before: 'take ', match: 'tram', after: ' 28' },
        },
      ],
      truncated: false,
    };
    expect(serverMessageSchema.parse(results)).toEqual(results);
  });
});
