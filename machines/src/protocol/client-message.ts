import { z } from 'zod';
import {
  policyRevokeEventSchema,
  toolApproveEventSchema,
  toolDenyEventSchema,
  turnRetryEventSchema,
  turnStopEventSchema,
  userMessageEventSchema,
} from '../events/command-events.ts';

// What a browser may send over the WebSocket. Commands carry a client-made `commandId`, so a
// command resent after a reconnect is recognised and applied once. The server stamps `at`.

/**
 * The largest message, in UTF-8 bytes, a browser may send. The server refuses a larger one before
 * reading it (so its refusal cannot name the command); the page checks first and never sends one.
 */
export const MAX_CLIENT_MESSAGE_BYTES = 256 * 1024;

export const conversationIdSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'A conversation id is 1 to 64 letters, digits, _ or -.');

/**
 * A command as the browser sends it: the machine's command event without the server's stamps.
 * Strict: a field this server does not know (a newer page's) is refused, never dropped, since
 * the command would then mean something other than what the person asked.
 */
export const commandInputSchema = z.discriminatedUnion('type', [
  userMessageEventSchema.omit({ at: true }).strict(),
  toolApproveEventSchema.strict(),
  toolDenyEventSchema.strict(),
  policyRevokeEventSchema.strict(),
  turnStopEventSchema.strict(),
  turnRetryEventSchema.strict(),
]);

export const clientMessageSchema = z.discriminatedUnion('type', [
  /** Follow a conversation: the server sends every entry after `afterSeq`, then live ones. */
  z.object({
    type: z.literal('subscribe'),
    conversationId: conversationIdSchema,
    afterSeq: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('unsubscribe'), conversationId: conversationIdSchema }),
  z.object({
    type: z.literal('command'),
    conversationId: conversationIdSchema,
    command: commandInputSchema,
  }),
  /** `requestId` comes back in `conversation_created`, so the tab that asked can open it. */
  z.object({ type: z.literal('create_conversation'), requestId: z.string().min(1).max(64) }),
  z.object({ type: z.literal('list_conversations') }),
]);

export type CommandInput = z.infer<typeof commandInputSchema>;
export type ClientMessage = z.infer<typeof clientMessageSchema>;
