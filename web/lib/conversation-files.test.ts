import { describe, expect, it } from 'vitest';
import { exportHref, importConversation } from './conversation-files.ts';

const conversation = { id: 'c_new', title: 'Notes', createdAt: 1, updatedAt: 2, lastSeq: 3 };

const answering =
  (status: number, body: unknown): typeof fetch =>
  async () =>
    new Response(JSON.stringify(body), { status });

describe('conversation files', () => {
  it('download from the conversation’s export route', () => {
    expect(exportHref('c_1', 'md')).toBe('/api/conversations/c_1/export.md');
    expect(exportHref('c_1', 'json')).toBe('/api/conversations/c_1/export.json');
  });

  it('are imported as JSON, and the server’s refusal is passed on in its words', async () => {
    const sent: RequestInit[] = [];
    const recording: typeof fetch = async (_url, init) => {
      sent.push(init ?? {});
      return new Response(JSON.stringify({ conversation }), { status: 201 });
    };
    expect(await importConversation('{"format":"x"}', recording)).toEqual({
      ok: true,
      conversation,
    });
    expect(sent[0]).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"format":"x"}',
    });
    expect(await importConversation('{}', answering(400, { error: 'Entry 2 is bad.' }))).toEqual({
      ok: false,
      message: 'Entry 2 is bad.',
    });
    expect(await importConversation('{}', answering(500, 'oops'))).toEqual({
      ok: false,
      message: 'The server answered 500.',
    });
    expect(await importConversation('not json', recording)).toEqual({
      ok: false,
      message: 'The file is not JSON.',
    });
    expect(sent).toHaveLength(1);
  });
});
