import type { ConversationEvent } from './events/conversation-event.ts';
import { continuesRun, isMergeable, mergeDeltas } from './merge-deltas.ts';

/**
 * Feeds events to `consume` with each run of consecutive deltas of one block merged into one
 * delta (see mergeDeltas): the same state for a fraction of the work. A run is held back until an
 * event that does not continue it arrives, or until `release()`; whoever reads the state in
 * between must release first. Replay folds a log this way, and the server's live actors consume
 * a streamed answer this way (one event per block instead of one per delta). A tool's chunks run
 * the same way, one event per run of chunks instead of one per chunk; `takes` says whether the
 * state as it is (everything before the chunk folded) takes a chunk, which only its run's first
 * is asked: a chunk the machine would not take is consumed alone, so that the chunks after it
 * are judged one by one, as they would be unmerged.
 */
export function createDeltaRuns(
  consume: (event: ConversationEvent) => void,
  takes: (event: ConversationEvent) => boolean,
) {
  let held: ConversationEvent | null = null;

  function release() {
    if (held === null) return;
    const run = held;
    held = null;
    consume(run);
  }

  return {
    push(event: ConversationEvent) {
      if (held !== null && isMergeable(held)) {
        const longer = mergeDeltas(held, event);
        if (longer !== null) {
          held = longer;
          return;
        }
        release();
      }
      if (isMergeable(event) && (event.type !== 'tool.chunk' || takes(event))) held = event;
      else consume(event);
    },
    release,
    /** Forgets the run being held: the state it would have grown is being replaced. */
    drop() {
      held = null;
    },
    /** The kind of run being held, if any. */
    heldType: (): ConversationEvent['type'] | null => held?.type ?? null,
    /** Whether `event` would join the run being held rather than end it. */
    continues: (event: ConversationEvent) =>
      held !== null && isMergeable(held) && continuesRun(held, event),
  };
}
