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
