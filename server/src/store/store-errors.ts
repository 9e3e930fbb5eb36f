/** A request the store refuses: an invalid event, an unknown conversation, a repeated command. */
export class EventStoreError extends Error {
  override name = 'EventStoreError';
}

/**
 * A stored entry that does not read back as a valid log entry. Reading stops there rather than
 * hand a replay something that is not what was appended.
 */
export class CorruptLogEntryError extends Error {
  override name = 'CorruptLogEntryError';
  constructor(
    readonly conversationId: string,
    readonly seq: number,
    problem: string,
  ) {
    super(`log entry ${seq} of conversation ${conversationId} is corrupt: ${problem}`);
  }
}

/** An append whose seq is taken or skips ahead: another writer appended to this conversation. */
export class SeqConflictError extends EventStoreError {
  override name = 'SeqConflictError';
  constructor(
    readonly conversationId: string,
    readonly seq: number,
    readonly lastSeq: number,
  ) {
    super(
      `refused entry ${seq} of conversation ${conversationId}: its log ends at ${lastSeq}, so the next entry is ${lastSeq + 1}`,
    );
  }
}

/**
 * An append to a conversation the store does not have: never created, or deleted (by this
 * instance, or another one while this one still ran it).
 */
export class UnknownConversationError extends EventStoreError {
  override name = 'UnknownConversationError';
  constructor(readonly conversationId: string) {
    super(`there is no conversation ${conversationId}`);
  }
}

/** A command whose commandId is already in the conversation's log: it is applied once. */
export class DuplicateCommandError extends EventStoreError {
  override name = 'DuplicateCommandError';
  constructor(
    readonly conversationId: string,
    readonly commandId: string,
  ) {
    super(`command ${commandId} is already in the log of conversation ${conversationId}`);
  }
}
