import {
  conversationEventSchema,
  isCount,
  isStreamedEvent,
  logEntrySchema,
} from '@tollgate/machines';
import type { NewEntry } from './conversation-log.ts';
import { EventStoreError } from './store-errors.ts';

// The bad-input checks every store implementation makes, in one place so that they all refuse the
// same requests with the same words.

const conversationIdSchema = logEntrySchema.shape.conversationId;

/**
 * The entry as the schema reads it (keys it does not know dropped), or an error naming what is
 * wrong with it. Checked before anything is written, so a refused entry leaves the log as it was.
 */
export function validNewEntry({ conversationId, seq, event, at }: NewEntry): NewEntry {
  if (!isCount(seq, 1)) {
    throw new EventStoreError(
      `refused seq ${seq} for conversation ${conversationId} (a positive integer expected)`,
    );
  }
  if (!isCount(at, 0)) {
    throw new EventStoreError(`refused an append time of ${at} (epoch milliseconds expected)`);
  }
  // A streamed event (a delta of Claude's, a tool's chunk or progress), most of what is appended,
  // is checked by hand (streamed-event-check.ts).
  if (isStreamedEvent(event)) return { conversationId, seq, event, at };
  const parsed = conversationEventSchema.safeParse(event);
  if (parsed.success) return { conversationId, seq, event: parsed.data, at };
  const issues = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
    .join('; ');
  const type = (event as { type?: unknown } | null)?.type;
  throw new EventStoreError(
    `refused to append an invalid ${typeof type === 'string' ? type : 'event'} to conversation ${conversationId}: ${issues}`,
  );
}

/** The longest owner name kept: far above any login name, far below anything abusive. */
export const MAX_OWNER_LENGTH = 256;

/**
 * Refuses a conversation id the log could not hold, a creation time that is not one, and an
 * owner that is not a name (null, the single owner, is always fine).
 */
export function checkNewConversation({
  id,
  createdAt,
  owner = null,
}: {
  id: string;
  createdAt: number;
  owner?: string | null;
}): void {
  if (!conversationIdSchema.safeParse(id).success) {
    throw new EventStoreError(`refused conversation id ${JSON.stringify(id)}`);
  }
  if (!isCount(createdAt, 0)) {
    throw new EventStoreError(`refused creation time ${createdAt} for conversation ${id}`);
  }
  if (
    owner !== null &&
    (typeof owner !== 'string' || owner.length === 0 || owner.length > MAX_OWNER_LENGTH)
  ) {
    throw new EventStoreError(`refused owner ${JSON.stringify(owner)} for conversation ${id}`);
  }
}

/** Refuses a read position that is not a seq (0 reads from the start). */
export function checkReadAfter(afterSeq: number, limit = Number.POSITIVE_INFINITY): void {
  if (!Number.isInteger(afterSeq) || afterSeq < 0) {
    throw new EventStoreError(`cannot read after seq ${afterSeq}`);
  }
  if (limit !== Number.POSITIVE_INFINITY && (!Number.isInteger(limit) || limit < 1)) {
    throw new EventStoreError(`cannot read ${limit} entries at a time`);
  }
}

/**
 * Refuses a checkpoint of an unknown conversation (`lastSeq` undefined) or one that claims to
 * fold entries the log does not have: a checkpoint is never newer than the log.
 */
export function checkCheckpointSeq(
  conversationId: string,
  seq: number,
  lastSeq: number | undefined,
): void {
  if (lastSeq === undefined) {
    throw new EventStoreError(`there is no conversation ${conversationId}`);
  }
  if (!Number.isInteger(seq) || seq < 0 || seq > lastSeq) {
    throw new EventStoreError(
      `refused a checkpoint at seq ${seq} of conversation ${conversationId}, whose log ends at ${lastSeq}`,
    );
  }
}
