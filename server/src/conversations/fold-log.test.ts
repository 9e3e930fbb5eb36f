import { type ConversationEvent, inertConversationMachine, replay } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { logOf } from '../../../machines/src/test-support/log-of.ts';
import { foldLog } from './fold-log.ts';

// An answer, then a turn that asks for a tool and waits for approval (its approval timer holds
// the turn and the deadline), then a rename while it waits.
const events: ConversationEvent[] = [
  ev.userMessage('one'),
  ev.started(1),
  ev.textDelta(1, 'Hel'),
  ev.textDelta(1, 'lo'),
  ev.textDelta(1, ' there'),
  ev.completed(1),
  ev.userMessage('two'),
  ev.started(2),
  ev.textDelta(2, 'Writing it.'),
  ev.toolUse(2, 1, 'toolu_1', 'write_file', { path: 'a.txt', content: 'a' }),
  ev.completed(2, 'tool_use'),
  ev.renamed('Files'),
];
const LAST = events.length;
const log = logOf(events);

/** The log as the store reads it, recording each read's afterSeq. */
function reader() {
  const reads: number[] = [];
  const read = async (afterSeq: number, limit: number) => {
    reads.push(afterSeq);
    return log.filter((e) => e.seq > afterSeq).slice(0, limit);
  };
  return { read, reads };
}

/** A checkpoint of the log's first `seq` entries, as the runtime saves one. */
const checkpointAt = (seq: number) => ({
  seq,
  snapshot: createActor(inertConversationMachine, {
    snapshot: replay(log.slice(0, seq)),
  }).getPersistedSnapshot(),
});

/** All a snapshot carries, its children's (the approval timer's input) included. */
const stateOf = (snapshot: ReturnType<typeof replay>) =>
  inertConversationMachine.getPersistedSnapshot(snapshot);

describe('folding a conversation’s log a page at a time', () => {
  it('folds to what the whole log folds to, whatever the page size', async () => {
    const whole = stateOf(replay(log));
    expect(replay(log).matches('awaitingApproval')).toBe(true);
    // Pages of 1 and of LAST - 1 fold the rename on a page after the wait for approval began.
    for (const pageEntries of [1, 2, 4, LAST - 1, LAST, 50]) {
      const { read, reads } = reader();
      const folded = await foldLog(read, null, pageEntries);
      expect(stateOf(folded.snapshot), `pages of ${pageEntries}`).toEqual(whole);
      expect(folded.lastSeq).toBe(LAST);
      // Page after page, and no read past a short page.
      expect(reads[0]).toBe(0);
      expect(reads.length).toBe(Math.floor(LAST / pageEntries) + 1);
    }
    // The answer split across pages is whole.
    const { read } = reader();
    const { snapshot } = await foldLog(read, null, 2);
    expect(JSON.stringify(snapshot.context)).toContain('Hello there');
  });

  it('starts from a checkpoint and reads only what follows it', async () => {
    const { read, reads } = reader();
    const folded = await foldLog(read, checkpointAt(4), 2);
    expect(stateOf(folded.snapshot)).toEqual(stateOf(replay(log)));
    expect(folded.lastSeq).toBe(LAST);
    expect(reads).toEqual([4, 6, 8, 10, 12]);
  });

  it('folds an empty log to a new conversation, and a checkpoint with nothing after it to itself', async () => {
    const empty = await foldLog(async () => [], null);
    expect(empty.lastSeq).toBe(0);
    expect(stateOf(empty.snapshot)).toEqual(stateOf(replay([])));
    const { read } = reader();
    const atEnd = await foldLog(read, checkpointAt(LAST));
    expect(atEnd.lastSeq).toBe(LAST);
    // As a checkpoint restores (the runtime starts the approval timer again from the context).
    const whole = replay(log);
    expect([atEnd.snapshot.value, atEnd.snapshot.context]).toEqual([whole.value, whole.context]);
    // A snapshot the runtime can use, not the checkpoint's stored form.
    expect(atEnd.snapshot.matches('awaitingApproval')).toBe(true);
    expect(atEnd.snapshot.can(ev.userMessage('three'))).toBe(false);
  });
});
