import { type Actor, createActor } from 'xstate';
import { MACHINE_VERSION } from './conversation-machine.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import { inertConversationMachine } from './inert-conversation-machine.ts';
import type { LogEntry } from './log-entry.ts';
import { UPCASTERS, type UpcasterTable, upcast } from './upcast.ts';

/**
 * `newer`: the entry was written by a newer machine than this page's; its meaning is unknown
 * here, so it is not folded and the page should ask to be reloaded.
 */
export type MirrorReceipt = 'applied' | 'duplicate' | 'gap' | 'newer';

export interface ConversationMirror {
  readonly actor: Actor<typeof inertConversationMachine>;
  /** The seq of the last entry applied: what a reconnecting tab asks to resume after. */
  lastSeq(): number;
  /**
   * Feeds one log entry into the mirror, in seq order only: a duplicate is ignored, and a gap is
   * reported so the caller can resume from `lastSeq()` instead of folding a wrong state. An entry
   * of a newer machine is refused (`newer`) and an older one is upcast to this machine first.
   */
  receive(entry: LogEntry): MirrorReceipt;
  /**
   * The event being applied or last applied (after upcasting): what an observer of the actor's
   * snapshots reads to learn what changed (a text delta's own text) without diffing contexts.
   */
  lastEvent(): ConversationEvent | null;
}

export interface MirrorOptions {
  /** This page's machine version; tests set it to exercise upcasting. */
  machineVersion?: number;
  upcasters?: UpcasterTable;
}

/** The browser's copy of a conversation: the same machine, fed only by the server's log entries. */
export function createConversationMirror(options: MirrorOptions = {}): ConversationMirror {
  const { machineVersion = MACHINE_VERSION, upcasters = UPCASTERS } = options;
  const actor = createActor(inertConversationMachine);
  actor.start();
  let lastSeq = 0;
  let lastEvent: ConversationEvent | null = null;
  return {
    actor,
    lastSeq: () => lastSeq,
    lastEvent: () => lastEvent,
    receive(entry) {
      // Checked before the seq: a newer machine's entry cannot be read here in any position.
      if (entry.machineVersion > machineVersion) return 'newer';
      if (entry.seq <= lastSeq) return 'duplicate';
      if (entry.seq !== lastSeq + 1) return 'gap';
      // An old entry means what it meant when written, in this machine's events (upcast.ts).
      for (const event of upcast(entry, machineVersion, upcasters)) {
        lastEvent = event;
        actor.send(event);
      }
      lastSeq = entry.seq;
      return 'applied';
    },
  };
}
