// The subset of the Anthropic Messages API request shapes the machine builds. Declared here, not
// imported from @anthropic-ai/sdk, because machines/ depends on no IO library; the server checks
// at compile time that these are assignable to the SDK's `MessageParam`.

/** A prompt-cache breakpoint: the API caches the request up to and including this block. */
export interface ClaudeCacheControl {
  type: 'ephemeral';
}

export interface ClaudeTextBlock {
  type: 'text';
  text: string;
  cache_control?: ClaudeCacheControl;
}

export interface ClaudeThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface ClaudeRedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export interface ClaudeToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  cache_control?: ClaudeCacheControl;
}

export interface ClaudeToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: boolean;
  cache_control?: ClaudeCacheControl;
}

export type ClaudeAssistantBlock =
  | ClaudeTextBlock
  | ClaudeThinkingBlock
  | ClaudeRedactedThinkingBlock
  | ClaudeToolUseBlock;

export type ClaudeUserBlock = ClaudeTextBlock | ClaudeToolResultBlock;

export type ClaudeMessageParam =
  | { role: 'user'; content: ClaudeUserBlock[] }
  | { role: 'assistant'; content: ClaudeAssistantBlock[] };
