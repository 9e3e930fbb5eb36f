import { z } from 'zod';
import { logEntrySchema } from '../log-entry.ts';
import { conversationIdSchema } from './client-message.ts';

// What the server sends over the WebSocket: log entries, and transport messages around them.

export const PROTOCOL_VERSION = 1;

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
    protocol: z.literal(PROTOCOL_VERSION),
    claude: claudeStatusSchema,
    tools: z.array(toolInfoSchema),
    mcpServers: z.array(mcpServerStatusSchema),
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

export type ErrorCode = z.infer<typeof errorCodeSchema>;
export type ClaudeStatus = z.infer<typeof claudeStatusSchema>;
export type ToolInfo = z.infer<typeof toolInfoSchema>;
export type McpServerStatus = z.infer<typeof mcpServerStatusSchema>;
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
