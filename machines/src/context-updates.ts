import type { Draft } from 'immer';
import type {
  AssistantBlock,
  AssistantItem,
  ConversationContext,
  ToolCallItem,
  ToolRun,
} from './conversation-context.ts';
import type {
  PolicyRevokeEvent,
  ToolApproveEvent,
  ToolDenyEvent,
  UserMessageEvent,
} from './events/command-events.ts';
import type {
  AssistantCompletedEvent,
  AssistantFailedEvent,
  AssistantRedactedThinkingEvent,
  AssistantStartedEvent,
  AssistantTextDeltaEvent,
  AssistantThinkingDeltaEvent,
  AssistantThinkingSignatureEvent,
  AssistantToolInputDeltaEvent,
  AssistantToolUseEvent,
  ToolChunkEvent,
  ToolCompletedEvent,
  ToolFailedEvent,
  ToolProgressEvent,
  ToolStartedEvent,
} from './events/fact-events.ts';
import { produce } from './immer-produce.ts';
import { isAssistantItem, isToolCallItem, offeredToolUses } from './timeline-queries.ts';

// Pure updates of the context, one per thing that can happen. Each takes the context and the
// event and returns the next context; the machine's guards decide whether it applies at all.

type Update<E> = (context: ConversationContext, event: E) => ConversationContext;

function currentAssistantDraft(
  draft: Draft<ConversationContext>,
): Draft<AssistantItem> | undefined {
  const item = draft.items.findLast(isAssistantItem);
  return item?.turn === draft.turn ? item : undefined;
}

function toolCallDraft(
  draft: Draft<ConversationContext>,
  toolUseId: string,
): Draft<ToolCallItem> | undefined {
  return draft.items.find(
    (item): item is Draft<ToolCallItem> => isToolCallItem(item) && item.toolUseId === toolUseId,
  );
}

/**
 * The block at `index` if it has the expected type; a new one if `index` comes after every block
 * so far; otherwise undefined (an impossible order, which the edge should never let through).
 */
function blockAt<T extends AssistantBlock['type']>(
  item: Draft<AssistantItem>,
  index: number,
  type: T,
  create: () => Extract<AssistantBlock, { type: T }>,
): Draft<Extract<AssistantBlock, { type: T }>> | undefined {
  const last = item.blocks.at(-1);
  if (last !== undefined && last.index === index) {
    return last.type === type ? (last as Draft<Extract<AssistantBlock, { type: T }>>) : undefined;
  }
  if (last !== undefined && last.index > index) return undefined;
  const block = create();
  item.blocks.push(block);
  return item.blocks.at(-1) as Draft<Extract<AssistantBlock, { type: T }>>;
}

/**
 * The streamed deltas (thousands a second across conversations) change one block of the current
 * assistant item or one tool run, and are written without Immer: a draft costs more than the
 * change itself. They return the same kind of structurally shared, unmutated context, and the
 * context itself when nothing applies.
 */
function updateCurrentBlock<T extends AssistantBlock['type']>(
  context: ConversationContext,
  index: number,
  type: T,
  create: () => Extract<AssistantBlock, { type: T }>,
  change: (block: Extract<AssistantBlock, { type: T }>) => Extract<AssistantBlock, { type: T }>,
): ConversationContext {
  const at = context.items.findLastIndex(isAssistantItem);
  const item = context.items[at] as AssistantItem | undefined;
  if (item?.turn !== context.turn) return context;
  const last = item.blocks.at(-1);
  let blocks: AssistantBlock[];
  if (last !== undefined && last.index === index) {
    if (last.type !== type) return context;
    const changed = change(last as Extract<AssistantBlock, { type: T }>);
    if (changed === last) return context;
    blocks = item.blocks.with(-1, changed);
  } else if (last !== undefined && last.index > index) {
    return context;
  } else {
    blocks = [...item.blocks, change(create())];
  }
  return { ...context, items: context.items.with(at, { ...item, blocks }) };
}

/** The same for the run of one tool call (see updateCurrentBlock). */
function updateRun(
  context: ConversationContext,
  toolUseId: string,
  change: (run: ToolRun) => ToolRun,
): ConversationContext {
  const at = context.items.findIndex(
    (item) => isToolCallItem(item) && item.toolUseId === toolUseId,
  );
  const call = context.items[at] as ToolCallItem | undefined;
  if (!call?.run) return context;
  return { ...context, items: context.items.with(at, { ...call, run: change(call.run) }) };
}

