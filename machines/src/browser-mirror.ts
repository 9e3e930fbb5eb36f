import { type Actor, createActor } from 'xstate';
import type { ConversationEvent } from './events/conversation-event.ts';
import { inertConversationMachine } from './inert-conversation-machine.ts';
import type { LogEntry } from './log-entry.ts';

export type MirrorReceipt = 'applied' | 'duplicate' | 'gap';

export interface ConversationMirror {
  readonly actor: Actor<typeof inertConversationMachine>;
  /** The seq of the last entry applied: what a reconnecting tab asks to resume after. */
  lastSeq(): number;
  /**
   * Feeds one log entry into the mirror, in seq order only: a duplicate is ignored, and a gap is
   * reported so the caller can resume from `lastSeq()` instead of folding a wrong state.
   */
  receive(entry: LogEntry): MirrorReceipt;
  /**
   * The event of the entry being applied or last applied: what an observer of the actor's
   * snapshots reads to learn what changed (a text delta's own text) without diffing contexts.
   */
  lastEvent(): ConversationEvent | null;
}

/** The browser's copy of a conversation: the same machine, fed only by the server's log entries. */
export function createConversationMirror(): ConversationMirror {
  const actor = createActor(inertConversationMachine);
  actor.start();
  let lastSeq = 0;
  let lastEvent: ConversationEvent | null = null;
  return {
    actor,
    lastSeq: () => lastSeq,
    lastEvent: () => lastEvent,
    receive(entry) {
      if (entry.seq <= lastSeq) return 'duplicate';
      if (entry.seq !== lastSeq + 1) return 'gap';
      lastEvent = entry.event;
      actor.send(entry.event);
      lastSeq = entry.seq;
      return 'applied';
    },
  };
}
