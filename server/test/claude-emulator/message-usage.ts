// Token counts for a scripted answer. Tests that care pin them in the script; otherwise a rough
// estimate keeps them plausible (non-zero, growing with content) as the real API's are.

import type { ScriptBlock, StreamScript } from './scripted-response.ts';

const CHARS_PER_TOKEN = 4;

export interface ResolvedUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

function blockChars(block: ScriptBlock): number {
  switch (block.type) {
    case 'text':
      return block.text.length;
    case 'tool_use':
      return block.name.length + JSON.stringify(block.input).length;
    case 'thinking':
      return block.thinking.length;
    case 'redacted_thinking':
      return block.data.length;
  }
}

/** Rough token estimate for a request body: what the API would bill as input. */
export function estimateInputTokens(body: Record<string, unknown>): number {
  const text = JSON.stringify([body.system ?? '', body.tools ?? [], body.messages]);
  return Math.max(1, Math.ceil(text.length / CHARS_PER_TOKEN));
}

export function resolveUsage(script: StreamScript, defaultInputTokens: number): ResolvedUsage {
  const chars = script.blocks.reduce((sum, block) => sum + blockChars(block), 0);
  return {
    input_tokens: script.usage?.input_tokens ?? defaultInputTokens,
    output_tokens: script.usage?.output_tokens ?? Math.max(1, Math.ceil(chars / CHARS_PER_TOKEN)),
    cache_creation_input_tokens: script.usage?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: script.usage?.cache_read_input_tokens ?? 0,
  };
}
