import type { ConversationEvent } from './events/conversation-event.ts';
import type { LogEntry } from './log-entry.ts';

/**
 * An event as some machine version logged it. Typed loosely on purpose: an upcaster reads the
 * shape of an older version, which the current schemas no longer describe.
 */
export type LoggedEvent = { type: string } & Record<string, unknown>;

/**
 * Turns the event of an entry written by machine version `v` into the events of version `v + 1`
 * that mean the same (usually one; none for an event the newer machine no longer needs).
 */
export type Upcaster = (event: LoggedEvent) => LoggedEvent[];

/** Upcasters by the version they upgrade from. */
export type UpcasterTable = Readonly<Record<number, Upcaster>>;

/**
 * The upcasters of this build, by the version they upgrade from. When a change makes an old log
 * fold differently (an event's shape, a rule's meaning), MACHINE_VERSION goes up by one and the
 * entry for the old version goes here, so that every committed golden log still folds to the
 * snapshot recorded with it (docs/architecture.md, "Versions and history").
 */
export const UPCASTERS: UpcasterTable = {};

/**
 * The events of this machine that a logged entry stands for: its own event when it was written by
 * this version, otherwise its event carried up through every upcaster from its version to this
 * one. An entry of a newer machine cannot be read here (replay and the mirror refuse it first).
 * Throws, naming the missing step, when the chain of upcasters has a hole.
 */
export function upcast(
  entry: LogEntry,
  currentVersion: number,
  upcasters: UpcasterTable = UPCASTERS,
): ConversationEvent[] {
  if (entry.machineVersion === currentVersion) return [entry.event];
  let events: LoggedEvent[] = [entry.event];
  for (let version = entry.machineVersion; version < currentVersion; version++) {
    const step = upcasters[version];
    if (step === undefined) {
      throw new Error(
        `log entry ${entry.seq} of ${entry.conversationId} was written by machine version ${entry.machineVersion}, and there is no upcaster from version ${version} to ${version + 1}`,
      );
    }
    events = events.flatMap(step);
  }
  // The last step produced events of the current version, which are this build's events.
  return events as ConversationEvent[];
}
