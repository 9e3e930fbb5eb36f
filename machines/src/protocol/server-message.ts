import { z } from 'zod';
import type { ClaudeOptions } from '../conversation-settings.ts';
import { logEntrySchema } from '../log-entry.ts';
import { checkpointMessageSchema } from './checkpoint-message.ts';
import { conversationIdSchema } from './client-message.ts';
import { grantNewsSchemas } from './grant-messages.ts';

// What the server sends over the WebSocket: log entries, and transport messages around them.

/**
 * The wire protocol's version: up by one when a message changes so that the other side cannot
 * read it. The hello carries it with the server's MACHINE_VERSION (version-compatibility.ts).
 */
export const PROTOCOL_VERSION = 2;

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
  'unknown_mcp_server',
  'unknown_grant',
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

/** The hello's `claudeOptions`: see ClaudeOptions in conversation-settings.ts. */
export const claudeOptionsSchema = z.object({
  models: z.array(z.string()).min(1),
  maxTokens: z.number().int().positive(),
  defaults: z.object({
    model: z.string(),
    thinkingBudget: z.number().int().positive().nullable(),
    systemPrompt: z.string(),
  }),
}) satisfies z.ZodType<ClaudeOptions>;

export const toolInfoSchema = z.object({
  /** The name Claude uses, as it appears in tool calls. */
  name: z.string(),
  server: z.string(),
  title: z.string().nullable(),
  description: z.string(),
  readOnly: z.boolean(),
  destructive: z.boolean(),
  /**
   * What the first rule of POLICY_FILE that matches this tool says (docs/policies.md): `allow` or
   * `deny` decide every call without a dialog (the page opens none, even while Claude writes the
   * call); `ask` always asks, whatever a grant says. Null when no rule matches (a grant of the
   * person's may then approve it); absent from servers from before tool policies.
   */
  policy: z.enum(['allow', 'deny', 'ask']).nullable().optional(),
});

/**
 * Where an MCP server is: `starting` (its first try), `ready`, `failed` (it could not start or it
 * stopped; another try is scheduled) or `restarting` (a try after a failure, or one a person
 * asked for).
 */
export const mcpServerStateSchema = z.enum(['starting', 'ready', 'failed', 'restarting']);

/** The last stderr lines the status carries at most, and their characters in all. */
export const MCP_STDERR_TAIL = { lines: 20, chars: 4096 } as const;

export const mcpServerStatusSchema = z.object({
  name: z.string(),
  /** Servers from before `failed` and `restarting` said `unavailable`: a failure. */
  state: z
    .union([mcpServerStateSchema, z.literal('unavailable')])
    .transform((state): McpServerState => (state === 'unavailable' ? 'failed' : state)),
  error: z.string().nullable(),
  /** How many tools it offers (the last list, while it is down). */
  tools: z.number().int().nonnegative(),
  /**
   * For a failed or restarting server: the last lines it wrote to stderr before it failed (at
   * most MCP_STDERR_TAIL); empty otherwise, and from servers that did not send them.
   */
  stderr: z.array(z.string()).default([]),
  /** While failed: when the next try starts by itself (epoch ms). */
  retryAt: z.number().nullable().default(null),
});

export const conversationSummarySchema = z.object({
  id: conversationIdSchema,
  title: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastSeq: z.number().int().nonnegative(),
});

/** A span of text with one match in it, marked: the page draws `match` in a `<mark>`. */
export const searchSnippetSchema = z.object({
  before: z.string(),
  match: z.string(),
  after: z.string(),
});

/**
 * One place a search matched: the conversation's title (`seq` and `anchor` null), or a message,
 * the person's or Claude's. `seq` is the log entry the text starts at; `anchor` names the
 * timeline item that shows it (`u-<commandId>` for the person's message, `a-<turn>` for Claude's
 * answer), so the page can open the conversation scrolled to it.
 */
export const searchResultSchema = z.object({
  conversationId: conversationIdSchema,
  title: z.string().nullable(),
  seq: z.number().int().positive().nullable(),
  anchor: z.string().nullable(),
  snippet: searchSnippetSchema,
});

/** The results of one search at most: the newest first. */
export const MAX_SEARCH_RESULTS = 50;

/** Managing conversations: a deletion, search results. */
const conversationNewsSchemas = [
  /** A conversation was deleted (by any tab of its owner, on any instance): drop it. */
  z.object({ type: z.literal('conversation_deleted'), conversationId: conversationIdSchema }),
  /** The answer to `search_conversations`; `truncated` when there were more than were sent. */
  z.object({
    type: z.literal('search_results'),
    requestId: z.string(),
    query: z.string(),
    results: z.array(searchResultSchema).max(MAX_SEARCH_RESULTS),
    truncated: z.boolean(),
  }),
] as const;

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
    /**
     * What a conversation may choose (its model, thinking, system prompt) and gets by default;
     * null when Claude's configuration is invalid, and from servers from before per-conversation
     * settings.
     */
    claudeOptions: claudeOptionsSchema.nullable().default(null),
  }),
  /**
   * Consecutive log entries of one conversation, in seq order: what one group commit wrote (a
   * burst of chunks is one message, not hundreds), or one page of a catch-up.
   */
  z.object({ type: z.literal('entries'), entries: z.array(logEntrySchema).min(1) }),
  /** A conversation's state at a seq, in place of the entries up to it (checkpoint-message.ts). */
  checkpointMessageSchema,
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
  ...conversationNewsSchemas,
  ...grantNewsSchemas,
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
  z.object({ type: z.literal('checkpoint'), machineVersion: versionSchema }),
]);

export type ErrorCode = z.infer<typeof errorCodeSchema>;
export type ClaudeStatus = z.infer<typeof claudeStatusSchema>;
export type ToolInfo = z.infer<typeof toolInfoSchema>;
export type McpServerState = z.infer<typeof mcpServerStateSchema>;
export type McpServerStatus = z.infer<typeof mcpServerStatusSchema>;
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type SearchSnippet = z.infer<typeof searchSnippetSchema>;
export type SearchResult = z.infer<typeof searchResultSchema>;
export type ServerMessageVersions = z.infer<typeof serverMessageVersionsSchema>;
