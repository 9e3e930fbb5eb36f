import type { NewEntry } from './conversation-log.ts';
import {
  DuplicateCommandError,
  SeqConflictError,
  UnknownConversationError,
} from './store-errors.ts';
import { validNewEntry } from './store-validation.ts';

/** What checking an append needs to know of the log as it stands. */
export interface LogState {
  /** The conversation's last seq (0 when empty); undefined for an unknown conversation. */
  lastSeq(conversationId: string): number | undefined;
  hasCommand(conversationId: string, commandId: string): boolean;
}

/**
 * Checks entries about to be appended together, in order, before anything is written: each
 * event against the schema, then each entry against the log as the entries before it leave it
 * (so a batch may take seqs 4, 5 and 6 of one conversation, but not hold one command twice).
 * Throws for the first refused entry: `SeqConflictError` for a seq that is not the last + 1,
 * `DuplicateCommandError` for a command already applied, `UnknownConversationError` for a
 * conversation the store does not have, `EventStoreError` for anything else.
 * Returns the entries as the schema reads them, ready to write.
 */
export function checkAppend(entries: readonly NewEntry[], log: LogState): NewEntry[] {
  const valid = entries.map(validNewEntry);
  const staged = new Map<string, number>();
  let stagedCommands: Map<string, Set<string>> | undefined;
  for (const { conversationId, seq, event } of valid) {
    const last = staged.get(conversationId) ?? log.lastSeq(conversationId);
    if (last === undefined) {
      throw new UnknownConversationError(conversationId);
    }
    if (seq !== last + 1) throw new SeqConflictError(conversationId, seq, last);
    if ('commandId' in event) {
      stagedCommands ??= new Map();
      let commands = stagedCommands.get(conversationId);
      if (!commands) {
        commands = new Set();
        stagedCommands.set(conversationId, commands);
      }
      if (commands.has(event.commandId) || log.hasCommand(conversationId, event.commandId)) {
        throw new DuplicateCommandError(conversationId, event.commandId);
      }
      commands.add(event.commandId);
    }
    staged.set(conversationId, seq);
  }
  return valid;
}
