import { MACHINE_VERSION } from '../conversation-machine.ts';
import type { ConversationEvent } from '../events/conversation-event.ts';
import type { LogEntry } from '../log-entry.ts';

/** `events` as the log of conversation c1 holds them: seqs 1, 2, 3…, this machine's version. */
export const logOf = (events: readonly ConversationEvent[]): LogEntry[] =>
  events.map((event, i) => ({
    conversationId: 'c1',
    seq: i + 1,
    event,
    at: 1_764_000_000_000 + i,
    machineVersion: MACHINE_VERSION,
  }));

/** One entry of conversation c1 at `seq`, holding any event: a test may give it a garbled one. */
export const entryAt = (seq: number, event: Record<string, unknown>) => ({
  conversationId: 'c1',
  seq,
  event,
  at: 1_764_000_000_000,
  machineVersion: 1,
});
