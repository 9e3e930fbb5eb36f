import type { ConversationEvent } from './events/conversation-event.ts';

type Mergeable = Extract<
  ConversationEvent,
  { type: 'assistant.text_delta' | 'assistant.thinking_delta' | 'assistant.tool_input_delta' }
>;

/**
 * Two consecutive deltas of the same block, as one: folding the merged delta gives the same
 * context as folding both, because the machine accepts or ignores them on the same terms (same
 * turn, same block) and appends text. Null when `next` does not continue `previous`. A replay
 * folds a long answer's thousands of deltas as a handful of events this way.
 */
export function mergeDeltas(previous: Mergeable, next: ConversationEvent): Mergeable | null {
  if (next.type !== previous.type) return null;
  const same = next as Mergeable;
  if (same.turn !== previous.turn || same.index !== previous.index) return null;
  switch (previous.type) {
    case 'assistant.text_delta':
      return { ...previous, text: previous.text + (same as typeof previous).text };
    case 'assistant.thinking_delta':
      return { ...previous, thinking: previous.thinking + (same as typeof previous).thinking };
    case 'assistant.tool_input_delta': {
      const input = same as typeof previous;
      if (input.toolUseId !== previous.toolUseId || input.name !== previous.name) return null;
      return { ...previous, partialJson: previous.partialJson + input.partialJson };
    }
  }
}

export function isMergeable(event: ConversationEvent): event is Mergeable {
  return (
    event.type === 'assistant.text_delta' ||
    event.type === 'assistant.thinking_delta' ||
    event.type === 'assistant.tool_input_delta'
  );
}
