import { describe, expect, it } from 'vitest';
import { MACHINE_VERSION } from '../conversation-machine.ts';
import { replay } from '../replay.ts';
import * as ev from '../test-support/event-builders.ts';
import { logOf } from '../test-support/log-of.ts';
import { readServerMessage } from './read-server-message.ts';

describe('a checkpoint message', () => {
  const folded = replay(
    logOf([ev.userMessage('Hi'), ev.started(1), ev.textDelta(1, 'Hello.'), ev.completed(1)]),
  );
  const message = JSON.parse(
    JSON.stringify({
      type: 'checkpoint',
      conversationId: 'c1',
      seq: 4,
      machineVersion: MACHINE_VERSION,
      snapshot: { value: folded.value, context: folded.context },
    }),
  );

  it('is read as the server sent it', () => {
    expect(readServerMessage(message)).toEqual(message);
  });

  it('is refused with a state the machine does not have, a bad context or a bad seq', () => {
    const { snapshot } = message;
    expect(readServerMessage({ ...message, snapshot: { ...snapshot, value: 'dreaming' } })).toBe(
      null,
    );
    expect(readServerMessage({ ...message, snapshot: { ...snapshot, value: { idle: 'x' } } })).toBe(
      null,
    );
    expect(
      readServerMessage({ ...message, snapshot: { ...snapshot, context: { items: 'none' } } }),
    ).toBe(null);
    expect(readServerMessage({ ...message, seq: 0 })).toBe(null);
    expect(readServerMessage({ ...message, snapshot: undefined })).toBe(null);
  });
});
