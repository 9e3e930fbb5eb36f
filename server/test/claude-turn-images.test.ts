import { afterEach, describe, expect, it } from 'vitest';
import { startClaudeConversation } from './claude-turn-harness.ts';

type Conversation = Awaited<ReturnType<typeof startClaudeConversation>>;
let c: Conversation;
afterEach(async () => c?.close());

describe('a turn whose images the server does not hold', () => {
  it('fails before calling Claude, saying which image is missing', async () => {
    // The harness's Claude actor has no image store: every image is missing.
    c = await startClaudeConversation();
    const image = { sha256: 'ab'.repeat(32), mediaType: 'image/png', bytes: 68 };
    c.send({ type: 'user.message', text: 'What is this?', images: [image], at: 0 });
    await c.until('failed');
    expect(c.facts.at(-1)).toEqual({
      type: 'assistant.failed',
      turn: 1,
      kind: 'invalid_request',
      message:
        'An image of this conversation (abababababab…) is not on this server, so Claude cannot be asked.',
      retryable: true,
    });
    expect(c.emulator.requests).toEqual([]);
  });
});
