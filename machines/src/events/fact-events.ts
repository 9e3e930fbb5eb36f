import { z } from 'zod';
import { toolInputSchema, toolNameSchema } from './command-events.ts';
import { toolPolicyDecidedEventSchema } from './policy-events.ts';

// Facts come from the actors the machine invokes (the Claude stream, the tool runner), delivered
// through the server's dispatch so that they are logged like commands. Claude facts carry `turn`,
// the number of the request they belong to: a fact from a stopped or superseded request is stale
// and the machine ignores it.

const turn = z.number().int().positive();
const index = z.number().int().nonnegative();
const toolUseId = z.string().min(1).max(128);

export const stopReasonSchema = z.enum([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);

export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadInputTokens: z.number().int().nonnegative(),
  cacheCreationInputTokens: z.number().int().nonnegative(),
});

export const assistantFailureKindSchema = z.enum([
  'authentication',
  'permission',
  'rate_limit',
  'overloaded',
  'server',
  'invalid_request',
  'not_found',
  'connection',
  'stream',
  'interrupted',
]);

export const assistantStartedEventSchema = z.object({
  type: z.literal('assistant.started'),
  turn,
  messageId: z.string().min(1),
  model: z.string().min(1),
});

export const assistantTextDeltaEventSchema = z.object({
  type: z.literal('assistant.text_delta'),
  turn,
  index,
  text: z.string(),
});

export const assistantThinkingDeltaEventSchema = z.object({
  type: z.literal('assistant.thinking_delta'),
  turn,
  index,
  thinking: z.string(),
});

/** The signature that closes a thinking block; without it the block cannot be sent back. */
export const assistantThinkingSignatureEventSchema = z.object({
  type: z.literal('assistant.thinking_signature'),
  turn,
  index,
  signature: z.string().min(1),
});

export const assistantRedactedThinkingEventSchema = z.object({
  type: z.literal('assistant.redacted_thinking'),
  turn,
  index,
  data: z.string().min(1),
});

export const assistantToolInputDeltaEventSchema = z.object({
  type: z.literal('assistant.tool_input_delta'),
  turn,
  index,
  toolUseId,
  name: toolNameSchema,
  partialJson: z.string(),
});

export const assistantToolUseEventSchema = z.object({
  type: z.literal('assistant.tool_use'),
  turn,
  index,
  toolUseId,
  name: toolNameSchema,
  input: toolInputSchema,
});

export const assistantCompletedEventSchema = z.object({
  type: z.literal('assistant.completed'),
  turn,
  stopReason: stopReasonSchema,
  usage: usageSchema,
  /**
   * When the calls this turn asks for expire undecided (ms since the epoch), stamped by the
   * server when APPROVAL_TTL is set; absent, they wait for a decision however long it takes.
   */
  expiresAt: z.number().int().nonnegative().optional(),
});

export const assistantFailedEventSchema = z.object({
  type: z.literal('assistant.failed'),
  turn,
  kind: assistantFailureKindSchema,
  message: z.string().min(1),
  retryable: z.boolean(),
});

export const toolStartedEventSchema = z.object({
  type: z.literal('tool.started'),
  toolUseId,
  /** The MCP server that runs the tool, as configured. */
  server: z.string().min(1),
});

export const toolChunkEventSchema = z.object({
  type: z.literal('tool.chunk'),
  toolUseId,
  /** 0-based; chunk n is accepted only after chunks 0..n-1, so a gap can never go unseen. */
  index,
  text: z.string(),
  /** Bytes written so far, this chunk included. */
  bytes: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  message: z.string().max(500).optional(),
  /**
   * How many chunks this event holds, from `index` on (1 when absent): a run of chunks folded as
   * one (merge-deltas.ts). The server writes each chunk alone, without it.
   */
  count: z.number().int().min(1).optional(),
});

/** Progress without content, from tools that report only how far they are. */
export const toolProgressEventSchema = z.object({
  type: z.literal('tool.progress'),
  toolUseId,
  progress: z.number().nonnegative(),
  total: z.number().nonnegative().optional(),
  message: z.string().max(500).optional(),
});

export const fileWrittenSchema = z.object({
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const toolCompletedEventSchema = z.object({
  type: z.literal('tool.completed'),
  toolUseId,
  /** The text handed back to Claude as the tool_result. */
  content: z.string(),
  /** The tool ran but reported an error (MCP `isError`). */
  isError: z.boolean(),
  file: fileWrittenSchema.optional(),
});

/** The tool could not run or finish: transport error, crash, timeout, interrupted by a restart. */
export const toolFailedEventSchema = z.object({
  type: z.literal('tool.failed'),
  toolUseId,
  message: z.string().min(1),
});

/**
 * The deadline of the turn's approval passed (the server's approval timer): every call still
 * waiting for a decision is recorded as expired, and Claude is told it did not run.
 */
export const approvalExpiredEventSchema = z.object({
  type: z.literal('approval.expired'),
  turn,
});

export const factEventSchema = z.discriminatedUnion('type', [
  assistantStartedEventSchema,
  assistantTextDeltaEventSchema,
  assistantThinkingDeltaEventSchema,
  assistantThinkingSignatureEventSchema,
  assistantRedactedThinkingEventSchema,
  assistantToolInputDeltaEventSchema,
  assistantToolUseEventSchema,
  assistantCompletedEventSchema,
  assistantFailedEventSchema,
  toolStartedEventSchema,
  toolChunkEventSchema,
  toolProgressEventSchema,
  toolCompletedEventSchema,
  toolFailedEventSchema,
  toolPolicyDecidedEventSchema,
  approvalExpiredEventSchema,
]);

export type StopReason = z.infer<typeof stopReasonSchema>;
export type Usage = z.infer<typeof usageSchema>;
export type AssistantFailureKind = z.infer<typeof assistantFailureKindSchema>;
export type FileWritten = z.infer<typeof fileWrittenSchema>;
export type AssistantStartedEvent = z.infer<typeof assistantStartedEventSchema>;
export type AssistantTextDeltaEvent = z.infer<typeof assistantTextDeltaEventSchema>;
export type AssistantThinkingDeltaEvent = z.infer<typeof assistantThinkingDeltaEventSchema>;
export type AssistantThinkingSignatureEvent = z.infer<typeof assistantThinkingSignatureEventSchema>;
export type AssistantRedactedThinkingEvent = z.infer<typeof assistantRedactedThinkingEventSchema>;
export type AssistantToolInputDeltaEvent = z.infer<typeof assistantToolInputDeltaEventSchema>;
export type AssistantToolUseEvent = z.infer<typeof assistantToolUseEventSchema>;
export type AssistantCompletedEvent = z.infer<typeof assistantCompletedEventSchema>;
export type AssistantFailedEvent = z.infer<typeof assistantFailedEventSchema>;
export type ToolStartedEvent = z.infer<typeof toolStartedEventSchema>;
export type ToolChunkEvent = z.infer<typeof toolChunkEventSchema>;
export type ToolProgressEvent = z.infer<typeof toolProgressEventSchema>;
export type ToolCompletedEvent = z.infer<typeof toolCompletedEventSchema>;
export type ToolFailedEvent = z.infer<typeof toolFailedEventSchema>;
export type ApprovalExpiredEvent = z.infer<typeof approvalExpiredEventSchema>;
export type FactEvent = z.infer<typeof factEventSchema>;
