import { MACHINE_VERSION, readServerMessage, replay } from '@tollgate/machines';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { logOf } from '../../../machines/src/test-support/log-of.ts';
import { checkpointMessages } from '../../src/conversations/checkpoint-messages.ts';
import type { Checkpoint } from '../../src/store/checkpoint-store.ts';

/** A logger that keeps what it writes. */
function recordingLogger() {
  const lines: { msg: string }[] = [];
  const logger = pino(
    { level: 'warn' },
    { write: (chunk: string) => lines.push(JSON.parse(chunk)) },
  );
  return { logger, lines };
}

const folded = replay(
  logOf([ev.userMessage('Hi'), ev.started(1), ev.textDelta(1, 'Hello.'), ev.completed(1)]),
);
/** The persisted form a runtime saves: more than the message carries. */
const saved = JSON.parse(JSON.stringify({ ...folded, children: {}, historyValue: {} }));

describe("a conversation's checkpoint as a tab takes it", () => {
  it('is the state and context of the latest checkpoint, as the page reads them', async () => {
    const { logger } = recordingLogger();
    const latest = async (): Promise<Checkpoint> => ({ seq: 4, snapshot: saved });
    const checkpoint = await checkpointMessages({ latest }, 'c1', logger)();
    expect(checkpoint?.seq).toBe(4);
    expect(readServerMessage(JSON.parse(checkpoint?.message ?? 'null'))).toEqual({
      type: 'checkpoint',
      conversationId: 'c1',
      seq: 4,
      machineVersion: MACHINE_VERSION,
      snapshot: JSON.parse(JSON.stringify({ value: 'idle', context: folded.context })),
    });
  });

  it('is none, and the entries go instead, when there is none or it cannot be read or sent', async () => {
    const { logger, lines } = recordingLogger();
    const none = async () => null;
    expect(await checkpointMessages({ latest: none }, 'c1', logger)()).toBeNull();
    const garbled = async (): Promise<Checkpoint> => ({
      seq: 4,
      snapshot: { ...saved, context: { items: 'lost' } },
    });
    expect(await checkpointMessages({ latest: garbled }, 'c1', logger)()).toBeNull();
    const failing = async (): Promise<Checkpoint> => {
      throw new Error('the database is gone');
    };
    expect(await checkpointMessages({ latest: failing }, 'c1', logger)()).toBeNull();
    expect(lines.map((line) => line.msg)).toEqual([
      'a checkpoint that a tab could not read: the entries are sent instead',
      'checkpoint not read: the entries are sent instead',
    ]);
  });
});
