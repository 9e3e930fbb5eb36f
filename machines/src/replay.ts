import { createActor, type SnapshotFrom } from 'xstate';
import { MACHINE_VERSION } from './conversation-machine.ts';
import { createDeltaRuns } from './delta-runs.ts';
import { inertConversationMachine } from './inert-conversation-machine.ts';
import type { LogEntry } from './log-entry.ts';
import { UPCASTERS, type UpcasterTable, upcast } from './upcast.ts';

export type ConversationSnapshot = SnapshotFrom<typeof inertConversationMachine>;

export class ReplayError extends Error {
  override name = 'ReplayError';
}

/** The version the fold reads logs as, and how it carries older entries up to it. */
export interface ReplayVersions {
  machineVersion: number;
  upcasters: UpcasterTable;
}

const THIS_BUILD: ReplayVersions = { machineVersion: MACHINE_VERSION, upcasters: UPCASTERS };

/**
 * The pure fold: the state a conversation reaches by consuming its log, executing nothing.
 * `from` continues an earlier fold (a checkpoint) whose last entry had seq `from.seq`.
 * Throws on a gap or reordering in the log, on entries from a newer machine than this one, and on
 * entries of an older one that no chain of upcasters reaches this one from.
 * An older entry's event is carried up to this version first (upcast.ts), so a log keeps folding
 * to the same state across versions. `versions` is this build's; tests inject others.
 * Consecutive deltas of one block are folded as one merged delta (delta-runs.ts): a 10,000-delta
 * answer is a few events.
 */
export function replay(
  entries: Iterable<LogEntry>,
  from?: { snapshot: ConversationSnapshot; seq: number },
  versions: ReplayVersions = THIS_BUILD,
): ConversationSnapshot {
  const replayer = createReplayer(from, versions);
  try {
    replayer.fold(entries);
    return replayer.snapshot();
  } finally {
    replayer.stop();
  }
}

/**
 * `replay` in steps, for a log read a page at a time: one actor folds every page (`fold`, in log
 * order), so the state after the last is the state the whole log folds to. Snapshots passed from
 * one fold to the next would not be: a live snapshot restored as an actor's loses its children's
 * input (the approval timer's). `stop()` once done.
 */
export function createReplayer(
  from?: { snapshot: ConversationSnapshot; seq: number },
  versions: ReplayVersions = THIS_BUILD,
) {
  const { machineVersion } = versions;
  // An actor of the inert machine: its IO actors do nothing and it has no timers, so feeding it
  // the log is a pure fold, and about twice as fast as XState's `transition()` per event.
  const actor = createActor(inertConversationMachine, from ? { snapshot: from.snapshot } : {});
  actor.start();
  let seq = from?.seq ?? 0;
  const runs = createDeltaRuns(
    (event) => actor.send(event),
    (event) => actor.getSnapshot().can(event),
  );
  return {
    fold(entries: Iterable<LogEntry>): void {
      for (const entry of entries) {
        // Order is a property of the log, not of its events: checked on the entries as logged.
        if (entry.seq !== seq + 1) {
          throw new ReplayError(`log entry ${entry.seq} of ${entry.conversationId} follows ${seq}`);
        }
        if (entry.machineVersion > machineVersion) {
          throw new ReplayError(
            `log entry ${entry.seq} was written by machine version ${entry.machineVersion}; this is ${machineVersion}`,
          );
        }
        seq = entry.seq;
        // The common case skips upcast's array: a replay folds every delta of every answer.
        if (entry.machineVersion === machineVersion) runs.push(entry.event);
        else for (const event of upcastOrThrow(entry, versions)) runs.push(event);
      }
    },
    /** The state after what was folded so far. */
    snapshot(): ConversationSnapshot {
      runs.release();
      return actor.getSnapshot();
    },
    stop: () => actor.stop(),
  };
}

function upcastOrThrow(entry: LogEntry, versions: ReplayVersions) {
  try {
    return upcast(entry, versions.machineVersion, versions.upcasters);
  } catch (error) {
    throw new ReplayError(error instanceof Error ? error.message : String(error));
  }
}
