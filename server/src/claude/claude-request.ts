import type {
  MessageCreateParamsStreaming,
  MessageParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import { type ClaudeMessageParam, withCacheBreakpoint } from '@tollgate/machines';
import type { ClaudeSettings } from './claude-config.ts';
import { SYSTEM_PROMPT } from './system-prompt.ts';

/** A tool as Claude sees it: the hub sanitises names and maps them back. */
export interface ClaudeToolDefinition {
  name: string;
  description: string;
  input_schema: Tool['input_schema'];
  /** Stream the input as Claude writes it (fine-grained tool streaming), e.g. a file's content. */
  eager_input_streaming?: boolean;
}

// machines/ declares its own request types to stay free of IO libraries; this line fails to
// compile if they ever stop being what the SDK accepts.
const _machinesMessagesFitTheSdk = (messages: ClaudeMessageParam[]): MessageParam[] => messages;
void _machinesMessagesFitTheSdk;

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * The request for one assistant turn. Cache breakpoints sit on the tools and the system prompt
 * (stable across turns) and on the last message (so the next turn reads the whole history from
 * the cache). No `temperature`, `top_p` or `top_k`: the current API version rejects them.
 */
export function buildClaudeRequest(
  settings: ClaudeSettings,
  messages: ClaudeMessageParam[],
  tools: ClaudeToolDefinition[],
): MessageCreateParamsStreaming {
  const cachedTools: Tool[] = tools.map((tool, i) => ({
    ...tool,
    ...(i === tools.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
  return {
    model: settings.model,
    max_tokens: settings.maxTokens,
    stream: true,
    system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: EPHEMERAL }],
    messages: withCacheBreakpoint(messages),
    ...(cachedTools.length > 0 ? { tools: cachedTools } : {}),
    ...(settings.thinkingBudget !== null
      ? { thinking: { type: 'enabled', budget_tokens: settings.thinkingBudget } }
      : {}),
  };
}
