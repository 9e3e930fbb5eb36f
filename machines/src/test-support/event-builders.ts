import type { ConversationEvent } from '../events/conversation-event.ts';
import type { StopReason, Usage } from '../events/fact-events.ts';

// Small builders for the events tests feed the machine, with the ids and times the edge would
// stamp. Every builder returns a plain, schema-valid event.

type Of<T extends ConversationEvent['type']> = Extract<ConversationEvent, { type: T }>;

let commands = 0;
const commandId = () => `cmd_${++commands}`;
const AT = 1_764_000_000_000;

export const usage: Usage = {
  inputTokens: 120,
  outputTokens: 48,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
};

export const userMessage = (text: string): Of<'user.message'> => ({
  type: 'user.message',
  commandId: commandId(),
  text,
  at: AT,
});
export const approve = (
  toolUseId: string,
  scope: 'once' | 'always' | 'everywhere' = 'once',
  editedInput?: Record<string, unknown>,
): Of<'tool.approve'> => ({
  type: 'tool.approve',
  commandId: commandId(),
  toolUseId,
  scope,
  ...(editedInput ? { editedInput } : {}),
});
export const deny = (toolUseId: string, reason?: string): Of<'tool.deny'> => ({
  type: 'tool.deny',
  commandId: commandId(),
  toolUseId,
  ...(reason === undefined ? {} : { reason }),
});
export const revoke = (toolName: string): Of<'policy.revoke'> => ({
  type: 'policy.revoke',
  commandId: commandId(),
  toolName,
});
export const stop = (): Of<'turn.stop'> => ({ type: 'turn.stop', commandId: commandId() });
export const retry = (): Of<'turn.retry'> => ({ type: 'turn.retry', commandId: commandId() });
export const settingsChanged = (
  model = 'claude-opus-5-5',
  thinkingBudget: number | null = 2048,
  systemPrompt: string | null = null,
): Of<'conversation.settings_changed'> => ({
  type: 'conversation.settings_changed',
  commandId: commandId(),
  model,
  thinkingBudget,
  systemPrompt,
});
export const renamed = (title: string): Of<'conversation.renamed'> => ({
  type: 'conversation.renamed',
  commandId: commandId(),
  title,
});

export const started = (turn: number): Of<'assistant.started'> => ({
  type: 'assistant.started',
  turn,
  messageId: `msg_${turn}`,
  model: 'claude-sonnet-5-5',
});
export const textDelta = (turn: number, text: string, index = 0): Of<'assistant.text_delta'> => ({
  type: 'assistant.text_delta',
  turn,
  index,
  text,
});
export const thinkingDelta = (
  turn: number,
  thinking: string,
  index = 0,
): Of<'assistant.thinking_delta'> => ({ type: 'assistant.thinking_delta', turn, index, thinking });
export const thinkingSignature = (
  turn: number,
  signature: string,
  index = 0,
): Of<'assistant.thinking_signature'> => ({
  type: 'assistant.thinking_signature',
  turn,
  index,
  signature,
});
export const toolInputDelta = (
  turn: number,
  index: number,
  toolUseId: string,
  name: string,
  partialJson: string,
): Of<'assistant.tool_input_delta'> => ({
  type: 'assistant.tool_input_delta',
  turn,
  index,
  toolUseId,
  name,
  partialJson,
});
export const toolUse = (
  turn: number,
  index: number,
  toolUseId: string,
  name: string,
  input: Record<string, unknown>,
): Of<'assistant.tool_use'> => ({
  type: 'assistant.tool_use',
  turn,
  index,
  toolUseId,
  name,
  input,
});
export const completed = (
  turn: number,
  stopReason: StopReason = 'end_turn',
): Of<'assistant.completed'> => ({ type: 'assistant.completed', turn, stopReason, usage });
export const failed = (
  turn: number,
  kind: Of<'assistant.failed'>['kind'] = 'overloaded',
  retryable = true,
): Of<'assistant.failed'> => ({
  type: 'assistant.failed',
  turn,
  kind,
  message: kind === 'overloaded' ? 'Claude is overloaded (529).' : `Claude failed: ${kind}.`,
  retryable,
});

export const toolStarted = (toolUseId: string): Of<'tool.started'> => ({
  type: 'tool.started',
  toolUseId,
  server: 'tollgate-files',
});
export const toolChunk = (
  toolUseId: string,
  index: number,
  text: string,
  bytes: number,
  total: number,
): Of<'tool.chunk'> => ({
  type: 'tool.chunk',
  toolUseId,
  index,
  text,
  bytes,
  total,
  message: `Chunk ${index + 1} received`,
});
export const toolCompleted = (
  toolUseId: string,
  content = 'Wrote the file.',
  isError = false,
): Of<'tool.completed'> => ({ type: 'tool.completed', toolUseId, content, isError });
export const toolFailed = (
  toolUseId: string,
  message = 'the MCP server exited',
): Of<'tool.failed'> => ({
  type: 'tool.failed',
  toolUseId,
  message,
});
/** A turn that asks for tools whose approval expires at `expiresAt` (APPROVAL_TTL). */
export const completedExpiring = (
  turn: number,
  expiresAt: number,
  stopReason: StopReason = 'tool_use',
): Of<'assistant.completed'> => ({ ...completed(turn, stopReason), expiresAt });
export const approvalExpired = (turn: number): Of<'approval.expired'> => ({
  type: 'approval.expired',
  turn,
});