function queuedRun(): ToolRun {
  return {
    status: 'queued',
    server: null,
    chunks: 0,
    progress: 0,
    total: null,
    text: '',
    message: null,
    result: null,
    error: null,
  };
}

export const addUserMessage: Update<UserMessageEvent> = (context, event) =>
  produce(context, (draft) => {
    draft.items.push({ kind: 'user', id: event.commandId, text: event.text, at: event.at });
  });

/** A new Claude request begins: it gets the next turn number and an empty assistant item. */
export const beginAssistantTurn = (context: ConversationContext): ConversationContext =>
  produce(context, (draft) => {
    draft.turn += 1;
    draft.items.push({
      kind: 'assistant',
      turn: draft.turn,
      messageId: null,
      model: null,
      blocks: [],
      status: 'streaming',
      stopReason: null,
      usage: null,
      error: null,
    });
  });

export const recordAssistantStarted: Update<AssistantStartedEvent> = (context, event) =>
  produce(context, (draft) => {
    const item = currentAssistantDraft(draft);
    if (!item) return;
    item.messageId = event.messageId;
    item.model = event.model;
  });

export const appendTextDelta: Update<AssistantTextDeltaEvent> = (context, event) =>
  updateCurrentBlock(
    context,
    event.index,
    'text',
    () => ({ type: 'text', index: event.index, text: '' }),
    (block) => ({ ...block, text: block.text + event.text }),
  );

export const appendThinkingDelta: Update<AssistantThinkingDeltaEvent> = (context, event) =>
  updateCurrentBlock(
    context,
    event.index,
    'thinking',
    () => ({ type: 'thinking', index: event.index, thinking: '', signature: null }),
    (block) => ({ ...block, thinking: block.thinking + event.thinking }),
  );

export const signThinking: Update<AssistantThinkingSignatureEvent> = (context, event) =>
  produce(context, (draft) => {
    const item = currentAssistantDraft(draft);
    if (!item) return;
    const block = blockAt(item, event.index, 'thinking', () => ({
      type: 'thinking',
      index: event.index,
      thinking: '',
      signature: null,
    }));
    if (block) block.signature = event.signature;
  });

export const addRedactedThinking: Update<AssistantRedactedThinkingEvent> = (context, event) =>
  produce(context, (draft) => {
    const item = currentAssistantDraft(draft);
    if (!item) return;
    blockAt(item, event.index, 'redacted_thinking', () => ({
      type: 'redacted_thinking',
      index: event.index,
      data: event.data,
    }));
  });

export const appendToolInputDelta: Update<AssistantToolInputDeltaEvent> = (context, event) =>
  updateCurrentBlock(
    context,
    event.index,
    'tool_use',
    () => ({
      type: 'tool_use',
      index: event.index,
      id: event.toolUseId,
      name: event.name,
      partialJson: '',
      input: null,
    }),
    (block) =>
      block.id === event.toolUseId && block.input === null
        ? { ...block, partialJson: block.partialJson + event.partialJson }
        : block,
  );

export const completeToolUse: Update<AssistantToolUseEvent> = (context, event) =>
  produce(context, (draft) => {
    const item = currentAssistantDraft(draft);
    if (!item) return;
    const block = blockAt(item, event.index, 'tool_use', () => ({
      type: 'tool_use',
      index: event.index,
      id: event.toolUseId,
      name: event.name,
      partialJson: '',
      input: null,
    }));
    if (block && block.id === event.toolUseId) block.input = event.input;
  });

/**
 * The turn is complete. Every finished tool_use becomes a tool call item: approved by policy if
 * the person chose "Always allow" for that tool, pending otherwise.
 */
export const completeAssistantTurn: Update<AssistantCompletedEvent> = (context, event) =>
  produce(context, (draft) => {
    const item = currentAssistantDraft(draft);
    if (!item) return;
    const offered = offeredToolUses(item, event.stopReason);
    item.status = 'complete';
    item.stopReason = event.stopReason;
    item.usage = event.usage;
    for (const block of item.blocks) {
      // A cut-off call is left incomplete, so it is neither run nor sent back to Claude.
      if (block.type === 'tool_use' && !offered.some((use) => use.id === block.id))
        block.input = null;
    }
    for (const toolUse of offered) {
      const allowed = draft.alwaysAllowed.includes(toolUse.name);
      draft.items.push({
        kind: 'tool',
        toolUseId: toolUse.id,
        name: toolUse.name,
        input: toolUse.input,
        turn: item.turn,
        decision: allowed
          ? { status: 'approved', by: 'policy', scope: 'always', editedInput: null }
          : { status: 'pending' },
        run: allowed ? queuedRun() : null,
      });
    }
  });

