import { z } from 'zod';
import {
  conversationRenamedEventSchema,
  policyRevokeEventSchema,
  toolApproveEventSchema,
  toolDenyEventSchema,
  turnRetryEventSchema,
  turnStopEventSchema,
  userMessageEventSchema,
} from '../events/command-events.ts';
import { settingsChangedEventSchema } from '../events/settings-events.ts';
import { grantRequestSchemas } from './grant-messages.ts';

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
  toolApproveEventSchema.omit({ grant: true }).strict(),
  toolDenyEventSchema.strict(),
  policyRevokeEventSchema.strict(),
  turnStopEventSchema.strict(),
  turnRetryEventSchema.strict(),
  conversationRenamedEventSchema.strict(),
  settingsChangedEventSchema.strict(),
]);

/** The longest search a page may send, in characters. */
export const MAX_SEARCH_QUERY = 200;

/** Managing conversations: delete one, search them; only the person's own. */
export const conversationRequestSchemas = [
  /**
   * Delete a conversation for good: its log, commands and checkpoints are purged. Every tab of
   * its owner is told with `conversation_deleted`; another person's or a missing conversation is
   * answered `unknown_conversation`.
   */
  z
    .object({
      type: z.literal('delete_conversation'),
      conversationId: conversationIdSchema,
      requestId: z.string().min(1).max(64),
    })
    .strict(),
  /**
   * Search the person's own conversations by title and by message text (theirs and Claude's),
   * case-insensitively; answered with `search_results` carrying the same `requestId`.
   */
  z
    .object({
      type: z.literal('search_conversations'),
      query: z
        .string()
        .max(MAX_SEARCH_QUERY)
        .refine((query) => query.trim().length > 0, 'A search needs some text.'),
      requestId: z.string().min(1).max(64),
    })
    .strict(),
] as const;

export const clientMessageSchema = z.discriminatedUnion('type', [
  /**
   * Follow a conversation: the server sends every entry after `afterSeq`, then live ones. With
   * `checkpoint`, the page's MACHINE_VERSION, a checkpoint of that machine newer than `afterSeq`
   * may come first (`checkpoint` server message), in place of the entries it folds.
   */
  z.object({
    type: z.literal('subscribe'),
    conversationId: conversationIdSchema,
    afterSeq: z.number().int().nonnegative(),
    checkpoint: z.number().int().positive().optional(),
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
  /**
   * Restart one MCP server now, by its configured name (the `mcpServers` of the hello). Anyone
   * with access may: the servers are the instance's, not a person's. An unknown name is answered
   * with `error`/`unknown_mcp_server`; the new state reaches every connection as `tools`.
   */
  z.object({ type: z.literal('restart_mcp_server'), server: z.string().min(1).max(200) }).strict(),
  ...conversationRequestSchemas,
  ...grantRequestSchemas,
]);

export type CommandInput = z.infer<typeof commandInputSchema>;
export type ClientMessage = z.infer<typeof clientMessageSchema>;
