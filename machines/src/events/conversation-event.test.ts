import { describe, expect, it } from 'vitest';
import * as ev from '../test-support/event-builders.ts';
import { conversationEventSchema } from './conversation-event.ts';

describe('conversation events', () => {
  it('accept what the edge builds', () => {
    const samples = [
      ev.userMessage('Hi'),
      ev.approve('toolu_1', 'always', { path: 'a.md' }),
      ev.deny('toolu_1', 'no'),
      ev.stop(),
      ev.retry(),
      ev.revoke('write_file'),
      ev.started(1),
      ev.textDelta(1, 'x'),
      ev.thinkingDelta(1, 'x'),
      ev.thinkingSignature(1, 'sig'),
      ev.toolInputDelta(1, 1, 'toolu_1', 'write_file', '{"pa'),
      ev.toolUse(1, 1, 'toolu_1', 'write_file', {}),
      ev.completed(1, 'tool_use'),
      ev.failed(1),
      ev.toolStarted('toolu_1'),
      ev.toolChunk('toolu_1', 0, 'abc', 3, 3),
      ev.toolCompleted('toolu_1'),
      ev.toolFailed('toolu_1'),
    ];
    for (const sample of samples) expect(conversationEventSchema.parse(sample)).toEqual(sample);
  });

  it.each([
    ['an unknown type', { type: 'tool.execute', toolUseId: 'x' }],
    ['a blank message', { ...ev.userMessage('x'), text: '   ' }],
    ['a decision without a scope', { type: 'tool.approve', commandId: 'c', toolUseId: 't' }],
    ['a tool name the API refuses', ev.toolUse(1, 0, 'toolu_1', 'write file!', {})],
    ['tool input that is not an object', { ...ev.toolUse(1, 0, 't', 'w', {}), input: [1, 2] }],
    ['a negative chunk index', ev.toolChunk('t', -1, 'a', 1, 1)],
    ['an unknown stop reason', { ...ev.completed(1), stopReason: 'done' }],
    ['a turn of zero', ev.textDelta(0, 'x')],
    [
      'a sha256 that is not one',
      { ...ev.toolCompleted('t'), file: { path: 'a', bytes: 1, sha256: 'xyz' } },
    ],
  ])('refuse %s', (_, value) => {
    expect(conversationEventSchema.safeParse(value).success).toBe(false);
  });
});
