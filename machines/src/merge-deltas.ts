import type { ConversationEvent } from './events/conversation-event.ts';
import { grownText } from './grown-text.ts';

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
  }
}

/** Whether `next` is a delta of the same block as `previous`: the same kind, turn and block. */
export function continuesRun(previous: Mergeable, next: ConversationEvent): boolean {
  if (next.type !== previous.type) return false;
  const same = next as Mergeable;
  if (same.turn !== previous.turn || same.index !== previous.index) return false;
  if (previous.type !== 'assistant.tool_input_delta') return true;
  const input = same as typeof previous;
  return input.toolUseId === previous.toolUseId && input.name === previous.name;
}

export function isMergeable(event: ConversationEvent): event is Mergeable {
  return (
    event.type === 'assistant.text_delta' ||
    event.type === 'assistant.thinking_delta' ||
    event.type === 'assistant.tool_input_delta'
  );
}
