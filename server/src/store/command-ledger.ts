/**
 * Which commands a conversation's log holds, by the client's idempotency key: a command resent
 * after a reconnect is found here and answered as a duplicate instead of being judged again.
 * The log itself refuses to store a second copy (`DuplicateCommandError`).
 */
export interface CommandLedger {
  has(conversationId: string, commandId: string): Promise<boolean>;
}
