import type { ConversationEvent } from './events/conversation-event.ts';
import { grownText } from './grown-text.ts';

type Mergeable = Extract<
  ConversationEvent,
  {
    type:
      | 'assistant.text_delta'
      | 'assistant.thinking_delta'
      | 'assistant.tool_input_delta'
      | 'tool.chunk';
  }
>;

/**
 * Two consecutive deltas of the same block, as one: folding the merged delta gives the same
 * context as folding both, because the machine accepts or ignores them on the same terms (same
 * turn, same block) and appends text. Null when `next` does not continue `previous`. A replay
 * folds a long answer's thousands of deltas as a handful of events this way.
 *
 * A tool's chunks merge the same way, as one chunk that holds `count` of them from its `index`
 * on, the last one's progress with it. Unlike a delta, a chunk is taken only if it is the next
 * one, so the merged chunk folds as its chunks would only if the machine takes its first: whoever
 * starts a run checks that (delta-runs.ts).
 */
export function mergeDeltas(previous: Mergeable, next: ConversationEvent): Mergeable | null {
  if (!continuesRun(previous, next)) return null;
  const same = next as Mergeable;
  switch (previous.type) {
    case 'assistant.text_delta':
      return { ...previous, text: grownText(previous.text, (same as typeof previous).text) };
    case 'assistant.thinking_delta':
      return {
        ...previous,
        thinking: grownText(previous.thinking, (same as typeof previous).thinking),
      };
    case 'assistant.tool_input_delta':
      return {
        ...previous,
        partialJson: grownText(previous.partialJson, (same as typeof previous).partialJson),
      };
    case 'tool.chunk':
      return mergeChunks(previous, same as typeof previous);
  }
}

type ToolChunk = Extract<Mergeable, { type: 'tool.chunk' }>;

function mergeChunks(previous: ToolChunk, next: ToolChunk): ToolChunk {
  const merged: ToolChunk = {
    type: 'tool.chunk',
    toolUseId: previous.toolUseId,
    index: previous.index,
    // Joined as the machine joins a run's chunks (appendToolChunk), not by grownText: the pieces
    // are large, and joining a megabyte as it grows copies it again and again.
    text: previous.text + next.text,
    bytes: next.bytes,
    total: next.total,
    count: (previous.count ?? 1) + (next.count ?? 1),
  };
  if (next.message !== undefined) merged.message = next.message;
  return merged;
}

/**
 * Whether `next` is a delta of the same block as `previous` (the same kind, turn and block), or
 * the chunk of the same tool call that comes right after it.
 */
export function continuesRun(previous: Mergeable, next: ConversationEvent): boolean {
  if (next.type !== previous.type) return false;
  if (previous.type === 'tool.chunk') {
    const chunk = next as ToolChunk;
    return (
      chunk.toolUseId === previous.toolUseId &&
      chunk.index === previous.index + (previous.count ?? 1)
    );
  }
  const same = next as Exclude<Mergeable, ToolChunk>;
  if (same.turn !== previous.turn || same.index !== previous.index) return false;
  if (previous.type !== 'assistant.tool_input_delta') return true;
  const input = same as typeof previous;
  return input.toolUseId === previous.toolUseId && input.name === previous.name;
}

export function isMergeable(event: ConversationEvent): event is Mergeable {
  return (
    event.type === 'assistant.text_delta' ||
    event.type === 'assistant.thinking_delta' ||
    event.type === 'assistant.tool_input_delta' ||
    event.type === 'tool.chunk'
  );
}
