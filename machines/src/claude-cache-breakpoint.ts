import type { ClaudeMessageParam } from './claude-message.ts';

/**
 * The messages as they are sent: with a cache breakpoint on the last block, so the next turn reads
 * the whole history from the prompt cache. Thinking blocks cannot carry one (the API sends them
 * back verbatim); a request ends with a person's message or tool results, which can.
 */
export function withCacheBreakpoint(messages: ClaudeMessageParam[]): ClaudeMessageParam[] {
  const last = messages.at(-1);
  const lastBlock = last?.content.at(-1);
  if (
    !last ||
    !lastBlock ||
    lastBlock.type === 'thinking' ||
    lastBlock.type === 'redacted_thinking'
  ) {
    return messages;
  }
  const marked = { ...lastBlock, cache_control: { type: 'ephemeral' as const } };
  return [
    ...messages.slice(0, -1),
    { role: last.role, content: [...last.content.slice(0, -1), marked] } as ClaudeMessageParam,
  ];
}
