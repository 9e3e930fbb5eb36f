import { type Actor, createActor, type Observer, type Subscribable, toObserver } from 'xstate';
import { MACHINE_VERSION } from './conversation-machine.ts';
import { createDeltaRuns } from './delta-runs.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import { inertConversationMachine } from './inert-conversation-machine.ts';
import type { LogEntry } from './log-entry.ts';
import type { CheckpointMessage } from './protocol/checkpoint-message.ts';
import type { ConversationSnapshot } from './replay.ts';
import { UPCASTERS, type UpcasterTable, upcast } from './upcast.ts';

/**
 * `newer`: the entry was written by a newer machine than this page's; its meaning is unknown
 * here, so it is not folded and the page should ask to be reloaded.
 */
export type MirrorReceipt = 'applied' | 'duplicate' | 'gap' | 'newer';

/**
 * `stale`: the checkpoint folds no more than the mirror has; `other_version`: it has another
 * machine's shape and cannot be read here (the entries it folds can: ask for those instead).
 */
export type RestoreReceipt = 'applied' | 'stale' | 'newer' | 'other_version';

/** The mirror's state as observers read it: the actor's snapshots, across restores. */
export interface MirrorSource extends Subscribable<ConversationSnapshot> {
  getSnapshot(): ConversationSnapshot;
}

export interface ConversationMirror {
  readonly actor: MirrorSource;
  /** The seq of the last entry applied: what a reconnecting tab asks to resume after. */
  lastSeq(): number;
  /**
   * Feeds one log entry into the mirror, in seq order only: a duplicate is ignored, and a gap is
   * reported so the caller can resume from `lastSeq()` instead of folding a wrong state. An entry
   * of a newer machine is refused (`newer`) and an older one is upcast to this machine first.
   * With `hold`, a run of deltas of one block (or of a tool's chunks) is folded as one merged
   * delta when the run ends or at `settle()`, as the server's replay does: a catch-up of thousands
   * of deltas then runs the machine a few times per answer instead of once per delta. Until then
   * the actor lags behind the entries received, so whoever holds settles before anything reads
   * the actor.
   */
  receive(entry: LogEntry, options?: { hold?: boolean }): MirrorReceipt;
  /**
   * Takes the state a checkpoint gives in place of the entries up to its seq: the machine starts
   * again from it, and its observers get its snapshot (with `lastEvent()` null: no one event made
   * it). Only a checkpoint newer than what the mirror has, and of this page's machine.
   */
  restore(
    checkpoint: Pick<CheckpointMessage, 'seq' | 'machineVersion' | 'snapshot'>,
  ): RestoreReceipt;
  /** Folds the run of deltas held back by `receive(…, { hold: true })`, if any. */
  settle(): void;
  /** The kind of run held back by `receive(…, { hold: true })` and not yet settled, if any. */
  holding(): ConversationEvent['type'] | null;
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
  const observers = new Set<Observer<ConversationSnapshot>>();
  const announce = (snapshot: ConversationSnapshot) => {
    // A copy: an observer may unsubscribe, or another subscribe, while being told.
    for (const observer of [...observers]) observer.next?.(snapshot);
  };
  /** Starts `next` and passes its snapshots on to the mirror's observers. */
  const run = (next: Actor<typeof inertConversationMachine>) => {
    next.start();
    return { actor: next, subscription: next.subscribe(announce) };
  };
  let current = run(createActor(inertConversationMachine));
  let lastSeq = 0;
  let lastEvent: ConversationEvent | null = null;
  const apply = (event: ConversationEvent) => {
    lastEvent = event;
    current.actor.send(event);
  };
  const runs = createDeltaRuns(apply, (event) => current.actor.getSnapshot().can(event));
  const source: MirrorSource = {
    getSnapshot: () => current.actor.getSnapshot(),
    subscribe(
      nextOrObserver: Observer<ConversationSnapshot> | ((snapshot: ConversationSnapshot) => void),
      error?: (error: unknown) => void,
      complete?: () => void,
    ) {
      const observer = toObserver(nextOrObserver, error, complete);
      observers.add(observer);
      return { unsubscribe: () => observers.delete(observer) };
    },
  };
  return {
    actor: source,
    lastSeq: () => lastSeq,
    lastEvent: () => lastEvent,
    settle: () => runs.release(),
    holding: () => runs.heldType(),
    receive(entry, { hold = false } = {}) {
      // Checked before the seq: a newer machine's entry cannot be read here in any position.
      if (entry.machineVersion > machineVersion) return 'newer';
      if (entry.seq <= lastSeq) return 'duplicate';
      if (entry.seq !== lastSeq + 1) return 'gap';
      // An old entry means what it meant when written, in this machine's events (upcast.ts).
      for (const event of upcast(entry, machineVersion, upcasters)) {
        if (hold) runs.push(event);
        else {
          runs.release();
          apply(event);
        }
      }
      lastSeq = entry.seq;
      return 'applied';
    },
    restore({ seq, machineVersion: version, snapshot }) {
      if (version > machineVersion) return 'newer';
      if (seq <= lastSeq) return 'stale';
      // A snapshot has its machine's shape; there is no upcasting one (upcast.ts is per entry).
      if (version !== machineVersion) return 'other_version';
      // What is held folds into the state being replaced: dropped with it.
      runs.drop();
      const previous = current;
      previous.subscription.unsubscribe();
      current = run(
        createActor(inertConversationMachine, {
          snapshot: inertConversationMachine.resolveState(snapshot),
        }),
      );
      previous.actor.stop();
      lastSeq = seq;
      lastEvent = null;
      announce(current.actor.getSnapshot());
      return 'applied';
    },
  };
}
