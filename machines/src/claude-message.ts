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

/**
 * An image the person attached, by reference only: the machine never holds an image's bytes. The
 * server puts them in (a base64 `image` block, the API's own shape) just before it sends the
 * request (server/src/images/resolve-image-references.ts); the API never sees this block.
 */
export interface ClaudeImageReferenceBlock {
  type: 'image_reference';
  sha256: string;
  media_type: ImageMediaType;
  cache_control?: ClaudeCacheControl;
}

/** The image types Claude reads. */
export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export type ClaudeUserBlock = ClaudeTextBlock | ClaudeToolResultBlock | ClaudeImageReferenceBlock;

export type ClaudeMessageParam =
  | { role: 'user'; content: ClaudeUserBlock[] }
  | { role: 'assistant'; content: ClaudeAssistantBlock[] };
