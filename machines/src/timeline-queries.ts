import type {
  AssistantItem,
  ConversationContext,
  TimelineItem,
  ToolCallItem,
} from './conversation-context.ts';
import type { ToolInput } from './events/command-events.ts';
import type { StopReason } from './events/fact-events.ts';

// Read-only questions about the timeline, shared by guards, updates and the UI.

export function isAssistantItem(item: TimelineItem): item is AssistantItem {
  return item.kind === 'assistant';
}

export function isToolCallItem(item: TimelineItem): item is ToolCallItem {
  return item.kind === 'tool';
}

/** The assistant item of the latest Claude request, if that request produced one. */
export function currentAssistantItem(context: ConversationContext): AssistantItem | undefined {
  const item = context.items.findLast(isAssistantItem);
  return item?.turn === context.turn ? item : undefined;
}

export function findToolCall(
  context: ConversationContext,
  toolUseId: string,
): ToolCallItem | undefined {
  return context.items.find(
    (item): item is ToolCallItem => isToolCallItem(item) && item.toolUseId === toolUseId,
  );
}

export function pendingToolCalls(context: ConversationContext): ToolCallItem[] {
  return context.items.filter(
    (item): item is ToolCallItem => isToolCallItem(item) && item.decision.status === 'pending',
  );
}

/** The approved call that runs now, or runs next: the first one queued or running. */
export function currentToolRun(context: ConversationContext): ToolCallItem | undefined {
  return context.items.find(
    (item): item is ToolCallItem =>
      isToolCallItem(item) && (item.run?.status === 'queued' || item.run?.status === 'running'),
  );
}

export function toolRunsLeft(context: ConversationContext): number {
  return context.items.filter(
    (item) =>
      isToolCallItem(item) && (item.run?.status === 'queued' || item.run?.status === 'running'),
  ).length;
}

export function hasApprovedToolCall(context: ConversationContext): boolean {
  return currentToolRun(context) !== undefined;
}

/** The tool_use blocks Claude finished writing (their input is complete JSON). */
export function completeToolUses(item: AssistantItem) {
  return item.blocks.flatMap((block) =>
    block.type === 'tool_use' && block.input !== null
      ? [{ id: block.id, name: block.name, input: block.input }]
      : [],
  );
}

/**
 * The tool calls a finished turn asks for. When Claude ran out of tokens or context, a trailing
 * tool_use was cut off mid-input: it is never offered, since its arguments are not what Claude meant.
 */
export function offeredToolUses(item: AssistantItem, stopReason: StopReason) {
  const uses = completeToolUses(item);
  const last = item.blocks.at(-1);
  const truncated = stopReason === 'max_tokens' || stopReason === 'model_context_window_exceeded';
  return truncated && last?.type === 'tool_use' ? uses.filter((use) => use.id !== last.id) : uses;
}

/** The input a tool runs with: the person's edit if they made one, else Claude's. */
export function effectiveToolInput(call: ToolCallItem): ToolInput {
  return call.decision.status === 'approved' && call.decision.editedInput !== null
    ? call.decision.editedInput
    : call.input;
}
