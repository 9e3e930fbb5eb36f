import { z } from 'zod';
import { logEntrySchema } from '../log-entry.ts';
import { conversationIdSchema } from './client-message.ts';

// What the server sends over the WebSocket: log entries, and transport messages around them.

/**
 * The wire protocol's version: up by one when a message changes so that the other side cannot
 * read it. The hello carries it with the server's MACHINE_VERSION (version-compatibility.ts).
 */
export const PROTOCOL_VERSION = 1;

/** Any version, not only this build's: a page must read a newer server's hello to say so. */
const versionSchema = z.number().int().positive();

export const errorCodeSchema = z.enum([
  'bad_json',
  'bad_message',
  'too_large',
  'rate_limited',
  'forbidden_origin',
  'unauthorized',
  'unknown_conversation',
  'command_rejected',
  'claude_unavailable',
  'slow_consumer',
  'internal',
]);

export const claudeStatusSchema = z.object({
  status: z.enum(['ready', 'unconfigured', 'invalid']),
  provider: z.enum(['anthropic', 'bedrock']).nullable(),
  model: z.string().nullable(),
  /** For `unconfigured` and `invalid`: what the person should set, in plain words. */
  message: z.string().nullable(),
});

export const toolInfoSchema = z.object({
  /** The name Claude uses, as it appears in tool calls. */
  name: z.string(),
  server: z.string(),
  title: z.string().nullable(),
  description: z.string(),
  readOnly: z.boolean(),
  destructive: z.boolean(),
});

export const mcpServerStatusSchema = z.object({
  name: z.string(),
  state: z.enum(['starting', 'ready', 'unavailable']),
  error: z.string().nullable(),
  tools: z.number().int().nonnegative(),
});

export const conversationSummarySchema = z.object({
  id: conversationIdSchema,
  title: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastSeq: z.number().int().nonnegative(),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    protocol: versionSchema,
    /**
     * The MACHINE_VERSION of the server's conversation machine, which writes the entries. Servers
     * from before it was sent ran machine version 1.
     */
    machineVersion: versionSchema.default(1),
    claude: claudeStatusSchema,
    tools: z.array(toolInfoSchema),
    mcpServers: z.array(mcpServerStatusSchema),
    /**
     * The person a trusted proxy named (docs/access.md); null for the single owner, and for
     * servers from before people, whose hellos lack it.
     */
    person: z.object({ name: z.string() }).nullable().default(null),
    /** Access came from APP_TOKEN's cookie, which POST /signout clears: the page offers it. */
    canSignOut: z.boolean().default(false),
  }),
  /**
   * Consecutive log entries of one conversation, in seq order: what one group commit wrote (a
   * burst of chunks is one message, not hundreds), or one page of a catch-up.
   */
  z.object({ type: z.literal('entries'), entries: z.array(logEntrySchema).min(1) }),
  /** Every entry up to `lastSeq` has been sent: from here on they arrive live. */
  z.object({
    type: z.literal('subscribed'),
    conversationId: conversationIdSchema,
    lastSeq: z.number().int(),
  }),
  z.object({ type: z.literal('conversations'), conversations: z.array(conversationSummarySchema) }),
  /** Conversations new or changed (a title, a place in the list): replace each by id. */
  z.object({
    type: z.literal('conversations_updated'),
    conversations: z.array(conversationSummarySchema),
  }),
  z.object({
    type: z.literal('conversation_created'),
    requestId: z.string(),
    conversation: conversationSummarySchema,
  }),
  z.object({
    type: z.literal('tools'),
    tools: z.array(toolInfoSchema),
    mcpServers: z.array(mcpServerStatusSchema),
  }),
  z.object({
    type: z.literal('error'),
    code: errorCodeSchema,
    message: z.string(),
    conversationId: conversationIdSchema.optional(),
    commandId: z.string().optional(),
  }),
]);

/**
 * The versions a server message carries, read without the rest of its shape: a newer server's
 * hello, or an entry of a newer machine, may not fit this build's schemas, and the page must still
 * learn that it is the older one instead of calling the message garbled.
 */
export const serverMessageVersionsSchema = z.union([
  z.object({
    type: z.literal('hello'),
    protocol: versionSchema,
    machineVersion: versionSchema.default(1),
  }),
  z.object({
    type: z.literal('entries'),
    entries: z.array(z.object({ machineVersion: versionSchema })).min(1),
  }),
]);

export type ErrorCode = z.infer<typeof errorCodeSchema>;
export type ClaudeStatus = z.infer<typeof claudeStatusSchema>;
export type ToolInfo = z.infer<typeof toolInfoSchema>;
export type McpServerStatus = z.infer<typeof mcpServerStatusSchema>;
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerMessageVersions = z.infer<typeof serverMessageVersionsSchema>;
