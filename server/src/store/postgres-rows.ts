import type { ConversationSummary } from '@tollgate/machines';
import { z } from 'zod';
import { EventStoreError } from './store-errors.ts';

// Rows of the tables other than the log's, checked as they are read: the database is shared, and
// a row another build, another tool or a hand wrote is refused with a sentence naming it rather
// than passed on as something this build wrote. (Log entries go through decodeLogEntry.)

const seq = z.number().int().nonnegative();
const time = z.number().int().nonnegative();

const summaryRowSchema = z.object({
  id: z.string().min(1),
  title: z.string().nullable(),
  created_at: time,
  updated_at: time,
  last_seq: seq,
});

/** The columns a summary is read from, in a SELECT list. */
export const SUMMARY_COLUMNS = 'id, title, created_at, updated_at, last_seq';

/** A `conversations` row as the list shows it. */
export function summaryOf(row: unknown): ConversationSummary {
  const parsed = summaryRowSchema.safeParse(row);
  if (!parsed.success) throw malformed('conversations', row, parsed.error);
  const { id, title, created_at, updated_at, last_seq } = parsed.data;
  return { id, title, createdAt: created_at, updatedAt: updated_at, lastSeq: last_seq };
}

/** A conversation's last seq as stored. */
export function lastSeqOf(row: { last_seq?: unknown }, conversationId: string): number {
  const parsed = seq.safeParse(row.last_seq);
  if (!parsed.success) throw malformed('conversations', { id: conversationId }, parsed.error);
  return parsed.data;
}

/** A nullable text column, such as an owner or an instance id. */
export function textOrNull(
  table: string,
  row: Record<string, unknown>,
  column: string,
): string | null {
  const value = row[column];
  if (value === null || typeof value === 'string') return value;
  throw new EventStoreError(
    `a ${table} row has a ${column} that is not text: ${JSON.stringify(value)}`,
  );
}

function malformed(table: string, row: unknown, error: z.ZodError): EventStoreError {
  const id = (row as { id?: unknown } | null)?.id;
  const issues = error.issues
    .map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`)
    .join('; ');
  return new EventStoreError(
    `the ${table} row ${typeof id === 'string' ? id : '(without an id)'} is malformed: ${issues}`,
  );
}
