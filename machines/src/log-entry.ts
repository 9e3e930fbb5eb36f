import { z } from 'zod';
import { conversationEventSchema } from './events/conversation-event.ts';

/** One record of a conversation's append-only log: an event the conversation's actor consumed. */
export const logEntrySchema = z.object({
  conversationId: z.string().min(1).max(128),
  /** 1, 2, 3… per conversation, without gaps. */
  seq: z.number().int().positive(),
  event: conversationEventSchema,
  /** When the server appended it, epoch milliseconds. */
  at: z.number().int().nonnegative(),
  /** The MACHINE_VERSION that consumed it. */
  machineVersion: z.number().int().positive(),
});

export type LogEntry = z.infer<typeof logEntrySchema>;
