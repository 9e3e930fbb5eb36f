import {
  type ConversationEvent,
  inertConversationMachine,
  type LogEntry,
  replay,
} from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { foldLog } from './fold-log.ts';

const events: ConversationEvent[] = [
  ev.userMessage('one'),
  ev.started(1),
  ev.textDelta(1, 'Hel'),
  ev.textDelta(1, 'lo'),
  ev.textDelta(1, ' there'),
  ev.completed(1),
  ev.userMessage('two'),
  ev.started(2),
  ev.textDelta(2, 'Bye'),
];
const log: LogEntry[] = events.map((event, i) => ({
  conversationId: 'c1',
  seq: i + 1,
  event,
  at: 1_000 + i,
  machineVersion: 1,
}));

/** The log as the store reads it, recording each read's afterSeq. */
function reader() {
  const reads: number[] = [];
  const read = async (afterSeq: number, limit: number) => {
    reads.push(afterSeq);
    return log.filter((e) => e.seq > afterSeq).slice(0, limit);
  };
  return { read, reads };
}

const stateOf = (snapshot: ReturnType<typeof replay>) => ({
  value: snapshot.value,
  context: snapshot.context,
});

describe('folding a conversation’s log a page at a time', () => {
  it('folds to what the whole log folds to, whatever the page size', async () => {
    const whole = stateOf(replay(log));
    for (const pageEntries of [1, 2, 4, 9, 50]) {
      const { read, reads } = reader();
      const folded = await foldLog(read, null, pageEntries);
      expect(stateOf(folded.snapshot), `pages of ${pageEntries}`).toEqual(whole);
      expect(folded.lastSeq).toBe(9);
      // Page after page, and no read past a short page.
      expect(reads[0]).toBe(0);
      expect(reads.length).toBe(Math.floor(9 / pageEntries) + 1);
    }
    // The answer split across pages is whole.
    const { read } = reader();
    const { snapshot } = await foldLog(read, null, 2);
    expect(JSON.stringify(snapshot.context)).toContain('Hello there');
  });

  it('starts from a checkpoint and reads only what follows it', async () => {
    const actor = createActor(inertConversationMachine, { snapshot: replay(log.slice(0, 4)) });
    const checkpoint = { seq: 4, snapshot: actor.getPersistedSnapshot() };
    const { read, reads } = reader();
    const folded = await foldLog(read, checkpoint, 2);
    expect(stateOf(folded.snapshot)).toEqual(stateOf(replay(log)));
    expect(folded.lastSeq).toBe(9);
    expect(reads).toEqual([4, 6, 8]);
  });

  it('folds an empty log to a new conversation, and a checkpoint with nothing after it to itself', async () => {
    const empty = await foldLog(async () => [], null);
    expect(empty.lastSeq).toBe(0);
    expect(stateOf(empty.snapshot)).toEqual(stateOf(replay([])));
    const actor = createActor(inertConversationMachine, { snapshot: replay(log) });
    const { read } = reader();
    const atEnd = await foldLog(read, { seq: 9, snapshot: actor.getPersistedSnapshot() });
    expect(atEnd.lastSeq).toBe(9);
    expect(stateOf(atEnd.snapshot)).toEqual(stateOf(replay(log)));
  });
});