export const failAssistantTurn: Update<AssistantFailedEvent> = (context, event) =>
  produce(context, (draft) => {
    const item = currentAssistantDraft(draft);
    if (!item) return;
    item.status = 'failed';
    item.error = { kind: event.kind, message: event.message, retryable: event.retryable };
  });

export const stopAssistantTurn = (context: ConversationContext): ConversationContext =>
  produce(context, (draft) => {
    const item = currentAssistantDraft(draft);
    if (item) item.status = 'stopped';
  });

export const approveToolCall: Update<ToolApproveEvent> = (context, event) =>
  produce(context, (draft) => {
    const call = toolCallDraft(draft, event.toolUseId);
    if (call?.decision.status !== 'pending') return;
    call.decision = {
      status: 'approved',
      by: 'person',
      scope: event.scope,
      editedInput: event.editedInput ?? null,
    };
    call.run = queuedRun();
    if (event.scope !== 'always') return;
    if (!draft.alwaysAllowed.includes(call.name)) {
      draft.alwaysAllowed.push(call.name);
      draft.items.push({ kind: 'notice', code: 'always_allow_granted', toolName: call.name });
    }
    // "Always allow" covers the other calls of the same tool still waiting in this turn.
    for (const other of draft.items) {
      if (
        isToolCallItem(other) &&
        other.name === call.name &&
        other.decision.status === 'pending'
      ) {
        other.decision = { status: 'approved', by: 'policy', scope: 'always', editedInput: null };
        other.run = queuedRun();
      }
    }
  });

export const denyToolCall: Update<ToolDenyEvent> = (context, event) =>
  produce(context, (draft) => {
    const call = toolCallDraft(draft, event.toolUseId);
    if (call?.decision.status !== 'pending') return;
    const reason = event.reason?.trim();
    call.decision = { status: 'denied', reason: reason ? reason : null };
  });

export const revokeAlwaysAllow: Update<PolicyRevokeEvent> = (context, event) =>
  produce(context, (draft) => {
    const at = draft.alwaysAllowed.indexOf(event.toolName);
    if (at === -1) return;
    draft.alwaysAllowed.splice(at, 1);
    draft.items.push({ kind: 'notice', code: 'always_allow_revoked', toolName: event.toolName });
    // Calls the grant approved but that have not started go back to the person.
    for (const item of draft.items) {
      if (
        isToolCallItem(item) &&
        item.name === event.toolName &&
        item.decision.status === 'approved' &&
        item.decision.by === 'policy' &&
        item.run?.status === 'queued'
      ) {
        item.decision = { status: 'pending' };
        item.run = null;
      }
    }
  });

/** Stop: nothing still waiting for a decision or a run will happen. */
export const cancelOpenToolCalls = (context: ConversationContext): ConversationContext =>
  produce(context, (draft) => {
    for (const item of draft.items) {
      if (!isToolCallItem(item)) continue;
      if (item.decision.status === 'pending') item.decision = { status: 'cancelled' };
      if (item.run?.status === 'queued' || item.run?.status === 'running') {
        item.run.status = 'cancelled';
      }
    }
  });

export const markToolStarted: Update<ToolStartedEvent> = (context, event) =>
  produce(context, (draft) => {
    const run = toolCallDraft(draft, event.toolUseId)?.run;
    if (!run) return;
    run.status = 'running';
    run.server = event.server;
  });

export const appendToolChunk: Update<ToolChunkEvent> = (context, event) =>
  updateRun(context, event.toolUseId, (run) => ({
    ...run,
    status: 'running',
    chunks: run.chunks + 1,
    text: run.text + event.text,
    progress: event.bytes,
    total: event.total,
    message: event.message ?? null,
  }));

export const recordToolProgress: Update<ToolProgressEvent> = (context, event) =>
  updateRun(context, event.toolUseId, (run) => ({
    ...run,
    status: 'running',
    progress: event.progress,
    total: event.total ?? run.total,
    message: event.message ?? run.message,
  }));

export const completeToolRun: Update<ToolCompletedEvent> = (context, event) =>
  produce(context, (draft) => {
    const run = toolCallDraft(draft, event.toolUseId)?.run;
    if (!run) return;
    run.status = 'completed';
    run.result = { content: event.content, isError: event.isError, file: event.file ?? null };
  });

export const failToolRun: Update<ToolFailedEvent> = (context, event) =>
  produce(context, (draft) => {
    const run = toolCallDraft(draft, event.toolUseId)?.run;
    if (!run) return;
    run.status = 'failed';
    run.error = event.message;
  });
