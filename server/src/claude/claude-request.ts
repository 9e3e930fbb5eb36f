import type {
  MessageCreateParamsStreaming,
  MessageParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import {
  type ClaudeImageReferenceBlock,
  type ClaudeMessageParam,
  type ClaudeOptions,
  type ConversationSettings,
  effectiveSettings,
  thinkingFits,
  withCacheBreakpoint,
} from '@tollgate/machines';
import type { ClaudeSettings } from './claude-config.ts';

/** A tool as Claude sees it: the hub sanitises names and maps them back. */
export interface ClaudeToolDefinition {
  name: string;
  description: string;
  input_schema: Tool['input_schema'];
  /** Stream the input as Claude writes it (fine-grained tool streaming), e.g. a file's content. */
  eager_input_streaming?: boolean;
}

/** The machine's messages once the server has put each image's bytes in (resolve-image-references.ts). */
type WithoutImageReferences<M> = M extends { role: 'user'; content: (infer B)[] }
  ? { role: 'user'; content: Exclude<B, ClaudeImageReferenceBlock>[] }
  : M;

// machines/ declares its own request types to stay free of IO libraries; this line fails to
// compile if they ever stop being what the SDK accepts (image references aside: the server
// replaces them with the API's base64 image blocks before sending).
const _machinesMessagesFitTheSdk = (
  messages: WithoutImageReferences<ClaudeMessageParam>[],
): MessageParam[] => messages;
void _machinesMessagesFitTheSdk;

/** A request as built from the machine's messages: images still named by their sha256. */
export type ClaudeRequestParams = Omit<MessageCreateParamsStreaming, 'messages'> & {
  messages: ClaudeMessageParam[];
};

const EPHEMERAL = { type: 'ephemeral' } as const;

/** What the server offers every conversation: its models, its limit and its defaults. */
export function claudeOptions(settings: ClaudeSettings): ClaudeOptions {
  return {
    models: settings.models,
    maxTokens: settings.maxTokens,
    defaults: {
      model: settings.model,
      thinkingBudget: settings.thinkingBudget,
      systemPrompt: settings.systemPrompt,
    },
  };
}

/**
 * The request for one assistant turn, with the model, thinking and system prompt the
 * conversation chose (`chosen`, null for the server's defaults). Cache breakpoints sit on the
 * tools and the system prompt (stable across turns) and on the last message (so the next turn
 * reads the whole history from the cache). No `temperature`, `top_p` or `top_k`: the current API
 * version rejects them, with thinking or without. Thinking is sent only where the API takes it:
 * a tool-use loop begun without it goes on without it (`thinkingFits`).
 */
export function buildClaudeRequest(
  settings: ClaudeSettings,
  messages: ClaudeMessageParam[],
  tools: ClaudeToolDefinition[],
  chosen: ConversationSettings | null = null,
): ClaudeRequestParams {
  const effective = effectiveSettings(chosen, claudeOptions(settings));
  const cachedTools: Tool[] = tools.map((tool, i) => ({
    ...tool,
    ...(i === tools.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
  const system = effective.systemPrompt.trim();
  return {
    model: effective.model,
    max_tokens: settings.maxTokens,
    stream: true,
    // A blank prompt is none at all: the API refuses an empty system block.
    ...(system !== ''
      ? { system: [{ type: 'text', text: effective.systemPrompt, cache_control: EPHEMERAL }] }
      : {}),
    messages: withCacheBreakpoint(messages),
    ...(cachedTools.length > 0 ? { tools: cachedTools } : {}),
    ...(effective.thinkingBudget !== null && thinkingFits(messages)
      ? { thinking: { type: 'enabled', budget_tokens: effective.thinkingBudget } }
      : {}),
  };
}
