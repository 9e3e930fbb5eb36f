import { z } from 'zod';
import { conversationContextSchema } from '../conversation-context-schema.ts';
import { conversationMachine } from '../conversation-machine.ts';
import { conversationIdSchema } from './client-message.ts';

const stateNames = new Set(Object.keys(conversationMachine.root.states));

/** What of a conversation's snapshot a checkpoint carries: its state's name and its context. */
export const checkpointSnapshotSchema = z.object({
  value: z.string().refine((name) => stateNames.has(name), 'not a state of the machine'),
  context: conversationContextSchema,
});

/**
 * A conversation as its log folds up to `seq`, sent to a tab that asked for it (`subscribe` with
 * `checkpoint`) in place of the entries before: the state's name and the context, from the
 * server's latest checkpoint, which is saved only at rest. The entries after `seq` follow. A
 * snapshot has its machine's shape, so it is read only by a page of the same `machineVersion`.
 */
export const checkpointMessageSchema = z.object({
  type: z.literal('checkpoint'),
  conversationId: conversationIdSchema,
  seq: z.number().int().positive(),
  machineVersion: z.number().int().positive(),
  snapshot: checkpointSnapshotSchema,
});

export type CheckpointMessage = z.infer<typeof checkpointMessageSchema>;
